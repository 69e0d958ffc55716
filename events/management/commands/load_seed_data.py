from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Source
from events.progress import terminal_progress
from events.services.seed import SeedError, seed_load


class Command(BaseCommand):
    help = (
        "Load the seed dataset (fixtures/) in one transaction. Safe to run again: records match by natural key; "
        "claims, participants and crew that an earlier seed had but this one does not are removed; and whatever "
        "curators changed since the seed wrote it is left as it is and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture-dir", type=Path, help="Directory holding the seed fixtures (default: fixtures/)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, then roll everything back.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has sources (for start-up scripts: keeps curators' work).",
        )

    def handle(self, *args, fixture_dir=None, dry_run=False, if_empty=False, **options):
        if if_empty and Source.objects.exists():
            self.stdout.write("The database already holds data; nothing loaded (--if-empty).")
            return
        try:
            report = seed_load(fixture_dir=fixture_dir, dry_run=dry_run, progress=terminal_progress(self.stderr))
        except SeedError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        verb = "Checked" if dry_run else "Loaded"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {report.total} records" + (" (dry run, rolled back)." if dry_run else "."))
        )
