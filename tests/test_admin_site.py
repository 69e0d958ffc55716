"""The admin as a curator meets it: the project's name in the header, "View site" leading to the API's
documentation, and the index leading to the pages where curating happens."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

User = get_user_model()


@pytest.fixture
def curator_client(client, db):
    client.force_login(User.objects.create_superuser("curator", "curator@example.org", "a-long-test-password"))
    return client


def staff_client(username, *codenames) -> Client:
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", ["admin:index", "admin:events_claim_changelist", "admin:events_claim_conflicts"])
def test_every_page_names_the_project(curator_client, page):
    content = curator_client.get(reverse(page)).content.decode()
    assert '<div id="site-name"><a href="/admin/">spacediplo curation</a></div>' in content
    assert "| spacediplo admin</title>" in content
    assert "Django administration" not in content


def test_view_site_opens_the_api_documentation(curator_client):
    response = curator_client.get(reverse("admin:index"))
    assert response.context["site_url"] == reverse("docs") == "/api/v1/docs/"
    assert '<a href="/api/v1/docs/">View site</a>' in response.content.decode()


def test_the_index_is_titled_for_the_project(curator_client):
    response = curator_client.get(reverse("admin:index"))
    assert response.context["title"].startswith("spacediplo")


def test_the_index_links_the_curation_pages(curator_client):
    content = curator_client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("admin:events_claim_conflicts")}">Disagreements between sources</a>' in content
    assert f'<a href="{reverse("admin:events_source_low_support")}">Records resting only on low-rated sources</a>' in (
        content
    )
    # The rest of the index is still there.
    assert reverse("admin:events_meeting_changelist") in content


def test_the_index_offers_only_the_pages_the_user_may_see(db):
    claims_only = staff_client("reviewer", "change_claim").get(reverse("admin:index")).content.decode()
    assert reverse("admin:events_claim_conflicts") in claims_only
    assert reverse("admin:events_source_low_support") not in claims_only
    nothing = staff_client("reader", "view_agency").get(reverse("admin:index")).content.decode()
    assert reverse("admin:events_claim_conflicts") not in nothing
    assert reverse("admin:events_source_low_support") not in nothing


def test_the_linked_pages_open(curator_client, seeded):
    for name in ("admin:events_claim_conflicts", "admin:events_source_low_support"):
        assert curator_client.get(reverse(name)).status_code == 200
