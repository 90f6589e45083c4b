"""Time the case flow's pages on a scale database: the due lists on the busiest worker's
caseload and the largest unit's page, the unit's decisions not carried out, the report to
IVO, the follow-up table and the 1 November count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tillit_bench_large \
        python -m bench.flow [--rounds 5]

The scale databases are seeded by bench/run.py (`make bench`; bench/seed_flow.py writes
the decisions, interventions, closings and follow-ups) and shared: this migrates nothing
and seeds nothing. Each page is asked for in-process, as the user who sees the most of it,
`--rounds` times after one warm-up; it prints the median and worst time, the queries and
the number of due items. Audit rows it writes are rolled back.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from tillit.clients.models import Assignment, Case
    from tillit.decisions.queries import previous_quarter
    from tillit.followup.due import due_list
    from tillit.org.models import Membership, Role, User

    today = timezone.localdate()
    by_worker = Assignment.objects.current().values("worker").annotate(n=Count("case"))
    worker_id, held = by_worker.order_by("-n").values_list("worker", "n")[0]
    worker = User.objects.get(pk=worker_id)
    by_unit = Case.objects.values("unit").annotate(n=Count("pk"))
    unit_id = by_unit.order_by("-n").values_list("unit", flat=True)[0]
    leader = (
        Membership.objects.filter(unit_id=unit_id, role=Role.TEAM_LEADER)
        .select_related("user")
        .first()
    )
    assert leader is not None, "the largest unit has no team leader"
    year, quarter = previous_quarter(today)
    pages = [
        ("caseload (due list)", worker, reverse("clients:caseload")),
        ("unit page (due list)", leader.user, reverse("clients:unit", args=[unit_id])),
        ("decisions not carried out", leader.user,
         reverse("decisions:waiting", args=[unit_id])),
        ("report to IVO (CSV)", leader.user,
         reverse("decisions:ivo", args=[unit_id]) + f"?year={year}&quarter={quarter}"),
        ("follow-up table", leader.user,
         reverse("followup:table") + f"?unit={unit_id}"),
        ("1 November count", leader.user,
         reverse("outcomes:november") + f"?year={today.year - 1}"),
    ]  # fmt: skip
    open_cases = Q(case__status__in=["inquiry", "assessment", "intervention", "follow_up"])
    print(
        f"busiest worker: {held} current cases "
        f"({Assignment.objects.current().filter(open_cases, worker=worker).count()} open); "
        f"largest unit: {Case.objects.filter(unit_id=unit_id).count():,} cases"
    )
    mine = due_list(worker, today, worker=worker)
    theirs = due_list(leader.user, today, unit_ids=[unit_id])
    print(f"due items: {len(mine)} on the caseload, {len(theirs)} on the unit page")
    with transaction.atomic():
        for label, user, url in pages:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
            times = []
            for _ in range(args.rounds):
                with CaptureQueriesContext(connection) as queries:
                    began = time.monotonic()
                    response = client.get(url)
                    times.append(time.monotonic() - began)
            print(
                f"{label:28} median {statistics.median(times) * 1000:7.0f} ms  "
                f"worst {max(times) * 1000:7.0f} ms  queries {len(queries):3}  "
                f"bytes {len(response.content):>9,}"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
