"""Requests at the edges of HTTP get an answer that says what was wrong, never a 500: under /api/ a problem
document."""

import pytest
from django.test import Client

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
