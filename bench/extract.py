"""Time a pseudonymised extract of a whole municipality (tillit/extracts) on PostgreSQL.

    python -m bench.extract [--scale small|large] [--database NAME] [--rounds 2]

The scale database is the one `make bench` uses (tillit_bench_<scale>), made and seeded
as bench/run.py makes it if missing (the large one takes a while the first time). An
evaluator orders every variable group for every unit below the root over the whole seeded
period, a manager approves it, and the zip is produced as the page and `manage.py
extract` produce it (tillit.extracts.produce.produce), in this process; the order, its
runs and the files are removed afterwards (the whole thing runs in one transaction that
is rolled back), so the database is left as it was. The goal is under 60 s at the large
scale (50,000 clients, 5 million journal entries): issue 25.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench.run import SCALES, ensure_database
from bench.server import PG, bench_env, ensure_pg_database, setup_django


class _RolledBack(Exception):
    pass


def measure(rounds: int) -> list[dict]:
    from django.conf import settings
    from django.db import connection, transaction

    from tillit.extracts import services
    from tillit.extracts.codebook import GROUP_KEYS
    from tillit.extracts.produce import produce
    from tillit.org.models import Membership, Role, Unit, User

    results: list[dict] = []
    folder = Path(tempfile.mkdtemp(prefix="tillit-extract-bench-"))
    settings.EXTRACT_DIR = folder
    try:
        with transaction.atomic():
            root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
            assert root is not None, "the scale database has no units"
            evaluator = User.objects.create_user("bench-evaluator", password=None)
            manager = User.objects.create_user("bench-manager", password=None)
            Membership.objects.create(user=evaluator, unit=root, role=Role.EVALUATOR)
            Membership.objects.create(user=manager, unit=root, role=Role.MANAGER)
            order, _made = services.order_create(
                actor=evaluator,
                study="Bench: the whole municipality",
                purpose="How long an extract of every client and every variable takes.",
                units=[root],
                period_from=datetime.date(2000, 1, 1),
                period_to=datetime.date.today(),
                groups=GROUP_KEYS,
                language="sv",
            )
            order = services.order_approve(actor=manager, order=order)
            for number in range(rounds):
                run = services.run_start(actor=evaluator, order=order)
                started = time.monotonic()
                path = produce(run)
                seconds = time.monotonic() - started
                run.refresh_from_db()
                results.append(
                    {
                        "round": number + 1,
                        "seconds": round(seconds, 1),
                        "bytes": path.stat().st_size,
                        "anonymity": run.report["anonymity"],
                        "rows": run.report["rows"],
                    }
                )
                path.unlink()
            raise _RolledBack
    except _RolledBack:
        pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"database {connection.settings_dict['NAME']}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=SCALES, default=os.environ.get("SCALE", "small"))
    parser.add_argument("--database", help="another scale database than tillit_bench_<scale>")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.database:
        name = args.database
        env = bench_env(f"{PG}/{name}")
        ensure_pg_database(name)
        _migrate_and_seed(name, args.scale, env)
    else:
        env = bench_env(f"{PG}/tillit_bench_{args.scale}")
        ensure_database(args.scale, env)
    setup_django(env)
    for result in measure(args.rounds):
        a = result["anonymity"]
        rows = sum(result["rows"].values())
        print(
            f"round {result['round']}: {result['seconds']:.1f} s, {rows:,} rows "
            f"({result['rows'].get('checks', 0):,} checks), {result['bytes'] / 1e6:.1f} MB; "
            f"{a['cases']:,} cases: {a['as_ordered']:,} as ordered, {a['age_widened']:,} "
            f"age widened, {a['year_left_out']:,} without the year, {a['suppressed']:,} "
            "suppressed"
        )


def _migrate_and_seed(name: str, scale: str, env: dict) -> None:
    """As bench.run.ensure_database, for a database of another name."""
    from bench.server import PSQL, ROOT, sh

    python = str(ROOT / ".venv" / "bin" / "python")
    sh(python, "manage.py", "migrate", "--noinput", "-v0", env=env)
    count = sh(*PSQL, "-d", name, "-Atc", "select count(*) from clients_person")
    if int(count.strip() or 0) == 0:
        print(f"seeding {name}: {SCALES[scale]} clients")
        sh(
            python,
            "manage.py",
            "seed_scale",
            "--clients",
            str(SCALES[scale]),
            "--years",
            "5",
            env=env,
        )


if __name__ == "__main__":
    main()
