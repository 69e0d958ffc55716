"""gunicorn's worker count (spacediplo/gunicorn.conf.py): two per core plus one, within the container's CPU quota and
the database's connection limit."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

CONF = settings.BASE_DIR / "spacediplo" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.fixture(scope="module")
def conf():
    """The configuration's names, read as gunicorn reads the file (on SQLite, so no database is asked)."""
    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = "sqlite:///unused.sqlite3"
    try:
        return runpy.run_path(str(CONF))
    finally:
        if saved is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = saved


def cgroup(root: Path, files: dict[str, str]) -> Path:
    """A fake /sys/fs/cgroup holding `files` (path: text)."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text + "\n")
    return root


@pytest.mark.parametrize(
    ("files", "cpus"),
    [
        ({"cpu.max": "150000 100000"}, 1.5),  # cgroup v2, docker run --cpus 1.5
        ({"cpu.max": "max 100000"}, None),  # v2, no quota
        ({"cpu/cpu.cfs_quota_us": "50000", "cpu/cpu.cfs_period_us": "100000"}, 0.5),  # v1
        ({"cpu,cpuacct/cpu.cfs_quota_us": "300000", "cpu,cpuacct/cpu.cfs_period_us": "100000"}, 3.0),  # v1, joined
        ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"}, None),  # v1, no quota
        ({}, None),  # no cgroup filesystem
        ({"cpu.max": "garbled"}, None),
    ],
    ids=["v2", "v2-max", "v1", "v1-joined", "v1-unlimited", "none", "garbled"],
)
def test_the_cpu_quota_is_read_from_cgroup_v2_or_v1(conf, tmp_path, files, cpus):
    assert conf["cgroup_cpu_limit"](cgroup(tmp_path, files)) == cpus


def test_the_cores_counted_are_those_the_process_may_use_within_its_quota(conf, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert conf["usable_cores"](cgroup(tmp_path / "none", {})) == 4
    assert conf["usable_cores"](cgroup(tmp_path / "half", {"cpu.max": "50000 100000"})) == 1
    assert conf["usable_cores"](cgroup(tmp_path / "more", {"cpu.max": "150000 100000"})) == 2  # 1.5 CPUs: 2 cores
    assert conf["usable_cores"](cgroup(tmp_path / "above", {"cpu.max": "800000 100000"})) == 4  # affinity: 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    assert conf["usable_cores"](cgroup(tmp_path / "above", {})) == 1


@pytest.mark.parametrize(
    ("cores", "budget", "workers"),
    [(1, None, 3), (2, None, 5), (4, None, 9), (4, 100, 9), (4, 10, 5), (2, 3, 1), (2, 1, 1), (2, 0, 1)],
)
def test_two_workers_per_core_plus_one_within_the_connection_budget(conf, cores, budget, workers):
    assert conf["worker_count"](cores, budget, 2) == workers


def test_the_connection_budget_comes_from_the_environment_or_the_database(conf):
    budget = conf["connection_budget"]
    assert budget({"DATABASE_MAX_CONNECTIONS": "12", "DATABASE_URL": "postgres://u@db.example/x"})[0] == 12
    assert budget({"DATABASE_URL": "sqlite:///db.sqlite3"})[0] is None
    assert budget({})[0] is None
    # Unreachable at start: no cap (the app answers 503 until the database is back), and the log says why.
    limit, why = budget({"DATABASE_URL": "postgresql://u@127.0.0.1:1/x"})
    assert limit is None
    assert "unreachable" in why


@pytest.mark.skipif(connection.vendor != "postgresql", reason="asks PostgreSQL; the suite's PostgreSQL run covers it")
@pytest.mark.django_db
def test_on_postgresql_the_budget_is_its_connection_limit_less_a_spare(conf):
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        (max_connections,) = cursor.fetchone()
        cursor.execute("SHOW superuser_reserved_connections")
        (reserved,) = cursor.fetchone()
        cursor.execute("SELECT current_setting('reserved_connections', true)")
        (more_reserved,) = cursor.fetchone()
    expected = int(max_connections) - int(reserved) - int(more_reserved or 0) - conf["SPARE_CONNECTIONS"]
    database = connection.settings_dict
    login = database["USER"] + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    url = f"postgresql://{login}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    assert conf["connection_budget"]({"DATABASE_URL": url}) == (
        expected,
        "PostgreSQL's limit less a spare",
    )


def print_config(env: dict) -> dict:
    """gunicorn's resolved settings with the project's configuration and `env`, as gunicorn itself prints them."""
    result = subprocess.run(
        [str(GUNICORN), "-c", str(CONF), "--print-config", "spacediplo.wsgi"],
        env={
            "PATH": os.environ["PATH"],
            "DATABASE_URL": "sqlite:///unused.sqlite3",
            "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],  # --print-config loads the app too
            **env,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pairs = (line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_gunicorn_runs_the_computed_worker_count():
    cores = len(os.sched_getaffinity(0))
    assert print_config({})["workers"] == str(2 * cores + 1)
    # Three connections for workers of two threads: one worker.
    assert print_config({"DATABASE_MAX_CONNECTIONS": "3"})["workers"] == "1"
    # gunicorn's own override still wins.
    assert print_config({"GUNICORN_CMD_ARGS": "--workers 7"})["workers"] == "7"
