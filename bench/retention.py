"""Time `manage.py retention --dry-run` on a scale database without changing it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tillit_bench_large \
        python -m bench.retention

The scale databases are seeded by bench/run.py and shared: this neither migrates nor
seeds them. If the retention app's tables are missing, it makes them and loads the
default rules inside one transaction, runs the dry run in it, and rolls it all back
(PostgreSQL's DDL is transactional), so the database is left as it was.
"""

from __future__ import annotations

import io
import os
import time

import django


class _RolledBack(Exception):
    pass


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from tillit.retention import services
    from tillit.retention.defaults import RULES, country_in_force
    from tillit.retention.models import RetentionRule

    out = io.StringIO()
    try:
        with transaction.atomic():
            if "retention_retentionrule" not in connection.introspection.table_names():
                with connection.schema_editor(atomic=False) as editor:
                    for model in apps.get_app_config("retention").get_models():
                        editor.create_model(model)
                from django.conf import settings

                country = country_in_force(settings.TIME_ZONE)
                for values in RULES:
                    RetentionRule.objects.create(**values, active=values["country"] == country)
            started = time.monotonic()
            call_command("retention", "--dry-run", stdout=out)
            elapsed = time.monotonic() - started
            # The seed spans five years, so little is due today: plan as if ten years on,
            # when every closed file is due, to time the path that reads the persons too.
            later = timezone.localdate().replace(year=timezone.localdate().year + 10)
            started = time.monotonic()
            forecast = services.plan(later)
            ahead = time.monotonic() - started
            print(f"as of {later}: {len(forecast.due)} cases due, kept {dict(forecast.kept)}")
            raise _RolledBack
    except _RolledBack:
        pass
    print(out.getvalue(), end="")
    print(f"dry run: {elapsed:.1f} s wall (database {connection.settings_dict['NAME']})")
    print(f"plan ten years on: {ahead:.1f} s")


if __name__ == "__main__":
    main()
