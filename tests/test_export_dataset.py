"""export_dataset and import_dataset: CSVs that match the tables, and a round trip into a fresh database
that reproduces every row of every table exactly (derived columns included), on SQLite and PostgreSQL."""

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from bench.synthetic.generate import synthetic_generate
from events.models import Claim, Meeting, Place, Source, Topic
from events.services.dataset import (
    DATASET_JSON,
    FORMULA_STARTS,
    IMPORTED,
    csv_columns,
    csv_name,
    dataset_tables,
)
from tests.databases import database_create, database_drop, postgres_url

# --- a fresh database for the other side of the round trip ---------------------------------------


def run_manage(database_url, *args):
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "spacediplo.test_settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory, django_db_blocker):
    """A migrated, empty database of the suite's backend, migrated once for the module and copied per test."""
    if connection.vendor == "sqlite":
        path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
        run_manage(f"sqlite:///{path}", "migrate", "-v0")
        yield path
        return
    name = f"{connection.settings_dict['NAME']}_migrated"
    with django_db_blocker.unblock():
        database_create(name)
        try:
            run_manage(postgres_url(name), "migrate", "-v0")
            yield name
        finally:
            database_drop(name)


@pytest.fixture
def fresh_database(migrated_template, tmp_path):
    """(URL, raw DB-API connection factory) of a new, migrated, empty database of the suite's backend."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        shutil.copyfile(migrated_template, path)
        # The same type detection as Django's own SQLite connections, so both sides read alike.
        yield (
            f"sqlite:///{path}",
            lambda: sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES),
        )
        return
    import psycopg

    name = f"{connection.settings_dict['NAME']}_import"
    database_create(name, template=migrated_template)
    params = connection.get_connection_params()
    try:
        yield (
            postgres_url(name),
            lambda: psycopg.connect(
                dbname=name, user=params.get("user", ""), host=params.get("host", ""), port=params.get("port", "")
            ),
        )
    finally:
        database_drop(name)


# --- reading whole tables ----------------------------------------------------------------------------


def data_tables(cursor):
    """Every table of the app's data, found in the database itself rather than from the exporter's list."""
    names = connection.introspection.table_names(cursor)
    return sorted(
        n
        for n in names
        if n.startswith("events_")
        and not n.startswith(("events_historical", "events_search"))  # the search index is derived (events.search)
        and n not in ("events_datasetrevision", "events_candidate")  # candidates: curators' work, not data
    )


def table_rows(cursor, table, columns):
    # JSON columns as the database's own text of them: a plain driver and Django's read them as different types.
    quoted = ", ".join(
        f"CAST({connection.ops.quote_name(c)} AS TEXT)" if c.endswith("_basis") else connection.ops.quote_name(c)
        for c in columns
    )
    cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY {quoted}")  # noqa: S608
    return cursor.fetchall()


def all_rows(cursor, raw_cursor=None):
    """{table: sorted rows}; a link table's own row id (meaningless) is left out."""
    found = {}
    for table in data_tables(cursor):
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        if table == Meeting.topics.through._meta.db_table:
            columns.remove("id")
        found[table] = table_rows(raw_cursor or cursor, table, columns)
    return found


# --- tests ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_refuses_a_database_that_holds_data_and_changes_nothing(tmp_path):
    Source.objects.create(slug="only", title="Only", sha256="0" * 64)
    (tmp_path / DATASET_JSON).write_text("[]")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_dataset", tmp_path)
    assert list(Source.objects.values_list("slug", flat=True)) == ["only"]


@pytest.mark.django_db
def test_a_broken_import_leaves_the_database_empty(tmp_path):
    source = {"model": "events.source", "pk": 1, "fields": {"slug": "s", "title": "S", "sha256": "0" * 64}}
    claim = {
        "model": "events.claim",
        "pk": 1,
        "fields": {"source": 99, "subject_type": "topic", "topic": 1, "field": "name", "value": "x", "locator": "1"},
    }
    (tmp_path / DATASET_JSON).write_text(json.dumps([source, claim]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_dataset", tmp_path)
    assert not Source.objects.exists()
    assert not Claim.objects.exists()


# Text a spreadsheet would run as a formula, and text that already starts with the quote that defuses one.
FORMULAS = ['=HYPERLINK("https://example.org","x")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1", "'q"]


@pytest.fixture
def exported(seeded, tmp_path):
    synthetic_generate(meetings=120, launches=30, people=60, seed=5)
    for claim, note in zip(Claim.objects.order_by("pk"), FORMULAS, strict=False):
        Claim.objects.filter(pk=claim.pk).update(note=note)
    Place.objects.filter(pk=Place.objects.order_by("pk")[0].pk).update(latitude=-33.45, longitude=-70.66667)
    directory = tmp_path / "export"
    call_command("export_dataset", directory, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return directory


def parse(field, text):
    """A CSV cell back into its column's value. export_dataset puts one `'` before text that starts like a formula
    or with `'` (events.services.dataset.csv_text), so a text cell drops one leading `'`."""
    if text == "" and field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return text.removeprefix("'")
    if isinstance(field, models.BooleanField):
        return {"true": True, "false": False}[text]
    if isinstance(field, models.JSONField):
        return json.loads(text)
    return field.to_python(text)


def test_each_csv_holds_every_row_and_column_of_its_table(exported):
    names = set()
    for model in dataset_tables():
        names.add(csv_name(model))
        with (exported / csv_name(model)).open(newline="", encoding="utf-8") as stream:
            header, *rows = list(csv.reader(stream))
        fields = csv_columns(model)
        stored = {f.attname for f in model._meta.concrete_fields} - ({"id"} if model._meta.auto_created else set())
        assert set(header) == stored, model
        assert header == [f.attname for f in fields]
        expected = list(model._base_manager.order_by("pk").values_list(*header))
        if model._meta.auto_created:
            expected.sort()
        assert len(rows) == len(expected) == model._base_manager.count()
        assert [tuple(parse(f, v) for f, v in zip(fields, row, strict=True)) for row in rows] == expected, model
    assert names | {DATASET_JSON} == {p.name for p in exported.iterdir()}
    assert {"events.claim.csv", "events.meeting_topics.csv", "events.participant.csv"} <= names


def test_no_cell_starts_like_a_formula_but_a_negative_number(exported):
    notes = {}
    for model in dataset_tables():
        with (exported / csv_name(model)).open(newline="", encoding="utf-8") as stream:
            header, *rows = list(csv.reader(stream))
        for field, cells in zip(csv_columns(model), zip(*rows, strict=True), strict=False):
            for cell in cells:
                if cell.startswith(FORMULA_STARTS):
                    assert isinstance(field, models.DecimalField | models.IntegerField), (model, field.name, cell)
                    float(cell)
            if model is Claim and field.name == "note":
                notes = set(cells)
            if model is Place and field.name == "latitude":
                assert "-33.45000" in cells  # a negative number stays a number
    assert {f"'{text}" for text in FORMULAS} <= notes
    # The JSON keeps the text exact.
    records = json.loads((exported / DATASET_JSON).read_text())
    assert set(FORMULAS) <= {r["fields"]["note"] for r in records if r["model"] == "events.claim"}


def test_the_json_holds_every_record_once(exported):
    records = json.loads((exported / DATASET_JSON).read_text())
    counted = Counter(r["model"] for r in records)
    # Besides the dataset's own rows: the accounts its judgement sources name, by name only.
    curators = Source.objects.judgements().values_list("curator__username", flat=True)
    assert counted.pop("auth.user") == len(curators) > 0
    assert {r["fields"]["username"] for r in records if r["model"] == "auth.user"} == set(curators)
    assert all(r["fields"]["password"].startswith("!") for r in records if r["model"] == "auth.user")  # unusable
    assert counted == {m._meta.label_lower: m.objects.count() for m in dataset_tables() if not m._meta.auto_created}
    assert all("pk" in r for r in records)
    assert sum(len(r["fields"].get("topics", [])) for r in records) == Meeting.topics.through.objects.count()


def test_exporting_into_a_directory_that_holds_files_is_refused(exported):
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_dataset", exported)


def id_of_a_new_topic(raw):
    cursor = raw.cursor()
    cursor.execute("INSERT INTO events_topic (slug, name, description) VALUES ('after-import', 'After import', '')")
    cursor.execute("SELECT id FROM events_topic WHERE slug = 'after-import'")
    new_id = cursor.fetchone()[0]
    raw.rollback()
    return new_id


def test_round_trip_into_a_fresh_database_reproduces_every_row(exported, fresh_database):
    url, connect = fresh_database
    out = run_manage(url, "import_dataset", str(exported))
    assert "Imported" in out
    with connection.cursor() as cursor:
        before = all_rows(cursor)
        target = connect()
        try:
            after = all_rows(cursor, raw_cursor=target.cursor())
            new_id = id_of_a_new_topic(target)
        finally:
            target.close()
    assert new_id > Topic.objects.order_by("-pk").values_list("pk", flat=True).first()  # ids continue after the import
    assert set(before) == {m._meta.db_table for m in dataset_tables()}
    assert all(before[t] for t in before), "every table has rows to compare"
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    for table in before:
        assert after[table] == before[table], table
    # Derived data arrived as it was, so the copy is as consistent as the original.
    assert "No inconsistencies found." in run_manage(url, "check_data")


def test_loaddata_alone_reproduces_the_seed_dataset(seeded, tmp_path, fresh_database):
    url, connect = fresh_database
    call_command("export_dataset", tmp_path / "seed", stdout=open(os.devnull, "w"))  # noqa: SIM115
    run_manage(url, "loaddata", str(tmp_path / "seed" / DATASET_JSON))
    with connection.cursor() as cursor:
        before = all_rows(cursor)
        target = connect()
        try:
            after = all_rows(cursor, raw_cursor=target.cursor())
        finally:
            target.close()
    assert after == before


def test_an_imported_record_s_history_begins_with_its_import(seeded):
    """The suite's seed data came in through import_dataset: every record has one entry, saying so."""
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    (entry,) = meeting.history.all()
    assert (entry.history_type, entry.history_change_reason, entry.history_user) == ("+", IMPORTED, None)
    assert set(entry.topics.values_list("topic_id", flat=True)) == set(meeting.topics.values_list("pk", flat=True))
    assert meeting.topics.exists()
    for model in (Source, Claim, Topic):
        assert model.history.count() == model.objects.count()
        assert set(model.history.values_list("history_change_reason", flat=True)) == {IMPORTED}
