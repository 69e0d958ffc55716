"""Derived reads on the seed dataset: heads on a day, previous meetings, timeline and conflicts."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Agency, Claim, Launch, Meeting, Person, Source, Tenure
from tests.factories import ClaimFactory, LaunchFactory, MeetingFactory, ParticipantFactory, TenureFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
S001 = "001_c34876a6c97edda2"
S002 = "002_24c54badd1b53c27"
S003 = "003_007efc6446bec603"
S004 = "004_404598c61fc80e23"


@pytest.fixture
def client():
    return APIClient()


def get_ok(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def assert_problem(response, status, *names):
    """A problem-details response; for a 400, `errors` names each of `names`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    for name in names:
        assert name in body["errors"], body
        assert name in body["detail"]
    return body


def all_pages(client, url, **params):
    """Follow `next` links; return every result."""
    page = get_ok(client, url, **params)
    results = list(page["results"])
    while page["next"]:
        page = get_ok(client, page["next"])
        results += page["results"]
    return results


# --- agencies/{slug}/heads/ -------------------------------------------------------------------


def heads(client, agency, **params):
    return {
        h["person"]["slug"]: h["certainty"]
        for h in get_ok(client, f"{API}/agencies/{agency}/heads/", **params)["results"]
    }


def test_heads_roscosmos_on_the_day_of_the_talks(client, seeded):
    assert heads(client, "roscosmos", on="2025-07-31") == {"dmitry-bakanov": "certain"}


def test_heads_nasa_on_the_day_of_the_talks(client, seeded):
    # Sean Duffy's acting tenure surely covers 31 July 2025 (start by 2025-07, end no earlier than
    # 2025-07-31). Bridenstine's end (2018-10/2025-07) and Nelson's end (../2025-07) allow
    # the day without proving it, but an agency has one head at a time, so Duffy's certainty rules
    # them out; Isaacman started 2025-08 at the earliest.
    assert heads(client, "nasa", on="2025-07-31") == {"sean-duffy": "certain"}
    # The tenures list still counts them as possibly in office that day.
    tenures = get_ok(client, f"{API}/tenures/", agency="nasa", active_on="2025-07-31", page_size=200)["results"]
    assert {t["slug"] for t in tenures} == {
        "sean-duffy-nasa-acting-administrator",
        "jim-bridenstine-nasa-administrator",
        "bill-nelson-nasa-administrator",
    }


def test_heads_a_certain_answer_rules_out_the_possible_ones_with_the_tenure(client, seeded):
    answers = get_ok(client, f"{API}/agencies/nasa/heads/", on="2025-07-31")["results"]
    assert [a["certainty"] for a in answers] == ["certain"]
    first = answers[0]
    assert set(first) == {"certainty", "support", "grounds", "person", "tenure"}
    assert first["person"]["slug"] == "sean-duffy"
    assert first["support"] == 3  # 001, 002 and 003 each back his acting tenure
    assert "certain" in first["grounds"]
    assert first["person"]["url"].endswith("/api/v1/people/sean-duffy/")
    tenure = first["tenure"]
    assert tenure["slug"] == "sean-duffy-nasa-acting-administrator"
    assert tenure["agency"]["slug"] == "nasa"
    assert tenure["is_head"] is True
    assert tenure["is_acting"] is True
    assert tenure["start"]["edtf"] == "2025/2025-07"
    assert tenure["end"] == {
        "edtf": "2025-07-31/2026-02-11",
        "earliest": "2025-07-31",
        "latest": "2026-02-11",
        "text": tenure["end"]["text"],
    }


def test_heads_roscosmos_in_2020_are_only_possible(client, seeded):
    # Rogozin was in office by 2018-10 and left between 2018-10 and 2025-02; Borisov started between
    # 2018-10 and 2025-02 and left by 2025-02. Neither is certain on 1 January 2020; Bakanov started in 2025.
    assert heads(client, "roscosmos", on="2020-01-01") == {"dmitry-rogozin": "possible", "yuri-borisov": "possible"}


def test_heads_between_two_fuzzy_tenures(client, seeded):
    # Duffy surely served until 2025-07-31 and perhaps until 2026-02-11; Isaacman perhaps from
    # 2025-08 and surely from 2026-02-11. In between, both are possible and neither is certain.
    assert heads(client, "nasa", on="2025-08-15") == {"sean-duffy": "possible", "jared-isaacman": "possible"}
    # On 2026-02-11 Duffy is still possible, but Isaacman is certain, which rules Duffy out.
    assert heads(client, "nasa", on="2026-02-11") == {"jared-isaacman": "certain"}


def test_heads_possible_answers_are_sorted_by_support_then_start(client, seeded):
    # Neither is certain on 15 August 2025. Duffy's tenure is backed by three articles, Isaacman's by one
    # (001); Duffy's start (2025/2025-07) also precedes Isaacman's (2025-08/2026-02-11).
    answers = get_ok(client, f"{API}/agencies/nasa/heads/", on="2025-08-15")["results"]
    assert [(a["person"]["slug"], a["certainty"], a["support"]) for a in answers] == [
        ("sean-duffy", "possible", 3),
        ("jared-isaacman", "possible", 1),
    ]
    # Roscosmos on 15 February 2025: Rogozin (left 2018-10/2025-02), Borisov (left ../2025-02) and
    # Bakanov (started 2025-02) are all possible. Bakanov's tenure is backed by three articles (001, 002,
    # 003), so it comes first; Rogozin's (002) and Borisov's (004) by one each, so they follow by start:
    # Rogozin's (../2018-10) has no earliest day, Borisov's (2018-10/2025-02) begins 2018-10-01.
    # The editors' judgement, which bounds Borisov's and Bakanov's tenures, is not an article.
    answers = get_ok(client, f"{API}/agencies/roscosmos/heads/", on="2025-02-15")["results"]
    assert [(a["person"]["slug"], a["certainty"], a["support"]) for a in answers] == [
        ("dmitry-bakanov", "possible", 3),
        ("dmitry-rogozin", "possible", 1),
        ("yuri-borisov", "possible", 1),
    ]
    for answer in answers:
        assert "possible" in answer["grounds"]


def test_heads_several_certain_answers_are_all_kept_by_start(client, seeded):
    # Inconsistent data (two heads surely in office at once) is shown as it is, still without the possible ones.
    nasa = Agency.objects.get(slug="nasa")
    TenureFactory(slug="rival-head", agency=nasa, is_head=True, start_edtf="2025-03", end_edtf="2025-09")
    answers = get_ok(client, f"{API}/agencies/nasa/heads/", on="2025-07-31")["results"]
    assert [(a["tenure"]["slug"], a["certainty"]) for a in answers] == [
        ("sean-duffy-nasa-acting-administrator", "certain"),  # starts 2025-01-01 at the earliest
        ("rival-head", "certain"),  # starts 2025-03-01
    ]


def test_heads_a_possible_head_that_is_not_a_head_tenure_is_ignored(client, seeded):
    # A non-head tenure never appears, certain or not; it does not rule out possible heads either.
    nasa = Agency.objects.get(slug="nasa")
    TenureFactory(slug="deputy", agency=nasa, is_head=False, start_edtf="2025-03", end_edtf="2025-09")
    assert heads(client, "nasa", on="2025-08-15") == {"sean-duffy": "possible", "jared-isaacman": "possible"}


def test_heads_default_to_today(client, seeded):
    today = dt.date.today()
    assert today >= dt.date(2026, 2, 12), "the expectations below assume a day after Isaacman surely took office"
    assert heads(client, "nasa") == {"jared-isaacman": "certain"}
    assert heads(client, "nasa") == heads(client, "nasa", on=today.isoformat())
    assert heads(client, "roscosmos") == {"dmitry-bakanov": "certain"}


def test_heads_agency_without_head_tenures_is_an_empty_list(client, seeded):
    assert get_ok(client, f"{API}/agencies/spacex/heads/", on="2025-07-31")["results"] == []


def test_heads_without_a_day_answer_for_today_and_an_empty_day_is_a_400(client, seeded):
    assert heads(client, "nasa") == heads(client, "nasa", on=timezone.localdate().isoformat())
    assert_problem(client.get(f"{API}/agencies/nasa/heads/", {"on": ""}), 400, "on")  # `on=` names no day


@pytest.mark.parametrize("value", ["not-a-date", "2025-02-30", "31/07/2025x", "2025-07-31T00:00:00Z"])
def test_heads_bad_day_is_a_400_naming_on(client, seeded, value):
    assert_problem(client.get(f"{API}/agencies/nasa/heads/", {"on": value}), 400, "on")


def test_heads_unknown_agency_is_a_404(client, seeded):
    assert_problem(client.get(f"{API}/agencies/no-such-agency/heads/", {"on": "2025-07-31"}), 404)


def test_heads_unknown_parameter_is_a_400(client, seeded):
    body = assert_problem(client.get(f"{API}/agencies/nasa/heads/", {"on": "2025-07-31", "day": "x"}), 400, "day")
    assert "on" in " ".join(body["errors"]["day"])  # the message lists the known parameters


def test_heads_are_paginated_as_every_list(client, seeded):
    whole = get_ok(client, f"{API}/agencies/nasa/heads/", on="2019-03-15")
    assert whole["count"] == len(whole["results"]) >= 2
    first = get_ok(client, f"{API}/agencies/nasa/heads/", on="2019-03-15", page_size=1)
    assert (first["count"], first["results"]) == (whole["count"], whole["results"][:1])
    assert "on=2019-03-15" in first["next"]
    assert "page=2" in first["next"]


@pytest.mark.parametrize("param", ["page", "page_size"])
def test_heads_paging_parameters_are_checked(client, seeded, param):
    assert_problem(client.get(f"{API}/agencies/nasa/heads/", {"on": "2025-07-31", param: "abc"}), 400, param)


# --- previous_meeting ---------------------------------------------------------------------------


def meetings_by_slug(client, **params):
    return {m["slug"]: m for m in all_pages(client, f"{API}/meetings/", **params)}


def test_previous_meeting_on_the_list(client, seeded):
    meetings = meetings_by_slug(client, page_size=3)  # across several pages
    assert len(meetings) == Meeting.objects.count()
    previous = meetings["nasa-roscosmos-2025-07"]["previous_meeting"]
    assert previous["slug"] == "nasa-roscosmos-2018-10"
    assert previous["url"].endswith("/api/v1/meetings/nasa-roscosmos-2018-10/")
    assert previous["name"] == "NASA and Roscosmos heads meet at Baikonur"
    assert previous["date"]["edtf"] == "2018-10"
    # 2018-10-31 .. 2025-07-31 at the closest, 2018-10-01 .. 2025-07-31 at the furthest.
    assert previous["gap"] == {"min_days": 2465, "max_days": 2495}
    assert meetings["nasa-roscosmos-2018-10"]["previous_meeting"] is None


def test_previous_meeting_on_the_detail(client, seeded):
    detail = get_ok(client, f"{API}/meetings/nasa-roscosmos-2025-07/")
    assert detail["previous_meeting"]["slug"] == "nasa-roscosmos-2018-10"
    assert detail["previous_meeting"]["gap"] == {"min_days": 2465, "max_days": 2495}
    assert get_ok(client, f"{API}/meetings/nasa-roscosmos-2018-10/")["previous_meeting"] is None


def test_previous_meeting_does_not_depend_on_the_page(client, seeded):
    # The 2018 meeting is not on the page, but it is still found. The latest held Roscosmos meeting is now
    # Bakanov's remarks after the July talks (2025-07-31/2025-12-31; Roscosmos alone, so no previous
    # meeting); the July talks follow on page 2.
    page = get_ok(client, f"{API}/meetings/", status="held", ordering="-date", agency="roscosmos", page_size=1)
    assert page["count"] == 3
    assert page["results"][0]["slug"] == "bakanov-remarks-after-july-2025-talks"
    assert page["results"][0]["previous_meeting"] is None
    page = get_ok(client, page["next"])
    assert page["results"][0]["slug"] == "nasa-roscosmos-2025-07"
    assert page["results"][0]["previous_meeting"]["slug"] == "nasa-roscosmos-2018-10"


def test_previous_meeting_of_later_meetings(client, seeded):
    meetings = meetings_by_slug(client, page_size=200)
    # Planned, open-ended (2026-02-13/..): the gap has no maximum.
    planned = meetings["nasa-roscosmos-isaacman-bakanov-2026"]["previous_meeting"]
    assert planned["slug"] == "nasa-roscosmos-2025-07"
    assert planned["gap"] == {"min_days": (dt.date(2026, 2, 13) - dt.date(2025, 7, 31)).days, "max_days": None}
    # Proposed invitation, 2025-08/2025-12: only *held* meetings count as previous.
    invitation = meetings["roscosmos-nasa-moscow-invitation-2025"]["previous_meeting"]
    assert invitation["slug"] == "nasa-roscosmos-2025-07"
    assert invitation["gap"] == {"min_days": 1, "max_days": (dt.date(2025, 12, 31) - dt.date(2025, 7, 31)).days}
    # Different agencies, or only one agency: no previous meeting.
    assert meetings["nasa-esa-2026-02-11"]["previous_meeting"] is None
    assert meetings["bakanov-houston-visits-2025-07"]["previous_meeting"] is None
    assert meetings["bakanov-boeing-visit-2025-07"]["previous_meeting"] is None
    assert meetings["bakanov-remarks-after-july-2025-talks"]["previous_meeting"] is None
    assert meetings["nasa-roscosmos-iss-review-2025-10"]["previous_meeting"] is None


def _nasa_roscosmos_meeting(slug, date_edtf, *, heads=True, status=Meeting.Status.HELD):
    meeting = MeetingFactory(slug=slug, date_edtf=date_edtf, status=status)
    nasa, roscosmos = Agency.objects.get(slug="nasa"), Agency.objects.get(slug="roscosmos")
    if heads:
        ParticipantFactory(
            meeting=meeting,
            person=Person.objects.get(slug="jim-bridenstine"),
            agency=nasa,
            tenure=Tenure.objects.get(slug="jim-bridenstine-nasa-administrator"),
        )
        ParticipantFactory(
            meeting=meeting,
            person=Person.objects.get(slug="yuri-borisov"),
            agency=roscosmos,
            tenure=Tenure.objects.get(slug="yuri-borisov-roscosmos-director-general"),
        )
    else:
        ParticipantFactory(meeting=meeting, person=Person.objects.get(slug="anil-menon"), agency=nasa)
        ParticipantFactory(meeting=meeting, person=Person.objects.get(slug="anna-kikina"), agency=roscosmos)
    return meeting


def test_previous_meeting_is_at_the_same_level_and_held(client, seeded):
    # Later than 2018 but not between the heads, or not held: neither is the previous meeting.
    _nasa_roscosmos_meeting("staff-talks-2022", "2022-05", heads=False)
    _nasa_roscosmos_meeting("heads-talks-cancelled-2023", "2023-05", status=Meeting.Status.CANCELLED)
    detail = get_ok(client, f"{API}/meetings/nasa-roscosmos-2025-07/")
    assert detail["previous_meeting"]["slug"] == "nasa-roscosmos-2018-10"
    # A held heads' meeting in between is.
    _nasa_roscosmos_meeting("heads-talks-2022", "2022-05-10")
    detail = get_ok(client, f"{API}/meetings/nasa-roscosmos-2025-07/")
    assert detail["previous_meeting"]["slug"] == "heads-talks-2022"
    gap = (dt.date(2025, 7, 31) - dt.date(2022, 5, 10)).days
    assert detail["previous_meeting"]["gap"] == {"min_days": gap, "max_days": gap}
    staff = get_ok(client, f"{API}/meetings/staff-talks-2022/")
    assert staff["previous_meeting"] is None  # no earlier held staff-level meeting of the two


# --- the question the API exists to answer ----------------------------------------------------------


def test_last_face_to_face_meeting_of_the_heads_before_july_2025(client, seeded):
    results = all_pages(client, f"{API}/meetings/", head_of=["nasa", "roscosmos"], status="held", ordering="date")
    assert [m["slug"] for m in results] == ["nasa-roscosmos-2018-10", "nasa-roscosmos-2025-07"]
    before = [m for m in results if m["date"]["latest"] < "2025-07-01"]
    last = before[-1]
    assert last["slug"] == "nasa-roscosmos-2018-10"
    assert last["format"] == "in_person"
    assert last["place"]["slug"] == "baikonur-cosmodrome"
    assert {p["person"]["slug"] for p in last["participants"]} == {"jim-bridenstine", "dmitry-rogozin"}
    # ... which is also what the July 2025 meeting's `previous_meeting` says.
    assert results[-1]["previous_meeting"]["slug"] == last["slug"]


def test_head_of_requires_each_agency_head(client, seeded):
    both = {m["slug"] for m in all_pages(client, f"{API}/meetings/", head_of=["nasa", "roscosmos"])}
    assert both == {
        "nasa-roscosmos-2018-10",
        "nasa-roscosmos-2025-07",
        "roscosmos-nasa-moscow-invitation-2025",
        "nasa-roscosmos-isaacman-bakanov-2026",
    }
    nasa = {m["slug"] for m in all_pages(client, f"{API}/meetings/", head_of="nasa")}
    assert both < nasa
    assert {"nasa-esa-2026-02-11", "isaacman-soyuz-ms-29-launch-visit"} <= nasa
    assert_problem(client.get(f"{API}/meetings/", {"head_of": "nobody"}), 400, "head_of")


# --- timeline -----------------------------------------------------------------------------------


def timeline_slugs(client, **params):
    return [item["slug"] for item in all_pages(client, f"{API}/timeline/", **params)]


def test_timeline_merges_meetings_and_launches(client, seeded):
    page = get_ok(client, f"{API}/timeline/", page_size=200)
    assert page["count"] == Meeting.objects.count() + Launch.objects.count() == len(page["results"])
    items = page["results"]
    for item in items:
        assert set(item) == {"type", "slug", "name", "url", "status", "date"}
        assert item["type"] in {"meeting", "launch"}
        plural = "meetings" if item["type"] == "meeting" else "launches"
        assert item["url"].endswith(f"/api/v1/{plural}/{item['slug']}/")
    meetings = {i["slug"]: i for i in items if i["type"] == "meeting"}
    launches = {i["slug"]: i for i in items if i["type"] == "launch"}
    assert set(meetings) == set(Meeting.objects.values_list("slug", flat=True))
    assert set(launches) == set(Launch.objects.values_list("slug", flat=True))
    talks = meetings["nasa-roscosmos-2025-07"]
    assert talks["name"] == "NASA and Roscosmos heads meet before the Crew-11 launch"
    assert talks["status"] == "held"
    assert talks["date"] == {
        "edtf": "2025-07-31",
        "earliest": "2025-07-31",
        "latest": "2025-07-31",
        "text": "31 July 2025",
    }
    assert launches["soyuz-ms-10"]["name"] == "Soyuz MS-10"
    assert launches["soyuz-ms-10"]["status"] == "aborted_crew_safe"


def test_timeline_item_urls_lead_to_the_records(client, seeded):
    items = get_ok(client, f"{API}/timeline/", page_size=200)["results"]
    for item in (items[0], items[-1], next(i for i in items if i["type"] == "meeting")):
        detail = client.get(item["url"])
        assert detail.status_code == 200
        assert detail.json()["slug"] == item["slug"]


def test_timeline_is_ordered_by_earliest_date_with_undated_last(client, seeded):
    items = get_ok(client, f"{API}/timeline/", page_size=200)["results"]
    earliest = [i["date"]["earliest"] for i in items if i["date"] and i["date"]["earliest"]]
    assert earliest == sorted(earliest)
    assert items[0]["slug"] == "soyuz-ms-10"
    assert [i for i in items if i["date"] is None] == []  # every seeded record now has a date
    # An open start (inspiration4, ../2024) is placed by its latest day; same-day ties go
    # launches first, then by slug.
    assert [i["slug"] for i in items] == [
        "soyuz-ms-10",  # 2018-10
        "nasa-roscosmos-2018-10",  # 2018-10
        "polaris-dawn",  # 2024
        "inspiration4",  # ../2024: by its latest day, 2024-12-31
        "bakanov-boeing-visit-2025-07",  # 2025-07/2025-08
        "bakanov-houston-visits-2025-07",  # 2025-07/2025-08
        "crew-11",  # 2025-07-31/2025-08-31
        "bakanov-remarks-after-july-2025-talks",  # 2025-07-31/2025-12-31
        "nasa-roscosmos-2025-07",  # 2025-07-31
        "soyuz-ms-28",  # 2025-08/2025-12
        "roscosmos-nasa-moscow-invitation-2025",  # 2025-08/2025-12
        "nasa-roscosmos-iss-review-2025-10",  # 2025-10
        "nasa-roscosmos-iss-decision-2026-q1",  # 2026-33
        "nasa-esa-2026-02-11",  # 2026-02-11
        "crew-12",  # 2026-02-13
        "isaacman-news-conference-2026-02-13",  # 2026-02-13
        "nasa-roscosmos-isaacman-bakanov-2026",  # 2026-02-13/..
        "nasa-roscosmos-moon-mars-working-group-2026",  # 2026-05/2026-08
        "soyuz-ms-29",  # 2026-22 (summer)
        "isaacman-soyuz-ms-29-launch-visit",  # 2026-22
    ]


def test_timeline_puts_undated_records_last(client, seeded):
    # No seeded record is undated any more, so make one of each kind.
    LaunchFactory(slug="undated-launch", date_edtf="")
    MeetingFactory(slug="undated-talks", date_edtf="")
    items = get_ok(client, f"{API}/timeline/", page_size=200)["results"]
    undated = [i for i in items if i["date"] is None]
    assert [(i["type"], i["slug"]) for i in undated] == [("launch", "undated-launch"), ("meeting", "undated-talks")]
    assert items[-len(undated) :] == undated
    assert items[-len(undated) - 1]["slug"] == "isaacman-soyuz-ms-29-launch-visit"


def test_timeline_never_puts_an_item_after_one_it_certainly_precedes(client, seeded):
    items = [i for i in get_ok(client, f"{API}/timeline/", page_size=200)["results"] if i["date"]]
    for position, later in enumerate(items):
        for earlier in items[:position]:
            # `later` comes after `earlier` in the stream, so it must not surely have happened before it.
            if later["date"]["latest"] and earlier["date"]["earliest"]:
                assert not later["date"]["latest"] < earlier["date"]["earliest"], (earlier["slug"], later["slug"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"date_after": "2026-01-01", "date_before": "2026-03-31"},
            {
                "nasa-roscosmos-iss-decision-2026-q1",  # 2026-33 (Q1)
                "nasa-esa-2026-02-11",
                "nasa-roscosmos-isaacman-bakanov-2026",  # 2026-02-13/..
                "crew-12",  # 2026-02-13
                "isaacman-news-conference-2026-02-13",
                # crew-11 (ended by 2025-08-31) and inspiration4 (../2024) are over before 2026
            },
        ),
        (
            {"date_after": "2026-06-15"},
            {
                "nasa-roscosmos-isaacman-bakanov-2026",  # open end
                "nasa-roscosmos-moon-mars-working-group-2026",
                "soyuz-ms-29",
                "isaacman-soyuz-ms-29-launch-visit",
            },
        ),
        # inspiration4 (../2024) has no earliest day.
        ({"date_before": "2018-12-31"}, {"soyuz-ms-10", "nasa-roscosmos-2018-10", "inspiration4"}),
        (
            {"date_after": "2026-02-14", "date_before": "2026-04-30"},
            {
                "nasa-roscosmos-isaacman-bakanov-2026",  # open end
                "nasa-roscosmos-iss-decision-2026-q1",  # 2026-01-01 .. 2026-03-31
            },
        ),
        (
            {"agency": "roscosmos"},
            {
                "soyuz-ms-10",  # operator
                "soyuz-ms-28",
                "soyuz-ms-29",
                "crew-11",  # a Roscosmos cosmonaut on board
                "nasa-roscosmos-2018-10",
                "nasa-roscosmos-2025-07",
                "bakanov-houston-visits-2025-07",
                "bakanov-boeing-visit-2025-07",  # Bakanov, for Roscosmos, visits
                "bakanov-remarks-after-july-2025-talks",  # Bakanov, for Roscosmos, speaks
                "roscosmos-nasa-moscow-invitation-2025",
                "nasa-roscosmos-isaacman-bakanov-2026",
            },
        ),
        (
            {"agency": ["roscosmos", "nasa"]},
            {
                "nasa-roscosmos-2018-10",
                "nasa-roscosmos-2025-07",
                "roscosmos-nasa-moscow-invitation-2025",
                "nasa-roscosmos-isaacman-bakanov-2026",
                "soyuz-ms-29",  # Roscosmos operates it, a NASA astronaut flies on it
            },
        ),
        (
            {"person": "jared-isaacman"},
            {
                "nasa-esa-2026-02-11",
                "isaacman-news-conference-2026-02-13",
                "nasa-roscosmos-isaacman-bakanov-2026",
                "isaacman-soyuz-ms-29-launch-visit",
                "polaris-dawn",
                "inspiration4",
            },
        ),
        ({"person": ["jared-isaacman", "dmitry-bakanov"]}, {"nasa-roscosmos-isaacman-bakanov-2026"}),
        ({"person": ["anil-menon", "anna-kikina"]}, {"soyuz-ms-29"}),
        ({"agency": "nasa", "person": "jared-isaacman", "date_before": "2026-02-12"}, {"nasa-esa-2026-02-11"}),
    ],
)
def test_timeline_filters(client, seeded, params, expected):
    slugs = timeline_slugs(client, **params)
    assert len(slugs) == len(set(slugs))  # no duplicates from joins
    assert set(slugs) == expected
    assert get_ok(client, f"{API}/timeline/", **params)["count"] == len(expected)


def test_timeline_pagination(client, seeded):
    everything = get_ok(client, f"{API}/timeline/", page_size=200)["results"]
    first = get_ok(client, f"{API}/timeline/", page_size=3)
    assert first["count"] == len(everything)
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = get_ok(client, first["next"])
    assert second["results"] == everything[3:6]
    assert second["previous"]
    assert timeline_slugs(client, page_size=3) == [i["slug"] for i in everything]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"date_after": "soon"}, "date_after"),
        ({"date_before": "2025-13-01"}, "date_before"),
        ({"agency": "no-such-agency"}, "agency"),
        ({"person": "nobody"}, "person"),
        ({"status": "held"}, "status"),  # not a timeline filter
        ({"page": "0"}, "page"),
    ],
)
def test_timeline_bad_parameters_are_400s(client, seeded, params, name):
    assert_problem(client.get(f"{API}/timeline/", params), 400, name)


def test_timeline_is_read_only(client, seeded):
    assert_problem(client.post(f"{API}/timeline/", {}, format="json"), 405)


# --- conflicts ----------------------------------------------------------------------------------


def conflicts(client, **params):
    return all_pages(client, f"{API}/conflicts/", **params)


def entry(entries, subject_type, subject, field):
    key = "id" if subject_type == "tenure" else "slug"
    found = [
        e for e in entries if e["subject_type"] == subject_type and e["subject"][key] == subject and e["field"] == field
    ]
    assert len(found) <= 1
    return found[0] if found else None


def test_conflicts_meeting_place(client, seeded):
    place = entry(conflicts(client), "meeting", "nasa-roscosmos-2025-07", "place")
    assert place["resolved"] is False
    assert place["subject"]["url"].endswith("/api/v1/meetings/nasa-roscosmos-2025-07/")
    values = {v["value"]: (v["rank"], [s["slug"] for s in v["sources"]]) for v in place["values"]}
    assert values == {
        "kennedy-space-center": ("preferred", [S001]),
        "houston": ("normal", [S002]),
        "vienna": ("deprecated", [S004]),
        "geneva": ("deprecated", [S004]),
    }
    # Best-supported first, deprecated versions last.
    assert [v["rank"] for v in place["values"]] == ["preferred", "normal", "deprecated", "deprecated"]
    for value in place["values"]:
        assert len(value["claims"]) == len(value["sources"]) == 1
        claim = client.get(value["claims"][0]).json()
        assert (claim["field"], claim["value"], claim["source"]["slug"]) == (
            "place",
            value["value"],
            value["sources"][0]["slug"],
        )


def test_conflicts_one_entry_per_subject_and_field(client, seeded):
    entries = conflicts(client)
    keys = [(e["subject_type"], e["subject"].get("slug", e["subject"].get("id")), e["field"]) for e in entries]
    assert len(keys) == len(set(keys))
    for e in entries:
        assert len(e["values"]) >= 2
        assert len({v["value"] for v in e["values"]}) == len(e["values"])
        # Every entry has values from at least two sources.
        assert len({s["slug"] for v in e["values"] for s in v["sources"]}) >= 2


def test_conflicts_status_entries(client, seeded):
    entries = conflicts(client)
    for e in entries:
        assert e["kind"] in ("disagreement", "superseded")
        assert all(isinstance(v["superseded"], bool) for v in e["values"])
    polaris = entry(entries, "launch", "polaris-dawn", "status")
    assert polaris["kind"] == "disagreement"
    assert polaris["resolved"] is True  # the "planned" version is deprecated
    assert {v["value"]: v["rank"] for v in polaris["values"]} == {"launched": "preferred", "planned": "deprecated"}
    assert not any(v["superseded"] for v in polaris["values"])
    # 002, 003 and 004 were written before the July talks and call them planned; 001, written after them,
    # says they were held. A later "held" supersedes an earlier "planned": not an open disagreement.
    status = entry(entries, "meeting", "nasa-roscosmos-2025-07", "status")
    assert status["kind"] == "superseded"
    assert status["resolved"] is True
    planned = next(v for v in status["values"] if v["value"] == "planned")
    assert [s["slug"] for s in planned["sources"]] == [S002, S003, S004]
    assert len(planned["claims"]) == 3
    assert planned["superseded"] is True
    held = next(v for v in status["values"] if v["value"] == "held")
    assert ([s["slug"] for s in held["sources"]], held["superseded"]) == ([S001], False)
    # Likewise Crew-11: 002 (before the launch) says planned, 001 (after it) says launched.
    crew = entry(entries, "launch", "crew-11", "status")
    assert (crew["kind"], crew["resolved"]) == ("superseded", True)
    assert {v["value"]: v["superseded"] for v in crew["values"]} == {"launched": False, "planned": True}


def test_conflicts_july_topics_are_an_open_disagreement(client, seeded):
    # 004's wider agenda is now a normal claim, no longer deprecated, so the disagreement is open.
    topics = entry(conflicts(client), "meeting", "nasa-roscosmos-2025-07", "topics")
    assert topics["kind"] == "disagreement"
    assert topics["resolved"] is False
    assert [(v["value"], v["rank"], [s["slug"] for s in v["sources"]]) for v in topics["values"]] == [
        ("cross-flights,iss-deorbit,iss-extension,iss-operations", "preferred", [S002, S003]),
        (
            "cross-flights,iss-extension,lunar-exploration,mars-exploration,science-cooperation,space-debris",
            "normal",
            [S004],
        ),
    ]
    assert entry(conflicts(client, resolved="false"), "meeting", "nasa-roscosmos-2025-07", "topics")
    # Only 004 lists the 2018 topics: nothing to disagree with.
    assert entry(conflicts(client), "meeting", "nasa-roscosmos-2018-10", "topics") is None


def test_conflicts_agreeing_sources_are_not_conflicts(client, seeded):
    entries = conflicts(client)
    # Three sources name the same two participants, one (deprecated) names others: resolved.
    participants = entry(entries, "meeting", "nasa-roscosmos-2025-07", "participants")
    assert participants["resolved"] is True
    # Everyone agrees on the related launch: no entry.
    assert entry(entries, "meeting", "nasa-roscosmos-2025-07", "related_launch") is None


def test_conflicts_compatible_dates(client, seeded):
    entries = conflicts(client)
    # 2025-07 (001) and 2025-07-31 (002) agree; only 004's deprecated late-August dates disagree.
    date = entry(entries, "meeting", "nasa-roscosmos-2025-07", "date")
    assert date["resolved"] is True
    assert {v["value"]: (v["rank"], [s["slug"] for s in v["sources"]]) for v in date["values"]} == {
        "2025-07-31": ("preferred", [S002]),
        "2025-07": ("normal", [S001]),
        "2025-08-21/2025-08-31": ("deprecated", [S004]),
        "2025-08-25": ("deprecated", [S004]),
    }
    assert entry(conflicts(client, resolved="false"), "meeting", "nasa-roscosmos-2025-07", "date") is None


def test_conflicts_compatible_dates_alone_are_no_conflict(client, seeded):
    meeting = MeetingFactory(slug="fuzzy-talks", date_edtf="2025-07-31")
    s001, s002, s003 = (Source.objects.get(slug=s) for s in (S001, S002, S003))
    for source, value in ((s001, "2025-07"), (s002, "2025-07-31")):
        ClaimFactory(source=source, meeting=meeting, field="date", value=value)
    assert entry(conflicts(client), "meeting", "fuzzy-talks", "date") is None
    # A third, incompatible and not deprecated, value makes an open conflict with all three values.
    ClaimFactory(source=s003, meeting=meeting, field="date", value="2025-09")
    date = entry(conflicts(client), "meeting", "fuzzy-talks", "date")
    assert date["resolved"] is False
    assert {v["value"] for v in date["values"]} == {"2025-07", "2025-07-31", "2025-09"}
    # Once it is deprecated the entry stays, resolved.
    Claim.objects.filter(meeting=meeting, value="2025-09").update(rank="deprecated", note="Wrong month.")
    assert entry(conflicts(client), "meeting", "fuzzy-talks", "date")["resolved"] is True


def test_conflicts_same_source_disagreeing_with_itself_is_not_a_conflict(client, seeded):
    # 004 names two places; a conflict is between sources.
    meeting = MeetingFactory(slug="one-source-talks")
    source = Source.objects.get(slug=S004)
    ClaimFactory(source=source, meeting=meeting, field="place", value="vienna")
    ClaimFactory(source=source, meeting=meeting, field="place", value="geneva")
    assert entry(conflicts(client), "meeting", "one-source-talks", "place") is None


def test_conflicts_filters(client, seeded):
    everything = conflicts(client)
    open_ = conflicts(client, resolved="false")
    closed = conflicts(client, resolved="true")
    assert open_
    assert closed
    assert all(e["resolved"] is False for e in open_)
    assert all(e["resolved"] is True for e in closed)
    assert len(open_) + len(closed) == len(everything)
    assert entry(open_, "meeting", "nasa-roscosmos-2025-07", "place")
    assert entry(closed, "launch", "polaris-dawn", "status")

    launches = conflicts(client, subject_type="launch")
    assert launches
    assert all(e["subject_type"] == "launch" for e in launches)
    assert entry(launches, "launch", "polaris-dawn", "status")
    assert len(launches) == len([e for e in everything if e["subject_type"] == "launch"])

    dates = conflicts(client, field="date")
    assert {(e["subject_type"], e["subject"]["slug"]) for e in dates} == {
        ("meeting", "nasa-roscosmos-2025-07"),
        ("launch", "polaris-dawn"),
    }
    assert all(e["field"] == "date" for e in dates)

    # 001 and 000 agree that the 2026 talks are planned, and 001's "held" supersedes the earlier "planned" of
    # the July talks, so neither is open. Open are the three meetings only 004 lists: the editors judge
    # them disputed, while 004 calls them planned or proposed.
    combined = conflicts(client, subject_type="meeting", field="status", resolved="false")
    assert {e["subject"]["slug"] for e in combined} == {
        "nasa-roscosmos-iss-review-2025-10",
        "nasa-roscosmos-iss-decision-2026-q1",
        "nasa-roscosmos-moon-mars-working-group-2026",
    }
    assert all(e["kind"] == "disagreement" for e in combined)
    assert entry(everything, "meeting", "nasa-roscosmos-isaacman-bakanov-2026", "status") is None
    assert entry(closed, "meeting", "nasa-roscosmos-2025-07", "status")["kind"] == "superseded"

    topics = conflicts(client, field="topics", resolved="false")
    assert {(e["subject_type"], e["subject"]["slug"]) for e in topics} == {("meeting", "nasa-roscosmos-2025-07")}


def test_conflicts_pagination(client, seeded):
    total = get_ok(client, f"{API}/conflicts/")["count"]
    first = get_ok(client, f"{API}/conflicts/", page_size=2)
    assert first["count"] == total
    assert len(first["results"]) == 2
    assert len(conflicts(client, page_size=2)) == total


@pytest.mark.parametrize(
    ("params", "name"),
    [
        pytest.param(
            {"resolved": "maybe"},
            "resolved",
        ),
        ({"subject_type": "planet"}, "subject_type"),
        ({"conflicting": "true"}, "conflicting"),
    ],
)
def test_conflicts_bad_parameters_are_400s(client, seeded, params, name):
    assert_problem(client.get(f"{API}/conflicts/", params), 400, name)


def test_conflicts_is_read_only(client, seeded):
    assert_problem(client.post(f"{API}/conflicts/", {}, format="json"), 405)
