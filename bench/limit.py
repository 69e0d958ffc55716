"""The limit: a bare WSGI app that runs, for each path, the SQL statements Django ran for it, and nothing else.

bench/out/sql.json (written by capture.py) maps each path, query string included, to the statements' final
text. Each worker thread keeps one autocommit psycopg connection (one per worker with sync workers), runs
every statement of the path, fetches all rows and answers {"statements": [rows, ...]} encoded by orjson.
Serve with `gunicorn -c bench/gunicorn.conf.py bench.limit:application`; BENCH_DATABASE_URL names the
database, BENCH_SQL the map (default bench/out/sql.json).
"""

import os
import threading
from pathlib import Path

import orjson
import psycopg

STATEMENTS = orjson.loads(Path(os.environ.get("BENCH_SQL", Path(__file__).parent / "out" / "sql.json")).read_bytes())
DATABASE_URL = os.environ["BENCH_DATABASE_URL"]
local = threading.local()


def connection():
    conn = getattr(local, "conn", None)
    if conn is None or conn.closed:
        # Client-side binding and no prepared statements, as Django uses psycopg.
        conn = psycopg.connect(
            DATABASE_URL,
            autocommit=True,
            cursor_factory=psycopg.ClientCursor,
            prepare_threshold=None,
            options="-c jit=off",  # as the app sets it (spacediplo/settings.py)
        )
        local.conn = conn
    return conn


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if environ.get("QUERY_STRING"):
        path += "?" + environ["QUERY_STRING"]
    statements = STATEMENTS.get(path)
    if statements is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"No captured SQL for this path.\n"]
    rows = []
    with connection().cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            rows.append(cursor.fetchall() if cursor.description else [])
    body = orjson.dumps({"statements": rows}, default=str)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
