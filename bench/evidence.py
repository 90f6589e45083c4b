"""Time the leaders' evidence pages and their nightly refresh on a scale database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tillit_bench_small \
        python -m bench.evidence [--rounds 5]

The scale databases are seeded by bench/run.py (`make bench`) and shared: this migrates
nothing and seeds nothing. It runs `evidence_refresh` (timed), then asks for each page
in-process as a manager of the top unit (the whole municipality, the largest a page gets),
each `--rounds` times after one warm-up, and prints the median and worst time and the
number of queries. The figures tables it writes are what the command writes nightly.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django

PAGES = (
    "evidence:continuity",
    "evidence:caseload",
    "evidence:alliance",
    "evidence:continuity_xlsx",
    "evidence:alliance_xlsx",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-refresh", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tillit.evidence.refresh import refresh
    from tillit.org.models import Membership, Role, Unit, User

    if not args.no_refresh:
        started = time.monotonic()
        run = refresh()
        print(f"evidence_refresh: {run.cases:,} cases in {time.monotonic() - started:.1f} s")
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    manager, _created = User.objects.get_or_create(username="bench-evidence-manager")
    Membership.objects.get_or_create(user=manager, unit=root, role=Role.MANAGER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    for name in PAGES:
        url = reverse(name)
        assert client.get(url).status_code == 200, name
        times = []
        for _ in range(args.rounds):
            with CaptureQueriesContext(connection) as queries:
                began = time.monotonic()
                response = client.get(url)
                times.append(time.monotonic() - began)
            assert response.status_code == 200
        print(
            f"{name:28} median {statistics.median(times) * 1000:7.0f} ms  "
            f"worst {max(times) * 1000:7.0f} ms  queries {len(queries)}  "
            f"bytes {len(response.content):,}"
        )


if __name__ == "__main__":
    main()
