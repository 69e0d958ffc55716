"""No N+1: every list endpoint runs as many SQL queries for 200 rows as for 1, and few of them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import (
    AgencyFactory,
    ClaimFactory,
    CrewMemberFactory,
    LaunchFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    TenureFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
ROWS = 200
MAX_QUERIES = 8


def build_world(n):
    """`n` of everything, with the relations each serializer renders filled in."""
    sources = [SourceFactory() for _ in range(n + 1)]
    region = PlaceFactory()
    # The same two agencies meet every time, so each meeting has earlier ones to look back to.
    a, b = AgencyFactory(), AgencyFactory()
    head_a = TenureFactory(agency=a, is_head=True, start_edtf="2000", end_edtf="2001")
    head_b = TenureFactory(agency=b, is_head=True, start_edtf="2000", end_edtf="2001")
    for i in range(n):
        place, topic = PlaceFactory(parent=region), TopicFactory()
        TenureFactory(agency=AgencyFactory(), person=PersonFactory())
        meeting = MeetingFactory(place=place, status="held", date_edtf=f"{2000 + i % 20}-05")
        meeting.topics.add(topic)
        ParticipantFactory(meeting=meeting, person=head_a.person, agency=a, tenure=head_a)
        ParticipantFactory(meeting=meeting, person=head_b.person, agency=b, tenure=head_b)
        launch = LaunchFactory(operator=a, site=place, destination=place, date_edtf=f"{2000 + i % 20}")
        CrewMemberFactory(launch=launch, person=PersonFactory(), agency=b)
        # Two sources disagreeing on the title: one conflict per meeting.
        for source in sources[i : i + 2]:
            ClaimFactory(source=source, meeting=meeting, field="title", value=f"{source.slug} says {i}")


def queries(client, url):
    cache.clear()  # counts are kept per filter and revision; measure every request from cold
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


ENDPOINTS = [
    "agencies",
    "people",
    "tenures",
    "places",
    "topics",
    "sources",
    "meetings",
    "launches",
    "claims",
    "timeline",
    "conflicts",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_query_count_does_not_grow_with_the_page(endpoint):
    build_world(ROWS)
    client = APIClient()
    # Latest first, so even the one-row page has earlier meetings to look back to (`previous_meeting`).
    order = "&ordering=-date" if endpoint == "meetings" else ""
    one, body_one = queries(client, f"/api/v1/{endpoint}/?page_size=1{order}")
    many, body_many = queries(client, f"/api/v1/{endpoint}/?page_size={ROWS}{order}")
    assert len(body_one["results"]) == 1
    assert len(body_many["results"]) == ROWS
    assert one == many, f"{endpoint}: {one} queries for 1 row, {many} for {ROWS}"
    assert many <= MAX_QUERIES, f"{endpoint}: {many} queries"
    print(f"{endpoint}: {many} queries per page")


@pytest.mark.parametrize("endpoint", ["agencies", "people", "places", "topics", "sources", "meetings", "launches"])
def test_detail_query_count_does_not_grow_with_its_claims(endpoint):
    build_world(2)
    client = APIClient()
    slug = client.get(f"/api/v1/{endpoint}/?page_size=1").json()["results"][0]["slug"]
    few, _ = queries(client, f"/api/v1/{endpoint}/{slug}/")
    source = SourceFactory()
    model = {
        "agencies": "agency",
        "people": "person",
        "places": "place",
        "topics": "topic",
        "meetings": "meeting",
        "launches": "launch",
    }.get(endpoint)
    if model:
        record = ClaimFactory._meta.model._meta.get_field(model).related_model.objects.get(slug=slug)
        for i in range(30):
            ClaimFactory(
                source=SourceFactory(),
                subject_type=model,
                **{"meeting": None, model: record},
                field="name" if model != "meeting" else "title",
                value=f"v{i}",
            )
    else:
        for i in range(30):
            ClaimFactory(source=source, value=f"v{i}")
    many, _ = queries(client, f"/api/v1/{endpoint}/{slug}/")
    assert few == many
    assert many <= MAX_QUERIES


def test_a_page_count_is_kept_until_the_data_changes():
    build_world(3)
    client = APIClient()
    url = "/api/v1/meetings/?status=held&page_size=1"
    cold, first = queries(client, url)
    with CaptureQueriesContext(connection) as ctx:
        warm = client.get(url).json()
    assert len(ctx.captured_queries) == cold - 1  # the COUNT(*) is not run again
    assert warm["count"] == first["count"] == 3
    MeetingFactory(status="held")  # any write moves the dataset revision on
    with CaptureQueriesContext(connection) as ctx:
        after = client.get(url).json()
    assert after["count"] == 4
    assert len(ctx.captured_queries) == cold
    other = client.get("/api/v1/meetings/?status=planned&page_size=1").json()
    assert other["count"] == 0  # another filter is another count


def test_heads_read_neither_the_agencys_claims_nor_more_as_they_grow():
    agency = AgencyFactory()
    TenureFactory(agency=agency, is_head=True, start_edtf="2000", end_edtf="2001")
    TenureFactory(agency=agency, is_head=True, start_edtf="2001-06", end_edtf="2003")
    client = APIClient()
    url = f"/api/v1/agencies/{agency.slug}/heads/?on=2001-03-01"
    few, heads = queries(client, url)
    for i in range(30):
        ClaimFactory(source=SourceFactory(), subject_type="agency", meeting=None, agency=agency, value=f"v{i}")
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).json() == heads
    assert len(ctx.captured_queries) == few <= 4
    assert not [q["sql"] for q in ctx.captured_queries if "events_claim" in q["sql"]]


def test_every_page_of_one_question_shares_its_count_and_no_other_question_does():
    build_world(3)
    client = APIClient()
    _, first = queries(client, "/api/v1/meetings/?status=held&status=planned&page_size=1")

    def count_queries(url):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).json()
        return sum("COUNT(" in q["sql"].upper() for q in ctx.captured_queries), body

    # Another page, another page size, the same filters in another order: the kept count answers.
    counted, body = count_queries("/api/v1/meetings/?page=2&status=planned&page_size=2&status=held")
    assert (counted, body["count"], len(body["results"])) == (0, 3, 1)
    counted, body = count_queries("/api/v1/meetings/?status=planned&status=held&page=3&page_size=1")
    assert (counted, body["count"], len(body["results"])) == (0, 3, 1)
    # Another filter value, or the same query string on another list, is another question.
    counted, body = count_queries("/api/v1/meetings/?status=held&page_size=1&q=nothing-matches-this")
    assert (counted, body["count"]) == (1, 0)
    counted, body = count_queries("/api/v1/launches/?page_size=1")
    assert (counted, body["count"]) == (1, first["count"])  # three launches: counted, not the meetings' count
