"""Drive one server with wrk over a file of paths and return the numbers bench/urls.lua prints."""

import json
import os
import subprocess
from pathlib import Path

LUA = Path(__file__).resolve().parent / "urls.lua"


def wrk(base, paths_file, *, seconds, connections, threads, timeout):
    command = [
        "wrk",
        f"-c{connections}",
        f"-t{threads}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "-s",
        str(LUA),
        base,
        "--",
        str(paths_file),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - wrk, fixed args
    for line in output.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT "))
    raise SystemExit(f"load: wrk printed no result ({output.returncode}):\n{output.stdout}\n{output.stderr}")


def processes():
    """{pid: (process group, CPU ticks, command line)} for every process still there."""
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            rest = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError):
            continue
        found[int(proc.name)] = (int(rest[2]), int(rest[11]) + int(rest[12]), title)
    return found


def is_other_work(pid, title, database):
    """Work that is not the benchmark's: any process but PostgreSQL's, and PostgreSQL backends of other databases."""
    words = title.split()
    if not words or pid == os.getpid():
        return False
    if words[0] != "postgres:":
        return True
    backend = len(words) >= 5 and words[2] != "parallel" and ("(" in words[4] or words[4] == "[local]")
    return backend and words[3] != database


def snapshot(group, database):
    """Machine CPU ticks (all but idle and iowait), and {pid: (kind, ticks)} for the server's and other processes."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    procs = {}
    for pid, (pgrp, ticks, title) in processes().items():
        if pgrp == group:
            procs[pid] = ("server", ticks)
        elif is_other_work(pid, title, database):
            procs[pid] = ("other", ticks)
    return sum(fields) - fields[3] - fields[4], procs


def cpu_used(before, after, wrk_seconds):
    """CPU seconds between two snapshots: server, other work, wrk, and PostgreSQL for the bench database as the rest.

    Per process, so one that started in between counts whole; one that ended in between falls into the rest, as
    do PostgreSQL's parallel workers, too short-lived to be seen.
    """
    tick = os.sysconf("SC_CLK_TCK")
    used = {"server": 0, "other": 0}
    for pid, (which, ticks) in after[1].items():
        used[which] += ticks - before[1].get(pid, (which, 0))[1]
    used = {k: v / tick for k, v in used.items()}
    return used | {"wrk": wrk_seconds, "db": (after[0] - before[0]) / tick - sum(used.values()) - wrk_seconds}


def measure(base, paths_file, *, group, database, warmup, seconds, connections=8, threads=2, timeout=10):
    """A warm-up run whose numbers are dropped, then the measured run; `failed` says whether it counts.

    Also where the CPU went during the measured run, in % of one core: the server (its process group),
    PostgreSQL for the bench database, wrk, and other work on the machine (which disturbs the numbers).
    """
    options = {"connections": connections, "threads": threads, "timeout": timeout}
    if warmup:
        wrk(base, paths_file, seconds=warmup, **options)
    before, children = snapshot(group, database), os.times()
    result = wrk(base, paths_file, seconds=seconds, **options)
    after, done = snapshot(group, database), os.times()
    wrk_seconds = done.children_user + done.children_system - children.children_user - children.children_system
    used = cpu_used(before, after, wrk_seconds)
    result |= {f"cpu_{k}": round(100 * v / result["seconds"]) for k, v in used.items()}
    result["failed"] = bool(result["non2xx"] or result["socket_errors"])
    return result
