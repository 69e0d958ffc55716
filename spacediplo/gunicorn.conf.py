"""How gunicorn serves the app: `gunicorn -c spacediplo/gunicorn.conf.py spacediplo.wsgi` (the Dockerfile, the
benchmark and the load test all do).

Any setting can be changed at start without editing this file, through gunicorn's own GUNICORN_CMD_ARGS,
e.g. GUNICORN_CMD_ARGS="--workers 3 --threads 4" (the worker count is then not computed from `threads` below).

The worker count: two per core, plus one, as gunicorn advises, counting the cores the process may run on (its CPU
affinity) and, in a container, no more than its CPU quota allows; and no more workers than the database can give
connections to, each thread holding one (DATABASE_MAX_CONNECTIONS, else what PostgreSQL allows less a spare).
"""

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")
# Connections left for what else connects to the database: manage.py commands, psql, a second server while the
# first one stops.
SPARE_CONNECTIONS = 5

worker_class = "gthread"  # keeps client connections alive; `sync` closes each after its answer
threads = 2
keepalive = 30  # seconds an idle client connection stays open
timeout = 60


def cgroup_cpu_limit(root: Path = CGROUP) -> float | None:
    """The CPUs the CPU quota of this process's cgroup allows (cgroup v2's cpu.max, or v1's cpu.cfs_quota_us over
    cpu.cfs_period_us), None when there is no quota. Docker's --cpus and Kubernetes' CPU limits set it."""
    try:
        quota, period = (root / "cpu.max").read_text().split()
        return int(quota) / int(period) if quota != "max" else None
    except OSError:
        pass  # not cgroup v2
    except ValueError:
        return None
    for directory in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
        try:
            quota = int((root / directory / "cpu.cfs_quota_us").read_text())
            period = int((root / directory / "cpu.cfs_period_us").read_text())
        except (OSError, ValueError):
            continue
        return quota / period if quota > 0 and period > 0 else None  # -1: no quota
    return None


def usable_cores(root: Path = CGROUP) -> int:
    """The cores this process may keep busy: those it may run on, and no more than its cgroup's quota, rounded up
    (1.5 CPUs' worth of time is spread over two cores)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    limit = cgroup_cpu_limit(root)
    return max(1, min(cores, math.ceil(limit))) if limit else cores


def postgresql_connection_limit(url: str) -> int:
    """The connections PostgreSQL at `url` lets ordinary users hold: max_connections less the reserved ones."""
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as connection:
        (limit,) = connection.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - coalesce(current_setting('reserved_connections', true)::int, 0)"  # PostgreSQL 16 and later
        ).fetchone()
    return limit


def connection_budget(environ=os.environ) -> tuple[int | None, str]:
    """How many database connections this server may hold (None: no limit), and where that comes from:
    DATABASE_MAX_CONNECTIONS when set (a share, when several servers use one database), else, on PostgreSQL, its
    limit less SPARE_CONNECTIONS."""
    if given := environ.get("DATABASE_MAX_CONNECTIONS", "").strip():
        return int(given), "DATABASE_MAX_CONNECTIONS"
    url = environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None, "SQLite has no connection limit"
    import psycopg

    try:
        return postgresql_connection_limit(url) - SPARE_CONNECTIONS, "PostgreSQL's limit less a spare"
    except psycopg.Error as error:
        # Serve anyway: requests answer 503 until the database is back (events/api/exceptions.py).
        return None, f"PostgreSQL's limit unknown, the database unreachable at start: {str(error).splitlines()[0]})"


def worker_count(cores: int, budget: int | None, threads_per_worker: int) -> int:
    """Two workers per core plus one, and no more than `budget` connections' worth; always at least one."""
    wanted = 2 * cores + 1
    if budget is None:
        return wanted
    return max(1, min(wanted, budget // threads_per_worker))


cores = usable_cores()
budget, budget_source = connection_budget()
workers = worker_count(cores, budget, threads)


def on_starting(server):
    """Say at start how many workers serve and what the count computed here rests on, for whoever reads the log."""
    allowed = "no limit" if budget is None else budget
    server.log.info(
        "Serving with %d workers of %d threads (computed: %d, for %d cores and database connections allowed: %s, %s)",
        *(server.cfg.workers, server.cfg.threads, workers, cores, allowed, budget_source),
    )
