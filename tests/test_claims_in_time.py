"""Claims read in time (supersession) and dates bounded by claims (derived bounds), on small built data."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from events.claimcourse import onward
from events.integrity import data_inconsistencies
from events.models import Claim, Launch, Meeting
from events.selectors import agency_heads_on
from events.services.claims import claim_store
from events.services.records import record_delete
from tests.factories import (
    AgencyFactory,
    ClaimFactory,
    LaunchFactory,
    MeetingFactory,
    SourceFactory,
    TenureFactory,
)

API = "/api/v1"
pytestmark = pytest.mark.django_db


def claim_of(**fields) -> Claim:
    """A claim written as the services write one."""
    fields.setdefault("source", SourceFactory())
    return claim_store(claim=ClaimFactory.build(**fields))


def status_claim(meeting, source, value, **kwargs):
    return claim_of(meeting=meeting, source=source, field="status", value=value, **kwargs)


@pytest.fixture
def sources():
    return {
        "early": SourceFactory(published_edtf="2025-06-01"),
        "late": SourceFactory(published_edtf="2025-09-01"),
        "same": SourceFactory(published_edtf="2025-09-01"),
    }


def test_the_natural_course_only_moves_forward():
    assert "held" in onward("meeting", "status", "planned")
    assert "planned" in onward("meeting", "status", "proposed")
    assert "launched" in onward("launch", "status", "planned")
    assert "failure" in onward("launch", "status", "planned")
    assert "planned" not in onward("meeting", "status", "held")
    assert "cancelled" not in onward("meeting", "status", "held")
    assert "held" not in onward("meeting", "place", "planned")


def test_a_later_held_supersedes_an_earlier_planned_and_is_no_dispute(sources):
    meeting = MeetingFactory(status="held", date_edtf="2025-07")
    planned = status_claim(meeting, sources["early"], "planned")
    held = status_claim(meeting, sources["late"], "held", rank=Claim.Rank.PREFERRED)
    planned.refresh_from_db()
    held.refresh_from_db()
    assert planned.superseded_by_id == held.pk
    assert held.superseded_by_id is None
    assert not planned.in_dispute
    assert not held.in_dispute
    assert not Claim.objects.filter(meeting=meeting).conflicting().exists()

    body = APIClient().get(f"{API}/conflicts/").json()["results"]
    (entry,) = [e for e in body if e["subject"]["slug"] == meeting.slug]
    assert (entry["kind"], entry["resolved"]) == ("superseded", True)
    assert {v["value"]: v["superseded"] for v in entry["values"]} == {"planned": True, "held": False}
    claim = APIClient().get(f"{API}/claims/{planned.pk}/").json()
    assert claim["superseded_by"].endswith(f"/claims/{held.pk}/")
    assert claim["speaks_for"] == "2025-06-01"


def test_an_earlier_value_that_cannot_lead_to_the_later_one_is_a_disagreement(sources):
    meeting = MeetingFactory(status="held", date_edtf="2025-07")
    status_claim(meeting, sources["early"], "held")
    status_claim(meeting, sources["late"], "cancelled")
    assert Claim.objects.filter(meeting=meeting).conflicting().count() == 2
    entry = next(e for e in APIClient().get(f"{API}/conflicts/").json()["results"] if e["field"] == "status")
    assert entry["kind"] == "disagreement"


def test_claims_speaking_for_the_same_day_disagree_and_as_of_changes_that(sources):
    meeting = MeetingFactory(status="held", date_edtf="2025-07")
    planned = status_claim(meeting, sources["same"], "planned")
    held = status_claim(meeting, sources["late"], "held")
    planned.refresh_from_db()
    assert planned.superseded_by_id is None
    assert planned.in_dispute
    planned.as_of = dt.date(2025, 5, 1)  # what the article says was planned back then
    claim_store(claim=planned)
    planned.refresh_from_db()
    assert planned.superseded_by_id == held.pk
    assert not planned.in_dispute


def test_a_deprecated_later_claim_supersedes_nothing(sources):
    meeting = MeetingFactory(status="planned", date_edtf="2025-07")
    planned = status_claim(meeting, sources["early"], "planned")
    status_claim(meeting, sources["late"], "held", rank=Claim.Rank.DEPRECATED, note="Never happened.")
    planned.refresh_from_db()
    assert planned.superseded_by_id is None


def test_a_source_reporting_an_event_as_past_bounds_its_date(sources):
    launch = LaunchFactory(date_edtf="2025-07-31/..", status="launched")
    assert Launch.objects.get(pk=launch.pk).date_latest is None
    claim = claim_of(subject_type="launch", launch=launch, meeting=None, source=sources["late"], field="status",
                         value="launched")  # fmt: skip
    launch.refresh_from_db()
    assert (launch.date_earliest, launch.date_latest) == (dt.date(2025, 7, 31), dt.date(2025, 9, 1))
    assert launch.date_basis == {"latest": {"day": "2025-09-01", "rule": "reported as past", "claims": [claim.pk]}}
    # A summer 2026 window no longer finds it.
    found = APIClient().get(f"{API}/launches/?date_after=2026-06-01&date_before=2026-08-31").json()["results"]
    assert launch.slug not in [r["slug"] for r in found]
    # A later save of the launch keeps the derived bound.
    launch.vehicle = "Falcon 9"
    launch.save()
    assert Launch.objects.get(pk=launch.pk).date_latest == dt.date(2025, 9, 1)
    # Deprecating the claim takes its bound away.
    claim.rank, claim.note = Claim.Rank.DEPRECATED, "Wrong mission."
    claim_store(claim=claim)
    launch.refresh_from_db()
    assert (launch.date_latest, launch.date_basis) == (None, {})


def test_a_meeting_before_its_launch_bounds_both_dates(sources):
    launch = LaunchFactory(date_edtf="2025-08-01")
    meeting = MeetingFactory(date_edtf="2025", related_launch=launch, launch_relation="before")
    claim = claim_of(meeting=meeting, source=sources["late"], field="launch_relation", value="before")
    meeting.refresh_from_db()
    assert (meeting.date_earliest, meeting.date_latest) == (dt.date(2025, 1, 1), dt.date(2025, 8, 1))
    assert meeting.date_basis["latest"]["claims"] == [claim.pk]
    launch_after = MeetingFactory(date_edtf="2025", related_launch=launch, launch_relation="after")
    claim_of(meeting=launch_after, source=sources["late"], field="launch_relation", value="after")
    launch_after.refresh_from_db()
    assert launch_after.date_earliest == dt.date(2025, 8, 1)
    assert launch_after.date_basis["earliest"]["claims"] == [launch_after.claims.get(field="launch_relation").pk]


def test_deleting_a_launch_takes_away_the_bound_it_gave_a_meeting(sources):
    launch = LaunchFactory(date_edtf="2025-08-01")
    meeting = MeetingFactory(date_edtf="2025", related_launch=launch, launch_relation="before")
    claim_of(meeting=meeting, source=sources["late"], field="launch_relation", value="before")
    meeting.refresh_from_db()
    assert meeting.date_latest == dt.date(2025, 8, 1)
    version = meeting.version
    record_delete(instance=launch)
    meeting.refresh_from_db()
    assert (meeting.date_latest, meeting.date_basis, meeting.related_launch) == (dt.date(2025, 12, 31), {}, None)
    assert meeting.version > version


def succession(sources):
    """Two heads of one agency, the second of unknown start, claimed to have taken over from the first."""
    agency = AgencyFactory()
    old = TenureFactory(agency=agency, is_head=True, start_edtf="2018-05", end_edtf="2025-02")
    new = TenureFactory(agency=agency, is_head=True, start_edtf="", end_edtf="", predecessor=old)
    claim_of(subject_type="tenure", tenure=new, meeting=None, source=sources["late"], field="predecessor",
                 value=old.slug)  # fmt: skip
    new.refresh_from_db()
    return agency, old, new


def test_a_successor_bounds_its_predecessor_and_a_head_of_unknown_start(sources):
    agency, old, new = succession(sources)
    assert new.start_earliest == dt.date(2025, 2, 1)
    assert new.start_basis["earliest"]["rule"].startswith("began no earlier than its predecessor")
    # Years before, only the predecessor can have led the agency.
    heads = agency_heads_on(agency=agency, day=dt.date(2020, 1, 1))
    assert [h.tenure.pk for h in heads] == [old.pk]


def test_deleting_a_predecessor_takes_away_the_bound_it_gave_its_successor(sources):
    _agency, old, new = succession(sources)
    assert new.start_earliest == dt.date(2025, 2, 1)
    version = new.version
    record_delete(instance=old)
    new.refresh_from_db()
    assert (new.start_earliest, new.start_basis, new.predecessor) == (None, {}, None)
    assert new.version > version


def test_possible_heads_come_best_supported_first_with_their_grounds(sources):
    agency = AgencyFactory()
    weak = TenureFactory(agency=agency, is_head=True, start_edtf="2019/2021", end_edtf="2022/2024")
    strong = TenureFactory(agency=agency, is_head=True, start_edtf="2018/2021", end_edtf="2021/2023")
    for source in (sources["early"], sources["late"]):
        claim_of(subject_type="tenure", tenure=strong, meeting=None, source=source, field="title",
                     value=strong.title)  # fmt: skip
    claim_of(subject_type="tenure", tenure=weak, meeting=None, source=sources["early"], field="title",
                 value=weak.title)  # fmt: skip
    heads = APIClient().get(f"{API}/agencies/{agency.slug}/heads/?on=2021-06-01").json()["results"]
    assert [(h["tenure"]["id"], h["certainty"], h["support"]) for h in heads] == [
        (strong.pk, "possible", 2),
        (weak.pk, "possible", 1),
    ]
    assert "not certain" in heads[0]["grounds"]
    assert "2 article(s)" in heads[0]["grounds"]


def test_check_data_finds_stale_supersession_and_derived_bounds(sources):
    meeting = MeetingFactory(status="held", date_edtf="2025")
    planned = status_claim(meeting, sources["early"], "planned")
    status_claim(meeting, sources["late"], "held")
    Claim.objects.filter(pk=planned.pk).update(superseded_by=None)
    Meeting.objects.filter(pk=meeting.pk).update(date_basis={})
    found = data_inconsistencies(skip=("unsupported_values", "unbacked_records"))
    assert [f.pk for f in found["stale_supersession"]] == [planned.pk]
    assert [f.pk for f in found["derived_bounds_differ"]] == [meeting.pk]


def test_the_dates_audit_lists_each_narrowed_date_with_its_rule_and_claims(sources):
    launch = LaunchFactory(slug="open-ended", date_edtf="2025-07-31/..", status="launched")
    claim = claim_of(subject_type="launch", launch=launch, meeting=None, source=sources["late"], field="status",
                         value="launched")  # fmt: skip
    MeetingFactory(slug="plain", date_edtf="2025-07")
    out = StringIO()
    call_command("audit_dates", "--changed", stdout=out)
    rows = out.getvalue().splitlines()[2:]
    assert rows == [
        f"| launch open-ended | date | `2025-07-31/..` | 2025-07-31 to … | 2025-07-31 to 2025-09-01 | latest "
        f"2025-09-01: reported as past (claim {claim.pk} of {sources['late'].slug}) |"
    ]


def test_a_claim_whose_day_is_unknown_speaks_for_null_as_the_schema_allows():
    meeting = MeetingFactory()
    claim = claim_of(meeting=meeting, source=SourceFactory(published_edtf=""), field="title", value=meeting.title)
    client = APIClient()
    assert client.get(f"{API}/claims/{claim.pk}/").json()["speaks_for"] is None
    assert client.get(f"{API}/meetings/{meeting.slug}/").json()["claims"][0]["speaks_for"] is None
    document = client.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for name in ("Claim", "ClaimBrief"):
        assert document["components"]["schemas"][name]["properties"]["speaks_for"]["nullable"] is True
