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


def cpu_seconds(group, database):
    """CPU seconds so far: the machine, process group `group`, PostgreSQL serving `database`, finished children.

    PostgreSQL backends name their database in their title; a parallel worker names the backend it works for.
    """
    tick = os.sysconf("SC_CLK_TCK")
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    procs = processes()
    ours = {pid for pid, (_, _, title) in procs.items() if title.startswith("postgres: ") and f" {database} " in title}
    ours |= {pid for pid, (_, _, t) in procs.items() if "parallel worker for PID" in t and int(t.split()[-1]) in ours}
    children = os.times()
    return {
        "machine": (sum(fields) - fields[3] - fields[4]) / tick,  # all but idle and iowait
        "server": sum(ticks for g, ticks, _ in procs.values() if g == group) / tick,
        "db": sum(procs[pid][1] for pid in ours) / tick,
        "wrk": children.children_user + children.children_system,
    }


def measure(base, paths_file, *, group, database, warmup, seconds, connections=8, threads=2, timeout=10):
    """A warm-up run whose numbers are dropped, then the measured run; `failed` says whether it counts.

    Also where the CPU went during the measured run, in % of one core: the server (its process group),
    PostgreSQL for the bench database, wrk, and other work on the machine (which disturbs the numbers).
    """
    options = {"connections": connections, "threads": threads, "timeout": timeout}
    if warmup:
        wrk(base, paths_file, seconds=warmup, **options)
    before = cpu_seconds(group, database)
    result = wrk(base, paths_file, seconds=seconds, **options)
    used = {k: v - before[k] for k, v in cpu_seconds(group, database).items()}
    used["other"] = used.pop("machine") - used["server"] - used["db"] - used["wrk"]
    result |= {f"cpu_{k}": round(100 * v / result["seconds"]) for k, v in used.items()}
    result["failed"] = bool(result["non2xx"] or result["socket_errors"])
    return result
