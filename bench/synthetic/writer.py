"""Bulk row writes for synthetic data: COPY on PostgreSQL, executemany elsewhere.

Rows are plain dicts keyed by attribute name (`place_id`, not `place`): building a million model
instances and letting bulk_create compile their parameters takes minutes; this takes seconds.
"""

import json

from django.db import connection, connections


def _next_ids(cursor, table: str, pk: str, count: int) -> list[int]:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
        return [row[0] for row in cursor.fetchall()]
    quote = connection.ops.quote_name
    cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608 - names from model meta
    start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def rows_insert(model, rows: list[dict]) -> list[dict]:
    """Insert rows as they are (no validation, no signals); each row gets its new `id`."""
    if not rows:
        return rows
    meta = model._meta
    fields = meta.concrete_fields
    defaults = {f.attname: f.get_default() for f in fields}
    quote = connection.ops.quote_name
    table, columns = quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        for row, new_id in zip(rows, _next_ids(cursor, meta.db_table, meta.pk.column, len(rows)), strict=True):
            row[meta.pk.attname] = new_id
        if connection.vendor == "postgresql":
            # COPY takes JSON as its text; every other value as psycopg adapts it.
            as_json = [f.get_internal_type() == "JSONField" for f in fields]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = [row.get(f.attname, defaults[f.attname]) for f in fields]
                    copy.write_row(
                        [json.dumps(v) if j and v is not None else v for v, j in zip(values, as_json, strict=True)]
                    )
        else:
            db = connections[connection.alias]  # the connection itself, not the per-thread proxy: read per value
            plain = [(f, f.attname, defaults[f.attname], _as_is(f)) for f in fields]
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - names from model meta
                [
                    [
                        value if type(value := row.get(name, default)) in as_is else f.get_db_prep_save(value, db)
                        for f, name, default, as_is in plain
                    ]
                    for row in rows
                ],
            )
    return rows


# Fields whose Python text, numbers and booleans the database driver takes as they are.
_AS_IS_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def _as_is(field) -> frozenset:
    """The value types `field` stores unconverted; any other value goes through get_db_prep_save.

    Converting every value of a million rows costs more than inserting them.
    """
    if field.get_internal_type() in _AS_IS_FIELDS:
        return frozenset((str, int, bool, type(None)))
    if field.get_internal_type() == "JSONField":
        return frozenset()
    return frozenset((type(None),))
