"""manage.py seed_scale --clients N --years Y: a synthetic municipality for benchmarks."""

from django.core.management.base import BaseCommand

from bench.seed import seed


class Command(BaseCommand):
    help = "Generate a large synthetic municipality (deterministic from --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=1000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--entries-per-client", type=int, default=100)

    def handle(
        self, *args, clients: int, years: int, seed: int, entries_per_client: int, **options
    ) -> None:
        report = seed_fn(
            clients=clients,
            years=years,
            seed=seed,
            entries_per_client=entries_per_client,
            progress=self.stdout.write,
        )
        for table, count in report.counts.items():
            self.stdout.write(f"  {table:32} {count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows:,} rows in {report.seconds:.1f} s: {report.rate:,.0f} rows/s"
            )
        )


seed_fn = seed
