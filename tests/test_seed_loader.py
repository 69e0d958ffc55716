import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.models import Claim, Meeting, Source
from tests.seedfiles import assert_a_broken_late_record_changes_nothing, edit_fixture


@pytest.mark.django_db
def test_load_reports_what_it_created(capsys):
    call_command("load_seed_data")
    out = capsys.readouterr().out
    assert "events.meeting: 13 created, 0 updated, 0 unchanged" in out
    assert f"events.claim: {Claim.objects.count()} created" in out
    assert Source.objects.count() == 6  # the five articles and the editors' judgement


@pytest.mark.django_db
def test_dry_run_writes_nothing(capsys):
    call_command("load_seed_data", "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert Meeting.objects.count() == 0
    assert Claim.objects.count() == 0


@pytest.mark.django_db
def test_broken_record_late_in_the_load_leaves_an_empty_database_empty(fixture_copy):
    assert_a_broken_late_record_changes_nothing(fixture_copy)


@pytest.mark.django_db
def test_malformed_date_is_named(fixture_copy):
    def break_date(records):
        meeting = next(r for r in records if r["model"] == "events.meeting")
        meeting["fields"]["date_edtf"] = "late August"

    edit_fixture(fixture_copy, "events.json", break_date)
    with pytest.raises(CommandError, match=r"events\.meeting nasa-roscosmos-2018-10: date_edtf: 'late August' is not"):
        call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_dangling_reference_is_named(fixture_copy):
    def break_reference(records):
        records[0]["fields"]["meeting"] = ["no-such-meeting"]
        records[0]["fields"]["subject_type"] = "meeting"
        for other in ("agency", "person", "place", "topic", "tenure", "launch"):
            records[0]["fields"][other] = None

    edit_fixture(fixture_copy, "claims.json", break_reference)
    with pytest.raises(CommandError, match="claims.json.*no-such-meeting"):
        call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    assert Claim.objects.count() == 0


@pytest.mark.django_db
def test_a_record_the_database_refuses_is_named_and_nothing_is_loaded(fixture_copy):
    def deprecated_without_a_reason(records):
        claim = next(r for r in records if r["model"] == "events.claim" and r["fields"]["rank"] == "normal")
        claim["fields"].update(rank="deprecated", note="")  # only a database constraint asks for the reason

    edit_fixture(fixture_copy, "claims.json", deprecated_without_a_reason)
    with pytest.raises(CommandError, match=r"claims\.json: events\.claim .*claim_deprecated_has_reason"):
        call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_clashing_head_tenures_are_rejected(fixture_copy):
    def overlap(records):
        borisov = next(r for r in records if r["fields"]["slug"] == "yuri-borisov-roscosmos-director-general")
        borisov["fields"].update(start_edtf="2024", end_edtf="")

    edit_fixture(fixture_copy, "tenures.json", overlap)
    with pytest.raises(CommandError, match="dmitry-bakanov.*one head at a time.*Yuri Borisov"):
        call_command("load_seed_data", "--fixture-dir", str(fixture_copy))


@pytest.mark.django_db
def test_a_record_that_contradicts_its_preferred_claim_is_refused(fixture_copy):
    def move_meeting(records):
        meeting = next(r for r in records if r["fields"].get("slug") == "nasa-roscosmos-2025-07")
        meeting["fields"]["place"] = ["houston"]

    edit_fixture(fixture_copy, "events.json", move_meeting)
    with pytest.raises(CommandError, match="nasa-roscosmos-2025-07 place: the record has 'houston'"):
        call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    assert Meeting.objects.count() == 0
