"""The whole dataset in and out: a loaddata JSON plus one CSV per table, written from one snapshot.

Records keep their ids (tenures and claims are addressed by id in the API), so foreign keys are ids
too: natural keys would cost a lookup per reference on the way out and in, and change nothing in
what is reproduced. Derived columns (a meeting's lineup, a claim's dispute flag, date bounds) are
exported as stored. Left out on purpose: the change history, which records this installation's
curator accounts; the dataset revision, which says when this database last changed; and the candidate claims of
ingested articles, curators' working material quoting the articles' sentences (an accepted one is a claim, which is
exported). An import
begins each record's history here with one entry saying it was imported.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import BinaryIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction

from events.models import Candidate, DatasetRevision
from events.progress import Progress, no_progress
from events.services.bulk import statement_timeout_lifted
from events.services.revision import dataset_touch

DATASET_JSON = "dataset.json"
IMPORTED = "import_dataset"  # the change reason of the history entry an import gives each record
BATCH = 2000


class DatasetError(Exception):
    pass


def dataset_models() -> list:
    """The models whose rows make up the dataset, parents before children (as dumpdata orders them)."""
    models = [
        m
        for m in apps.get_app_config("events").get_models()
        if not hasattr(m, "instance_type") and m not in (DatasetRevision, Candidate)  # history rows; see the module doc
    ]
    return serializers.sort_dependencies([(apps.get_app_config("events"), models)], allow_cycles=True)


def dataset_tables() -> list:
    """dataset_models() and their many-to-many link tables: one CSV each."""
    tables = []
    for model in dataset_models():
        tables.append(model)
        tables += [
            f.remote_field.through for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created
        ]
    return tables


def csv_columns(model) -> list:
    """A table's CSV columns: every stored field; a link table's row id identifies nothing and is left out."""
    fields = model._meta.concrete_fields
    return [f for f in fields if not (model._meta.auto_created and f.primary_key)]


def csv_name(model) -> str:
    return f"{model._meta.label_lower}.csv"


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """A value as its CSV cell. Text that starts like a formula gets a leading `'`, which spreadsheets take as
    "this is text"; so does text that starts with `'`, so dropping one leading `'` from a text cell always gives
    the value back. Numbers, dates and JSON are written as they are: a negative number is read as a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)  # a JSON column as JSON
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return f"'{value}"
    return str(value)  # dates as ISO 8601, decimals as written


@contextlib.contextmanager
def _snapshot():
    """One read-only view of the data for the whole export, whatever curators write meanwhile."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        statement_timeout_lifted()
        yield  # SQLite: a transaction reads one snapshot once it has read anything


def dataset_export(*, directory: Path, progress: Progress = no_progress) -> dict[str, int]:
    """Write DATASET_JSON and one CSV per table into `directory` (new or empty); return rows per CSV.

    `progress` (events.progress) is shown the rows of each CSV as they are written."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise DatasetError(f"{directory} is not empty; export into a new or empty directory.")
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    with _snapshot():
        _dataset_json_write(directory / DATASET_JSON)
        for model in dataset_tables():
            columns = csv_columns(model)
            rows = model._base_manager.order_by(
                *(["pk"] if not model._meta.auto_created else [c.attname for c in columns])
            )
            with (directory / csv_name(model)).open("w", newline="", encoding="utf-8") as stream:
                writer = csv.writer(stream)
                writer.writerow([c.attname for c in columns])
                count = 0
                values = rows.values_list(*(c.attname for c in columns)).iterator(chunk_size=BATCH)
                # The count is one more query per table, inside the snapshot, so it is the number written.
                for row in progress(values, total=rows.count(), desc=csv_name(model), unit="rows"):
                    writer.writerow([csv_text(v) for v in row])
                    count += 1
            counts[csv_name(model)] = count
    return counts


def dataset_dump(*, directory: Path) -> tuple[BinaryIO, str]:
    """The dataset as it is now in one file (DATASET_JSON's format), opened, and its ETag. The file is kept in
    `directory` and written once per dataset revision, read with the revision from one snapshot; the files of
    earlier revisions are removed."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for _ in range(3):
        path, etag = _dump_current(directory)
        try:
            return path.open("rb"), etag
        except FileNotFoundError:  # a newer revision's dump replaced it meanwhile: read that one
            continue
    raise DatasetError("The dataset changed too often to dump it; try again.")


def _dump_current(directory: Path) -> tuple[Path, str]:
    with _snapshot():
        changed_at = DatasetRevision.objects.values_list("changed_at", flat=True).first()
        tag = hashlib.sha256(f"dump:{changed_at.isoformat() if changed_at else ''}".encode()).hexdigest()[:32]
        path = directory / f"dataset-{tag}.json"
        if not path.exists():
            # Written aside, then moved into place: a reader never sees half a file, and two builders the same one.
            handle, partial = tempfile.mkstemp(dir=directory, prefix="dataset-", suffix=".part")
            os.close(handle)
            _dataset_json_write(Path(partial))
            os.replace(partial, path)
    for old in directory.glob("dataset-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
    return path, f'"{tag}"'


def _dataset_json_write(path: Path) -> None:
    labels = [m._meta.label for m in dataset_models()]
    call_command("dumpdata", *labels, output=str(path), indent=1, all=True, verbosity=0)
    _prepend_curators(path)


def _prepend_curators(path: Path) -> None:
    """Judgement sources name their curators: the dataset carries those accounts by id and name, and nothing
    else of them (no password, no e-mail, no permissions), so the sources can be loaded elsewhere."""
    from events.models import Source

    users = get_user_model().objects.filter(pk__in=Source.objects.judgements().values("curator")).order_by("pk")
    rows = [
        {
            "model": "auth.user",
            "pk": u.pk,
            "fields": {"username": u.get_username(), "password": make_password(None), "is_active": False},
        }
        for u in users
    ]
    if rows:
        path.write_text(json.dumps([*rows, *json.loads(path.read_text(encoding="utf-8"))], indent=1), encoding="utf-8")


def dataset_import(*, directory: Path, progress: Progress = no_progress) -> dict[str, int]:
    """Load DATASET_JSON from `directory` into a database without data, in one transaction, rows as they are.

    Rows go in by bulk inserts: no service recomputes derived columns (they come with the rows, so a copy
    is exact), and each record's history starts with one entry saying it was imported. Returns how many rows
    of each model went in. `progress` (events.progress) is shown the records read, then the rows of each table
    as they go in, then each table's history entries.
    """
    path = Path(directory) / DATASET_JSON
    if not path.is_file():
        raise DatasetError(f"{path} is missing.")
    try:
        return _import(path, [get_user_model(), *dataset_models()], progress)
    except (DatabaseError, DeserializationError) as exc:  # rolled back: the database is as it was
        raise DatasetError(f"{path.name}: {exc}") from exc


def _import(path: Path, models: list, progress: Progress) -> dict[str, int]:
    with transaction.atomic():
        statement_timeout_lifted()
        if any(m._base_manager.exists() for m in models if m is not get_user_model()):
            raise DatasetError("The database already holds data; import into an empty (migrated) database.")
        pending, counts = defaultdict(list), defaultdict(int)
        links = defaultdict(list)
        with path.open(encoding="utf-8") as stream:
            # No total: the records are only known once the file is parsed, which is the step being shown.
            for item in progress(serializers.deserialize("json", stream), desc=path.name, unit="records"):
                model = type(item.object)
                pending[model].append(item.object)
                for name, pks in (item.m2m_data or {}).items():
                    field = model._meta.get_field(name)
                    through = field.remote_field.through
                    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                    links[through] += [through(**{f"{source}_id": item.object.pk, f"{target}_id": pk}) for pk in pks]
        if strangers := sorted(m._meta.label for m in pending if m not in models):
            raise DatasetError(f"{path.name} holds rows that are not part of the dataset: {', '.join(strangers)}.")
        user_model = get_user_model()
        curators = pending.get(user_model, [])
        if taken := sorted(user_model.objects.filter(pk__in=[u.pk for u in curators]).values_list("pk", flat=True)):
            raise DatasetError(f"Accounts with ids {taken} exist already; the curators in {path.name} need them.")
        for model in models + list(links):
            rows = pending.get(model) or links.get(model) or []
            for batch in _batches(rows, progress, desc=model._meta.label):
                model._base_manager.bulk_create(batch, batch_size=BATCH)
            counts[model._meta.label] = len(rows)
        for model in models:
            if hasattr(model._meta, "simple_history_manager_attribute") and pending.get(model):
                _history_begin(model, pending[model], links, progress)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models + list(links)):
                cursor.execute(sql)
        dataset_touch()  # Last-Modified: the data in this database changed now
        connection.check_constraints()  # SQLite checks foreign keys only here; PostgreSQL at commit anyway
    return dict(counts)


def _batches(rows: list, progress: Progress, *, desc: str):
    """`rows` in slices of BATCH, each counted on a progress bar once the caller has written it."""
    with progress(total=len(rows), desc=desc, unit="rows") as bar:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            yield batch
            bar.update(len(batch))


def _history_begin(model, rows: list, links: dict, progress: Progress) -> None:
    """One "created" history entry per imported record, with its many-to-many links as they were imported."""
    entries = []
    for batch in _batches(rows, progress, desc=f"{model._meta.label} history"):
        entries += model.history.bulk_history_create(batch, batch_size=BATCH, default_change_reason=IMPORTED)
    by_record = {entry.id: entry for entry in entries}
    for field in model._meta.many_to_many:
        tracked = getattr(model.history.model, field.name, None)  # a link table the history follows
        through = field.remote_field.through
        if tracked is None or not links.get(through):
            continue
        own = field.m2m_field_name() + "_id"
        columns = [f.attname for f in through._meta.fields]
        tracked.model.objects.bulk_create(
            [
                tracked.model(history=by_record[getattr(link, own)], **{c: getattr(link, c) for c in columns})
                for link in links[through]
            ],
            batch_size=BATCH,
        )
