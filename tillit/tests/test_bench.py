"""The benchmark's in-process counts (bench/run.py) are exact: what a change is judged by."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import run
from bench.run import FLOOR_COOKIE, in_process
from tillit.clients.models import JournalEntry
from tillit.clients.tests.test_queries import CASELOAD_QUERIES, PERSON_QUERIES_CACHED
from tillit.conftest import client_for
from tillit.factories import CaseFactory, EntryFactory


def test_in_process_counts_queries_with_the_cache_warm_and_python_calls(worker, case, entry):
    write = reverse("clients:entry_create", args=[case.pk])
    counted = in_process(
        worker,
        {
            "caseload": (reverse("clients:caseload"), None),
            "client page": (reverse("clients:person", args=[case.person_id]), None),
            "journal write": (
                write,
                {"happened_at": "2026-01-05T10:00", "kind": "phone", "text": "x"},
            ),
        },
    )
    assert counted["caseload"]["queries"] == CASELOAD_QUERIES
    assert counted["client page"]["queries"] == PERSON_QUERIES_CACHED
    assert all(page["calls"] > 1000 for page in counted.values())
    assert case.journal_entries.filter(text="x").count() == 3  # warm-up, counted, profiled


def test_the_benchmark_forgets_only_its_own_drafts(worker, colleague, case):
    """bench.run.forget_writes: the caseload must not carry the drafts of earlier loads."""
    mine = [EntryFactory(case=case, author=worker, text=run.ENTRY_TEXT) for _ in range(3)]
    kept = [
        EntryFactory(case=case, author=worker, text=run.ENTRY_TEXT, signed=True),
        EntryFactory(case=case, author=worker, text="A draft of the worker's own"),
        EntryFactory(case=case, author=colleague, text=run.ENTRY_TEXT),
        EntryFactory(case=CaseFactory(), author=worker, text=run.ENTRY_TEXT),
    ]
    assert run.forget_writes(case.pk, worker.pk) == len(mine)
    assert sorted(JournalEntry.objects.values_list("pk", flat=True)) == sorted(e.pk for e in kept)


def test_the_floor_makes_no_query_as_the_benchmark_asks_for_it(settings, worker):
    settings.ROOT_URLCONF = "bench.urls"
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], settings.BASE_DIR / "bench" / "templates"]}
    ]
    client = Client(HTTP_COOKIE=FLOOR_COOKIE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/floor/?size=5000")
    assert response.status_code == 200 and len(response.content) > 5000
    assert [q["sql"] for q in queries] == []
    # With a session the same view reads the session with its user: the audited floor's part.
    signed_in = client_for(worker)
    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/bench/floor/?size=5000")
    assert len(queries) == 1


def test_the_table_replaces_its_own_scale_and_gives_each_pairs_rounds(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "performance.md"
    doc.write_text("# Performance\n\n<!-- large -->\nlarge table\n<!-- /large -->\n")
    monkeypatch.setattr(run, "ROOT", tmp_path)
    page = {
        "rps": 100.0,
        "p50_ms": 20.0,
        "p95_ms": 30.0,
        "floor_rps": 1000.0,
        "ratio_to_floor": 0.1,
        "audited_floor_rps": 300.0,
        "ratio_to_audited_floor": 0.33,
        "queries": 5,
        "calls": 20000,
    }
    pair = {
        "tillit_rps": 100.0,
        "peer_rps": 20.0,
        "ratio": 5.0,
        "ratio_min": 4.5,
        "ratio_max": 5.5,
        "ceiling": 15.0,
    }
    results = {
        "scale": "small",
        "clients": 2000,
        "date": "2026-11-23",
        "caseload": 15,
        "client_entries": 95,
        "load": "wrk -t2 -c8",
        "seconds": 10,
        "gunicorn_workers": 2,
        "cpu_count": 2,
        "worker_peak_rss_kib": 65536,
        "pages": {"client page": page},
        "peer": {
            "tickets": 2000,
            "followups": 20000,
            "rounds": 3,
            "round_seconds": 5,
            "pairs": {"client page / ticket detail": pair},
        },
    }
    run.write_table(results)
    run.write_table(results)  # a second run replaces the first
    text = doc.read_text()
    assert text.count("<!-- small -->") == 1 and "large table" in text
    assert "| client page | 100 | 20.0 | 30.0 | 1000 | 0.10 | 300 | 0.33 | 5 | 20,000 |" in text
    assert "| client page / ticket detail | 100 | 20 | 5.00 | 4.50 to 5.50 | 15.00 |" in text
