"""Security of the API and the site: CSRF on session writes, rate limits, security headers."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from events.models import Topic

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"


def curator(username="curator"):
    user = User.objects.create_user(username)
    # add_claim: the topic's name rests on the curator's own judgement, a claim.
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_topic", "change_topic", "add_claim"]))
    return User.objects.get(pk=user.pk)


def topic(slug):
    name = slug.replace("-", " ").capitalize()
    return {"slug": slug, "name": name, "support": {"note": "A topic the curator names."}}


# CSRF: a browser's session cookie is sent along by any site, so a session write needs the CSRF token too; a token
# in the Authorization header is not sent by a browser on its own, so it needs none.


def test_a_session_write_without_the_csrf_token_is_refused_and_writes_nothing():
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(curator())
    response = client.post(f"{API}/topics/", topic("space-law"), format="json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    assert "CSRF" in response.json()["detail"]
    assert not Topic.objects.filter(slug="space-law").exists()


def test_a_session_write_with_the_csrf_token_is_accepted():
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(curator())
    client.get("/admin/login/")  # any page that renders a form hands out the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"{API}/topics/", topic("space-law"), format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert Topic.objects.filter(slug="space-law").exists()


def test_a_token_write_needs_no_csrf_token():
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator()).key}")
    assert client.post(f"{API}/topics/", topic("space-law"), format="json").status_code == 201


def test_a_session_write_with_a_wrong_csrf_token_is_refused():
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(curator())
    client.get("/admin/login/")
    response = client.post(f"{API}/topics/", topic("space-law"), format="json", HTTP_X_CSRFTOKEN="x" * 32)
    assert response.status_code == 403
    assert not Topic.objects.filter(slug="space-law").exists()


# Throttling. The suite runs without it (spacediplo/test_settings.py); these tests put DRF's throttles back with
# small rates. DRF reads the classes and rates when it is imported, hence the class attributes.


@pytest.fixture
def throttled(monkeypatch):
    monkeypatch.setattr(APIView, "throttle_classes", [AnonRateThrottle, UserRateThrottle])
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    cache.clear()
    yield
    cache.clear()


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == 429
    assert body["title"] == "Too many requests"
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["Retry-After"] in body["detail"]  # "Expected available in N seconds."


def test_anonymous_clients_are_limited_per_address(throttled):
    client = APIClient()
    for _ in range(3):
        assert client.get(f"{API}/topics/").status_code == 200
    assert_throttled(client.get(f"{API}/topics/"))
    assert_throttled(client.get(f"{API}/meetings/"))  # one budget for the whole API
    # Another address has its own budget.
    assert client.get(f"{API}/topics/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_forged_forwarded_for_header_does_not_buy_a_new_budget(throttled):
    """With no proxy configured (DJANGO_PROXY_COUNT=0), X-Forwarded-For is the client's own claim: ignored."""
    client = APIClient()
    for number in range(3):
        assert client.get(f"{API}/topics/", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code == 200
    assert_throttled(client.get(f"{API}/topics/", HTTP_X_FORWARDED_FOR="198.51.100.99"))


def test_signed_in_users_are_limited_per_user(throttled):
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator('first')).key}")
    second.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator('second')).key}")
    for _ in range(5):  # more than the anonymous rate: a user's budget is their own
        assert first.get(f"{API}/topics/").status_code == 200
    assert_throttled(first.get(f"{API}/topics/"))
    assert_throttled(first.post(f"{API}/topics/", topic("space-law"), format="json"))
    assert not Topic.objects.filter(slug="space-law").exists()
    assert second.get(f"{API}/topics/").status_code == 200  # same address, another user


def test_the_schema_documents_429_with_retry_after_on_every_operation():
    schema = APIClient().get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [op for path in schema["paths"].values() for op in path.values() if "responses" in op]
    assert len(operations) > 30
    for operation in operations:
        too_many = operation["responses"]["429"]
        assert "Retry-After" in too_many["headers"]
        assert too_many["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    problem = {"type", "title", "status", "detail", "instance"}  # the path asked about: always there
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == problem


# Security headers, on the API, the docs and the admin alike.

PAGES = [f"{API}/meetings/", f"{API}/docs/", f"{API}/schema/", "/admin/login/", "/no-such-page/", f"{API}/nope/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "*" not in response["Content-Security-Policy"]


def test_the_docs_page_has_no_inline_script():
    """Its start-up script is a file of its own (the split view), which the CSP's script-src 'self' allows."""
    client = APIClient()
    page = client.get(f"{API}/docs/").content.decode()
    assert "<script>" not in page
    script = client.get(f"{API}/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
