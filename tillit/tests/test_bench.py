"""The benchmark's in-process counts (bench/run.py) are exact: what a change is judged by."""

from django.urls import reverse

from bench.run import in_process
from tillit.clients.tests.test_queries import CASELOAD_QUERIES, PERSON_QUERIES_CACHED


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
    # The suite's budgets count the request's SAVEPOINT and RELEASE; the benchmark does not.
    assert counted["caseload"]["queries"] == CASELOAD_QUERIES - 2
    assert counted["client page"]["queries"] == PERSON_QUERIES_CACHED - 2
    assert all(page["calls"] > 1000 for page in counted.values())
    assert case.journal_entries.filter(text="x").count() == 3  # warm-up, counted, profiled
