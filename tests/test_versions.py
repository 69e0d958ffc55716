"""A record's version: raised by every change to the record, its claims or its members, through the API or the
admin, and served as the ETag of its detail GET and of a write's answer."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from events.api.preconditions import record_etag
from events.models import Claim, Meeting, Participant, Person, Source, Tenure, Topic
from events.services.claims import claim_deprecate, claim_remove, claim_store
from events.services.records import member_remove, member_store, record_delete, record_save
from events.services.support import Support
from tests.test_admin_locking import SUPPORT, change_url, curator_client
from tests.test_curation import form_data

API = "/api/v1"
JULY = "nasa-roscosmos-2025-07"
ARTICLE = "001_c34876a6c97edda2"


def version(record) -> int:
    return type(record).objects.values_list("version", flat=True).get(pk=record.pk)


def july() -> Meeting:
    return Meeting.objects.get(slug=JULY)


def editor() -> APIClient:
    user = User.objects.create_user("versions-editor")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events"))
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def test_a_new_record_starts_at_version_1(seeded):
    topic = Topic(slug="versioned", name="Versioned")
    topic.save()
    assert topic.version == version(topic) == 1


def test_every_change_to_a_record_its_claims_or_members_raises_its_version(seeded):
    meeting = july()
    seen = [version(meeting)]

    def raised():
        seen.append(version(meeting))
        return seen[-1] > seen[-2]

    meeting.summary = "Changed."
    record_save(instance=meeting)
    assert raised()
    source = Source.objects.get(slug=ARTICLE)
    claim = claim_store(claim=Claim(source=source, subject_type="meeting", meeting=meeting, field="format",
                                    value="virtual", locator="3"))  # fmt: skip
    assert raised()
    claim_deprecate(claim=claim, reason="Judged wrong.")
    assert raised()
    claim_remove(claim=claim)
    assert raised()
    person = Person.objects.exclude(participations__meeting=meeting).first()
    member = member_store(member=Participant(meeting=meeting, person=person, role="observer"))
    assert raised()
    member_remove(member=member)
    assert raised()


def test_a_changed_tenure_raises_its_own_version_and_a_deleted_one_the_meetings_it_was_held_at(seeded):
    tenure = Tenure.objects.get(slug="dmitry-rogozin-roscosmos-head")
    before = version(tenure)
    tenure.title = "Director General (retitled)"
    record_save(instance=tenure, support=Support(source=Source.objects.get(slug=ARTICLE), locator="3"))
    assert version(tenure) > before
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2018-10")
    held_at = version(meeting)
    record_delete(instance=tenure)
    assert version(meeting) > held_at


def test_an_older_version_cannot_be_put_back_by_a_save(seeded):
    meeting = july()
    stale = july()
    meeting.summary = "First."
    record_save(instance=meeting)
    stale.summary = "Second, from an instance read before the first."
    record_save(instance=stale)
    assert version(stale) == stale.version > meeting.version


def test_the_detail_get_and_a_writes_answer_carry_the_records_version_as_etag(seeded):
    client = editor()
    url = f"{API}/meetings/{JULY}/"
    response = client.get(url)
    assert response["ETag"] == record_etag(Meeting, july().pk, version(july()))
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    written = client.patch(url, {"summary": "Changed.", "support": {"note": "x"}}, format="json")
    assert written.status_code == 200, written.content
    assert written["ETag"] == client.get(url)["ETag"] != response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_a_created_record_answers_with_its_etag(seeded):
    response = editor().post(f"{API}/topics/", {"slug": "etagged", "name": "Etagged", "support": {"note": "x"}},
                             format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    topic = Topic.objects.get(slug="etagged")
    assert response["ETag"] == record_etag(Topic, topic.pk, version(topic))


def test_etags_differ_between_models_records_and_versions():
    tags = {record_etag(model, pk, v) for model in (Meeting, Topic) for pk in (1, 2) for v in (1, 2)}
    assert len(tags) == 8
    assert all(tag.startswith('"') and tag.endswith('"') for tag in tags)


@pytest.mark.parametrize("username", ["alice"])
def test_the_admin_form_carries_the_version_it_was_opened_on(seeded, username):
    client = curator_client(username)
    meeting = july()
    page = client.get(change_url(meeting))
    assert str(form_data(page)["record_version"]) == str(version(meeting))
    assert client.post(change_url(meeting), form_data(page) | {"title": "Retitled", **SUPPORT}).status_code == 302
    assert version(meeting) > meeting.version
    assert 'name="record_version"' not in client.get(reverse("admin:events_topic_add")).content.decode()


def test_the_admins_delete_action_goes_through_the_services(seeded):
    admin = User.objects.create_superuser("versions-admin", password=None)
    client = Client()
    client.force_login(admin)
    participant = Participant.objects.filter(meeting__slug=JULY).order_by("pk").first()
    before = version(july())
    response = client.post(
        reverse("admin:events_participant_changelist"),
        {"action": "delete_selected", "_selected_action": [participant.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert version(july()) > before  # the meeting's lineup changed with it
    assert all(stored == made for stored, made in Meeting.objects.lineups_due().values())


def test_deleting_a_launch_changes_the_meetings_that_named_it(seeded):
    conference = Meeting.objects.get(slug="isaacman-news-conference-2026-02-13")
    before = version(conference)
    launch = conference.related_launch
    record_delete(instance=launch)
    conference.refresh_from_db()
    assert conference.related_launch is None
    assert version(conference) > before  # its ETag changes: a client holding the old one gets 412
    # The claims naming the launch stay, but no longer as the value the meeting holds.
    named = Claim.objects.about(conference).filter(field="related_launch", value=launch.slug)
    assert named.exists()
    assert not named.filter(rank="preferred").exists()
