"""Writes keep "the record holds the preferred value"; odd digits and repeated parameters are refused."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from rest_framework.test import APIClient

from events.models import Claim, Meeting, Source
from events.selectors import preferred_claim_mismatches

API = "/api/v1"
JULY = "nasa-roscosmos-2025-07"


def client_with(*codenames):
    user = get_user_model().objects.create_user("writer", password="a-long-writer-pass-2026")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_preferred_claim_posted_through_the_api_becomes_the_records_value(seeded):
    client = client_with("add_claim")
    body = {
        "source": Source.objects.get(slug__startswith="002").slug,
        "subject_type": "meeting",
        "subject": JULY,
        "field": "status",
        "value": "postponed",
        "rank": "preferred",
        "locator": "12",
        "note": "test",
    }
    assert client.post(f"{API}/claims/", body, format="json").status_code == 201
    assert Meeting.objects.get(slug=JULY).status == "postponed"
    assert Claim.objects.get(meeting__slug=JULY, field="status", value="held").rank == "normal"
    assert preferred_claim_mismatches() == []


def test_editing_a_record_by_hand_demotes_the_claims_it_now_contradicts(seeded):
    client = client_with("change_meeting")
    assert client.patch(f"{API}/meetings/{JULY}/", {"place": "houston"}, format="json").status_code == 200
    assert Claim.objects.get(meeting__slug=JULY, field="place", value="kennedy-space-center").rank == "normal"
    assert preferred_claim_mismatches() == []


@pytest.mark.parametrize("query", ["page=%C2%B2", "page_size=%C2%B2", "page=%D9%A1"])
def test_non_ascii_digits_are_a_400(seeded, query):
    response = APIClient().get(f"{API}/meetings/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("launches/?agency=nasa&agency=roscosmos", "agency"),
        ("meetings/?q=a&q=b", "q"),
        ("tenures/?person=sean-duffy&person=jared-isaacman", "person"),
        ("meetings/?page=1&page=2", "page"),
    ],
)
def test_a_single_valued_parameter_given_twice_is_a_400(seeded, url, name):
    response = APIClient().get(f"{API}/{url}")
    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_repeatable_parameters_still_repeat(seeded):
    assert APIClient().get(f"{API}/meetings/?agency=nasa&agency=roscosmos").status_code == 200


@pytest.mark.django_db
def test_load_seed_data_if_empty_leaves_existing_data_alone(capsys):
    call_command("load_seed_data", "--if-empty")
    Meeting.objects.filter(slug=JULY).update(status="cancelled")
    capsys.readouterr()
    call_command("load_seed_data", "--if-empty")
    assert "nothing loaded" in capsys.readouterr().out
    assert Meeting.objects.get(slug=JULY).status == "cancelled"
