"""The benchmark's data: the PostgreSQL database at its size, and the same data exported to SQLite for Datasette.

Every step checks first and does only what is missing, so a re-run reuses the data already there.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
REF_BIN = ROOT / "bench" / ".venv-ref" / "bin"
# What Datasette's meetings list reads, and the meeting indexes PostgreSQL has, so SQLite is not handicapped.
EXPORT_TABLES = ("events_meeting", "events_participant", "events_agency", "events_person", "events_place")
SQLITE_INDEXES = {"events_meeting": ("date_earliest", "date_latest", "status", "slug")}
SYNTHETIC = {"meetings": "events_meeting", "launches": "events_launch", "people": "events_person"}


def command(*args, env=None, check=True, quiet=False):
    """Run one of the project's or the bench venv's own programs (fixed commands, never user input)."""
    args = [str(a) for a in args]
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=quiet)  # noqa: S603


def manage(env, *args, check=True, quiet=False):
    return command(sys.executable, "manage.py", *args, env=env, check=check, quiet=quiet)


def connect(url):
    return psycopg.connect(url, autocommit=True)


def ensure_database(url):
    name = urlsplit(url).path.lstrip("/")
    with connect(url.rsplit("/", 1)[0] + "/postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            print(f"data: creating database {name}")
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def synthetic_counts(url):
    with connect(url) as conn:
        return {
            kind: conn.execute(f"SELECT count(*) FROM {table} WHERE slug LIKE 'syn-%'").fetchone()[0]  # noqa: S608
            for kind, table in SYNTHETIC.items()
        }


def has_command(env, name):
    return manage(env, "help", name, check=False, quiet=True).returncode == 0


def prepare_postgres(env, url, sizes, seed):
    """Create, migrate and seed the database, add the synthetic records unless already there, then ANALYZE."""
    ensure_database(url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_seed_data", "--if-empty")
    have = synthetic_counts(url)
    if have == sizes:
        print(f"data: synthetic records already there ({have})")
    elif not has_command(env, "generate_synthetic"):
        print("data: WARNING generate_synthetic is not available yet: measuring the seed data only", file=sys.stderr)
    else:
        print(f"data: generating synthetic records {sizes} (had {have})")
        args = [f"--{k}={v}" for k, v in sizes.items()] + [f"--seed={seed}"]
        manage(env, "generate_synthetic", *args, *(["--clear"] if any(have.values()) else []))
    with connect(url) as conn:
        conn.execute("ANALYZE")


def row_counts(url):
    """Rows per events_ table."""
    with connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'events%' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def sqlite_counts(path):
    import sqlite3

    if not path.exists():
        return None
    with sqlite3.connect(path) as db:
        try:
            return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in EXPORT_TABLES}  # noqa: S608
        except sqlite3.Error:
            return None


def export_sqlite(url, path, counts):
    """Copy the tables Datasette needs to SQLite with db-to-sqlite, unless the file already holds the same rows."""
    if sqlite_counts(path) == {t: counts[t] for t in EXPORT_TABLES}:
        print(f"data: {path.name} already matches PostgreSQL")
        return
    print(f"data: exporting to {path.name}")
    tmp = path.with_suffix(".tmp.db")
    tmp.unlink(missing_ok=True)
    source = "postgresql+psycopg://" + url.split("://", 1)[1]
    tables = [arg for t in EXPORT_TABLES for arg in ("--table", t)]
    command(REF_BIN / "db-to-sqlite", source, tmp, *tables)
    for table, columns in SQLITE_INDEXES.items():
        for column in columns:
            command(REF_BIN / "sqlite-utils", "create-index", tmp, table, column)
    command(REF_BIN / "sqlite-utils", "analyze", tmp)
    os.replace(tmp, path)
