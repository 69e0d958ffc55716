import json
import shutil

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from events.models import Claim, Meeting, Source
from events.services.seed import seed_fixture_paths, seed_load


def snapshot():
    """Every row of every model in the app, serialised: equal snapshots mean nothing changed."""
    rows = []
    for model in apps.get_app_config("events").get_models():
        rows.extend(json.loads(serializers.serialize("json", model.objects.order_by("pk"))))
    return rows


@pytest.fixture
def fixture_copy(tmp_path):
    for path in seed_fixture_paths():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def edit_fixture(directory, name, change):
    path = directory / name
    records = json.loads(path.read_text())
    change(records)
    path.write_text(json.dumps(records))


@pytest.mark.django_db
def test_load_reports_what_it_created(capsys):
    call_command("load_seed_data")
    out = capsys.readouterr().out
    assert "events.meeting: 13 created, 0 updated, 0 unchanged" in out
    assert f"events.claim: {Claim.objects.count()} created" in out
    assert Source.objects.count() == 6  # the five articles and the editors' judgement


@pytest.mark.django_db
def test_second_load_changes_nothing(capsys):
    call_command("load_seed_data")
    before = snapshot()
    capsys.readouterr()
    call_command("load_seed_data")
    out = capsys.readouterr().out
    assert snapshot() == before
    assert " created" in out
    assert "0 created, 0 updated" in out
    assert all(", 0 updated," in line for line in out.splitlines() if line.startswith("events."))


@pytest.mark.django_db
def test_load_repairs_a_changed_record(capsys):
    call_command("load_seed_data")
    Meeting.objects.filter(slug="nasa-roscosmos-2025-07").update(status="cancelled")
    capsys.readouterr()
    call_command("load_seed_data")
    assert "events.meeting: 0 created, 1 updated, 12 unchanged" in capsys.readouterr().out
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").status == "held"


@pytest.mark.django_db
def test_dry_run_writes_nothing(capsys):
    call_command("load_seed_data", "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert Meeting.objects.count() == 0
    assert Claim.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("preloaded", [False, True], ids=["empty-db", "loaded-db"])
def test_broken_record_late_in_the_load_leaves_database_as_it_was(fixture_copy, preloaded):
    if preloaded:
        seed_load()
    before = snapshot()

    def break_last_claim(records):
        records[-1]["fields"]["locator"] = "999"

    edit_fixture(fixture_copy, "claims.json", break_last_claim)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    message = str(excinfo.value)
    assert "claims.json" in message
    assert "events.claim" in message
    assert "locator" in message
    assert snapshot() == before


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


@pytest.mark.django_db
def test_an_unsorted_set_value_loads_twice(fixture_copy):
    def unsort(records):
        claim = next(r for r in records if r["fields"]["value"] == "dmitry-bakanov,sean-duffy")
        claim["fields"]["value"] = "sean-duffy,dmitry-bakanov"

    edit_fixture(fixture_copy, "claims.json", unsort)
    call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    before = snapshot()
    call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    assert snapshot() == before


@pytest.mark.django_db
def test_claims_dropped_from_the_fixtures_are_removed(fixture_copy, capsys):
    call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    total = Claim.objects.count()

    def correct_a_value(records):
        claim = next(r for r in records if r["fields"]["value"] == "kennedy-space-center")
        claim["fields"]["value"] = "johnson-space-center"
        claim["fields"]["rank"] = "normal"

    edit_fixture(fixture_copy, "claims.json", correct_a_value)
    Meeting.objects.filter(slug="nasa-roscosmos-2025-07").update(place=None)
    capsys.readouterr()
    call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    assert "events.claim: 1 created, 0 updated" in capsys.readouterr().out
    assert Claim.objects.count() == total
    assert not Claim.objects.filter(value="kennedy-space-center").exists()
