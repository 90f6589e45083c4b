"""The benchmark's in-process counts (bench/run.py) are exact: what a change is judged by."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.run import FLOOR_COOKIE, in_process
from tillit.clients.tests.test_queries import CASELOAD_QUERIES, PERSON_QUERIES_CACHED
from tillit.conftest import client_for


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
