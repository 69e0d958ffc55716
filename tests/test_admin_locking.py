"""Two curators on one record in the admin: the second save over an outdated page is refused, and nothing is written."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Claim, Meeting, Participant, Person, Place, Source
from events.services.claims import claim_remove
from events.services.records import member_store
from tests.test_curation import form_data

User = get_user_model()
JULY = "nasa-roscosmos-2025-07"
# The edits below change values no source gives: they rest on the curator's judgement, so that what the admin
# refuses here is the outdated page, nothing else.
SUPPORT = {"support_note": "The curator's own reading."}


def curator_client(username):
    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(seeded):
    return curator_client("alice")


@pytest.fixture
def bob(seeded):
    return curator_client("bob")


def change_url(record):
    return reverse(f"admin:events_{record._meta.model_name}_change", args=[record.pk])


def july():
    return Meeting.objects.get(slug=JULY)


def refusal(response) -> str:
    """The form's error, as a curator reads it."""
    assert response.status_code == 200, "the save was not refused"
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1, errors
    return html.unescape(str(errors[0]))


def snapshot(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return (
        {f.attname: getattr(meeting, f.attname) for f in Meeting._meta.concrete_fields},
        sorted(meeting.topics.values_list("pk", flat=True)),
        sorted(meeting.participants.values_list("pk", "person_id", "role")),
        sorted(meeting.claims.values_list("pk", "value", "rank", "note")),
        meeting.history.count(),
    )


def test_the_second_curator_to_save_is_refused_with_what_changed(alice, bob):
    meeting = july()
    url = change_url(meeting)
    alices_page, bobs_page = alice.get(url), bob.get(url)

    houston = Place.objects.get(slug="houston")
    saved = alice.post(url, form_data(alices_page) | {"place": houston.pk})
    assert saved.status_code == 302
    after_alice = snapshot(meeting)

    response = bob.post(url, form_data(bobs_page) | {"status": "postponed", "title": "Bob's title", **SUPPORT})
    message = refusal(response)
    assert "Someone else saved this meeting after you opened it, so nothing was saved" in message
    assert "place (now: Houston)" in message
    assert "Last saved by alice" in message
    assert f'<a href="{url}">Reload it</a>' in message
    assert "status" not in message  # Bob's own edits are not what changed
    assert "title" not in message
    assert snapshot(meeting) == after_alice
    assert not july().history.filter(history_user__username="bob").exists()

    # Saving the refused form again is refused again: it still carries the version it was opened on.
    again = bob.post(url, form_data(response))
    refusal(again)
    assert snapshot(meeting) == after_alice

    # Bob reloads, and his change goes in on top of Alice's.
    saved = bob.post(url, form_data(bob.get(url)) | {"status": "postponed", **SUPPORT})
    assert saved.status_code == 302
    meeting = july()
    assert (meeting.place.slug, meeting.status) == ("houston", "postponed")


def test_a_save_over_the_current_version_goes_through(alice):
    meeting = july()
    url = change_url(meeting)
    response = alice.post(url, form_data(alice.get(url)) | {"status": "postponed", **SUPPORT})
    assert response.status_code == 302
    assert july().status == "postponed"


def test_a_change_to_an_inline_row_counts_as_a_change_to_the_record(alice, bob):
    """Bob's page still shows the claim's old rank: saving it would put the old rank back."""
    meeting = july()
    url = change_url(meeting)
    alices_page, bobs_page = alice.get(url), bob.get(url)
    data = form_data(alices_page)
    claims = [k for k, v in data.items() if k.startswith("claims-") and k.endswith("-id")]
    row = claims[0].removesuffix("-id")
    claim = Claim.objects.get(pk=data[claims[0]])
    new_rank = "deprecated" if claim.rank != "deprecated" else "normal"
    assert alice.post(url, data | {f"{row}-rank": new_rank, f"{row}-note": "Judged wrong."}).status_code == 302
    after_alice = snapshot(meeting)

    message = refusal(bob.post(url, form_data(bobs_page) | {"title": "Bob's title", **SUPPORT}))
    assert "claims: 1 changed" in message
    assert snapshot(meeting) == after_alice
    claim.refresh_from_db()
    assert claim.rank == new_rank


def test_rows_added_and_removed_elsewhere_are_counted(alice, bob):
    meeting = july()
    url = change_url(meeting)
    bobs_page = bob.get(url)
    person = Person.objects.exclude(participations__meeting=meeting).first()
    member_store(member=Participant(meeting=meeting, person=person, role="observer"))
    claim_remove(claim=meeting.claims.order_by("pk").first())
    message = refusal(bob.post(url, form_data(bobs_page) | {"title": "Bob's title", **SUPPORT}))
    assert "participants: 1 added" in message
    assert "claims: 1 removed" in message
    assert july().title != "Bob's title"


def test_a_change_through_the_api_also_makes_the_page_outdated(alice, seeded):
    meeting = july()
    url = change_url(meeting)
    page = alice.get(url)
    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("robot", password=None))
    assert (
        api.patch(
            f"/api/v1/meetings/{JULY}/", {"status": "postponed", "support": {"note": "Robot's reading."}}, format="json"
        ).status_code
        == 200
    )

    message = refusal(alice.post(url, form_data(page) | {"title": "Alice's title", **SUPPORT}))
    assert "status (now: postponed)" in message
    assert "Last saved by robot" in message
    assert july().title != "Alice's title"


def test_changes_elsewhere_do_not_block_a_save(alice, bob):
    """Only what the page can write counts: another record, or a column the page does not show."""
    meeting = july()
    url = change_url(meeting)
    bobs_page = bob.get(url)
    other = Meeting.objects.exclude(pk=meeting.pk).first()
    other_url = change_url(other)
    assert (
        alice.post(other_url, form_data(alice.get(other_url)) | {"status": "postponed", **SUPPORT}).status_code == 302
    )
    Claim.objects.filter(meeting=meeting).update(in_dispute=True)  # kept by the database, not on the form

    assert bob.post(url, form_data(bobs_page) | {"title": "Bob's title", **SUPPORT}).status_code == 302
    assert july().title == "Bob's title"


@pytest.mark.parametrize("version", [None, "", "not json", '{"": {}}'])
def test_a_form_without_a_valid_version_is_refused(alice, version):
    meeting = july()
    url = change_url(meeting)
    data = form_data(alice.get(url)) | {"title": "Retitled", **SUPPORT}
    if version is None:
        del data["record_version"]
    else:
        data["record_version"] = version
    before = snapshot(meeting)
    message = refusal(alice.post(url, data))
    assert "nothing was saved" in message
    assert snapshot(meeting) == before


def test_the_version_is_part_of_every_change_form_and_not_of_the_add_form(alice):
    for record in (july(), Source.objects.first(), Place.objects.first(), Claim.objects.first()):
        assert 'name="record_version"' in alice.get(change_url(record)).content.decode()
    assert 'name="record_version"' not in alice.get(reverse("admin:events_meeting_add")).content.decode()


def test_a_revert_over_an_outdated_page_is_refused(alice, bob):
    meeting = july()
    url = change_url(meeting)
    assert alice.post(url, form_data(alice.get(url)) | {"status": "postponed", **SUPPORT}).status_code == 302
    oldest = july().history.order_by("history_id").first()
    revert_url = reverse("admin:events_meeting_simple_history", args=[meeting.pk, oldest.history_id])
    bobs_page = bob.get(revert_url)
    assert bobs_page.status_code == 200

    assert alice.post(url, form_data(alice.get(url)) | {"title": "Alice's title", **SUPPORT}).status_code == 302
    after_alice = snapshot(meeting)
    message = refusal(bob.post(revert_url, form_data(bobs_page)))
    assert "title (now: Alice's title)" in message
    assert snapshot(meeting) == after_alice

    # Over the current version, the revert goes through.
    assert bob.post(revert_url, form_data(bob.get(revert_url))).status_code == 302
    assert july().status == oldest.status
