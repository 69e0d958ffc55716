"""Prepared queries: the rows of the QuerySet they stand for, with its SQL compiled once per shape."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext

from events.models import Meeting
from events.prepared import Prepared
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def by_ids(ids):
    return Meeting.objects.filter(pk__in=ids).order_by("slug").values("pk", "slug", "date_earliest", "date_latest")


def test_rows_are_the_querysets_for_every_shape():
    meetings = [MeetingFactory(date_edtf=text) for text in ["2025-07-31", "2025-07", "../2018-10", ""]]
    prepared = Prepared(Meeting, by_ids)
    for ids in ([m.pk for m in meetings], [meetings[2].pk], [meetings[0].pk, 10**12], (m.pk for m in meetings[1:])):
        ids = list(ids)
        assert prepared(ids) == list(by_ids(ids))
    assert prepared([meetings[0].pk])[0]["date_latest"] == dt.date(2025, 7, 31)  # converted as Django would


def test_the_sql_is_compiled_once_per_shape_and_then_only_bound():
    first, second = MeetingFactory(), MeetingFactory()
    calls = []
    prepared = Prepared(Meeting, lambda ids: calls.append(ids) or by_ids(ids))
    assert [row["pk"] for row in prepared([first.pk])] == [first.pk]
    assert [row["pk"] for row in prepared([second.pk])] == [second.pk]
    assert len(calls) == 1
    prepared([first.pk, second.pk])
    assert len(calls) == 2  # a list of another length is another shape


def test_a_single_key_argument():
    meeting = MeetingFactory(slug="the-one")
    prepared = Prepared(Meeting, lambda slug: Meeting.objects.filter(slug=slug).values("pk"))
    assert prepared("the-one") == [{"pk": meeting.pk}]
    assert prepared("no-such-meeting") == []


def test_an_empty_list_matches_nothing_without_a_query():
    MeetingFactory()
    with CaptureQueriesContext(connection) as queries:
        assert Prepared(Meeting, by_ids)([]) == []
    assert len(queries) == 0


def test_a_build_that_drops_an_argument_is_refused():
    prepared = Prepared(Meeting, lambda ids: Meeting.objects.filter(pk__in=ids[:1]).values("pk"))
    with pytest.raises(ValueError, match="must appear"):
        prepared([1, 2])


def test_date_arguments_and_arguments_used_twice():
    meetings = [MeetingFactory(date_edtf=text) for text in ["2025-07-31", "2025-07", "2026", ""]]

    def covering(day, kind):
        return (
            Meeting.objects.filter(date_earliest__lte=day, date_latest__gte=day, kind=kind)
            .exclude(slug=kind)  # the string argument twice
            .order_by("slug")
            .values("pk")
        )

    prepared = Prepared(Meeting, covering)
    for day in (dt.date(2025, 7, 31), dt.date(2025, 7, 1), dt.date(2026, 3, 3), dt.date(1999, 1, 1)):
        assert prepared(day, meetings[0].kind) == list(covering(day, meetings[0].kind)), day
    assert len(prepared(dt.date(2025, 7, 31), meetings[0].kind)) == 2


def test_annotations_named_among_the_values_keep_their_place():
    meeting = MeetingFactory(title="First")

    def annotated(pk):
        return Meeting.objects.filter(pk=pk).annotate(shout=Upper("title")).values("slug", "shout", "title")

    assert (
        Prepared(Meeting, annotated)(meeting.pk)
        == list(annotated(meeting.pk))
        == [{"slug": meeting.slug, "shout": "FIRST", "title": "First"}]
    )
