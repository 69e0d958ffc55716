"""Loads killed midway (SIGKILL) leave the database exactly as it was: load_seed_data, generate_synthetic
and generate_synthetic --clear, each run as its own process against a database of the suite's backend.

"Midway" is made certain rather than hoped for:
- load_seed_data reads its last fixture from a named pipe; once it opens the pipe, everything before
  has been written in its transaction, and it waits there until the test kills it;
- on PostgreSQL, the test holds a lock on a table the load writes late, and kills the load once
  pg_stat_activity shows it waiting for that lock with its writes so far pending;
- on SQLite, the test kills the load while its rollback journal exists (it has begun writing) and
  checks that the journal outlived the process: the transaction never reached its commit.
Before and after are compared table by table: row count and a sha256 of every row.
"""

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from events.services.seed import seed_fixture_paths
from tests.databases import database_create, database_drop

# slow: processes killed midway. django_db only for the connection's settings; the loads run in other databases.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

DEADLINE = 180  # seconds any one wait may take before the test gives up


class Target:
    """A migrated database outside the test transaction, read through a raw DB-API connection."""

    def __init__(self, url, connect, journal=None, name=None):
        self.url, self.connect, self.journal, self.name = url, connect, journal, name

    def manage(self, *args, **kwargs):
        return subprocess.Popen(
            [sys.executable, "-u", "manage.py", *args],
            env={
                "PATH": os.environ["PATH"],
                "DATABASE_URL": self.url,
                "DJANGO_SETTINGS_MODULE": "spacediplo.test_settings",
            },
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    @contextlib.contextmanager
    def session(self):
        raw = self.connect()
        try:
            yield raw
            raw.commit()
        finally:
            raw.close()

    def run(self, *args):
        process = self.manage(*args)
        out, err = process.communicate(timeout=DEADLINE * 2)
        assert process.returncode == 0, err
        return out

    def snapshot(self) -> dict[str, tuple[int, str]]:
        """{table: (rows, sha256 of the rows in order)} for every table in the database."""
        found = {}
        with self.session() as raw:
            cursor = raw.cursor()
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            else:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            for (table,) in sorted(cursor.fetchall()):
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalogue
                rows = sorted(repr(row) for row in cursor.fetchall())
                found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return found

    def load_pending(self) -> bool:
        """Whether another process has written in a transaction it has not finished."""
        if connection.vendor == "sqlite":
            return self.journal.exists()
        with self.session() as raw:
            row = raw.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                "AND backend_xid IS NOT NULL",
                [self.name],
            ).fetchone()
        return row[0] > 0

    def waiting_for_lock(self) -> bool:
        with self.session() as raw:
            row = raw.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND backend_xid IS NOT NULL",
                [self.name],
            ).fetchone()
        return row[0] > 0

    def wait_for_no_other_sessions(self):
        until = time.monotonic() + DEADLINE
        while time.monotonic() < until:
            with self.session() as raw:
                others = raw.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.name],
                ).fetchone()[0]
            if not others:
                return
            time.sleep(0.05)
        raise AssertionError("the killed load's session never ended")


def wait_until(condition, process, what):
    until = time.monotonic() + DEADLINE
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the load ended (status {process.returncode}) before {what}: {process.stderr.read()}")
        if time.monotonic() > until:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.005)


@pytest.fixture(scope="module")
def template(tmp_path_factory, django_db_blocker):
    """A migrated, empty database made once; each test gets a copy."""
    directory = tmp_path_factory.mktemp("atomic")
    if connection.vendor == "sqlite":
        path = directory / "template.sqlite3"
        Target(f"sqlite:///{path}", None).run("migrate", "-v0")
        yield path
        return
    with django_db_blocker.unblock():
        name = f"test_spacediplo_{os.getpid()}_atomic_tmpl"
        database_create(name)
        try:
            _pg_target(name).run("migrate", "-v0")
            yield name
        finally:
            database_drop(name)


def _pg_target(name):
    import psycopg

    params = connection.get_connection_params()
    user, host, port = params.get("user", ""), params.get("host", ""), params.get("port", "")

    def connect():
        return psycopg.connect(dbname=name, user=user, host=host, port=port, autocommit=True)

    return Target(f"postgres://{user}@{host}:{port}/{name}", connect, name=name)


@contextlib.contextmanager
def copy_of(template, tmp_path):
    """A target database that starts as a copy of `template`; dropped at the end on PostgreSQL."""
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        shutil.copy(template, path)
        yield Target(f"sqlite:///{path}", lambda: sqlite3.connect(path), journal=Path(f"{path}-journal"))
        return
    name = f"test_spacediplo_{os.getpid()}_atomic_{tmp_path.name}"[:63]
    database_create(name, template=template)
    try:
        yield _pg_target(name)
    finally:
        database_drop(name)


@pytest.fixture(scope="module")
def seeded_template(template, tmp_path_factory, django_db_blocker):
    """The template with the seed loaded, made once for the tests that start from a seeded database."""
    with django_db_blocker.unblock(), copy_of(template, tmp_path_factory.mktemp("seeded")) as target:
        target.run("load_seed_data")
        yield target.name if connection.vendor != "sqlite" else target.url.removeprefix("sqlite:///")


@pytest.fixture
def target(template, tmp_path):
    with copy_of(template, tmp_path) as copy:
        yield copy


@pytest.fixture
def seeded_target(seeded_template, tmp_path):
    with copy_of(seeded_template, tmp_path) as copy:
        yield copy


def kill(process):
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=DEADLINE)
    assert process.returncode == -signal.SIGKILL


def assert_unchanged(target, before):
    after = target.snapshot()  # on SQLite, this first read rolls back the killed load's hot journal
    changed = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    assert changed == [], f"tables changed by a load that never finished: {changed}"


# --- load_seed_data ---------------------------------------------------------------------------


@pytest.mark.parametrize("preloaded", [False, True], ids=["empty-db", "seeded-db"])
def test_seed_load_killed_midway_changes_nothing(request, tmp_path, preloaded):
    target = request.getfixturevalue("seeded_target" if preloaded else "target")
    if preloaded:
        with target.session() as raw:  # curators' edits that the reload would undo
            raw.execute(
                "UPDATE events_meeting SET status = 'cancelled', title = 'Edited' WHERE slug = 'nasa-roscosmos-2025-07'"
            )
            raw.execute("DELETE FROM events_crewmember WHERE id = (SELECT min(id) FROM events_crewmember)")
            raw.commit()
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    *leading, last = seed_fixture_paths()
    for path in leading:
        shutil.copy(path, fixtures / path.name)
    pipe = fixtures / last.name
    os.mkfifo(pipe)
    before = target.snapshot()

    load = target.manage("load_seed_data", "--fixture-dir", str(fixtures))
    writer = None

    def reading_last_fixture():
        nonlocal writer
        try:
            writer = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)  # succeeds once the loader opened it to read
        except OSError:
            return False
        return True

    try:
        wait_until(reading_last_fixture, load, "the loader reached its last fixture")
        assert target.load_pending(), "the loader has written the first fixtures in its open transaction"
        kill(load)
    finally:
        if writer is not None:
            os.close(writer)
        if load.poll() is None:
            load.kill()
    if connection.vendor == "sqlite":
        assert target.journal.exists()
    else:
        target.wait_for_no_other_sessions()
    assert_unchanged(target, before)
    # The database is still usable, and a complete load still works.
    assert "Loaded" in target.run("load_seed_data")


# --- generate_synthetic and --clear ------------------------------------------------------------

SYNTHETIC = ["--meetings", "1000", "--launches", "100", "--people", "50", "--seed", "4"]


def kill_midway(target, args, late_table):
    """Start `manage.py args`, kill it halfway through its transaction, and check nothing changed."""
    before = target.snapshot()
    if connection.vendor == "sqlite":
        load = target.manage(*args)
        try:
            wait_until(target.load_pending, load, "the load began writing")
            kill(load)
        finally:
            if load.poll() is None:
                load.kill()
        assert target.journal.exists(), "the load was killed after its commit: not midway"
    else:
        with target.session() as blocker:
            blocker.autocommit = False
            blocker.execute(f"LOCK TABLE {late_table} IN EXCLUSIVE MODE")  # reads go on; writes to it wait
            load = target.manage(*args)
            try:
                wait_until(target.waiting_for_lock, load, f"the load reached {late_table}")
                kill(load)
            finally:
                if load.poll() is None:
                    load.kill()
            blocker.rollback()
        target.wait_for_no_other_sessions()
    assert_unchanged(target, before)


def test_generate_synthetic_killed_midway_changes_nothing(seeded_target):
    target = seeded_target
    kill_midway(target, ["generate_synthetic", *SYNTHETIC], "events_crewmember")
    assert "Generated" in target.run("generate_synthetic", *SYNTHETIC)


def test_clearing_synthetic_records_killed_midway_changes_nothing(seeded_target):
    target = seeded_target
    target.run("generate_synthetic", *SYNTHETIC)
    kill_midway(target, ["generate_synthetic", "--clear"], "events_source")
    assert "Removed" in target.run("generate_synthetic", "--clear")
