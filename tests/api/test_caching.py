"""Cache-Control: shared caches (a CDN) may keep anonymous reads; signed-in answers stay private."""

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

READS = ["/api/v1/meetings/", "/api/v1/meetings/nasa-roscosmos-2025-07/", "/api/v1/timeline/", "/api/v1/conflicts/"]


@pytest.mark.parametrize("url", READS)
def test_anonymous_reads_may_be_kept_by_shared_caches(seeded, url):
    response = APIClient().get(url)
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    assert response.has_header("ETag")


def test_the_lifetime_comes_from_settings(seeded, settings):
    settings.API_CACHE_MAX_AGE = 5
    assert "max-age=5" in APIClient().get(READS[0])["Cache-Control"]


def test_reads_with_a_token_are_private(seeded):
    token = Token.objects.create(user=User.objects.create_user("reader"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(READS[0])
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}


def test_reads_with_a_session_are_private(seeded):
    client = APIClient()
    client.force_login(User.objects.create_user("curator"))
    assert "private" in client.get(READS[0])["Cache-Control"]


@pytest.mark.parametrize("url", ["/api/v1/meetings/no-such-meeting/", "/api/v1/meetings/?date_after=soon"])
def test_errors_are_not_marked_for_shared_caches(seeded, url):
    response = APIClient().get(url)
    assert response.status_code >= 400
    assert "public" not in response.get("Cache-Control", "")


def test_a_revalidation_with_the_etag_is_a_304(seeded):
    client = APIClient()
    first = client.get(READS[0])
    again = client.get(READS[0], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
