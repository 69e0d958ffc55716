"""Other databases of the suite's PostgreSQL server, for tests that need a database of their own."""

from django.db import connection


def postgres_url(name: str) -> str:
    """A DATABASE_URL for database `name` on the server the suite uses."""
    params = connection.get_connection_params()
    return f"postgres://{params.get('user', '')}@{params.get('host', '')}:{params.get('port', '')}/{name}"


def database_create(name: str, *, template: str | None = None) -> None:
    """A new, empty database `name` (a copy of `template` if given), replacing one of that name."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def database_drop(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
