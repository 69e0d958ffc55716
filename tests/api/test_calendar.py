"""The calendar feed: proposed and planned meetings and launches as iCalendar, read back by two parsers."""

import datetime as dt

import icalendar
import pytest
import vobject
from rest_framework.test import APIClient

from events.models import Launch, Meeting

URL = "/api/v1/calendar.ics"
pytestmark = pytest.mark.django_db


def prospective():
    """(type, slug, earliest, latest, wording) of every dated proposed or planned meeting and launch."""
    rows = set()
    for kind, model in (("meeting", Meeting), ("launch", Launch)):
        for record in model.objects.filter(status__in=["proposed", "planned"]).exclude(date_edtf=""):
            rows.add((kind, record.slug, record.date_earliest, record.date_latest, record.date_text))
    return rows


@pytest.fixture
def feed(seeded):
    response = APIClient().get(URL)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_each_proposed_or_planned_event_is_an_all_day_event_over_its_dates(feed):
    expected = prospective()
    assert len(expected) == 6  # the seed has a season, an interval and an open-ended date among them
    calendar = icalendar.Calendar.from_ical(feed)
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{kind}-{slug}" for kind, slug, *_ in expected}
    for kind, slug, earliest, latest, wording in expected:
        event = events[f"{kind}-{slug}"]
        assert event.decoded("dtstart") == earliest
        assert event.decoded("dtend") == (latest or earliest) + dt.timedelta(days=1)
        url = f"http://testserver/api/v1/{'launches' if kind == 'launch' else 'meetings'}/{slug}/"
        assert str(event["url"]) == url
        assert wording in str(event["description"])
        assert url in str(event["description"])
    summer = events["launch-soyuz-ms-29"]
    assert summer.decoded("dtstart") < dt.date(2026, 7, 1) < summer.decoded("dtend")  # "summer 2026" spans it
    assert str(events["meeting-roscosmos-nasa-moscow-invitation-2025"]["status"]) == "TENTATIVE"  # proposed


def test_a_second_parser_reads_the_same_events(feed):
    calendar = vobject.readOne(feed.decode())
    read = {(e.uid.value.split("@")[0], e.dtstart.value, e.dtend.value, e.summary.value) for e in calendar.vevent_list}
    first = icalendar.Calendar.from_ical(feed)
    assert read == {
        (str(e["uid"]).split("@")[0], e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]))
        for e in first.walk("VEVENT")
    }
    assert len(read) == 6


def test_agency_and_person_keep_the_events_they_all_took_part_in(seeded):
    client = APIClient()

    def uids(query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content[:300]
        return {str(e["uid"]).split("@")[0] for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}

    everything = uids("")
    with_roscosmos = uids("agency=roscosmos")
    assert with_roscosmos
    assert with_roscosmos < everything
    for uid in with_roscosmos:
        kind, slug = uid.split("-", 1)
        if kind == "meeting":
            assert Meeting.objects.get(slug=slug).participants.filter(agency__slug="roscosmos").exists()
    both = uids("agency=roscosmos&agency=nasa")
    assert both <= with_roscosmos
    assert uids("person=jared-isaacman") <= everything


@pytest.mark.parametrize("query", ["agency=no-such-agency", "date_after=2025-01-01", "agency="])
def test_a_bad_parameter_is_a_problem_document_not_a_calendar(seeded, query):
    response = APIClient().get(f"{URL}?{query}", HTTP_ACCEPT="text/calendar")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert query.partition("=")[0] in response.json()["errors"]


def test_any_accept_header_gets_the_calendar(seeded):
    response = APIClient().get(URL, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_the_schema_describes_the_feed(seeded):
    document = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = document["paths"]["/api/v1/calendar.ics"]["get"]
    assert "text/calendar" in operation["responses"]["200"]["content"]
    assert {p["name"] for p in operation["parameters"]} == {"agency", "person"}
