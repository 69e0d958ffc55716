"""check_data: the seed data comes back clean, and each kind of inconsistency is found and named."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bench.synthetic.generate import synthetic_generate
from events.integrity import CHECKS, data_inconsistencies
from events.models import Agency, Claim, Meeting, Source, Tenure
from tests.factories import AgencyFactory, ClaimFactory, MeetingFactory, ParticipantFactory, TenureFactory

pytestmark = pytest.mark.usefixtures("seeded")


def run(*args):
    """check_data's output and exit status (CommandError is status 1 from manage.py)."""
    out = StringIO()
    try:
        call_command("check_data", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode, str(exc)
    return out.getvalue(), 0, ""


def found(check):
    return [(f.model, f.record) for f in data_inconsistencies()[check]]


def test_the_seed_data_is_clean():
    out, status, _ = run()
    assert status == 0
    assert out.strip().endswith("No inconsistencies found.")
    for description, _check in CHECKS.values():
        assert f"{description} (" in out


def test_seed_plus_synthetic_data_is_clean():
    synthetic_generate(meetings=60, launches=15, people=60, seed=11)
    out, status, _ = run("--format", "json")
    assert status == 0, out
    report = json.loads(out)
    assert report["inconsistencies"] == 0
    assert set(report["checks"]) == set(CHECKS)


def missing_id(model):
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


def test_a_claim_whose_source_is_gone_is_an_orphan():
    # Foreign keys are checked at commit; the test's transaction never commits, as a crash or a restore might not.
    claim = Claim.objects.filter(subject_type="agency").first()
    Claim.objects.filter(pk=claim.pk).update(source_id=missing_id(Source))
    try:
        findings = data_inconsistencies()["orphan_claims"]
    finally:
        Claim.objects.filter(pk=claim.pk).update(source_id=claim.source_id)
    assert [(f.pk, f.detail) for f in findings] == [(claim.pk, f"its source (id {missing_id(Source)}) does not exist")]


def test_a_claim_whose_subject_is_gone_is_an_orphan():
    claim = Claim.objects.filter(subject_type="agency").first()
    Claim.objects.filter(pk=claim.pk).update(agency_id=missing_id(Agency))
    try:
        findings = data_inconsistencies()["orphan_claims"]
    finally:
        Claim.objects.filter(pk=claim.pk).update(agency_id=claim.agency_id)
    assert [(f.pk, f.detail) for f in findings] == [(claim.pk, f"its agency (id {missing_id(Agency)}) does not exist")]


def drop_claim_subject_check():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            # Foreign key checks still pending from the seed load block ALTER TABLE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE events_claim DROP CONSTRAINT claim_exactly_one_subject")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_claim_without_a_subject_is_an_orphan():
    claim = Claim.objects.filter(subject_type="person").first()
    drop_claim_subject_check()
    try:
        Claim.objects.filter(pk=claim.pk).update(person=None)
        findings = data_inconsistencies()["orphan_claims"]
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    assert [(f.pk, f.detail) for f in findings] == [(claim.pk, "it is not about exactly one person")]


def test_head_tenures_that_certainly_overlap_are_found_once_per_pair():
    agency = AgencyFactory()
    first = TenureFactory(agency=agency, is_head=True, start_edtf="2020-01", end_edtf="2022-06")
    second = TenureFactory(agency=agency, is_head=True, start_edtf="2022-03", end_edtf="")
    TenureFactory(agency=agency, is_head=True, start_edtf="2019", end_edtf="2020-01")  # may touch: only possible
    TenureFactory(agency=agency, is_head=False, start_edtf="2021", end_edtf="")  # not a head
    findings = data_inconsistencies()["overlapping_heads"]
    assert [(f.pk, f.record) for f in findings] == [(first.pk, first.slug)]
    assert second.person.slug in findings[0].detail


def test_a_seed_head_tenure_stretched_over_its_successor_is_found():
    stretched = {"start_edtf": "2022-07", "start_earliest": dt.date(2022, 7, 1), "start_latest": dt.date(2022, 7, 31)}
    stretched |= {"end_edtf": "2025-06", "end_earliest": dt.date(2025, 6, 1), "end_latest": dt.date(2025, 6, 30)}
    Tenure.objects.filter(slug="yuri-borisov-roscosmos-director-general").update(**stretched)
    findings = data_inconsistencies()["overlapping_heads"]
    assert [f.record for f in findings] == ["yuri-borisov-roscosmos-director-general"]
    assert "certainly overlaps dmitry-bakanov" in findings[0].detail


def test_records_without_any_claim_are_found():
    agency = AgencyFactory()
    meeting = MeetingFactory()
    ClaimFactory(meeting=MeetingFactory())  # backed
    assert set(found("unbacked_records")) == {("events.agency", agency.slug), ("events.meeting", meeting.slug)}


@pytest.mark.parametrize(
    ("meeting_date", "covered"),
    [
        ("2025-07-31", False),
        ("2023", True),
        ("2023-06/2025-03", True),
        ("2024-06/2025-03", False),
        ("../2023-12", True),
        ("2024-01/", True),
    ],
)
def test_participants_outside_their_tenure_are_found(meeting_date, covered):
    tenure = TenureFactory(start_edtf="2020", end_edtf="2024-02")
    participant = ParticipantFactory(
        meeting=MeetingFactory(date_edtf=meeting_date), person=tenure.person, tenure=tenure
    )
    expected = [] if covered else [("events.participant", f"{participant.meeting.slug}/{tenure.person.slug}")]
    assert found("participants_outside_tenure") == expected


def test_a_record_that_lost_its_preferred_value_is_found():
    claim = Claim.objects.filter(subject_type="meeting", field="status", rank=Claim.Rank.PREFERRED).first()
    other = "cancelled" if claim.value != "cancelled" else "held"
    Meeting.objects.filter(pk=claim.meeting_id).update(status=other)
    findings = data_inconsistencies()["preferred_values_differ"]
    assert [(f.model, f.pk) for f in findings] == [("events.meeting", claim.meeting_id)]
    assert f"status is {other!r}" in findings[0].detail


def test_a_stale_lineup_is_found():
    meeting = Meeting.objects.exclude(lineup="").first()
    Meeting.objects.filter(pk=meeting.pk).update(lineup="")
    findings = data_inconsistencies()["stale_lineups"]
    assert [(f.pk, f.detail) for f in findings] == [
        (meeting.pk, f"lineup is ''; its participants make {meeting.lineup!r}")
    ]


@pytest.mark.parametrize("in_dispute", [True, False])
def test_a_stale_dispute_flag_is_found(in_dispute):
    claim = Claim.objects.filter(in_dispute=in_dispute).first()
    Claim.objects.filter(pk=claim.pk).update(in_dispute=not in_dispute)
    assert found("stale_disputes") == [("events.claim", f"#{claim.pk}")]


def test_stale_date_bounds_are_found():
    meeting = Meeting.objects.exclude(date_edtf="").first()
    Meeting.objects.filter(pk=meeting.pk).update(date_earliest=None)
    claim = Claim.objects.filter(subject_type="meeting", field="date").first()
    Claim.objects.filter(pk=claim.pk).update(value_latest=None)
    assert set(found("stale_date_bounds")) == {("events.meeting", meeting.slug), ("events.claim", f"#{claim.pk}")}


def test_a_date_that_is_no_edtf_is_found():
    meeting = Meeting.objects.exclude(date_edtf="").first()
    Meeting.objects.filter(pk=meeting.pk).update(date_edtf="late summer")
    findings = data_inconsistencies()["stale_date_bounds"]
    assert [(f.pk, f.detail) for f in findings] == [(meeting.pk, "date 'late summer' is not a valid EDTF date")]


def test_a_skipped_check_is_not_run_and_is_said_to_be_skipped():
    Meeting.objects.filter(pk=Meeting.objects.exclude(lineup="").first().pk).update(lineup="")
    assert run()[1] == 1
    out, status, _ = run("--format", "json", "--skip", "stale_lineups", "--skip", "stale_date_bounds")
    report = json.loads(out)
    assert status == 0
    assert report["skipped"] == ["stale_date_bounds", "stale_lineups"]
    assert set(report["checks"]) == set(CHECKS) - {"stale_date_bounds", "stale_lineups"}
    out, status, _ = run("--skip", "stale_lineups")
    assert status == 0
    assert "Skipped: stale_lineups" in out


def test_findings_make_the_command_fail_in_both_formats():
    agency = AgencyFactory()
    out, status, message = run()
    assert status == 1
    # Unbacked, and so are its three set values (name, kind, country).
    assert message == "4 inconsistencies found."
    assert f"events.agency {agency.slug} (id {agency.pk}): no source makes a claim about it" in out
    assert f"events.agency {agency.slug} (id {agency.pk}): kind is 'space_agency', but no claim standing says so" in out
    assert "No inconsistencies found." not in out

    out, status, _ = run("--format", "json")
    report = json.loads(out)
    assert status == 1
    assert report["inconsistencies"] == 4
    assert report["checks"]["unbacked_records"]["found"] == [
        {"model": "events.agency", "pk": agency.pk, "record": agency.slug, "detail": "no source makes a claim about it"}
    ]
    assert [f["detail"].split(" is ")[0] for f in report["checks"]["unsupported_values"]["found"]] == [
        "name",
        "kind",
        "country",
    ]
    found = ("unbacked_records", "unsupported_values")
    assert all(not c["found"] for name, c in report["checks"].items() if name not in found)
