"""Start the three servers on free loopback ports, wait until they answer, measure workers' memory, stop them."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PIDS = OUT / "pids"  # read by run.sh's exit trap, in case this process dies without stopping them
running = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(name, command, env, probe):
    """Start `command` in its own process group and wait until GET `probe` answers 200; return its base URL."""
    port = free_port()
    command = [str(part).replace("{port}", str(port)) for part in command]
    log = open(OUT / f"{name}.log", "w")  # noqa: SIM115 - stays open for the server's life
    process = subprocess.Popen(  # noqa: S603 - the bench's own server commands
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    running[name] = process
    PIDS.write_text("".join(f"{p.pid}\n" for p in running.values()))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"servers: {name} exited with {process.returncode}; see {OUT / (name + '.log')}")
        try:
            with urllib.request.urlopen(base + probe, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    print(f"servers: {name} on {base} (pid {process.pid})")
                    return base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"servers: {name} did not answer {probe} within 60 s; see {OUT / (name + '.log')}")


def stop_all():
    for name, process in list(running.items()):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        del running[name]
    PIDS.unlink(missing_ok=True)


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in task.read_text().split()]
    return found


def worker_rss_mb(name):
    """The largest VmRSS among the gunicorn workers (the master's children) of server `name`, in MB."""
    sizes = []
    for pid in children(running[name].pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(kb / 1024)
    return max(sizes, default=0.0)


def get_status(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310 - loopback only
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
