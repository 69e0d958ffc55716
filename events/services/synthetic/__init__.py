"""Synthetic records for load tests: many meetings, launches and people, reproducible from a seed.

Every synthetic record's slug starts with `syn-`, and every claim about one comes from a synthetic
source, so they can be removed without touching the seed dataset. Rows go in with bulk inserts;
they skip model validation and the change history, which is why the builder keeps to values the
models accept (the tests check a generated sample with `full_clean`).
"""

import random

from django.db import connection, transaction

from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Person, Place, Source, Tenure, Topic
from events.services.synthetic.build import Builder
from events.signals import dataset_touch

PREFIX = "syn-"


class SyntheticError(Exception):
    pass


def synthetic_generate(*, meetings: int, launches: int, people: int, seed: int, batch_size: int = 5000) -> dict:
    """Insert synthetic records; return how many rows of each model were created."""
    if people < 2:
        raise SyntheticError("Give at least 2 people: every meeting needs two agencies' people.")
    if Source.objects.filter(slug__startswith=PREFIX).exists():
        raise SyntheticError("Synthetic records are already present; remove them first with --clear.")
    with transaction.atomic():
        builder = Builder(random.Random(seed), batch_size=batch_size)  # noqa: S311 - test data, not secrets
        builder.reference(people=people)
        builder.meetings(meetings)
        builder.launches(launches)
        dataset_touch()
    return builder.created


# Children first: most of these rows are only reachable through a synthetic parent.
_CLEAR_ORDER = (
    (Claim, "source__slug__startswith"),
    (Participant, "meeting__slug__startswith"),
    (CrewMember, "launch__slug__startswith"),
    (Meeting.topics.through, "meeting__slug__startswith"),
    (Meeting, "slug__startswith"),
    (Launch, "slug__startswith"),
    (Tenure, "slug__startswith"),
    (Person, "slug__startswith"),
    (Place, "parent__slug__startswith"),
    (Place, "slug__startswith"),
    (Topic, "slug__startswith"),
    (Agency, "slug__startswith"),
    (Source, "slug__startswith"),
)


def synthetic_clear() -> dict:
    """Delete every synthetic record in one transaction; return how many rows of each model went."""
    removed = {}
    with transaction.atomic():
        for model, lookup in _CLEAR_ORDER:
            # One DELETE per table: the ORM's cascade would load each of hundreds of thousands of rows.
            select_sql, params = model.objects.filter(**{lookup: PREFIX}).values("pk").query.sql_with_params()
            table, pk = (connection.ops.quote_name(n) for n in (model._meta.db_table, model._meta.pk.column))
            delete = f"DELETE FROM {table} WHERE {pk} IN (SELECT * FROM ({select_sql}) AS doomed)"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(delete, params)
                label = model._meta.label if not model._meta.auto_created else "events.Meeting_topics"
                removed[label] = removed.get(label, 0) + cursor.rowcount
        dataset_touch()
    return removed
