"""Downloads: the whole meetings list as NDJSON and as CSV from one gunicorn worker, with its memory watched.

Uses the benchmark's database (bench/README.md; made and filled as `make bench` does), starts the app with one
worker, streams GET /api/v1/meetings/ in each format while sampling the worker's VmRSS every 50 ms, and prints
rows, bytes, seconds, rows per second and the worker's memory before, at its peak and after. Writes the same
table into bench/RESULTS.md between the download markers (replacing an earlier one).
"""

import os
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import partial

import data
import report
import servers
from run import OUT, ROOT, app_env, setting

FORMATS = {"ndjson": "application/x-ndjson", "csv": "text/csv"}
START, END = "<!-- downloads -->", "<!-- /downloads -->"


def measure(base: str, accept: str) -> dict:
    samples, done, sent = [], threading.Event(), [0]

    def watch():  # (share of the rows received so far, the worker's RSS)
        while not done.is_set():
            samples.append((sent[0], servers.worker_rss_mb("app")))
            time.sleep(0.05)

    before = servers.worker_rss_mb("app")
    watcher = threading.Thread(target=watch)
    watcher.start()
    started, size, rows = time.monotonic(), 0, 0
    request = urllib.request.Request(f"{base}/api/v1/meetings/", headers={"Accept": accept})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310 - loopback only
        assert response.status == 200, response.status
        while block := response.read(1 << 16):
            size, rows = size + len(block), rows + block.count(b"\n")
            sent[0] = rows
    seconds = time.monotonic() - started
    done.set()
    watcher.join()
    rows -= accept == "text/csv"  # the header
    tenth = [rss for count, rss in samples if count <= rows / 10]
    return {
        "rows": rows,
        "MB": size / 1e6,
        "s": seconds,
        "rows/s": rows / seconds,
        "RSS before": before,
        "RSS first tenth": max(tenth, default=before),
        "RSS peak": max((rss for _, rss in samples), default=before),
        "RSS after": servers.worker_rss_mb("app"),
    }


def table(results: dict) -> str:
    lines = [
        "| format | rows | MB | seconds | rows/s | worker RSS before (MB) | peak in the first tenth | peak | after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rows']:,} | {r['MB']:.1f} | {r['s']:.1f} | {r['rows/s']:,.0f} | "
            f"{r['RSS before']:.0f} | {r['RSS first tenth']:.0f} | {r['RSS peak']:.0f} | {r['RSS after']:.0f} |"
        )
    return "\n".join(lines)


def one_worker_app() -> tuple[Callable[[], str], dict]:
    """The app on the benchmark's database (made and filled if need be) with one gunicorn worker: a function that
    starts it (a fresh process, nothing kept in its cache) and gives its URL, and the sizes of the synthetic data."""
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spacediplo_bench")
    sizes = {"meetings": setting("MEETINGS", 100000), "launches": setting("LAUNCHES", 20000)}
    sizes["people"] = setting("PEOPLE", 5000)
    OUT.mkdir(exist_ok=True)
    env = {**app_env(url), "BENCH_WORKERS": "1"}
    data.prepare_postgres(env, url, sizes, setting("SEED", 1))
    data.manage(env, "collectstatic", "--no-input", "-v0")
    command = [ROOT / ".venv/bin/gunicorn", "-c", ROOT / "bench/gunicorn.conf.py"]
    return partial(
        servers.start, "app", [*command, "--bind", "127.0.0.1:{port}", "spacediplo.wsgi"], env, "/healthz"
    ), sizes


def measured_section(start: str, end: str, measure_all, describe) -> None:
    """Take `measure_all(start_app)` with the one-worker app (`one_worker_app`), stop it, and write
    `describe(results, sizes)` into bench/RESULTS.md between `start` and `end` (and print it)."""
    start_app, sizes = one_worker_app()
    try:
        results = measure_all(start_app)
    finally:
        servers.stop_all()
    text = f"{start}\n{describe(results, sizes)}\n{end}"
    print(text)
    report.write_section(start, end, text)


def main():
    def describe(results, sizes):
        return (
            f"## Downloads: every meeting ({results['ndjson']['rows']:,}) from one worker\n\n"
            f"`python bench/download.py` (part of `make bench`), {time.strftime('%Y-%m-%d')}. Memory flat means the "
            f"peak over the whole download is the peak of its first tenth: what the worker holds does not grow with "
            f"the rows it has sent.\n\n{table(results)}"
        )

    # One worker: the one whose memory is watched.
    def measure_all(start_app):
        base = start_app()
        return {name: measure(base, accept) for name, accept in FORMATS.items()}

    measured_section(START, END, measure_all, describe)


if __name__ == "__main__":
    sys.exit(main())
