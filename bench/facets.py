"""Facets: what counting a faceted list's values costs at the benchmark's size (100,000 meetings).

Uses the benchmark's database (bench/README.md; made and filled as `make bench` does). For each question (the
meetings page alone, with each facet, with all of them, and with all of them under filters) it starts the app with
one fresh worker, asks once (the facets counted), then REPEAT times more (the counts kept per dataset revision).
Prints the first answer's time and the repeats' median and 90th percentile in milliseconds, and writes the table
into bench/RESULTS.md between the facets markers (replacing an earlier one).
"""

import statistics
import sys
import time
import urllib.request
from urllib.parse import urlencode

import servers
from download import measured_section

REPEAT = 15
START, END = "<!-- facets -->", "<!-- /facets -->"
FACETS = ("status", "kind", "attendance", "year", "month", "agency", "person", "place", "topic")
QUESTIONS = {
    "page alone": {},
    **{f"facets={name}": {"facets": name} for name in FACETS},
    "all nine facets": {"facets": ",".join(FACETS)},
    "all nine, status=held": {"facets": ",".join(FACETS), "status": "held"},
    "all nine, agency=nasa, 2020 to 2025": {
        "facets": ",".join(FACETS),
        "agency": "nasa",
        "date_after": "2020-01-01",
        "date_before": "2025-12-31",
    },
}


def timings(start_app, params: dict) -> dict:
    """The first request of the question to a fresh worker (the facets counted), then REPEAT more (kept)."""
    base = start_app()
    url = f"{base}/api/v1/meetings/?{urlencode(params)}"
    found = []
    for _ in range(REPEAT + 1):
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - loopback only
            assert response.status == 200, response.status
            response.read()
        found.append((time.monotonic() - started) * 1000)
    servers.stop_all()
    return {"first": found[0], "kept": found[1:]}


def table(results: dict) -> str:
    lines = [
        "| request (GET /api/v1/meetings/?…) | first ask, ms | asked again: p50 ms | p90 ms |",
        "| --- | --- | --- | --- |",
    ]
    for name, times in results.items():
        kept = times["kept"]
        p90 = statistics.quantiles(kept, n=10)[-1]
        lines.append(f"| {name} | {times['first']:.0f} | {statistics.median(kept):.0f} | {p90:.0f} |")
    return "\n".join(lines)


def main():
    def describe(results, sizes):
        return (
            f"## Facets: counts over {sizes['meetings']:,} meetings, one worker\n\n"
            f"`python bench/facets.py` (part of `make bench`), {time.strftime('%Y-%m-%d')}, PostgreSQL, page size 50. "
            f"Each question is first asked of a fresh worker (its facets counted), then {REPEAT} times more, one at a "
            f"time: the page count and the facet counts are kept per dataset revision, so those answers read only "
            f"the page's rows.\n\n{table(results)}"
        )

    measured_section(START, END, lambda start_app: {n: timings(start_app, p) for n, p in QUESTIONS.items()}, describe)


if __name__ == "__main__":
    sys.exit(main())
