"""Facets: what counting a faceted list's values costs at the benchmark's size (100,000 meetings).

Uses the benchmark's database (bench/README.md; made and filled as `make bench` does), starts the app with one
worker, and times each request REPEAT times in a row: the meetings page alone, with each facet, with all of them,
and with all of them under filters. Prints the median and 90th percentile in milliseconds and writes the table
into bench/RESULTS.md between the facets markers (replacing an earlier one). The page's count is kept per dataset
revision, so after the first request the page alone costs its rows; facet counts are never kept.
"""

import statistics
import sys
import time
import urllib.request
from urllib.parse import urlencode

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


def timings(base: str, params: dict) -> list[float]:
    url = f"{base}/api/v1/meetings/?{urlencode(params)}"
    found = []
    for _ in range(REPEAT + 1):
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - loopback only
            assert response.status == 200, response.status
            response.read()
        found.append((time.monotonic() - started) * 1000)
    return found[1:]  # the first fills the page-count cache


def table(results: dict) -> str:
    lines = ["| request (GET /api/v1/meetings/?…) | p50 ms | p90 ms |", "| --- | --- | --- |"]
    for name, times in results.items():
        p90 = statistics.quantiles(times, n=10)[-1]
        lines.append(f"| {name} | {statistics.median(times):.0f} | {p90:.0f} |")
    return "\n".join(lines)


def main():
    def describe(results, sizes):
        return (
            f"## Facets: counts over {sizes['meetings']:,} meetings, one worker\n\n"
            f"`python bench/facets.py` (part of `make bench`), {time.strftime('%Y-%m-%d')}, PostgreSQL, {REPEAT} "
            f"requests each, one at a time, page size 50.\n\n{table(results)}"
        )

    measured_section(START, END, lambda base: {n: timings(base, p) for n, p in QUESTIONS.items()}, describe)


if __name__ == "__main__":
    sys.exit(main())
