"""A scratch SQLite database for the benchmarks that measure in this process (bench/ingest.py, bench/seed_load.py)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scratch_django(database: Path) -> None:
    """Set Django up on a new SQLite database at `database`, migrated."""
    os.environ.update(
        DATABASE_URL=f"sqlite:///{database}", DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="spacediplo.settings"
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "k" * 60)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
