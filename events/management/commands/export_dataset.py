from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.progress import terminal_progress
from events.services.dataset import DATASET_JSON, DatasetError, dataset_export


class Command(BaseCommand):
    help = (
        f"Write the whole dataset into DIR (new or empty) from one snapshot: {DATASET_JSON} for loaddata or "
        "import_dataset, and one CSV per table (header row, one row per record, ids as in the database). "
        "A CSV text cell that starts like a spreadsheet formula (= + - @, tab, CR) or with ' gets a leading ', "
        "so spreadsheets show it as text. The change history and the dataset revision are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            counts = dataset_export(directory=directory, progress=terminal_progress(self.stderr))
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} rows")
        self.stdout.write(self.style.SUCCESS(f"Exported {sum(counts.values())} rows to {directory}."))
