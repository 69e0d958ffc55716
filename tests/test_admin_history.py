"""History in the admin: every change names who made it, however it was made, and a malformed history address is
a 404 like any address that names nothing.

The API's token authentication finds the user inside the view, after simple-history's middleware has taken the
request; DRF sets the user it finds on that same request, so the history names it. These tests hold that.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Claim, Meeting, Place, Source, Topic

User = get_user_model()
JULY = "nasa-roscosmos-2025-07"


@pytest.fixture
def curator_client(client, db):
    client.force_login(User.objects.create_superuser("curator", "curator@example.org", "a-long-test-password"))
    return client


def curator(username):
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get(name="curators"))
    return User.objects.get(pk=user.pk)


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


# --- malformed addresses ------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["meeting", "claim", "tenure"])
@pytest.mark.parametrize("key", ["abc", "1.5", "99999999999999999999999", "-"])
def test_a_history_page_for_a_key_that_cannot_be_is_a_404(curator_client, seeded, model, key):
    assert curator_client.get(f"/admin/events/{model}/{key}/history/").status_code == 404


@pytest.mark.parametrize("version", ["xyz", "1.5", "99999999999999999999999", "999999"])
def test_a_version_page_for_a_version_that_cannot_be_is_a_404(curator_client, seeded, version):
    meeting = Meeting.objects.get(slug=JULY)
    assert curator_client.get(f"/admin/events/meeting/{meeting.pk}/history/{version}/").status_code == 404
    assert curator_client.get(f"/admin/events/meeting/abc/history/{version}/").status_code == 404


def test_well_formed_history_pages_still_open(curator_client, seeded):
    meeting = Meeting.objects.get(slug=JULY)
    version = meeting.history.first()
    assert curator_client.get(reverse("admin:events_meeting_history", args=[meeting.pk])).status_code == 200
    url = reverse("admin:events_meeting_simple_history", args=[meeting.pk, version.history_id])
    assert curator_client.get(url).status_code == 200


# --- who made each change -----------------------------------------------------------------------


def test_a_token_users_change_through_the_api_names_them(seeded):
    editor = curator("editor")
    response = token_client(editor).patch(f"/api/v1/meetings/{JULY}/", {"place": "houston"}, format="json")
    assert response.status_code == 200, response.content
    latest = Meeting.objects.get(slug=JULY).history.first()
    assert (latest.history_type, latest.place_id) == ("~", Place.objects.get(slug="houston").pk)
    assert latest.history_user == editor


def test_a_claim_added_through_the_api_names_who_added_it(seeded):
    editor = curator("editor")
    source = Source.objects.exclude(claims__meeting__slug=JULY, claims__field="format").articles().first()
    body = {
        "source": source.slug,
        "subject_type": "meeting",
        "subject": JULY,
        "field": "format",
        "value": "in_person",
        "rank": "normal",
        "locator": "1",
    }
    response = token_client(editor).post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201, response.content
    created = Claim.history.get(id=response.json()["id"], history_type="+")
    assert created.history_user == editor


def test_a_deletion_through_the_api_names_who_deleted(seeded):
    editor = curator("editor")
    topic = Topic.objects.filter(meetings__isnull=True, claims__isnull=True).first() or Topic.objects.create(
        slug="orbital-debris-removal", name="Orbital debris removal"
    )
    response = token_client(editor).delete(f"/api/v1/topics/{topic.slug}/")
    assert response.status_code == 204, response.content
    assert Topic.history.get(id=topic.pk, history_type="-").history_user == editor


def test_a_session_users_change_through_the_api_names_them(seeded):
    editor = curator("editor")
    api = APIClient()
    api.force_login(editor)
    response = api.patch(f"/api/v1/meetings/{JULY}/", {"place": "houston"}, format="json")
    assert response.status_code == 200, response.content
    assert Meeting.objects.get(slug=JULY).history.first().history_user == editor


def test_the_history_page_names_the_api_user(curator_client, seeded):
    editor = curator("api-editor")
    token_client(editor).patch(f"/api/v1/meetings/{JULY}/", {"place": "houston"}, format="json")
    meeting = Meeting.objects.get(slug=JULY)
    page = curator_client.get(reverse("admin:events_meeting_history", args=[meeting.pk])).content.decode()
    assert "api-editor" in page
