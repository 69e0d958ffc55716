"""Every filter of the /api/v1/ contract, alone and combined, checked against exactly which records come back.

Expected sets are read off the seed dataset (fixtures/*.json); each one is a strict subset of the
unfiltered list, so a filter that is silently ignored fails its test.
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.http import QueryDict
from rest_framework.test import APIClient

from events.api import filters
from events.claimfields import SUBJECT_TYPES
from events.models import Agency, Claim, Place, Tenure
from tests.factories import (
    AgencyFactory,
    LaunchFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    PlaceFactory,
    TenureFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

S000 = "000_6f0f9946363add39"
S001 = "001_c34876a6c97edda2"
S002 = "002_24c54badd1b53c27"
S003 = "003_007efc6446bec603"
S004 = "004_404598c61fc80e23"


FILTER_SETS = {
    "agencies": filters.AgencyFilter,
    "people": filters.PersonFilter,
    "tenures": filters.TenureFilter,
    "places": filters.PlaceFilter,
    "topics": filters.TopicFilter,
    "sources": filters.SourceFilter,
    "meetings": filters.MeetingFilter,
    "launches": filters.LaunchFilter,
    "claims": filters.ClaimFilter,
}


@pytest.fixture
def api(seeded):
    return APIClient()


def filtered(resource, query=""):
    """The records a list's FilterSet keeps for `query`, as the list endpoint runs it."""
    filter_set_class = FILTER_SETS[resource]
    filter_set = filter_set_class(QueryDict(query), queryset=filter_set_class._meta.model.objects.all())
    assert filter_set.is_valid(), filter_set.errors
    return filter_set.qs


def results(api, resource, query=""):
    """Every result of a list request (one page of up to 200), checking the envelope on the way."""
    url = f"{API}/{resource}/?{query}&page_size=200" if query else f"{API}/{resource}/?page_size=200"
    response = api.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    body = response.json()
    assert body["next"] is None
    assert body["count"] == len(body["results"])
    return body["results"]


def slugs(resource, query=""):
    found = list(filtered(resource, query).values_list("slug", flat=True))
    assert len(found) == len(set(found)), f"duplicates in {found}"
    return set(found)


def assert_narrows(resource, query, expected):
    """The filtered list is exactly `expected`, a strict subset of the unfiltered list."""
    everything = slugs(resource)
    assert set(expected) < everything, "the expected set must be narrower than the unfiltered list"
    assert slugs(resource, query) == set(expected)


def assert_problem(response, status, *, names=()):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    for name in names:
        assert name in body["errors"], body
        assert body["errors"][name], body
    return body


# ---------------------------------------------------------------- agencies

AGENCY_CASES = [
    ("q=space", {"nasa", "roscosmos", "esa", "s7-space"}),  # the whole word: SpaceX is another word
    ("q=SPACE", {"nasa", "roscosmos", "esa", "s7-space"}),  # case-insensitive
    ("q=united", {"us-dot", "us-government", "united-nations"}),
    ("q=DOT", {"us-dot"}),  # short name
    ("kind=company", {"spacex", "boeing", "blue-origin", "s7-space", "kosmokurs"}),
    ("kind=intergovernmental", {"esa", "united-nations"}),
    ("kind=government", {"us-dot", "us-government"}),
    ("kind=space_agency", {"nasa", "roscosmos"}),
    ("country=RU", {"roscosmos", "s7-space", "kosmokurs"}),
    ("country=US", {"nasa", "spacex", "boeing", "blue-origin", "us-dot", "us-government"}),
    ("kind=company&country=RU", {"s7-space", "kosmokurs"}),
    ("q=space&kind=company", {"s7-space"}),
    ("q=space&country=US", {"nasa"}),
    ("country=FR", set()),
    ("q=zzz", set()),
]


@pytest.mark.parametrize(("query", "expected"), AGENCY_CASES)
def test_agency_filters(seeded, query, expected):
    assert_narrows("agencies", query, expected)


# ---------------------------------------------------------------- people

PEOPLE_CASES = [
    ("q=dmitry", {"dmitry-bakanov", "dmitry-rogozin"}),
    ("q=MENON", {"anil-menon", "anna-menon"}),
    ("q=anna", {"anna-menon", "anna-kikina"}),
    # Held a post at, met for, or flew for the agency.
    ("agency=nasa", {"jim-bridenstine", "bill-nelson", "sean-duffy", "jared-isaacman", "anil-menon"}),
    (
        "agency=roscosmos",
        {"dmitry-rogozin", "yuri-borisov", "dmitry-bakanov", "pyotr-dubrov", "anna-kikina", "oleg-platonov"},
    ),
    ("agency=esa", {"josef-aschbacher"}),
    ("agency=us-dot", {"sean-duffy"}),
    ("agency=us-government", {"donald-trump"}),
    ("agency=boeing", set()),
    ("q=menon&agency=nasa", {"anil-menon"}),
    ("q=dmitry&agency=roscosmos", {"dmitry-bakanov", "dmitry-rogozin"}),
    ("q=anna&agency=roscosmos", {"anna-kikina"}),
]


@pytest.mark.parametrize(("query", "expected"), PEOPLE_CASES)
def test_people_filters(seeded, query, expected):
    assert_narrows("people", query, expected)


# ---------------------------------------------------------------- tenures

BRIDENSTINE = "jim-bridenstine-nasa-administrator"
NELSON = "bill-nelson-nasa-administrator"
DUFFY_NASA = "sean-duffy-nasa-acting-administrator"
ISAACMAN = "jared-isaacman-nasa-administrator"
ROGOZIN = "dmitry-rogozin-roscosmos-head"
BORISOV = "yuri-borisov-roscosmos-director-general"
BAKANOV = "dmitry-bakanov-roscosmos-director-general"
ASCHBACHER = "josef-aschbacher-esa-director-general"
DUFFY_DOT = "sean-duffy-us-dot-secretary"
TRUMP = "donald-trump-us-president"
ALL_TENURES = {BRIDENSTINE, NELSON, DUFFY_NASA, ISAACMAN, ROGOZIN, BORISOV, BAKANOV, ASCHBACHER, DUFFY_DOT, TRUMP}

TENURE_CASES = [
    ("person=sean-duffy", {DUFFY_NASA, DUFFY_DOT}),
    ("person=jim-bridenstine", {BRIDENSTINE}),
    ("agency=nasa", {BRIDENSTINE, NELSON, DUFFY_NASA, ISAACMAN}),
    ("agency=roscosmos", {ROGOZIN, BORISOV, BAKANOV}),
    ("is_acting=true", {DUFFY_NASA}),
    ("is_acting=false", ALL_TENURES - {DUFFY_NASA}),
    ("is_head=false", set()),  # every seeded tenure leads its agency (see the factory test below)
    # Possibly in office that day: fuzzy bounds allow it, open ends count as "any time".
    ("active_on=2025-07-31", {BRIDENSTINE, NELSON, DUFFY_NASA, BAKANOV, ASCHBACHER, DUFFY_DOT, TRUMP}),
    ("active_on=2018-10-15", {BRIDENSTINE, NELSON, ROGOZIN, BORISOV, ASCHBACHER, DUFFY_DOT, TRUMP}),
    ("active_on=2026-03-01", {ISAACMAN, BAKANOV, ASCHBACHER, DUFFY_DOT, TRUMP}),
    ("active_on=2025-07-31&agency=roscosmos&is_head=true", {BAKANOV}),
    ("active_on=2025-07-31&agency=nasa", {BRIDENSTINE, NELSON, DUFFY_NASA}),
    ("active_on=2025-02-15&agency=roscosmos", {ROGOZIN, BORISOV, BAKANOV}),
    ("active_on=2025-03-01&agency=roscosmos", {BAKANOV}),
    ("person=sean-duffy&agency=nasa", {DUFFY_NASA}),
    ("agency=nasa&is_acting=false", {BRIDENSTINE, NELSON, ISAACMAN}),
    ("person=sean-duffy&is_acting=false", {DUFFY_DOT}),
]


@pytest.mark.parametrize(("query", "expected"), TENURE_CASES)
def test_tenure_filters(seeded, query, expected):
    assert_narrows("tenures", query, expected)


def test_tenure_is_head_filter(seeded):
    deputy = TenureFactory(
        slug="deputy-administrator",
        agency=Agency.objects.get(slug="nasa"),
        title="Deputy Administrator",
        is_head=False,
        start_edtf="2025-03",
    )
    assert slugs("tenures", "is_head=true") == ALL_TENURES
    assert slugs("tenures", "is_head=false") == {deputy.slug}
    assert slugs("tenures", "is_head=false&active_on=2025-07-31&agency=nasa") == {deputy.slug}
    assert slugs("tenures", "is_head=true&active_on=2025-07-31&agency=nasa") == {BRIDENSTINE, NELSON, DUFFY_NASA}


def test_tenure_results_carry_ids_that_resolve(api):
    for item in results(api, "tenures", "person=sean-duffy"):
        assert item["id"] == Tenure.objects.get(slug=item["slug"]).pk


# ---------------------------------------------------------------- places, topics, sources

PLACE_CASES = [
    ("q=center", {"johnson-space-center", "kennedy-space-center"}),
    ("q=space", {"johnson-space-center", "kennedy-space-center", "iss", "tiangong"}),
    (
        "country=US",
        {"houston", "johnson-space-center", "boeing-houston-facilities", "kennedy-space-center", "washington-dc"},
    ),
    ("country=RU", {"moscow"}),
    ("kind=city", {"houston", "washington-dc", "moscow", "vienna", "geneva"}),
    ("kind=station", {"iss", "tiangong"}),
    ("kind=facility", {"johnson-space-center", "boeing-houston-facilities", "kennedy-space-center"}),
    ("kind=spaceport", {"baikonur-cosmodrome"}),
    ("kind=city&country=US", {"houston", "washington-dc"}),
    ("q=station&country=CN", {"tiangong"}),
    ("q=space&kind=station", {"iss", "tiangong"}),
]


@pytest.mark.parametrize(("query", "expected"), PLACE_CASES)
def test_place_filters(seeded, query, expected):
    assert_narrows("places", query, expected)


TOPIC_CASES = [
    ("q=exploration", {"lunar-exploration", "mars-exploration"}),
    (
        "q=station",  # in the name, slug or description
        {"iss-deorbit", "iss-extension", "iss-operations", "russian-orbital-station", "cooperation-beyond-iss"},
    ),
    ("q=science", {"lunar-exploration", "mars-exploration"}),  # description ("Scientific" is another word)
    ("q=Debris", {"space-debris"}),
    (
        "q=iss",  # the word ISS, in any case ("missions" is another word)
        {
            "iss-operations",
            "russian-orbital-station",
            "commercial-resupply-services",
            "soyuz-crew-access-2011-2020",
            "cooperation-beyond-iss",
            "iss-extension",
            "iss-deorbit",
            "low-earth-orbit",
        },
    ),
]


@pytest.mark.parametrize(("query", "expected"), TOPIC_CASES)
def test_topic_filters(seeded, query, expected):
    assert_narrows("topics", query, expected)


SOURCE_CASES = [
    ("q=vienna", {S004}),  # summary
    ("q=washington", {S001}),  # outlet and summary
    ("q=spacenews", {S000}),  # outlet
    ("q=bakanov", {S001, S002, S003, S004}),  # S004 in its reliability note
    ("q=004", set()),  # slugs are not searched
    ("reliability=low", {S000, S004}),
    ("reliability=medium", {S002, S003}),
    ("reliability=high", {S001}),
    ("kind=analysis", {S003, S004}),
    ("kind=aggregator", {S000}),
    ("kind=republished", {S001}),
    ("kind=analysis&reliability=low", {S004}),
    ("q=bakanov&reliability=medium", {S002, S003}),
    ("reliability=unrated", {"seed-editors"}),  # the editors' own judgement
]


@pytest.mark.parametrize(("query", "expected"), SOURCE_CASES)
def test_source_filters(seeded, query, expected):
    assert_narrows("sources", query, expected)


# ---------------------------------------------------------------- meetings

M2018 = "nasa-roscosmos-2018-10"
M2025 = "nasa-roscosmos-2025-07"
HOUSTON = "bakanov-houston-visits-2025-07"
BOEING = "bakanov-boeing-visit-2025-07"
REMARKS = "bakanov-remarks-after-july-2025-talks"
PRESSER = "isaacman-news-conference-2026-02-13"
MOSCOW = "roscosmos-nasa-moscow-invitation-2025"
ESA = "nasa-esa-2026-02-11"
TALKS_2026 = "nasa-roscosmos-isaacman-bakanov-2026"
SOYUZ_VISIT = "isaacman-soyuz-ms-29-launch-visit"
REVIEW = "nasa-roscosmos-iss-review-2025-10"
DECISION = "nasa-roscosmos-iss-decision-2026-q1"
MOON_MARS = "nasa-roscosmos-moon-mars-working-group-2026"

MEETING_CASES = [
    ("q=baikonur", {M2018, SOYUZ_VISIT, PRESSER}),  # title, summary
    ("q=timeline", {REVIEW, DECISION, MOON_MARS}),  # summary
    ("q=Isaacman", {ESA, TALKS_2026, SOYUZ_VISIT, PRESSER}),
    ("q=moscow invitation", {MOSCOW}),  # both words, anywhere in the title
    ("q=moscow-invitation", set()),  # as a phrase (slugs are not searched)
    ("status=held", {M2018, M2025, ESA, REMARKS, PRESSER}),
    ("status=cancelled", set()),  # the Moscow invitation is now proposed; nothing is cancelled
    ("status=disputed", {REVIEW, DECISION, MOON_MARS}),
    (
        "status=held&status=planned",  # any of them
        {M2018, M2025, ESA, REMARKS, PRESSER, HOUSTON, BOEING, SOYUZ_VISIT, TALKS_2026},
    ),
    ("status=planned&status=cancelled", {HOUSTON, BOEING, SOYUZ_VISIT, TALKS_2026}),
    ("status=planned&status=proposed", {HOUSTON, BOEING, SOYUZ_VISIT, TALKS_2026, MOSCOW}),
    ("status=proposed", {MOSCOW}),  # an invitation that was never scheduled
    ("status=proposed&status=cancelled", {MOSCOW}),  # a value nothing has (cancelled) does not empty an any-of filter
    ("status=postponed", set()),
    ("kind=working_group", {REVIEW, MOON_MARS}),
    ("kind=site_visit", {HOUSTON, BOEING}),
    ("kind=launch_visit", {SOYUZ_VISIT}),
    ("kind=announcement", {DECISION, REMARKS, PRESSER}),
    ("agency=esa", {ESA}),
    ("agency=roscosmos", {M2018, M2025, HOUSTON, BOEING, MOSCOW, REMARKS, TALKS_2026}),
    ("agency=nasa", {M2018, M2025, MOSCOW, ESA, PRESSER, TALKS_2026, SOYUZ_VISIT}),
    ("agency=nasa&agency=roscosmos", {M2018, M2025, MOSCOW, TALKS_2026}),  # all of them took part
    ("agency=nasa&agency=esa", {ESA}),
    ("agency=esa&agency=roscosmos", set()),
    ("person=dmitry-bakanov", {M2025, HOUSTON, BOEING, MOSCOW, REMARKS, TALKS_2026}),
    ("person=dmitry-bakanov&person=sean-duffy", {M2025, MOSCOW}),
    ("person=jared-isaacman", {ESA, PRESSER, TALKS_2026, SOYUZ_VISIT}),
    ("person=jared-isaacman&person=dmitry-bakanov", {TALKS_2026}),
    ("person=jared-isaacman&person=sean-duffy", set()),
    ("person=bill-nelson", set()),  # only 004 names him, and that claim is deprecated
    ("head_of=esa", {ESA}),
    ("head_of=nasa", {M2018, M2025, MOSCOW, ESA, PRESSER, TALKS_2026, SOYUZ_VISIT}),
    ("head_of=roscosmos", {M2018, M2025, HOUSTON, BOEING, MOSCOW, REMARKS, TALKS_2026}),
    ("head_of=nasa&head_of=roscosmos", {M2018, M2025, MOSCOW, TALKS_2026}),
    ("head_of=nasa&head_of=roscosmos&status=held", {M2018, M2025}),
    ("head_of=nasa&head_of=esa", {ESA}),
    ("place=houston", {HOUSTON, BOEING}),  # at Johnson Space Center and Boeing's sites, both in Houston
    ("place=johnson-space-center", {HOUSTON}),
    ("place=baikonur-cosmodrome", {M2018, SOYUZ_VISIT}),
    ("place=kennedy-space-center", {M2025}),
    ("place=moscow", {MOSCOW}),
    ("place=vienna", set()),
    ("topic=iss-operations", {M2018, M2025, TALKS_2026, REVIEW, PRESSER}),
    ("topic=lunar-exploration", {ESA, MOON_MARS}),
    ("topic=cross-flights", {M2018, M2025}),
    ("topic=space-debris", set()),
    # Overlap semantics on [earliest, latest]; an open end reaches any day on its side.
    ("date_after=2026-01-01", {DECISION, ESA, PRESSER, TALKS_2026, MOON_MARS, SOYUZ_VISIT}),
    ("date_after=2026-09-01", {TALKS_2026}),  # 2026-02-13/.. has no latest day
    ("date_before=2025-07-15", {M2018, HOUSTON, BOEING}),  # 2025-07/2025-08 could be 1-15 July
    ("date_before=2018-12-31", {M2018}),
    ("date_after=2025-07-31&date_before=2025-07-31", {HOUSTON, BOEING, M2025, REMARKS}),
    ("date_after=2025-08-01&date_before=2025-09-30", {HOUSTON, BOEING, MOSCOW, REMARKS}),
    ("date_after=2025-07-01&date_before=2025-12-31", {HOUSTON, BOEING, M2025, MOSCOW, REMARKS, REVIEW}),
    ("date_after=2026-03-31&date_before=2026-03-31", {DECISION, TALKS_2026}),
    ("date_after=2026-04-01&date_before=2026-04-30", {TALKS_2026}),
    ("date_after=2019-01-01&date_before=2024-12-31", set()),
    # Combinations.
    ("agency=roscosmos&date_after=2025-08-01", {HOUSTON, BOEING, MOSCOW, REMARKS, TALKS_2026}),
    ("topic=iss-extension&status=disputed", {DECISION}),
    ("person=dmitry-bakanov&status=held&status=planned", {M2025, HOUSTON, BOEING, REMARKS, TALKS_2026}),
    ("q=Isaacman&status=planned", {SOYUZ_VISIT, TALKS_2026}),
    ("kind=bilateral&status=held&date_after=2020-01-01", {M2025, ESA}),
    ("place=baikonur-cosmodrome&head_of=nasa&date_after=2020-01-01", {SOYUZ_VISIT}),
    ("head_of=roscosmos&topic=iss-operations", {M2018, M2025, TALKS_2026}),
]


@pytest.mark.parametrize(("query", "expected"), MEETING_CASES)
def test_meeting_filters(seeded, query, expected):
    assert_narrows("meetings", query, expected)


# The meetings without a place, and the announcements, have no known format.
MEETING_FORMAT_CASES = [
    ("attendance=unknown", {TALKS_2026, REVIEW, DECISION, MOON_MARS, REMARKS, PRESSER}),
    ("attendance=in_person", {M2018, M2025, HOUSTON, BOEING, MOSCOW, ESA, SOYUZ_VISIT}),
    ("attendance=virtual", set()),
    ("attendance=unknown&status=disputed", {REVIEW, DECISION, MOON_MARS}),
]


@pytest.mark.parametrize(("query", "expected"), MEETING_FORMAT_CASES)
def test_meeting_format_filter(seeded, query, expected):
    assert_narrows("meetings", query, expected)


def test_meeting_formats_in_the_data(api):
    """What the `attendance` filter should find, read off the list and the fixtures, whatever the filter does."""
    formats = {m["slug"]: m["format"] for m in results(api, "meetings")}
    seeded = json.loads((FIXTURES / "events.json").read_text(encoding="utf-8"))
    assert formats == {o["fields"]["slug"]: o["fields"]["format"] for o in seeded if o["model"] == "events.meeting"}
    for value in ("unknown", "in_person", "virtual"):
        expected = dict(MEETING_FORMAT_CASES)[f"attendance={value}"]
        assert {slug for slug, found in formats.items() if found == value} == expected, value


def test_headline_question_heads_of_nasa_and_roscosmos_met_in_person(api):
    """When did the heads of NASA and Roscosmos actually meet? In October 2018, then 31 July 2025."""
    found = results(api, "meetings", "head_of=nasa&head_of=roscosmos&status=held&ordering=date")
    assert [m["slug"] for m in found] == [M2018, M2025]
    assert [m["date"]["edtf"] for m in found] == ["2018-10", "2025-07-31"]
    found = results(api, "meetings", "head_of=nasa&head_of=roscosmos&status=held&ordering=-date")
    assert [m["slug"] for m in found] == [M2025, M2018]


def test_head_of_needs_the_head_not_just_the_agency(seeded):
    """A non-head from an agency counts for `agency` but not for `head_of`."""
    nasa, roscosmos = Agency.objects.get(slug="nasa"), Agency.objects.get(slug="roscosmos")
    meeting = MeetingFactory(slug="working-level-talks", status="held", date_edtf="2025-09")
    deputy = TenureFactory(agency=nasa, is_head=False, title="Deputy Administrator", start_edtf="2025-03")
    ParticipantFactory(meeting=meeting, person=deputy.person, agency=nasa, tenure=deputy)
    ParticipantFactory(meeting=meeting, person=PersonFactory(), agency=roscosmos, tenure=None)

    assert "working-level-talks" in slugs("meetings", "agency=nasa&agency=roscosmos")
    assert slugs("meetings", "head_of=nasa&head_of=roscosmos&status=held") == {M2018, M2025}
    assert "working-level-talks" not in slugs("meetings", "head_of=nasa")
    assert "working-level-talks" not in slugs("meetings", "head_of=roscosmos")


def test_undated_meetings_never_match_a_date_bound(seeded):
    MeetingFactory(slug="undated-talks", date_edtf="")
    assert "undated-talks" in slugs("meetings")
    assert "undated-talks" not in slugs("meetings", "date_after=1900-01-01")
    assert "undated-talks" not in slugs("meetings", "date_before=2100-12-31")
    assert "undated-talks" not in slugs("meetings", "date_after=1900-01-01&date_before=2100-12-31")


def test_place_filter_reaches_places_within_places(seeded):
    """Meetings at facilities inside Houston are found by `place=houston`; one in Houston itself too."""
    assert slugs("meetings", "place=houston") == {HOUSTON, BOEING}
    MeetingFactory(slug="city-hall-talks", place=Place.objects.get(slug="houston"))
    assert slugs("meetings", "place=houston") == {HOUSTON, BOEING, "city-hall-talks"}
    assert slugs("meetings", "place=johnson-space-center") == {HOUSTON}


def test_place_filter_reaches_places_nested_deeper(seeded):
    building = PlaceFactory(slug="building-9", kind="facility", parent=Place.objects.get(slug="johnson-space-center"))
    MeetingFactory(slug="mockup-tour", place=building)
    assert slugs("meetings", "place=johnson-space-center") == {HOUSTON, "mockup-tour"}
    assert slugs("meetings", "place=houston") == {HOUSTON, BOEING, "mockup-tour"}


def test_repeatable_agency_with_a_third_party(seeded):
    """`agency` is all-of: adding an agency that was not there empties the result."""
    extra = AgencyFactory(slug="extra-agency")
    meeting = MeetingFactory(slug="three-way-talks", date_edtf="2025-09")
    for agency_slug in ("nasa", "roscosmos"):
        ParticipantFactory(meeting=meeting, agency=Agency.objects.get(slug=agency_slug))
    ParticipantFactory(meeting=meeting, agency=extra)
    assert slugs("meetings", "agency=nasa&agency=roscosmos&agency=extra-agency") == {"three-way-talks"}
    assert "three-way-talks" in slugs("meetings", "agency=nasa&agency=roscosmos")


# ---------------------------------------------------------------- launches

LAUNCH_CASES = [
    ("q=dragon", {"crew-11"}),  # spacecraft
    ("q=soyuz", {"soyuz-ms-10", "soyuz-ms-28", "soyuz-ms-29"}),
    ("q=isaacman", {"crew-12", "inspiration4", "polaris-dawn", "soyuz-ms-28", "soyuz-ms-29"}),  # summaries
    ("q=polaris", {"polaris-dawn"}),
    ("status=planned", {"soyuz-ms-29"}),
    ("status=aborted_crew_safe", {"soyuz-ms-10"}),
    ("status=launched", {"soyuz-ms-28", "crew-11", "crew-12", "polaris-dawn", "inspiration4"}),
    ("status=success", set()),
    ("agency=roscosmos", {"soyuz-ms-10", "soyuz-ms-28", "soyuz-ms-29", "crew-11"}),  # operator, or crew (Platonov)
    ("agency=nasa", {"soyuz-ms-29"}),  # crew only: Anil Menon
    ("agency=spacex", {"crew-11", "inspiration4"}),
    ("agency=esa", set()),
    ("person=jared-isaacman", {"polaris-dawn", "inspiration4"}),
    ("person=oleg-platonov", {"crew-11"}),
    ("person=anil-menon", {"soyuz-ms-29"}),
    ("person=sean-duffy", set()),
    ("site=baikonur-cosmodrome", {"soyuz-ms-10", "soyuz-ms-29"}),
    ("site=kennedy-space-center", set()),
    # crew-11 is 2025-07-31/2025-08-31, inspiration4 ../2024 (no earliest day).
    ("date_after=2026-01-01", {"soyuz-ms-29", "crew-12"}),
    ("date_after=2025-01-01", {"soyuz-ms-28", "soyuz-ms-29", "crew-11", "crew-12"}),  # past inspiration4's latest day
    ("date_after=2026-02-17", {"soyuz-ms-29"}),
    ("date_before=2018-12-31", {"soyuz-ms-10", "inspiration4"}),  # ../2024 has no earliest day
    ("date_after=2025-08-15&date_before=2025-08-20", {"soyuz-ms-28", "crew-11"}),
    ("date_after=2024-06-01&date_before=2024-06-30", {"polaris-dawn", "inspiration4"}),
    ("date_after=2026-02-13&date_before=2026-02-13", {"crew-12"}),
    ("date_after=2026-02-14&date_before=2026-05-31", set()),  # between Crew-12 and summer 2026
    ("date_after=2026-02-17&date_before=2026-06-01", {"soyuz-ms-29"}),  # summer 2026 starts 1 June
    ("date_before=2025-07-30", {"soyuz-ms-10", "polaris-dawn", "inspiration4"}),  # crew-11 starts 2025-07-31
    ("agency=roscosmos&status=launched", {"soyuz-ms-28", "crew-11"}),
    ("agency=roscosmos&person=pyotr-dubrov", {"soyuz-ms-29"}),
    ("agency=nasa&person=pyotr-dubrov", {"soyuz-ms-29"}),
    ("agency=spacex&person=jared-isaacman", {"inspiration4"}),
    ("status=launched&date_after=2025-01-01", {"soyuz-ms-28", "crew-11", "crew-12"}),
    ("site=baikonur-cosmodrome&date_before=2020-01-01", {"soyuz-ms-10"}),
    ("status=planned&status=aborted_crew_safe", {"soyuz-ms-29", "soyuz-ms-10"}),
]


@pytest.mark.parametrize(("query", "expected"), LAUNCH_CASES)
def test_launch_filters(seeded, query, expected):
    assert_narrows("launches", query, expected)


def test_undated_launch_never_matches_a_date_bound(seeded):
    """No seeded launch is undated any more (inspiration4 is ../2024), so make one."""
    LaunchFactory(slug="undated-launch", date_edtf="")
    assert "undated-launch" in slugs("launches")
    assert "undated-launch" not in slugs("launches", "date_after=1900-01-01")
    assert "undated-launch" not in slugs("launches", "date_before=2100-12-31")
    assert "undated-launch" not in slugs("launches", "date_after=1900-01-01&date_before=2100-12-31")


def test_open_ended_launch_dates_match_bounds_on_their_open_side(seeded):
    assert "inspiration4" in slugs("launches", "date_before=1900-01-01")
    assert "inspiration4" not in slugs("launches", "date_after=2025-01-01")
    # No seeded launch is open at its end any more (crew-11 is 2025-07-31/2025-08-31), so make one.
    LaunchFactory(slug="open-ended-launch", date_edtf="2025-07-31/..")
    assert "crew-11" not in slugs("launches", "date_after=2100-12-31")
    assert "open-ended-launch" in slugs("launches", "date_after=2100-12-31")
    assert "open-ended-launch" not in slugs("launches", "date_before=2025-07-30")


# ---------------------------------------------------------------- claims


def _fixture_claims():
    """Each seeded claim as (source, subject_type, subject slug, field, value, rank)."""
    rows = []
    for obj in json.loads((FIXTURES / "claims.json").read_text(encoding="utf-8")):
        f = obj["fields"]
        subject_type = f["subject_type"]
        rows.append(
            (f["source"][0], subject_type, f[subject_type][0], f["field"], f["value"], f["rank"]),
        )
    return rows


FIXTURE_CLAIMS = _fixture_claims()


def claim_keys(query=""):
    """The claims the claims list keeps for `query`, as (source, subject_type, subject slug, field, value, rank)."""
    claims = filtered("claims", query).select_related("source", *SUBJECT_TYPES)
    keys = [(c.source.slug, c.subject_type, getattr(c, c.subject_type).slug, c.field, c.value, c.rank) for c in claims]
    assert len(keys) == len(set(keys))
    return set(keys)


def expected_claims(predicate):
    return {c for c in FIXTURE_CLAIMS if predicate(*c)}


def assert_claims(query, expected):
    assert len(FIXTURE_CLAIMS) == 399
    assert expected < set(FIXTURE_CLAIMS)
    assert claim_keys(query) == expected


def test_all_claims_match_the_fixtures(seeded):
    assert claim_keys() == set(FIXTURE_CLAIMS)


@pytest.mark.parametrize(
    ("query", "predicate", "count"),
    [
        (f"source={S003}", lambda src, st, subj, fld, val, rank: src == S003, 25),
        (f"source={S000}", lambda src, st, subj, fld, val, rank: src == S000, 22),
        ("subject_type=tenure", lambda src, st, subj, fld, val, rank: st == "tenure", 76),
        ("subject_type=place", lambda src, st, subj, fld, val, rank: st == "place", 41),
        ("subject=nasa-roscosmos-2025-07", lambda src, st, subj, fld, val, rank: subj == "nasa-roscosmos-2025-07", 28),
        ("subject=iss", lambda src, st, subj, fld, val, rank: (st, subj) == ("place", "iss"), 7),
        ("subject=donald-trump-us-president", lambda src, st, subj, fld, val, rank: subj == TRUMP, 6),
        ("field=status", lambda src, st, subj, fld, val, rank: fld == "status", 31),
        ("field=date", lambda src, st, subj, fld, val, rank: fld == "date", 28),
        ("rank=deprecated", lambda src, st, subj, fld, val, rank: rank == "deprecated", 10),
        ("rank=preferred", lambda src, st, subj, fld, val, rank: rank == "preferred", 116),
        ("rank=normal", lambda src, st, subj, fld, val, rank: rank == "normal", 273),
        (
            "subject_type=meeting&field=place",
            lambda src, st, subj, fld, val, rank: (st, fld) == ("meeting", "place"),
            10,
        ),
        (
            f"source={S004}&rank=deprecated",
            lambda src, st, subj, fld, val, rank: (src, rank) == (S004, "deprecated"),
            None,
        ),
        (
            f"subject=nasa-roscosmos-2025-07&field=status&source={S002}",
            lambda src, st, subj, fld, val, rank: (subj, fld, src) == ("nasa-roscosmos-2025-07", "status", S002),
            1,
        ),
        (
            "subject_type=launch&field=date&rank=preferred",
            lambda src, st, subj, fld, val, rank: (st, fld, rank) == ("launch", "date", "preferred"),
            7,
        ),
    ],
)
def test_claim_filters(seeded, query, predicate, count):
    expected = expected_claims(predicate)
    if count is not None:
        assert len(expected) == count
    assert expected
    assert_claims(query, expected)


def test_best_rank_keeps_each_groups_preferred_claims_else_its_normal_ones(seeded):
    groups = defaultdict(list)
    for claim in Claim.objects.select_related("source", *SUBJECT_TYPES):
        groups[claim.subject_type, getattr(claim, claim.subject_type).slug, claim.field].append(claim)
    expected, by_branch = set(), Counter()
    for claims in groups.values():
        live = [c for c in claims if c.superseded_by_id is None]  # a superseded claim is never best
        preferred = [c for c in live if c.rank == "preferred"]
        best = preferred or [c for c in live if c.rank == "normal"]
        by_branch["preferred" if preferred else "normal"] += 1
        by_branch["normal left out"] += bool(preferred and any(c.rank == "normal" for c in live))
        by_branch["superseded left out"] += len(claims) - len(live)
        expected |= {
            (c.source.slug, c.subject_type, getattr(c, c.subject_type).slug, c.field, c.value, c.rank) for c in best
        }
    assert min(by_branch.values()) > 0, by_branch  # the seed has every case
    assert claim_keys("rank=best") == expected


def test_best_rank_is_one_of_the_documented_ranks(api):
    assert_problem(api.get(f"{API}/claims/?rank=better"), 400, names=["rank"])
    document = api.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    (rank,) = [p for p in document["paths"]["/api/v1/claims/"]["get"]["parameters"] if p["name"] == "rank"]
    assert rank["schema"]["enum"] == ["best", "deprecated", "normal", "preferred"]
    assert api.get(f"{API}/claims/?rank=best&page_size=1").json()["count"] == len(claim_keys("rank=best"))


def test_claim_filter_by_tenure_id(seeded):
    pk = Tenure.objects.get(slug=TRUMP).pk
    expected = expected_claims(lambda src, st, subj, fld, val, rank: (st, subj) == ("tenure", TRUMP))
    assert {(c[3], c[4], c[5]) for c in expected} == {
        ("title", "President", "preferred"),
        ("title", "former President", "deprecated"),
        ("person", "donald-trump", "normal"),
        ("agency", "us-government", "normal"),
        ("is_head", "true", "normal"),
        ("start", "../2025-07", "normal"),
    }
    assert_claims(f"subject={pk}", expected)
    assert_claims(f"subject_type=tenure&subject={pk}", expected)


def test_claim_subject_and_subject_type_must_agree(seeded):
    assert claim_keys("subject_type=agency&subject=nasa-roscosmos-2025-07") == set()
    assert claim_keys("subject=no-such-record") == set()


# Open disagreements in the seed: one subject and field, different values, different sources, none
# deprecated. Dates disagree only when their ranges cannot overlap (2025-07 vs 2025-07-31 agree). A status a
# later source moved forward (Crew-11 planned, then launched; the July 2025 talks planned, then held) is
# superseded, not disputed, so neither side of such a pair is here.
CONFLICTING = {
    (S001, "meeting", M2025, "place", "kennedy-space-center", "preferred"),
    (S002, "meeting", M2025, "place", "houston", "normal"),
    # 004's wider agenda for the July talks is no longer deprecated, so it disagrees with 002 and 003.
    (S002, "meeting", M2025, "topics", "cross-flights,iss-deorbit,iss-extension,iss-operations", "preferred"),
    (S003, "meeting", M2025, "topics", "cross-flights,iss-deorbit,iss-extension,iss-operations", "normal"),
    (
        S004,
        "meeting",
        M2025,
        "topics",
        "cross-flights,iss-extension,lunar-exploration,mars-exploration,science-cooperation,space-debris",
        "normal",
    ),
    # The editors judge 004's follow-up timeline disputed; 004 itself calls it planned or proposed.
    (S004, "meeting", REVIEW, "status", "planned", "normal"),
    ("seed-editors", "meeting", REVIEW, "status", "disputed", "preferred"),
    (S004, "meeting", DECISION, "status", "planned", "normal"),
    ("seed-editors", "meeting", DECISION, "status", "disputed", "preferred"),
    (S004, "meeting", MOON_MARS, "status", "proposed", "normal"),
    ("seed-editors", "meeting", MOON_MARS, "status", "disputed", "preferred"),
}


def test_conflicting_claims(seeded):
    assert set(FIXTURE_CLAIMS) > CONFLICTING
    assert claim_keys("conflicting=true") == CONFLICTING


def test_conflicting_leaves_out_deprecated_claims(seeded):
    found = claim_keys("conflicting=true")
    assert not {c for c in found if c[5] == "deprecated"}
    # 004's Vienna/Geneva, its 25 August date and its Nelson/Borisov participants are judged wrong.
    vienna = (S004, "meeting", M2025, "place", "vienna", "deprecated")
    assert vienna in set(FIXTURE_CLAIMS)
    assert vienna not in found
    # 004's late-August dates for the July talks are both deprecated, so they open no date conflict.
    late_august = {
        (S004, "meeting", M2025, "date", "2025-08-21/2025-08-31", "deprecated"),
        (S004, "meeting", M2025, "date", "2025-08-25", "deprecated"),
    }
    assert late_august < set(FIXTURE_CLAIMS)
    assert not late_august & found
    # 2018-10 vs 2018 and 2025-07-31 vs 2025-07: overlapping dates are not a conflict.
    assert not {c for c in found if c[3] == "date"}


def test_agreeing_or_uncontested_claims_are_not_conflicting(seeded):
    found = claim_keys("conflicting=true")
    # 001 and 000 now both call the 2026 talks planned.
    talks_status = expected_claims(lambda src, st, subj, fld, val, rank: (subj, fld) == (TALKS_2026, "status"))
    assert {(c[0], c[4]) for c in talks_status} == {(S001, "planned"), (S000, "planned")}
    assert not talks_status & found
    # Only 004 lists the 2018 topics, so nothing contradicts them.
    topics_2018 = expected_claims(lambda src, st, subj, fld, val, rank: (subj, fld) == (M2018, "topics"))
    assert {(c[0], c[5]) for c in topics_2018} == {(S004, "normal")}
    assert not topics_2018 & found


def test_not_conflicting_claims(seeded):
    assert_claims("conflicting=false", set(FIXTURE_CLAIMS) - CONFLICTING)


def test_conflicting_combined_with_other_filters(seeded):
    assert_claims("conflicting=true&subject_type=launch", {c for c in CONFLICTING if c[1] == "launch"})
    superseded = Claim.objects.get(source__slug=S002, launch__slug="crew-11", field="status", value="planned")
    assert superseded.superseded_by is not None
    assert_claims(f"conflicting=true&source={S001}", {c for c in CONFLICTING if c[0] == S001})
    assert_claims("conflicting=true&field=place", {c for c in CONFLICTING if c[3] == "place"})
    assert claim_keys("conflicting=true&subject_type=tenure") == set()


# ---------------------------------------------------------------- the same filters over HTTP

WIRING_CASES = [
    ("agencies", "q=space&kind=company"),
    ("people", "q=menon&agency=nasa"),
    ("tenures", "active_on=2025-07-31&agency=roscosmos&is_head=true"),
    ("places", "country=US"),
    ("topics", "q=iss"),
    ("sources", "reliability=high"),
    ("meetings", "head_of=nasa&head_of=roscosmos&status=held&date_after=2018-01-01"),
    ("launches", "status=planned&status=aborted_crew_safe"),
    ("claims", "conflicting=true&field=place"),
]


@pytest.mark.parametrize(("resource", "query"), WIRING_CASES)
def test_each_list_answers_with_what_its_filter_set_keeps(api, resource, query):
    """The filters above are tested on the FilterSets; each list endpoint must apply its set to the query."""
    key = "id" if resource == "claims" else "slug"
    expected = set(filtered(resource, query).values_list(key, flat=True))
    assert expected, "pick a query that finds something"
    assert expected < set(filtered(resource).values_list(key, flat=True))
    assert {item[key] for item in results(api, resource, query)} == expected


# ---------------------------------------------------------------- invalid values


@pytest.mark.parametrize(
    ("resource", "query", "name"),
    [
        ("meetings", "date_after=soon", "date_after"),
        ("meetings", "date_before=2025-13-01", "date_before"),
        ("launches", "date_after=soon", "date_after"),
        ("launches", "date_before=2025-7-31x", "date_before"),
        ("tenures", "active_on=yesterday", "active_on"),
        ("tenures", "active_on=2025-02-30", "active_on"),
        ("meetings", "head_of=no-such-agency", "head_of"),
        ("meetings", "head_of=nasa&head_of=no-such-agency", "head_of"),
        ("meetings", "agency=no-such-agency", "agency"),
        ("meetings", "person=nobody", "person"),
        ("meetings", "place=atlantis", "place"),
        ("meetings", "topic=nothing", "topic"),
        ("meetings", "status=exploded", "status"),
        ("meetings", "status=held&status=exploded", "status"),
        ("meetings", "kind=bogus", "kind"),
        ("launches", "status=exploded", "status"),
        ("launches", "agency=no-such-agency", "agency"),
        ("launches", "person=nobody", "person"),
        ("launches", "site=atlantis", "site"),
        ("people", "agency=no-such-agency", "agency"),
        ("tenures", "person=nobody", "person"),
        ("tenures", "agency=no-such-agency", "agency"),
        ("agencies", "kind=bogus", "kind"),
        ("places", "kind=bogus", "kind"),
        ("sources", "kind=bogus", "kind"),
        ("sources", "reliability=excellent", "reliability"),
        ("claims", "subject_type=nonsense", "subject_type"),
        ("claims", "rank=bogus", "rank"),
        ("claims", "source=no-such-source", "source"),
    ],
)
def test_invalid_filter_value_is_400_naming_it(api, resource, query, name):
    assert_problem(api.get(f"{API}/{resource}/?{query}"), 400, names=[name])


@pytest.mark.parametrize(
    ("resource", "query", "name"),
    [
        pytest.param(
            "tenures",
            "is_head=maybe",
            "is_head",
        ),
        pytest.param(
            "tenures",
            "is_acting=maybe",
            "is_acting",
        ),
        pytest.param(
            "claims",
            "conflicting=maybe",
            "conflicting",
        ),
    ],
)
def test_invalid_boolean_is_400_naming_it(api, resource, query, name):
    assert_problem(api.get(f"{API}/{resource}/?{query}"), 400, names=[name])


@pytest.mark.parametrize(
    ("resource", "query"),
    [
        ("meetings", "date_after=03/04/2025"),
        ("launches", "date_before=03/04/2025"),
        ("tenures", "active_on=03/04/2025"),
    ],
)
def test_date_outside_iso_format_is_400(api, resource, query):
    name = query.partition("=")[0]
    assert_problem(api.get(f"{API}/{resource}/?{query}"), 400, names=[name])


@pytest.mark.parametrize(
    ("resource", "query", "name"),
    [
        ("meetings", "statuss=held", "statuss"),
        ("meetings", "status=held&date_afterr=2025-01-01", "date_afterr"),
        ("launches", "crew=anil-menon", "crew"),
        ("agencies", "name=NASA", "name"),
        ("people", "search=dmitry", "search"),
        ("tenures", "on=2025-07-31", "on"),
        ("places", "parent=houston", "parent"),
        ("topics", "kind=city", "kind"),
        ("sources", "outlet=x", "outlet"),
        ("claims", "subjects=nasa", "subjects"),
    ],
)
def test_unknown_parameter_is_400_naming_it(api, resource, query, name):
    assert_problem(api.get(f"{API}/{resource}/?{query}"), 400, names=[name])


@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        ("meetings/nasa-roscosmos-2018-10", "status=planned", "status"),  # a list filter, even one that would match
        ("people/anil-menon", "agency=nasa", "agency"),
        ("agencies/nasa", "page=1", "page"),
        ("launches/soyuz-ms-28", "ordering=name", "ordering"),
    ],
)
def test_a_parameter_on_a_records_url_is_a_400_naming_it(api, path, query, name):
    response = api.get(f"{API}/{path}/?{query}")
    assert_problem(response, 400, names=[name])
    # A record's fields can be chosen; nothing else applies to it.
    assert response.json()["errors"][name] == ["Unknown parameter. Known parameters: fields, omit."]


# --- a parameter given empty -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "param"),
    [
        ("agencies", "kind"),
        ("people", "agency"),
        ("tenures", "active_on"),
        ("tenures", "is_head"),
        ("meetings", "status"),
        ("meetings", "date_after"),
        ("meetings", "head_of"),
        ("launches", "date_before"),
        ("claims", "subject_type"),
        ("timeline", "date_before"),
        ("conflicts", "resolved"),
    ],
)
def test_a_filter_given_empty_is_a_400_naming_it(api, resource, param):
    response = api.get(f"{API}/{resource}/?{param}=")
    assert response.status_code == 400, response.content
    assert param in response.json()["errors"]


def test_an_empty_search_still_matches_everything(api):
    response = api.get(f"{API}/meetings/?q=")
    assert response.status_code == 200
    assert response.json()["count"] == api.get(f"{API}/meetings/").json()["count"]


def test_heads_on_given_empty_is_a_400_naming_it(api):
    response = api.get(f"{API}/agencies/nasa/heads/?on=")
    assert response.status_code == 400
    assert "on" in response.json()["errors"]
