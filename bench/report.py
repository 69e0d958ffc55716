"""Turn the runs into Markdown: the part of bench/RESULTS.md between the results markers (the rest is kept)."""

import statistics
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
TEMPLATE = f"""# Benchmark results

Written by `make bench` (see README.md). Only the part between the results markers is regenerated.

{START}
{END}

## Analysis

Kept between runs: notes on why a target is missed go here.
"""
TITLES = {
    "meetings": "Meetings list",
    "meeting_detail": "Meeting detail",
    "timeline": "Timeline page",
    "heads": "Heads on a date",
    "conflicts": "Conflicts page",
}
EXAMPLES = {
    "meetings": "/api/v1/meetings/?status=…&date_after=…&date_before=…[&agency=…]&page_size=50",
    "meeting_detail": "/api/v1/meetings/<slug>/",
    "timeline": "/api/v1/timeline/?date_after=…&date_before=…[&agency=…]&page_size=50",
    "heads": "/api/v1/agencies/<slug>/heads/?on=…",
    "conflicts": "/api/v1/conflicts/?[subject_type=…&][field=…&]page=…&page_size=50",
}
P99_TARGET_MS, RSS_TARGET_MB = 50, 150
CPU_NOTE = (
    "CPU: % of one core used during the measured run (2 cores: 200 %) by the server / PostgreSQL for the bench "
    "database / wrk / other work on the machine. A large last figure means the run was disturbed."
)


def median(runs, key):
    good = [r[key] for r in runs if not r["failed"]]
    return statistics.median(good) if good else None


def fmt(value, digits=1):
    return "—" if value is None else f"{value:,.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def endpoint_table(endpoint, runs):
    lines = [
        f"### {TITLES[endpoint]}: `{EXAMPLES[endpoint]}`",
        "",
        "| target | run | req/s | p50 ms | p99 ms | requests | non-2xx | socket errors | CPU % server/db/wrk/other |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    medians = {}
    for target in ("app", "limit", "datasette"):
        mine = [r for r in runs if r["target"] == target]
        if not mine:
            continue
        for r in mine:
            flag = " **FAILED**" if r["failed"] else ""
            lines.append(
                f"| {target} | {r['round']}{flag} | {fmt(r['rps'])} | {fmt(r['p50_ms'], 2)} | {fmt(r['p99_ms'], 2)} "
                f"| {r['requests']:,} | {r['non2xx']} | {r['socket_errors']} "
                f"| {r['cpu_server']}/{r['cpu_db']}/{r['cpu_wrk']}/{r['cpu_other']} |"
            )
        medians[target] = {k: median(mine, k) for k in ("rps", "p50_ms", "p99_ms")}
        m = medians[target]
        lines.append(
            f"| {target} | median | **{fmt(m['rps'])}** | {fmt(m['p50_ms'], 2)} | {fmt(m['p99_ms'], 2)} | | | | |"
        )
    app_rps = medians.get("app", {}).get("rps")
    ratios = [f"app/limit = {fmt(ratio(app_rps, medians.get('limit', {}).get('rps')), 2)}"]
    if "datasette" in medians:
        ratios.append(f"app/Datasette = {fmt(ratio(app_rps, medians['datasette']['rps']), 2)}")
    lines += ["", "Median req/s ratios: " + ", ".join(ratios) + ".", ""]
    return lines, medians


def targets_table(medians, queries, rss):
    rows = []

    def row(name, value, ok):
        rows.append(f"| {name} | {value} | {'met' if ok else '**missed**'} |")

    for endpoint in ("meetings", "meeting_detail"):
        m = medians.get(endpoint, {})
        r = ratio(m.get("app", {}).get("rps"), m.get("limit", {}).get("rps"))
        row(f"{TITLES[endpoint]}: app ≥ 0.5 × limit req/s", fmt(r, 2), r is not None and r >= 0.5)
    m = medians.get("meetings", {})
    r = ratio(m.get("app", {}).get("rps"), m.get("datasette", {}).get("rps"))
    row("Meetings list: app ≥ 2 × Datasette req/s", fmt(r, 2), r is not None and r >= 2)
    for endpoint, m in medians.items():
        p99 = m.get("app", {}).get("p99_ms")
        row(f"{TITLES[endpoint]}: app p99 < {P99_TARGET_MS} ms", fmt(p99, 2), p99 is not None and p99 < P99_TARGET_MS)
    worst = max(rss.values(), default=None)
    row(f"App worker RSS < {RSS_TARGET_MB} MB", fmt(worst), worst is not None and worst < RSS_TARGET_MB)
    return ["| target | value | |", "| --- | ---: | --- |", *rows, ""]


def render(meta, runs, queries, rss):
    lines = [f"Run of {meta['date']}.", "", "## Setup", ""]
    lines += [f"- {k}: {v}" for k, v in meta["setup"].items()]
    lines += ["", "Rows per table:", "", "| table | rows |", "| --- | ---: |"]
    lines += [f"| {t} | {n:,} |" for t, n in meta["rows"].items()]
    all_medians, sections = {}, []
    for endpoint in TITLES:
        mine = [r for r in runs if r["endpoint"] == endpoint]
        if mine:
            table, all_medians[endpoint] = endpoint_table(endpoint, mine)
            sections += table
    lines += ["", "## Targets", "", *targets_table(all_medians, queries, rss), "## Runs", "", CPU_NOTE, "", *sections]
    lines += [
        "## SQL queries per request",
        "",
        "Statements Django ran per path, captured through `connection.execute_wrapper`, min–max over the paths: "
        "on the second request of each path (caches warm: what runs under load, and what the limit runs), "
        "and on the first.",
        "",
        "| endpoint | paths | queries | first request | answers with a full page of 50 |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for endpoint, q in queries.items():
        lines.append(
            f"| {TITLES[endpoint]} | {q['paths']} | {q['min']}–{q['max']} | {q['first_min']}–{q['first_max']} "
            f"| {q['full_pages']} |"
        )
    lines += ["", "## App worker memory", "", "Largest VmRSS of the app's gunicorn workers after each load.", ""]
    lines += ["| after | RSS MB |", "| --- | ---: |"] + [f"| {TITLES[e]} | {fmt(v)} |" for e, v in rss.items()]
    return "\n".join(lines) + "\n"


def write(text):
    current = RESULTS.read_text() if RESULTS.exists() else TEMPLATE
    if START not in current or END not in current:
        current = TEMPLATE + "\n" + current
    head, rest = current.split(START, 1)
    tail = rest.split(END, 1)[1]
    RESULTS.write_text(f"{head}{START}\n{text}{END}{tail}")


def write_section(start: str, end: str, text: str):
    """Put `text` (which starts with `start` and ends with `end`) into RESULTS.md, replacing an earlier one."""
    current = RESULTS.read_text() if RESULTS.exists() else ""
    if start in current:
        current = current[: current.index(start)] + text + current[current.index(end) + len(end) :]
    else:
        current = current.rstrip() + "\n\n" + text + "\n"
    RESULTS.write_text(current)


def section_publish(lines: list[str]) -> None:
    """Print a section (its lines, from its start marker to its end marker) and put it into RESULTS.md."""
    text = "\n".join(lines)
    print(text)
    write_section(lines[0], lines[-1], text)
