"""Requests at the edges of HTTP get an answer that says what was wrong, never a 500 and never a body quietly
dropped: under /api/ a problem document, elsewhere a plain page.

Some cannot be sent through Django's test client (a chunked body, a Content-Length the server sees as sent): those
go over real HTTP, to gunicorn as deployed and to Django's own server, which passes on what gunicorn refuses itself.
"""

import http.client
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from rest_framework.test import APIClient

from tests.test_production_static import base_env, gunicorn_serving

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    return body


def send(base: str, method: str, path: str, body=None, headers: dict | None = None, **options):
    """One request over a new connection: (status, headers with lower-cased names, body)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {}, **options)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def with_length(base: str, method: str, path: str, length: str, body: bytes, content_type: str):
    """A request whose Content-Length header says `length`, whatever the body's size."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest(method, path)
        connection.putheader("Content-Type", content_type)
        connection.putheader("Content-Length", length)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


# --- in process ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_host_this_site_does_not_serve_is_a_400_problem_under_the_api():
    body = assert_problem(Client().get(f"{API}/topics/", HTTP_HOST="attacker.example"), 400)
    assert "Host" in body["detail"]


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_a_413_problem_under_the_api(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    user = get_user_model().objects.create_user("curator")
    user.user_permissions.add(Permission.objects.get(codename="add_topic"))
    client = APIClient()
    client.force_authenticate(user)
    body = {"slug": "space-law", "name": "Space law", "description": "x" * 2000}
    assert "1000 bytes" in assert_problem(client.post(f"{API}/topics/", body, format="json"), 413)["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_healthz_answers_get_and_head_only(method):
    client = Client(enforce_csrf_checks=True)  # as a browser's POST would meet it
    response = client.generic(method, "/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.get("/healthz").status_code == client.head("/healthz").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "headers", "status"),
    [
        ("OPTIONS", {}, 405),
        ("POST", {}, 405),
        ("DELETE", {}, 405),
        ("GET", {"HTTP_ACCEPT": "application/json"}, 406),  # the page is HTML; the refusal still a problem
    ],
)
def test_the_docs_page_answers_other_requests_with_a_problem_document(method, headers, status):
    response = Client().generic(method, f"{API}/docs/", **headers)
    assert_problem(response, status)
    if status == 405:
        assert response["Allow"] == "GET, HEAD"
    page = Client().get(f"{API}/docs/")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_problem_from_the_schema_view_is_json_not_yaml():
    assert_problem(Client().post(f"{API}/schema/"), 405)


# --- gunicorn, as deployed ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """The site under gunicorn with the production settings, for the module: no request here reaches the database
    or a static file, so it gets an empty database and no collected files."""
    directory = tmp_path_factory.mktemp("edges")
    (directory / "static").mkdir()
    env = base_env() | {
        "DJANGO_STATIC_ROOT": str(directory / "static"),
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    with gunicorn_serving(env, directory / "gunicorn.log") as base:
        yield base


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), [("PATCH", f"{API}/topics/space-law/"), ("POST", f"{API}/topics/")])
def test_a_chunked_api_write_without_a_length_is_a_411_problem(gunicorn, method, path):
    chunks = iter([b'{"name": ', b'"Space law, amended"}'])
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    status, headers, body = send(gunicorn, method, path, chunks, headers, encode_chunked=True)
    assert status == 411
    assert headers["content-type"] == PROBLEM_JSON
    assert "Content-Length" in json.loads(body)["detail"]


@pytest.mark.slow
def test_a_chunked_form_without_a_length_is_a_411_page(gunicorn):
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"}
    status, headers, body = send(gunicorn, "POST", "/admin/login/", iter([b"username=a"]), headers, encode_chunked=True)
    assert status == 411
    assert headers["content-type"].startswith("text/html")
    assert b"Length Required (411)" in body


@pytest.mark.slow
@pytest.mark.parametrize("length", ["-1", "abc"])
def test_gunicorn_refuses_a_content_length_that_is_not_a_number_itself(gunicorn, length):
    status, _, body = with_length(gunicorn, "POST", f"{API}/topics/", length, b"{}", "application/json")
    assert status == 400
    assert b"CONTENT-LENGTH" in body  # gunicorn's own page: the request never reached the site


@pytest.mark.slow
@pytest.mark.parametrize("method", ["TRACE", "POST"])
def test_healthz_under_gunicorn_answers_other_methods_with_405(gunicorn, method):
    status, headers, _ = send(gunicorn, method, "/healthz")
    assert status == 405
    assert headers["allow"] == "GET, HEAD"


# --- Django's own server, which passes on any Content-Length --------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("length", ["-1", "abc", "1e3"])
def test_a_content_length_that_is_not_a_number_is_a_400(live_server, length):
    status, headers, body = with_length(live_server.url, "POST", f"{API}/topics/", length, b"{}", "application/json")
    assert status == 400
    assert headers["content-type"] == PROBLEM_JSON
    assert "Content-Length" in json.loads(body)["detail"]
    form = b"username=a&password=b"
    status, headers, body = with_length(
        live_server.url, "POST", "/admin/login/", length, form, "application/x-www-form-urlencoded"
    )
    assert status == 400
    assert b"Bad Request (400)" in body
