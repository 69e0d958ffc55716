"""Work over whole tables (loads, imports, exports, synthetic data), however it is started."""

from django.db import connection


def statement_timeout_lifted() -> None:
    """For the rest of the current transaction, no statement timeout: DATABASE_STATEMENT_TIMEOUT bounds a web
    request's statements, not an ANALYZE or an INSERT of thousands of rows."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
