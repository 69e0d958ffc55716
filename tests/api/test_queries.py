"""No N+1: every list endpoint runs as many SQL queries for a page of a few dozen rows as for a few, and few."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from events.models import CrewMember
from tests.api.test_writes import client_for
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
FEW, ROWS = 3, 30
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


class TestLists:
    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def world(cls, django_db_setup, django_db_blocker):
        """One world for every list, rolled back after the last of them."""
        with django_db_blocker.unblock(), transaction.atomic():
            build_world(ROWS)
            yield
            transaction.set_rollback(True)

    @pytest.mark.parametrize("endpoint", ENDPOINTS)
    def test_list_query_count_does_not_grow_with_the_page(self, endpoint):
        client = APIClient()
        # Latest first, so even the first page has earlier meetings to look back to (`previous_meeting`).
        order = "&ordering=-date" if endpoint == "meetings" else ""
        few, body_few = queries(client, f"/api/v1/{endpoint}/?page_size={FEW}{order}")
        many, body_many = queries(client, f"/api/v1/{endpoint}/?page_size={ROWS}{order}")
        assert len(body_few["results"]) == FEW
        assert len(body_many["results"]) == ROWS
        assert few == many, f"{endpoint}: {few} queries for {FEW} rows, {many} for {ROWS}"
        assert many <= MAX_QUERIES, f"{endpoint}: {many} queries"


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


def sql_of(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return [q["sql"].upper() for q in ctx.captured_queries], response


def test_a_page_count_is_kept_until_the_data_changes():
    build_world(3)
    client = APIClient()
    url = "/api/v1/meetings/?status=held&page_size=1"
    cache.clear()
    cold, first = sql_of(client, url)
    assert len([q for q in cold if "COUNT(" in q]) == 1  # not counted yet: counted once
    warm, second = sql_of(client, url)
    assert len(warm) == len(cold) - 1  # the kept count answers: no count query
    assert not [q for q in warm if "COUNT(" in q]
    assert second.json()["count"] == first.json()["count"] == 3
    MeetingFactory(status="held")  # any write moves the dataset revision on
    after, third = sql_of(client, url)
    assert third.json()["count"] == 4
    assert len([q for q in after if "COUNT(" in q]) == 1
    other = client.get("/api/v1/meetings/?status=planned&page_size=1").json()
    assert other["count"] == 0  # another filter is another count


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/meetings/?status=held",  # a page of ids
        "/api/v1/launches/?ordering=name",  # model instances
        "/api/v1/people/?agency={agency}",  # DISTINCT
        "/api/v1/timeline/?date_after=2000-01-01",  # UNION
    ],
)
def test_the_first_read_of_a_question_counts_its_rows_right_on_every_page(url):
    build_world(7)
    client = APIClient()
    url = url.format(agency=CrewMember.objects.first().agency.slug)  # crews, a head and their meetings
    everything = client.get(f"{url}&page_size=200").json()
    total = everything["count"]
    assert total == len(everything["results"]) > 3
    for page in (1, 2, total // 2 + total % 2):
        cache.clear()
        sql, response = sql_of(client, f"{url}&page_size=2&page={page}")
        body = response.json()
        assert body["count"] == total
        assert body["results"] == everything["results"][(page - 1) * 2 : page * 2]
        assert [q for q in sql if "COUNT(" in q]  # not kept yet: counted
    cache.clear()
    past, response = sql_of(client, f"{url}&page_size=2&page={total}")  # past the last page: counted, then 404
    assert response.status_code == 404
    assert [q for q in past if "COUNT(" in q]


def test_heads_read_neither_the_agencys_claims_nor_more_as_they_grow():
    agency = AgencyFactory()
    tenure = TenureFactory(agency=agency, is_head=True, start_edtf="2000", end_edtf="2001")
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
    # Each answer's `support` counts the articles behind its tenure: the tenures' own claims are joined on the
    # tenure in the one query that reads the tenures; the agency's claims are never read.
    claim_sql = [q["sql"] for q in ctx.captured_queries if "events_claim" in q["sql"]]
    assert len(claim_sql) <= 1
    assert all('"events_claim"."tenure_id"' in sql and '"events_claim"."agency_id"' not in sql for sql in claim_sql)
    # More claims about a head tenure raise its support, not the number of queries.
    for i in range(30):
        ClaimFactory(source=SourceFactory(), subject_type="tenure", meeting=None, tenure=tenure, value=f"v{i}")
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        grown = client.get(url).json()
    assert len(ctx.captured_queries) == few
    assert [h["support"] for h in grown["results"] if h["tenure"]["id"] == tenure.pk] == [30]


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
    assert counted > 0
    assert body["count"] == 0
    counted, body = count_queries("/api/v1/launches/?page_size=1")
    assert counted > 0
    assert body["count"] == first["count"]  # three launches: counted, not the meetings' count


def claim_on(meeting, i):
    ClaimFactory(source=SourceFactory(), meeting=meeting, field="title", value=f"title {i}")


def patch_queries(client, meeting, body):
    with CaptureQueriesContext(connection) as ctx:
        response = client.patch(f"/api/v1/meetings/{meeting.slug}/", body, format="json")
    return response, [q["sql"] for q in ctx.captured_queries]


def test_a_writes_answer_reads_as_many_queries_for_many_claims_as_for_few():
    build_world(2)
    few_claims, many_claims = MeetingFactory(status="held"), MeetingFactory(status="held")
    claim_on(few_claims, 0)
    for i in range(30):
        claim_on(many_claims, i)
    source = SourceFactory()
    body = {"status": "planned", "support": {"source": source.slug, "locator": "1", "note": "Test."}}
    few, few_sql = patch_queries(client_for("change_meeting", "add_claim", username="a"), few_claims, body)
    many, many_sql = patch_queries(client_for("change_meeting", "add_claim", username="b"), many_claims, body)
    assert few.status_code == many.status_code == 200, many.content[:300]
    assert len(many.json()["claims"]) == 31  # its title claims and the new status's
    assert len(many_sql) == len(few_sql)


def test_a_refused_write_reads_neither_the_records_claims_nor_its_members():
    build_world(2)
    meeting = MeetingFactory(status="held")
    claim_on(meeting, 0)
    ParticipantFactory(meeting=meeting)
    response, sql = patch_queries(client_for("change_meeting"), meeting, {"title": ["not", "text"]})
    assert response.status_code == 400
    assert not [q for q in sql if '"events_claim"' in q or '"events_participant"' in q], sql
