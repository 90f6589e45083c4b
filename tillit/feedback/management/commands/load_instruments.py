from pathlib import Path

from django.core.management.base import BaseCommand

from tillit.feedback.services import instruments_load


class Command(BaseCommand):
    help = "Create or update feedback instruments from a versioned JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path)

    def handle(self, *args, path: Path | None = None, **options) -> None:
        self.stdout.write(f"{instruments_load(path)} instruments loaded.")
