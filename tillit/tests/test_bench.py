"""The benchmark's harness (bench/run.py, bench/traffic.py, bench/report.py,
bench/server.py): its in-process counts are exact, its traffic asks only for what its
users may see, and a load with errors is invalid."""

import datetime
import socket

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import report, run, server, traffic
from bench.run import in_process
from bench.traffic import ENTRY_TEXT, FLOOR_COOKIE
from tillit.clients.models import JournalEntry
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, PersonFactory


def test_in_process_counts_queries_with_the_cache_warm_and_python_calls(worker, unit, case, entry):
    write = reverse("clients:entry_create", args=[case.pk])
    other = CaseFactory(unit=unit)
    AssignmentFactory(case=other, worker=worker)
    EntryFactory(case=other, author=worker, signed=True)
    first_visit = reverse("clients:person", args=[other.person_id])
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
        {"client page": first_visit},
    )
    # A first visit to another client's page, counted once.
    assert counted["client page"]["cold_queries"] > 0
    assert counted["client page"]["cold_calls"] > 1000
    assert "cold_queries" not in counted["caseload"]
    # The same count as the test client's, a second request with the cache warm.
    client = client_for(worker)
    for name in ("caseload", "client page"):
        path = {"caseload": reverse("clients:caseload")}.get(
            name, reverse("clients:person", args=[case.person_id])
        )
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        assert counted[name]["queries"] == len(queries) > 0, name
    assert all(page["calls"] > 1000 for page in counted.values())
    assert case.journal_entries.filter(text="x").count() == 3  # warm-up, counted, profiled


def test_the_benchmark_forgets_only_its_own_drafts(worker, colleague, outsider, case):
    """bench.traffic.forget_writes: the caseload must not carry the drafts of earlier loads."""
    elsewhere = CaseFactory()
    mine = [EntryFactory(case=case, author=worker, text=ENTRY_TEXT) for _ in range(3)]
    mine += [EntryFactory(case=elsewhere, author=colleague, text=ENTRY_TEXT)]
    kept = [
        EntryFactory(case=case, author=worker, text=ENTRY_TEXT, signed=True),
        EntryFactory(case=case, author=worker, text="A draft of the worker's own"),
        EntryFactory(case=case, author=outsider, text=ENTRY_TEXT),  # not one of the bench's
    ]
    assert traffic.forget_writes([worker.pk, colleague.pk]) == len(mine)
    assert sorted(JournalEntry.objects.values_list("pk", flat=True)) == sorted(e.pk for e in kept)


def test_a_session_of_the_benchmark_is_one_the_server_reads_back(worker):
    """The session's backend must be one that reads the user (axes's guards the login only):
    with the first backend named, every page of the benchmark answered 500."""
    cookie, _csrf = server.session_for(worker)
    assert Client(HTTP_COOKIE=cookie).get(reverse("clients:caseload")).status_code == 200


def test_realistic_traffic_asks_only_for_what_each_worker_may_see(
    worker, colleague, outsider, unit, case
):
    """bench/traffic.py builds each worker's lists through the access policy: their own
    clients and open cases, no colleague's, no protected identity they are not named on."""
    theirs = CaseFactory(unit=unit)
    AssignmentFactory(case=theirs, worker=colleague)
    closed = CaseFactory(
        unit=unit, status="closed", closed_on=datetime.date(2026, 1, 5), person=case.person
    )
    AssignmentFactory(case=closed, worker=worker)
    hidden = CaseFactory(unit=unit, person=PersonFactory(protected_identity=True))
    AssignmentFactory(case=hidden, worker=worker)
    found = {w.pk: w for w in traffic.caseloads(traffic.workers(), lambda user: f"s={user.pk}")}
    assert set(found) == {worker.pk, colleague.pk}  # the outsider has no open case
    mine = found[worker.pk]
    assert mine.persons == [case.person_id] and mine.open_cases == [case.pk]
    assert found[colleague.pk].persons == [theirs.person_id]
    requests = traffic.requests_of(mine, {"text": ENTRY_TEXT}, "c" * 32)
    kinds = {kind for kind, *_ in requests}
    assert kinds == {*traffic.PER_PERSON, *traffic.PER_WORKER, traffic.WRITE} == set(traffic.MIX)
    client = client_for(worker)
    for kind, method, path, body in requests:
        if method == "GET":
            assert client.get(path).status_code == 200, (kind, path)
        else:
            assert "csrfmiddlewaretoken=" in body and path == f"/cases/{case.pk}/journal/new/"


def test_each_connection_acts_for_its_own_workers(tmp_path):
    users = [(f"sessionid={n}", [("caseload", "GET", "/caseload/", "")]) for n in range(5)]
    traffic.write_plan(tmp_path / "plan", 2, users)
    lines = [(tmp_path / f"plan.{n}").read_text().splitlines() for n in range(2)]
    assert [len(x) for x in lines] == [3, 2]
    cookies = [{line.split("\t")[3] for line in x} for x in lines]
    assert cookies == [
        {"sessionid=0", "sessionid=2", "sessionid=4"},
        {"sessionid=1", "sessionid=3"},
    ]
    assert lines[0][0].split("\t") == ["caseload", "GET", "/caseload/", "sessionid=0", ""]


def test_tillits_plan_asks_the_floor_without_a_session_and_the_audited_floor_with_one(tmp_path):
    workers = [traffic.Worker(n, f"sessionid={n}", [10 + n], [20 + n]) for n in range(3)]
    sizes = {"client page": 5000, traffic.WRITE: 100}
    traffic.tillit_plan(tmp_path / "plan", workers, {"text": ENTRY_TEXT}, "c" * 32, sizes)
    lines = [
        line.split("\t")
        for n in range(traffic.CONNECTIONS)
        for line in (tmp_path / f"plan.{n}").read_text().splitlines()
    ]
    floors = [(cookie, path) for kind, _, path, cookie, _ in lines if kind.startswith("floor:")]
    # Every connection asks for each floor, with no session.
    assert sorted(floors) == sorted(
        [(FLOOR_COOKIE, "/bench/floor/?size=5000"), (FLOOR_COOKIE, "/bench/floor/?size=100")]
        * traffic.CONNECTIONS
    )
    audited = {(k, c, p) for k, _, p, c, _ in lines if k.startswith("audited:")}
    assert audited == {
        (f"audited:{name}", f"sessionid={n}", f"/bench/floor-audited/?size={size}")
        for n in range(3)
        for name, size in sizes.items()
    }
    assert ("client page", "GET", "/clients/11/", "sessionid=1", "") in map(tuple, lines)
    # The one-URL line's pages, in the order of the tables.
    assert list(traffic.hot_paths(7).items()) == [
        ("caseload", "/caseload/"),
        ("client page", "/clients/7/"),
        ("feedback chart", "/feedback/clients/7/"),
        ("feedback list", "/feedback/"),
        ("moments timeline", "/bam/clients/7/"),
        ("moment patterns", "/bam/clients/7/patterns/"),
        ("network map", "/network/clients/7/"),
        ("plans page", "/plans/clients/7/"),
    ]


def test_the_server_is_not_started_where_something_already_listens(monkeypatch):
    """bench/server.py's start_gunicorn (both benchmarks' server) must not measure another
    server that holds the port."""

    def started(*args, **kwargs):
        raise AssertionError("gunicorn was started")

    monkeypatch.setattr(server.subprocess, "Popen", started)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit, match=f"already listens on 127.0.0.1:{port}"):
            server.start_gunicorn(port, 1, 1, {})


def test_a_load_with_any_error_is_invalid():
    clean = {
        "requests": 100,
        "errors": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "non_2xx_3xx": 0,
        "unexpected": 0,
        "audit_rows": 104,
        "statuses": {"client page": {"200": 100}},
    }
    assert run.problems(clean) == []
    for change in (
        {"socket_errors": {**clean["socket_errors"], "read": 1}, "errors": 1},
        {"non_2xx_3xx": 3, "errors": 3},
        {"unexpected": 2},  # e.g. a write's form re-rendered with 200: no write happened
        {"audit_rows": 99},  # a page served without its audit row
        {"requests": 0, "audit_rows": 0},
    ):
        assert run.problems({**clean, **change}), change


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
    # With a session the same view reads the session and its user, and nothing else: the
    # audited floor's part.
    signed_in = client_for(worker)
    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/bench/floor/?size=5000")
    read = [q["sql"] for q in queries]
    assert read and all("session" in sql or "org_user" in sql for sql in read), read


def test_the_table_replaces_its_own_scale_and_gives_each_pairs_rounds(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "performance.md"
    doc.write_text("# Performance\n\n<!-- large -->\nlarge table\n<!-- /large -->\n")
    monkeypatch.setattr(report, "ROOT", tmp_path)
    page = {
        "rps": 100.0,
        "p50_ms": 20.0,
        "p95_ms": 30.0,
        "p99_ms": 40.0,
        "hot": {"rps": 400.0},
        "floor_rps": 1000.0,
        "ratio_to_floor": 0.1,
        "audited_floor_rps": 300.0,
        "ratio_to_audited_floor": 0.33,
        "queries": 5,
        "calls": 20000,
        "cold_queries": 7,
        "cold_calls": 90000,
    }
    line = {"tillit_rps": 100.0, "peer_rps": 20.0, "ratio": 5.0, "ratio_min": 4.5, "ratio_max": 5.5}
    pair = {
        "realistic": {**line, "p95_ms": {"tillit": 60.0, "peer": 300.0}},
        "hot": {**line, "ratio": 7.0},
        "ceiling": 15.0,
    }
    mixed_round = {"rps": 120.0, "p50_ms": 30.0, "p95_ms": 90.0, "p99_ms": 150.0, "requests": 2400}
    results = {
        "scale": "small",
        "clients": 2000,
        "date": "2026-11-23",
        "commit": "abc1234",
        "traffic": {
            "workers": 50,
            "distinct_clients": 690,
            "clients_per_worker_median": 15,
            "open_cases_written_to": 745,
        },
        "load": "wrk -t8 -c8",
        "seconds": 10,
        "gunicorn_workers": 2,
        "cpu_count": 2,
        "worker_peak_rss_kib": 65536,
        "pages": {"client page": page},
        "mixed": {
            "weights": {"client page": 100},
            "connections": 8,
            "seconds": 20,
            "peak_requests_per_worker_minute": 2,
            "rounds": [mixed_round],
            "median": mixed_round,
            "workers_served": 3600,
        },
        "peer": {
            "tickets": 2000,
            "followups": 20000,
            "users": 50,
            "queues": 8,
            "distinct_tickets": 690,
            "tickets_followed_up": 400,
            "rounds": 3,
            "round_seconds": 10,
            "hot_round_seconds": 5,
            "pairs": {"client page / ticket detail": pair},
        },
    }
    report.write_table(results)
    report.write_table(results)  # a second run replaces the first
    text = doc.read_text()
    assert text.count("<!-- small -->") == 1 and "large table" in text
    assert "commit abc1234" in text and "50 workers" in text and "690 distinct clients" in text
    assert (
        "| client page | 100 | 20.0 | 30.0 | 40.0 | 400 | 1000 | 0.10 | 300 | 0.33 | 5 | 20,000 "
        "| 7 | 90,000 |" in text
    )
    assert (
        "| client page / ticket detail | 100 | 20.0 | **5.00** | 4.50 to 5.50 | 60 / 300 " in text
    )
    assert "| 7.00 | 15.00 |" in text
    assert "3,600 social workers served by one 2-core server" in text
    assert "| 1 | 120 | 30.0 | 90.0 | 150.0 | 2,400 |" in text
