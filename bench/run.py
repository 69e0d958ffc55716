"""The benchmark, start to end: data, SQL capture, servers, URL checks, load runs, bench/RESULTS.md.

Run through bench/run.sh (`make bench`), which installs wrk and the two venvs first. Settings come from the
environment; bench/README.md lists them.
"""

import datetime as dt
import json
import os
import platform
import runpy
import secrets
import signal
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import data
import load
import psycopg
import report
import servers

BENCH = Path(__file__).resolve().parent
ROOT, OUT = BENCH.parent, BENCH / "out"
REF_BIN = BENCH / ".venv-ref" / "bin"
SQLITE = OUT / "spacediplo.db"
ENDPOINTS = ("meetings", "meeting_detail", "timeline", "heads", "conflicts")


def setting(name, default):
    return type(default)(os.environ.get(f"BENCH_{name}", default))


SECRET_KEY = secrets.token_urlsafe(50)  # one per run, shared by capture and the servers


def app_env(url):
    """Production settings: DEBUG off, a random secret key, loopback hosts, collected static files.

    Throttling is off: the benchmark measures what the app serves, not how soon the limiter answers 429.
    """
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="spacediplo.settings",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_STATIC_ROOT=str(OUT / "static"),
        API_THROTTLE="0",
    )
    return env


def capture_summary():
    info = json.loads((OUT / "capture.json").read_text())
    summary = {}
    for endpoint in ENDPOINTS:
        mine = [i for i in info.values() if i["endpoint"] == endpoint]
        if mine:
            listed = [i["count"] for i in mine] if endpoint in ("meetings", "timeline", "conflicts") else None
            full = f"{sum(c >= 50 for c in listed)} of {len(mine)}" if listed else "—"
            queries, first = [i["queries"] for i in mine], [i["first_queries"] for i in mine]
            summary[endpoint] = {"paths": len(mine), "min": min(queries), "max": max(queries), "full_pages": full}
            summary[endpoint] |= {"first_min": min(first), "first_max": max(first)}
    return summary


def check_all(bases, plan):
    """Every path must answer 200 on its server before anything is measured (4 requests at a time)."""
    asks = [(target, p) for _endpoint, target, paths_file in plan for p in paths_file.read_text().split()]
    with ThreadPoolExecutor(4) as pool:
        statuses = pool.map(lambda ask: servers.get_status(bases[ask[0]], ask[1]), asks)
        bad = [
            f"{target} {status} {path}" for (target, path), status in zip(asks, statuses, strict=True) if status != 200
        ]
    if bad:
        counts = Counter(" ".join(b.split()[:2]) for b in bad)
        summary = ", ".join(f"{n} × {what}" for what, n in counts.items())
        raise SystemExit(
            f"check: {len(bad)} paths did not answer 200 ({summary}), nothing measured:\n  " + "\n  ".join(bad[:20])
        )
    print(f"check: all paths of {len(plan)} endpoint/target pairs answer 200")


def versions(url):
    def first_line(*args):
        out = data.command(*args, check=False, quiet=True)
        return (out.stdout or out.stderr).decode().strip().splitlines()[0]

    def field(path, prefix):
        return next(line for line in Path(path).read_text().splitlines() if line.startswith(prefix))

    cpu = field("/proc/cpuinfo", "model name").split(":", 1)[1].strip()
    mem_kb = int(field("/proc/meminfo", "MemTotal").split()[1])
    os_name = field("/etc/os-release", "PRETTY_NAME").split("=", 1)[1].strip('"')
    with psycopg.connect(url) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "Machine": f"{cpu}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.1f} GiB RAM",
        "OS": f"{os_name}, Linux {platform.release()}",
        "Python": platform.python_version(),
        "PostgreSQL": pg,
        "Django / DRF / gunicorn": " / ".join(
            metadata.version(p) for p in ("django", "djangorestframework", "gunicorn")
        ),
        "wrk": first_line("wrk", "-v"),
        "Datasette": first_line(REF_BIN / "datasette", "--version"),
    }


def main():
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spacediplo_bench")
    sizes = {"meetings": setting("MEETINGS", 100000), "launches": setting("LAUNCHES", 20000)}
    sizes["people"] = setting("PEOPLE", 5000)
    seconds, warmup, rounds = setting("DURATION", 20), setting("WARMUP", 5), setting("ROUNDS", 3)
    connections, wrk_threads = setting("CONNECTIONS", 8), setting("WRK_THREADS", 2)
    endpoints = [e for e in setting("ENDPOINTS", ",".join(ENDPOINTS)).split(",") if e]
    OUT.mkdir(exist_ok=True)
    env = app_env(url)

    data.prepare_postgres(env, url, sizes, setting("SEED", 1))
    rows = data.row_counts(url)
    data.export_sqlite(url, SQLITE, rows)
    data.manage(env, "collectstatic", "--no-input", "-v0")
    if setting("REUSE_CAPTURE", 0) and (OUT / "capture.json").exists():
        print("capture: reusing bench/out/sql.json and bench/out/paths/ (BENCH_REUSE_CAPTURE=1)")
    else:
        data.command(sys.executable, BENCH / "capture.py", env=env)
    queries = capture_summary()

    conf = BENCH / "gunicorn.conf.py"
    bind = ["--bind", "127.0.0.1:{port}"]
    ref_env = {**os.environ, "BENCH_DATABASE_URL": url, "BENCH_SQL": str(OUT / "sql.json")}
    paths_dir = OUT / "paths"
    first_path = (paths_dir / f"{endpoints[0]}.txt").read_text().split()[0]
    bases = {
        "app": servers.start(
            "app", [ROOT / ".venv/bin/gunicorn", "-c", conf, *bind, "spacediplo.wsgi"], env, "/healthz"
        ),
        "limit": servers.start(
            "limit",
            [REF_BIN / "gunicorn", "-c", conf, *bind, "--pythonpath", BENCH, "limit:application"],
            ref_env,
            first_path,
        ),
    }
    plan = [(e, t, paths_dir / f"{e}.txt") for e in endpoints for t in ("app", "limit")]
    plan += [("meetings", "datasette", paths_dir / "datasette_meetings.txt")] if "meetings" in endpoints else []
    plan.sort(key=lambda step: endpoints.index(step[0]))  # stable: app, limit, datasette within an endpoint
    if "meetings" in endpoints:
        datasette = [REF_BIN / "datasette", "serve", "-i", SQLITE, "--host", "127.0.0.1", "--port", "{port}"]
        datasette += ["--setting", "default_page_size", "50", "--setting", "suggest_facets", "off"]
        # A query slowed by a busy machine is slow, not a 400 (Datasette stops queries after 1 s by default).
        datasette += ["--setting", "sql_time_limit_ms", "10000"]
        bases["datasette"] = servers.start("datasette", datasette, ref_env, "/-/versions.json")
    check_all(bases, plan)

    runs, rss = [], {}
    for round_ in range(1, rounds + 1):
        for endpoint, target, paths_file in plan:
            result = load.measure(
                bases[target],
                paths_file,
                group=servers.running[target].pid,
                database=url.rsplit("/", 1)[1],
                warmup=warmup,
                seconds=seconds,
                connections=connections,
                threads=wrk_threads,
                timeout=setting("TIMEOUT", 10),
            )
            runs.append({"round": round_, "endpoint": endpoint, "target": target, **result})
            if target == "app":
                rss[endpoint] = max(rss.get(endpoint, 0.0), servers.worker_rss_mb("app"))
            print(
                f"run {round_} {endpoint:15} {target:10} {result['rps']:9.1f} req/s  p50 {result['p50_ms']:7.2f} ms"
                f"  p99 {result['p99_ms']:7.2f} ms  CPU% server {result['cpu_server']} db {result['cpu_db']}"
                f" wrk {result['cpu_wrk']} other {result['cpu_other']}"
            )
            if result["failed"]:
                print(
                    f"!!! FAILED RUN: {endpoint} on {target}: {result['non2xx']} non-2xx answers, "
                    f"{result['socket_errors']} socket errors — this run does not count !!!",
                    file=sys.stderr,
                )
    (OUT / "runs.json").write_text(json.dumps(runs, indent=1))

    served = runpy.run_path(str(conf))  # what the servers were started with
    threads = f", {served['threads']} threads each" if served["worker_class"] == "gthread" else ""
    setup = versions(url) | {
        "Servers": f"gunicorn, {served['workers']} workers, worker class {served['worker_class']}{threads}, "
        "for the app and the limit; Datasette in its one process",
        "Load": f"wrk, {connections} connections, {wrk_threads} threads, {warmup} s warm-up, {seconds} s measured, "
        f"{rounds} rounds",
        "Paths per endpoint": ", ".join(f"{e} {q['paths']}" for e, q in queries.items()),
    }
    meta = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "setup": setup, "rows": rows}
    text = report.render(meta, runs, queries, rss)
    report.write(text)
    print("\n" + text)
    failed = [r for r in runs if r["failed"]]
    if failed:
        print(f"!!! {len(failed)} FAILED RUN(S): see the tables above !!!", file=sys.stderr)
    return 1 if failed else 0


def stop(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        sys.exit(main())
    finally:
        servers.stop_all()
