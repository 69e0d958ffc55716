"""The admin answers what it cannot serve with a 400, never a 500: list filters it cannot apply (the year filter,
the date drill-down), and addresses holding a NUL character, which PostgreSQL's text cannot compare with."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Meeting
from events.services.curators import curator_create

JULY = "nasa-roscosmos-2025-07"
TWENTY_DIGITS = "9" * 20


@pytest.fixture
def curator(seeded):
    client = Client(raise_request_exception=False)
    client.force_login(curator_create(username="curator", password="a-long-test-password"))
    return client


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        f"year={TWENTY_DIGITS}",
        "year=0",
        "year=10000",
        "date_earliest__year=abc",  # Django's admin sent this one to its "database error" page
        f"date_earliest__year={TWENTY_DIGITS}",
        f"date_earliest__year=2025&date_earliest__month={TWENTY_DIGITS}",
        "date_earliest__year=2025&date_earliest__month=13",
        "date_earliest__year=9999",
        "date_earliest__year=9999&date_earliest__month=12&date_earliest__day=31",
    ],
)
def test_a_year_the_list_cannot_filter_by_is_a_400(curator, query):
    response = curator.get(f"{reverse('admin:events_meeting_changelist')}?{query}")
    assert response.status_code == 400
    assert "Bad Request (400)" in response.content.decode()


def test_the_year_filter_and_the_date_drill_down_still_filter(curator):
    url = reverse("admin:events_meeting_changelist")
    by_year = curator.get(url, {"year": "2025"})
    by_month = curator.get(url, {"date_earliest__year": "2025", "date_earliest__month": "7"})
    assert by_year.status_code == by_month.status_code == 200
    assert JULY in {m.slug for m in by_year.context["cl"].result_list}
    assert JULY in {m.slug for m in by_month.context["cl"].result_list}


@pytest.mark.parametrize(
    "address",
    [
        "/admin/autocomplete/?app_label=events&model_name=claim&field_name=source&term=%00",
        "/admin/autocomplete/?app_label=events&model_name=claim&field_name=source&term=nasa%00",
        "/admin/events/meeting/?status__exact=%00",
        "/admin/events/claim/?field=%00",
        "/admin/events/claim/?q=%00",
        "/admin/events/meeting/{pk}/history/1%00/",
        "/admin/events/meeting/%00/change/",
    ],
)
def test_an_admin_address_holding_a_nul_character_is_a_400(curator, address):
    meeting = Meeting.objects.get(slug=JULY)
    assert curator.get(address.format(pk=meeting.pk)).status_code == 400


def test_autocomplete_still_finds_sources(curator):
    response = curator.get(
        "/admin/autocomplete/", {"app_label": "events", "model_name": "claim", "field_name": "source", "term": "nasa"}
    )
    assert response.status_code == 200
    assert response.json()["results"]
