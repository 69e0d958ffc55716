"""Full-text search indexes (events.search reads them).

PostgreSQL: a text search configuration that folds case and accents, one function building a record's weighted
document from its name-like (A), other identifying (B) and descriptive (C) text, and a GIN index over that function
on each searched table. SQLite: one FTS5 table for every searched record, kept in step with the rows by triggers,
so that every writer (services, the admin, loaddata, import_dataset) keeps it right.

What is indexed is frozen here; events.search.SEARCHED must name the same columns (the tests check that both agree).
"""

import string

from django.db import migrations

# type: (code in the FTS5 rowid's low four bits, table, (A columns, B columns, C columns))
INDEXED = {
    "agency": (1, "events_agency", (("name", "short_name"), (), ())),
    "claim": (2, "events_claim", ((), (), ("note",))),
    "launch": (3, "events_launch", (("name",), ("vehicle", "spacecraft"), ("summary",))),
    "meeting": (4, "events_meeting", (("title",), (), ("summary",))),
    "person": (5, "events_person", (("name", "native_name"), (), ())),
    "place": (6, "events_place", (("name",), (), ())),
    "source": (7, "events_source", (("title",), ("outlet",), ("summary", "reliability_note"))),
    "tenure": (8, "events_tenure", (("title",), (), ())),
    "topic": (9, "events_topic", (("name",), (), ("description",))),
}

# ASCII punctuation separates words, as it does for SQLite's unicode61 tokenizer (PostgreSQL's parser would
# otherwise read `MS-28` as `ms` and the number -28, or `nasa.gov` as one host name).
PUNCTUATION = string.punctuation.replace("'", "''")
SPACES = " " * len(string.punctuation)


def _text(columns, row=""):
    """The columns as one text, a space between each; `row` prefixes them (`new.` in a trigger)."""
    return " || ' ' || ".join(f"{row}{column}" for column in columns) if columns else "''"


POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION spacediplo_search (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION spacediplo_search ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, "
    "word, hword, hword_part, numword, numhword, hword_numpart, int, uint, float, sfloat, version "
    "WITH unaccent, simple",
    f"""CREATE FUNCTION spacediplo_document(a text, b text, c text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('spacediplo_search', translate(a, '{PUNCTUATION}', '{SPACES}')), 'A')
            || setweight(to_tsvector('spacediplo_search', translate(b, '{PUNCTUATION}', '{SPACES}')), 'B')
            || setweight(to_tsvector('spacediplo_search', translate(c, '{PUNCTUATION}', '{SPACES}')), 'C')
        $$""",
    *(
        f"CREATE INDEX {table}_search_idx ON {table} USING gin "
        f"(spacediplo_document({', '.join(_text(columns) for columns in weighted)}))"
        for _, table, weighted in INDEXED.values()
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP INDEX IF EXISTS {table}_search_idx" for _, table, _ in INDEXED.values()),
    "DROP FUNCTION IF EXISTS spacediplo_document(text, text, text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS spacediplo_search",
]


def _sqlite_statements():
    yield "CREATE VIRTUAL TABLE events_search USING fts5(a, b, c, tokenize = 'unicode61 remove_diacritics 2')"
    for name in INDEXED:
        yield from sqlite_triggers(name)
        yield sqlite_reindex(name)


def sqlite_triggers(name):
    """The triggers that keep one table's rows in the FTS5 table. SQLite drops them with the table, so a later
    migration that rebuilds the table (as adding a constraint does there) makes them again."""
    code, table, weighted = INDEXED[name]
    columns = [column for group in weighted for column in group]
    values = ", ".join(_text(group, "new.") for group in weighted)
    # Table and column names from INDEXED above, no values: nothing in them comes from a client.
    insert = f"INSERT INTO events_search (rowid, a, b, c) VALUES (new.id * 16 + {code}, {values});"  # noqa: S608
    delete = f"DELETE FROM events_search WHERE rowid = old.id * 16 + {code};"  # noqa: S608
    yield f"CREATE TRIGGER IF NOT EXISTS {table}_search_insert AFTER INSERT ON {table} BEGIN {insert} END"
    yield (
        f"CREATE TRIGGER IF NOT EXISTS {table}_search_update AFTER UPDATE OF id, {', '.join(columns)} ON {table} "
        f"BEGIN {delete} {insert} END"
    )
    yield f"CREATE TRIGGER IF NOT EXISTS {table}_search_delete AFTER DELETE ON {table} BEGIN {delete} END"


def sqlite_reindex(name):
    code, table, weighted = INDEXED[name]
    return (
        f"INSERT INTO events_search (rowid, a, b, c) SELECT id * 16 + {code}, "  # noqa: S608
        f"{', '.join(_text(group) for group in weighted)} FROM {table}"
    )


def _sqlite_reverse():
    for _, table, _ in INDEXED.values():
        for event in ("insert", "update", "delete"):
            yield f"DROP TRIGGER IF EXISTS {table}_search_{event}"
    yield "DROP TABLE IF EXISTS events_search"


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0013_record_versions_and_bound_fields"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": list(_sqlite_statements())}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": list(_sqlite_reverse())}),
        ),
    ]
