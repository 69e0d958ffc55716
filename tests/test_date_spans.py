"""Date windows: `overlapping()` against the overlap rule worked out in Python, and its index on PostgreSQL."""

import datetime as dt
import itertools

import pytest
from django.db import connection

from events.models import Launch, Meeting
from events.selectors import overlapping
from tests.factories import LaunchFactory, MeetingFactory

pytestmark = pytest.mark.django_db

DATES = ["2025-07-31", "2025-07", "2025", "2026-22", "2025-08-21/2025-08-31", "../2018-10", "2024-11/..", ""]
DAYS = [None, *(dt.date(*day) for day in [(2018, 10, 31), (2018, 11, 1), (2025, 7, 31), (2025, 8, 21), (2026, 9, 1)])]


def could_overlap(record, after, before):
    bounds = record.fuzzy_bounds("date")
    if bounds is None:
        return after is None and before is None
    starts_by_before = before is None or bounds.earliest is None or bounds.earliest <= before
    ends_after_after = after is None or bounds.latest is None or bounds.latest >= after
    return starts_by_before and ends_after_after


@pytest.mark.parametrize(("model", "factory"), [(Meeting, MeetingFactory), (Launch, LaunchFactory)])
def test_overlapping_matches_the_overlap_rule_for_every_window(model, factory):
    records = [factory(date_edtf=text) for text in DATES]
    for after, before in itertools.product(DAYS, DAYS):
        found = set(overlapping(model.objects.all(), after=after, before=before).values_list("pk", flat=True))
        expected = {record.pk for record in records if could_overlap(record, after, before)}
        assert found == expected, (after, before)


@pytest.mark.parametrize(("model", "factory"), [(Meeting, MeetingFactory), (Launch, LaunchFactory)])
def test_a_date_window_keeps_the_default_order_by_date(model, factory):
    for text in [*DATES, "2025-07-31", "2025-07-31", "../2025-08"]:
        factory(date_edtf=text)
    window = overlapping(model.objects.all(), after=dt.date(2025, 7, 1), before=dt.date(2025, 12, 31))
    found = list(window.values_list("pk", flat=True))
    assert len(found) == 8
    assert found == list(model.objects.filter(pk__in=found).values_list("pk", flat=True))  # Meta.ordering
    assert list(window.order_by("-slug").values_list("pk", flat=True)) == sorted(
        found, key=lambda pk: model.objects.get(pk=pk).slug, reverse=True
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="range types and GiST are PostgreSQL's")
@pytest.mark.parametrize(("model", "index"), [(Meeting, "meeting_date_span_idx"), (Launch, "launch_date_span_idx")])
def test_a_date_window_is_one_probe_of_the_span_index(model, index):
    queryset = overlapping(model.objects.all(), after=dt.date(2025, 1, 1), before=dt.date(2025, 3, 31))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show its index
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan
    assert "&&" in plan
