"""Loading the seed again: the serve command's steps (migrate, load_seed_data) never undo curators' work, a
second load changes nothing, and a load repairs what changed outside curation."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Claim, Meeting, Source, Topic
from events.services.seed import SEED_LOADER, seed_load
from tests.seedfiles import assert_a_broken_late_record_changes_nothing, edit_fixture, snapshot

MEETING = "nasa-roscosmos-2025-07"


@pytest.fixture
def curator(db):
    user = User.objects.create_user("carla", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events"))
    return User.objects.get(pk=user.pk)


def serve_steps(capsys) -> str:
    capsys.readouterr()
    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_seed_data")
    return capsys.readouterr().out


def test_edits_through_the_api_and_the_admin_survive_the_serve_steps(seed_loaded, curator, capsys):
    api = APIClient()
    api.force_authenticate(curator)
    note = "The agencies said the talks were put off; no article here says so yet."
    response = api.patch(
        f"/api/v1/meetings/{MEETING}/", {"status": "postponed", "support": {"note": note}}, format="json"
    )
    assert response.status_code == 200, response.content

    topic = Topic.objects.get(slug="iss-extension")
    admin = Client()
    admin.force_login(curator)
    url = reverse("admin:events_topic_change", args=[topic.pk])
    form = admin.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"name": "Extending the ISS", "support_note": "A plainer name for the same topic."}
    data |= {"claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0}
    assert admin.post(url, data).status_code == 302

    out = serve_steps(capsys)

    meeting = Meeting.objects.get(slug=MEETING)
    assert meeting.status == "postponed"
    judged = Claim.objects.get(meeting=meeting, field="status", value="postponed")
    assert (judged.source.curator, judged.note, judged.rank) == (curator, note, "preferred")
    assert Topic.objects.get(pk=topic.pk).name == "Extending the ISS"
    assert "Left as curators changed them" in out
    assert f"events.meeting {MEETING}: status: 'postponed' kept, seed has 'held'" in out
    assert "events.topic iss-extension: name: 'Extending the ISS' kept" in out
    # The seed's preferred "held" claim yields: it stays, as a normal claim, and the record keeps its value.
    assert not Claim.objects.filter(meeting=meeting, field="status", rank="preferred").exclude(value="postponed")

    # Again and again: the same answer, nothing more changed.
    assert serve_steps(capsys) == out


def test_a_claim_a_curator_added_citing_a_seed_source_is_kept(seed_loaded, curator, capsys):
    meeting = Meeting.objects.get(slug=MEETING)
    source = Source.objects.get(slug__startswith="001")
    api = APIClient()
    api.force_authenticate(curator)
    body = {"source": source.slug, "subject_type": "meeting", "subject": MEETING, "field": "format"}
    body |= {"value": "virtual", "locator": "3", "note": "Read as a video call."}
    assert api.post("/api/v1/claims/", body, format="json").status_code == 201
    out = serve_steps(capsys)
    assert Claim.objects.filter(meeting=meeting, source=source, field="format", value="virtual").exists()
    assert "kept, though the seed no longer has it" in out


def test_a_seed_row_nobody_changed_still_takes_seed_updates(seed_loaded):
    topic = Topic.objects.get(slug="iss-extension")
    Topic.objects.filter(pk=topic.pk).update(description="An older seed's wording.")
    topic.history.update(history_change_reason=SEED_LOADER)  # as a seed load wrote it
    report = seed_load()
    assert Topic.objects.get(pk=topic.pk).description == topic.description
    assert report.updated["events.topic"] == 1
    assert not report.kept


def test_seed_loads_name_their_loader_in_the_history(seed_loaded):
    meeting = Meeting.objects.get(slug=MEETING)
    first = meeting.history.earliest("history_date")
    assert first.history_user.username == SEED_LOADER
    assert first.history_change_reason == SEED_LOADER
    assert not first.history_user.has_usable_password()
    assert not first.history_user.is_active


# --- loading again over a loaded seed ---------------------------------------------------------------


def test_second_load_changes_nothing(seed_loaded, capsys):
    before = snapshot()
    capsys.readouterr()
    call_command("load_seed_data")
    out = capsys.readouterr().out
    assert snapshot() == before
    assert " created" in out
    assert "0 created, 0 updated" in out
    assert all(", 0 updated," in line for line in out.splitlines() if line.startswith("events."))


def test_load_repairs_a_changed_record(seed_loaded, capsys):
    Meeting.objects.filter(slug="nasa-roscosmos-2025-07").update(status="cancelled")
    capsys.readouterr()
    call_command("load_seed_data")
    assert "events.meeting: 0 created, 1 updated, 12 unchanged" in capsys.readouterr().out
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").status == "held"


def test_broken_record_late_in_the_load_leaves_a_loaded_database_as_it_was(seed_loaded, fixture_copy):
    assert_a_broken_late_record_changes_nothing(fixture_copy)


def test_an_unsorted_set_value_loads_twice(seed_loaded, fixture_copy):
    def unsort(records):
        claim = next(r for r in records if r["fields"]["value"] == "dmitry-bakanov,sean-duffy")
        claim["fields"]["value"] = "sean-duffy,dmitry-bakanov"

    edit_fixture(fixture_copy, "claims.json", unsort)
    call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    before = snapshot()
    call_command("load_seed_data", "--fixture-dir", str(fixture_copy))
    assert snapshot() == before


def test_claims_dropped_from_the_fixtures_are_removed(seed_loaded, fixture_copy, capsys):
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
