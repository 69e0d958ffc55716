"""EXPLAIN ANALYZE every statement the app runs for a sample of each endpoint's paths.

Reads bench/out/paths/<endpoint>.txt and bench/out/sql.json (written by capture.py during `make bench`)
and prints, per endpoint and statement, the mean and worst execution time and any sequential scan of a
table with more than 10,000 rows, the usual sign of a missing index. Run with the reference venv:
`BENCH_DATABASE_URL=... bench/.venv-ref/bin/python bench/explain.py [paths per endpoint]`.
"""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import psycopg

OUT = Path(__file__).parent / "out"
BIG = 10_000


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def main(sample: int) -> None:
    statements = json.loads((OUT / "sql.json").read_text())
    with psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True) as conn:
        sizes = dict(conn.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'").fetchall())
        for paths_file in sorted((OUT / "paths").glob("*.txt")):
            times, scans = defaultdict(list), defaultdict(set)
            for path in paths_file.read_text().split()[:sample]:
                for n, sql in enumerate(statements.get(path, [])):
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    (plan,) = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).fetchone()[0]
                    times[n].append(plan["Execution Time"])
                    for node in plan_nodes(plan["Plan"]):
                        table = node.get("Relation Name")
                        if node["Node Type"] == "Seq Scan" and sizes.get(table, 0) > BIG:
                            scans[n].add(table)
            print(f"\n{paths_file.stem} ({min(sample, len(paths_file.read_text().split()))} paths)")
            for n in sorted(times):
                mean, worst = sum(times[n]) / len(times[n]), max(times[n])
                flag = f"  seq scan: {', '.join(sorted(scans[n]))}" if scans[n] else ""
                print(f"  statement {n + 1}: mean {mean:7.2f} ms, worst {worst:7.2f} ms{flag}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
