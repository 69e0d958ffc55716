"""The validated seed load: what `load_seed_data` costs into an empty database and again over a loaded one.

Makes a scratch SQLite database (migrated), then times `seed_load` REPEAT times into the empty database and REPEAT
times over the seed already loaded, each run in a transaction rolled back, counting its SQL queries. Prints the
median milliseconds and the queries, and writes the table into bench/RESULTS.md between the seed-load markers.
"""

import statistics
import tempfile
import time
from pathlib import Path

from report import section_publish
from scratch import scratch_django

REPEAT = 5
START, END = "<!-- seed-load -->", "<!-- /seed-load -->"


def _runs() -> tuple[float, int]:
    """Median milliseconds of REPEAT loads, each rolled back, and the queries of the last."""
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    from events.services.seed import seed_load

    runs = []
    for _ in range(REPEAT):
        reset_queries()  # the log keeps 9,000 queries at most: counted from empty
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            seed_load()
            runs.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return round(statistics.median(runs) * 1000), len(queries.captured_queries)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch_django(Path(scratch) / "seed.sqlite3")
        from events.services.seed import seed_load

        empty = _runs()
        seed_load()
        again = _runs()
    lines = [
        START,
        "## Seed load: `load_seed_data` (bench/seed_load.py)",
        "",
        f"SQLite, a scratch database; median of {REPEAT} runs, each rolled back, milliseconds; SQL queries per load.",
        "",
        "| load | ms | queries |",
        "| --- | ---: | ---: |",
        f"| into an empty database | {empty[0]} | {empty[1]} |",
        f"| again, over the seed | {again[0]} | {again[1]} |",
        END,
    ]
    section_publish(lines)


if __name__ == "__main__":
    main()
