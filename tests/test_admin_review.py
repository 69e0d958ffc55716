"""The admin's ingestion pages: a curator adds a source from an article's text, and reviews its candidates (accept,
edit then accept, reject; one by one or in bulk), every decision in the history."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Candidate, Claim, Person, Source
from tests.api.test_ingest_api import ARTICLE

pytestmark = pytest.mark.usefixtures("seeded")

INGEST = reverse("admin:events_source_ingest")
QUEUE = reverse("admin:events_candidate_changelist")


@pytest.fixture
def curator_client(client):
    user = get_user_model().objects.create_user("cora", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    client.force_login(user)
    return client


def ingest(client, **data):
    return client.post(INGEST, {"kind": "news", **data})


def test_a_pasted_article_becomes_a_source_and_its_candidates_wait_in_the_queue(curator_client):
    response = ingest(curator_client, text=ARTICLE, outlet="Test Wire")
    assert response.status_code == 302
    source = Source.objects.get(outlet="Test Wire")
    assert response["Location"] == f"{QUEUE}?source__id__exact={source.pk}&status__exact=pending"
    page = curator_client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "candidate claims wait for review" in text
    assert "Jared Isaacman" in text
    assert "agrees with a claim we have" in text
    assert Candidate.objects.filter(source=source, status="pending").count() == page.context["cl"].result_count > 0


def test_an_uploaded_file_is_taken_and_bad_input_is_shown_on_the_form(curator_client):
    upload = SimpleUploadedFile("talks.txt", ARTICLE.encode())
    assert ingest(curator_client, file=upload).status_code == 302
    before = Source.objects.count()
    for data, message in (
        ({}, "Paste the text or upload a file"),
        ({"text": ARTICLE}, "is the source"),  # the same text again
        ({"text": "Undated talks\nNASA spoke.\n"}, "no date of its own"),
        ({"file": SimpleUploadedFile("talks.pdf", b"%PDF")}, "Upload a .txt or .html file"),
    ):
        response = ingest(curator_client, **data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert Source.objects.count() == before


def test_the_queue_is_closed_to_people_outside_the_curators(client):
    user = get_user_model().objects.create_user("visitor", is_staff=True)
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403
    assert client.get(INGEST).status_code == 403


class TestDecisions:
    @pytest.fixture
    def queue(self, curator_client):
        ingest(curator_client, text=ARTICLE, outlet="Test Wire")
        return Candidate.objects.filter(source__outlet="Test Wire")

    def test_bulk_accept_makes_claims_with_their_locators(self, curator_client, queue):
        chosen = list(queue.filter(subject_type="person").values_list("pk", flat=True))
        response = curator_client.post(QUEUE, {"action": "accept_selected", ACTION_CHECKBOX_NAME: chosen}, follow=True)
        assert f"Accepted {len(chosen)} candidates." in response.content.decode()
        for row in Candidate.objects.filter(pk__in=chosen):
            assert row.status == "accepted"
            assert row.reviewed_by.username == "cora"
            assert (row.claim.field, row.claim.value, row.claim.locator) == (row.field, row.value, row.locator)

    def test_bulk_reject_keeps_the_candidates_as_rejected(self, curator_client, queue):
        chosen = list(queue.filter(subject_type="tenure").values_list("pk", flat=True))
        curator_client.post(QUEUE, {"action": "reject_selected", ACTION_CHECKBOX_NAME: chosen})
        assert set(Candidate.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {"rejected"}
        assert not Claim.objects.filter(candidate__pk__in=chosen).exists()

    def test_edit_then_accept_on_a_candidates_page(self, curator_client, queue):
        row = queue.get(subject_slug="jared-isaacman", field="name")
        url = reverse("admin:events_candidate_change", args=[row.pk])
        assert curator_client.get(url).status_code == 200
        response = curator_client.post(
            url, {"value": "Jared T. Isaacman", "decision": "accept", "rank": "normal", "note": ""}
        )
        assert response.status_code == 302, response.content
        row.refresh_from_db()
        assert (row.status, row.claim.value, row.claim.rank) == ("accepted", "Jared T. Isaacman", "normal")
        assert Person.objects.get(slug="jared-isaacman").name == "Jared Isaacman"  # a normal claim: the record stays
        assert [h.history_change_reason for h in row.history.order_by("history_id")][-1] == "accepted"
        page = curator_client.get(url).content.decode()
        assert 'name="decision"' not in page  # decided: nothing left to decide

    def test_reject_with_a_reason_on_a_candidates_page(self, curator_client, queue):
        row = queue.get(subject_slug="jared-isaacman", field="name")
        url = reverse("admin:events_candidate_change", args=[row.pk])
        curator_client.post(url, {"value": row.value, "decision": "reject", "note": "Not said here."})
        row.refresh_from_db()
        assert (row.status, row.note) == ("rejected", "Not said here.")

    def test_a_refused_acceptance_says_why_and_writes_nothing(self, curator_client, queue):
        row = queue.get(subject_slug="jared-isaacman", field="name")
        url = reverse("admin:events_candidate_change", args=[row.pk])
        claims = Claim.objects.count()
        response = curator_client.post(
            url, {"value": "x" * 300, "decision": "accept", "rank": "preferred"}, follow=True
        )
        assert "Nothing was saved" in response.content.decode()
        row.refresh_from_db()
        assert row.status == "pending"
        assert Claim.objects.count() == claims
