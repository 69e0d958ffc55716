"""Build the bench paths, send each through Django, and record the SQL that it runs.

Run with the project's venv, DJANGO_SETTINGS_MODULE=spacediplo.settings and the bench environment. Writes
bench/out/paths/<endpoint>.txt (one path a line), bench/out/sql.json ({path: [statement, ...]}, the final
text of every statement as sent to PostgreSQL, from the second request of the path, once the process's
caches are warm) and bench/out/capture.json (status, statement counts of the first and second request, and
result count per path). Exits non-zero, naming the paths, if any answer is not a 200.
"""

import json
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH.parent))

import django  # noqa: E402

django.setup()

import paths  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def recorder(statements):
    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        statements.append(connection.ops.last_executed_query(context["cursor"], sql, params))
        return result

    return record


def run(client, path):
    statements = []
    with connection.execute_wrapper(recorder(statements)):
        response = client.get(path)
    body = response.json() if response.status_code == 200 else {}
    count = body.get("count") if isinstance(body, dict) else len(body)
    return response.status_code, statements, count


def main():
    seed, count = int(os.environ.get("BENCH_SEED", "1")), int(os.environ.get("BENCH_URLS", "200"))
    with connection.cursor() as cursor:
        built = paths.build(cursor, seed, count)
    (OUT / "paths").mkdir(parents=True, exist_ok=True)
    for endpoint, endpoint_paths in built.items():
        (OUT / "paths" / f"{endpoint}.txt").write_text("".join(f"{p}\n" for p in endpoint_paths))

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    sql, info, failed = {}, {}, []
    for endpoint in paths.ENDPOINTS:
        for path in built[endpoint]:
            # The first request fills the process's caches (page counts, for one); under load after the warm-up
            # the app answers from them, so the second request's SQL is what it runs, and what the limit runs.
            _, first, _ = run(client, path)
            status, statements, result_count = run(client, path)
            sql[path] = statements
            info[path] = {
                "endpoint": endpoint,
                "status": status,
                "queries": len(statements),
                "first_queries": len(first),
                "count": result_count,
            }
            if status != 200:
                failed.append(f"{status} {path}")
    (OUT / "sql.json").write_text(json.dumps(sql, indent=1))
    (OUT / "capture.json").write_text(json.dumps(info, indent=1))
    for endpoint in paths.ENDPOINTS:
        print(f"capture: {endpoint}: {len(built[endpoint])} paths")
    if failed:
        sys.exit("capture: these paths did not answer 200:\n  " + "\n  ".join(failed))


if __name__ == "__main__":
    main()
