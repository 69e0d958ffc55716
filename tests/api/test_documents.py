"""Read documents (events/api/documents) give exactly what the serializers, the declared shape, give."""

import datetime as dt
from collections import Counter

import pytest
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from events.api import serializers
from events.api.views import MeetingViewSet
from events.models import Agency, Meeting
from events.selectors import agency_heads_on, conflict_entries, conflict_keys, meeting_previous, timeline
from events.services.synthetic import synthetic_generate

API = "/api/v1"


@pytest.fixture(scope="module")
def _with_synthetic(_seed_module, django_db_blocker):
    # Synthetic meetings add shapes the seed lacks: many lineups, tenures, topics, open and closed dates.
    with django_db_blocker.unblock():
        synthetic_generate(meetings=150, launches=10, people=80, seed=11)


@pytest.fixture
def data(_with_synthetic, seeded):
    return Meeting.objects.count()


def serialized(meeting, serializer_class):
    request = Request(APIRequestFactory().get("/"))
    queryset = MeetingViewSet.queryset.prefetch_related("claims__source")
    meeting = queryset.get(pk=meeting.pk)
    context = {"request": request, "previous_meetings": meeting_previous(meetings=[meeting])}
    return serializer_class(meeting, context=context).data


def every_item(client, url):
    """Every result of a list, following its pages."""
    found = []
    while url:
        page = client.get(url).json()
        found += page["results"]
        url = page["next"]
    return found


def test_the_list_document_is_the_serializer_output_for_every_meeting(data):
    listed = every_item(APIClient(), f"{API}/meetings/?page_size=200")
    assert len(listed) == data > 150
    by_slug = {m.slug: m for m in Meeting.objects.all()}
    for item in listed:
        assert item == serialized(by_slug[item["slug"]], serializers.MeetingSerializer), item["slug"]
    assert any(item["previous_meeting"] for item in listed)
    assert any(p["tenure"] for item in listed for p in item["participants"])


def test_the_detail_document_is_the_serializer_output_for_every_meeting(data):
    client = APIClient()
    for meeting in Meeting.objects.all():
        document = client.get(f"{API}/meetings/{meeting.slug}/").json()
        assert document == serialized(meeting, serializers.MeetingDetailSerializer), meeting.slug


@pytest.mark.parametrize(
    ("query", "arguments"),
    [
        ("", {}),
        ("&resolved=true", {"resolved": True}),
        ("&resolved=false", {"resolved": False}),
        ("&subject_type=meeting", {"subject_type": "meeting"}),
    ],
)
def test_the_conflict_documents_are_the_serializer_output(data, query, arguments):
    listed = every_item(APIClient(), f"{API}/conflicts/?page_size=200{query}")
    request = Request(APIRequestFactory().get("/"))
    keys = list(conflict_keys(**arguments))
    expected = serializers.ConflictSerializer(conflict_entries(keys), many=True, context={"request": request}).data
    assert len(listed) == len(keys) > 0
    assert listed == expected


@pytest.mark.parametrize(
    ("query", "arguments"),
    [
        ("", {}),
        ("&date_after=2025-01-01&date_before=2026-12-31", {"after": "2025-01-01", "before": "2026-12-31"}),
        ("&agency=nasa", {"agencies": ["nasa"]}),
    ],
)
def test_the_timeline_documents_are_the_serializer_output(data, query, arguments):
    listed = every_item(APIClient(), f"{API}/timeline/?page_size=200{query}")
    if "agencies" in arguments:
        arguments = {"agencies": list(Agency.objects.filter(slug__in=arguments["agencies"]))}
    arguments = {k: dt.date.fromisoformat(v) if k in ("after", "before") else v for k, v in arguments.items()}
    request = Request(APIRequestFactory().get("/"))
    rows = list(timeline(**arguments))
    expected = serializers.TimelineItemSerializer(rows, many=True, context={"request": request}).data
    assert len(listed) == len(rows) > 0
    assert {item["type"] for item in listed} == {"meeting", "launch"}
    assert listed == expected


def test_the_heads_documents_are_the_serializer_output(data):
    client, request = APIClient(), Request(APIRequestFactory().get("/"))
    days = ["2015-06-01", "2018-06-01", "2022-07-15", "2025-02-01", "2025-07-31", "2026-03-01"]
    seen = Counter()
    for agency in Agency.objects.all():
        for day in days:
            listed = client.get(f"{API}/agencies/{agency.slug}/heads/?on={day}").json()
            on = dt.date.fromisoformat(day)
            heads = agency_heads_on(agency=agency, day=on)
            context = {"request": request, "day": on}
            assert listed == serializers.HeadSerializer(heads, many=True, context=context).data
            seen.update(head["certainty"] for head in listed)
            seen["several"] += len(listed) > 1
    assert seen["certain"] > 0
    assert seen["possible"] > 0
    assert seen["several"] > 0
