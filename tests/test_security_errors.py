"""With DEBUG off, no error answer, from the API or the site, carries a stack trace, code or SQL."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection, transaction
from django.test import Client
from django.urls import path
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.views import APIView

from spacediplo import urls as site_urls

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
SECRET_DETAIL = "internal detail 7f3a"  # in every forced failure: it must never reach the client
LEAKS = ("Traceback", 'File "', "site-packages", ".py", "SELECT", "no_such_table", "RuntimeError", SECRET_DETAIL)
LEAKS += ("DEBUG = True", "ALLOWED_HOSTS", "URLconf")  # Django's debug pages for 404 and a bad Host


def broken_sql():
    # In a savepoint, so the test's own transaction survives the failure on PostgreSQL.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT secret_column FROM no_such_table WHERE note = '{SECRET_DETAIL}'")


def site_raises(request):
    raise RuntimeError(SECRET_DETAIL)


def site_database_error(request):
    broken_sql()


class ApiRaises(APIView):
    def get(self, request):
        raise RuntimeError(SECRET_DETAIL)


class ApiDatabaseError(APIView):
    def get(self, request):
        broken_sql()


# This module is also the URLconf of its tests: the site's own, plus views that fail on purpose.
urlpatterns = [
    path("api/v1/test-raises/", ApiRaises.as_view()),
    path("api/v1/test-database-error/", ApiDatabaseError.as_view()),
    path("test-raises/", site_raises),
    path("test-database-error/", site_database_error),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler500 = site_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def assert_no_leak(response):
    body = response.content.decode()
    for leak in LEAKS:
        assert leak not in body, f"{leak!r} in a {response.status_code} answer:\n{body[:2000]}"


def assert_api_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    assert response.json()["status"] == status
    assert_no_leak(response)


@pytest.mark.parametrize("kind", ["raises", "database-error"])
def test_an_api_failure_is_a_bare_500_problem(kind):
    client = APIClient(raise_request_exception=False)
    response = client.get(f"{API}/test-{kind}/")
    assert_api_problem(response, 500)
    assert response.json()["detail"] == "The server failed to answer this request."


@pytest.mark.parametrize("kind", ["raises", "database-error"])
def test_a_site_failure_is_a_bare_500_page(kind):
    response = Client(raise_request_exception=False).get(f"/test-{kind}/")
    assert response.status_code == 500
    assert "Server Error (500)" in response.content.decode()
    assert_no_leak(response)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", f"{API}/no-such-resource/", 404),
        ("get", f"{API}/meetings/no-such-meeting/", 404),
        ("delete", f"{API}/meetings/", 405),
        ("get", f"{API}/meetings/?date_after=soon", 400),
        ("get", f"{API}/meetings/?no_such_parameter=1", 400),
        ("post", f"{API}/topics/", 401),
    ],
)
def test_api_errors_are_problems_without_internals(method, path, status):
    assert_api_problem(getattr(APIClient(), method)(path), status)


def test_malformed_json_and_a_constraint_violation_answer_without_internals():
    user = User.objects.create_user("curator")
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_topic", "add_claim"]))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert_api_problem(client.post(f"{API}/topics/", '{"slug": ', content_type="application/json"), 400)
    body = {"slug": "space-law", "name": "Space law", "support": {"note": "A topic the curator names."}}
    assert client.post(f"{API}/topics/", body, format="json").status_code == 201
    assert_api_problem(client.post(f"{API}/topics/", body, format="json"), 400)  # the same slug again


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("get", "/no-such-page/", {}, 404),
        ("delete", "/admin/login/", {}, 405),
        ("get", "/admin/login/", {"HTTP_HOST": "attacker.example"}, 400),  # not in ALLOWED_HOSTS
        ("get", f"{API}/meetings/", {"HTTP_HOST": "attacker.example"}, 400),
        ("post", "/admin/login/", {}, 403),  # no CSRF token
    ],
)
def test_site_errors_are_plain_pages_without_internals(method, path, headers, status):
    client = Client(enforce_csrf_checks=status == 403)  # the test client skips CSRF checks unless asked
    response = getattr(client, method)(path, **headers)
    assert response.status_code == status
    assert_no_leak(response)
