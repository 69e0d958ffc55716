"""Synthetic records for load tests: many meetings, launches and people, reproducible from a seed.

Every synthetic record's slug starts with `syn-`, and every claim about one comes from a synthetic
source, so they can be removed without touching the seed dataset. Rows go in with bulk inserts;
they skip model validation and the change history, which is why the builder keeps to values the
models accept (the tests check a generated sample with `full_clean`).
"""

import contextlib
import random
from functools import reduce
from operator import or_

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from bench.synthetic.build import Builder
from events.claimfields import SUBJECT_TYPES
from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Person, Place, Source, Tenure, Topic
from events.progress import Progress, no_progress
from events.services.bulk import statement_timeout_lifted
from events.services.derived import claim_disputes_refresh
from events.services.revision import dataset_touch

PREFIX = "syn-"


class SyntheticError(Exception):
    pass


@contextlib.contextmanager
def _counting(builder: Builder, progress: Progress, model, total: int):
    """Count the rows of `model` the builder inserts meanwhile on a progress bar."""
    unit = str(model._meta.verbose_name_plural)
    with progress(total=total, desc=f"synthetic {unit}", unit=unit) as bar:
        builder.on_insert = lambda inserted, rows: bar.update(rows) if inserted is model else None
        try:
            yield
        finally:
            builder.on_insert = None


def synthetic_generate(
    *, meetings: int, launches: int, people: int, seed: int, batch_size: int = 5000, progress: Progress = no_progress
) -> dict:
    """Insert synthetic records; return how many rows of each model were created.

    `progress` (events.progress) is shown the people, then the meetings, then the launches as they go in."""
    if people < 2:
        raise SyntheticError("Give at least 2 people: every meeting needs two agencies' people.")
    if Source.objects.filter(slug__startswith=PREFIX).exists():
        raise SyntheticError("Synthetic records are already present; remove them first with --clear.")
    with transaction.atomic():
        statement_timeout_lifted()
        rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        builder = Builder(rng, batch_size=batch_size)
        with _counting(builder, progress, Person, people):
            builder.reference(people=people)
        with _counting(builder, progress, Meeting, meetings):
            builder.meetings(meetings)
        with _counting(builder, progress, Launch, launches):
            builder.launches(launches)
        claim_disputes_refresh(claims=Claim.objects.filter(_synthetic(*(f"{t}__slug" for t in SUBJECT_TYPES))))
        dataset_touch()
        if connection.vendor == "postgresql":
            # Planner statistics for the new rows now, not whenever autovacuum gets round to it.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return builder.created


def _synthetic(*paths: str) -> Q:
    return reduce(or_, (Q(**{f"{path}__startswith": PREFIX}) for path in paths))


# Children first: most of these rows are only reachable through a synthetic parent.
_CLEAR_ORDER = (
    (Claim, _synthetic("source__slug", *(f"{t}__slug" for t in SUBJECT_TYPES))),
    (Participant, _synthetic("meeting__slug")),
    (CrewMember, _synthetic("launch__slug")),
    (Meeting.topics.through, _synthetic("meeting__slug")),
    (Meeting, _synthetic("slug")),
    (Launch, _synthetic("slug")),
    (Tenure, _synthetic("slug")),
    (Person, _synthetic("slug")),
    (Place, _synthetic("slug") & _synthetic("parent__slug")),  # places inside synthetic places first
    (Place, _synthetic("slug")),
    (Topic, _synthetic("slug")),
    (Agency, _synthetic("slug")),
    (Source, _synthetic("slug")),
)


def synthetic_clear() -> dict:
    """Delete every synthetic record in one transaction; return how many rows of each model went.

    Refuses (and deletes nothing) when other records still refer to synthetic ones.
    """
    removed = {}
    try:
        with transaction.atomic():
            statement_timeout_lifted()
            _clear(removed)
    except IntegrityError as exc:
        raise SyntheticError(
            "Nothing was removed: records that are not synthetic refer to synthetic ones "
            f"(a place inside a synthetic place, or a meeting's participant, say). {exc}"
        ) from exc
    return removed


def _clear(removed: dict) -> None:
    for model, condition in _CLEAR_ORDER:
        # One DELETE per table: the ORM's cascade would load each of hundreds of thousands of rows.
        select_sql, params = model.objects.filter(condition).values("pk").query.sql_with_params()
        table, pk = (connection.ops.quote_name(n) for n in (model._meta.db_table, model._meta.pk.column))
        delete = f"DELETE FROM {table} WHERE {pk} IN (SELECT * FROM ({select_sql}) AS doomed)"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(delete, params)
            label = model._meta.label if not model._meta.auto_created else "events.Meeting_topics"
            removed[label] = removed.get(label, 0) + cursor.rowcount
    dataset_touch()
    # Constraints are checked at commit on PostgreSQL; check here so SQLite and PostgreSQL agree.
    connection.check_constraints()
