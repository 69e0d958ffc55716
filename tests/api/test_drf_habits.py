"""What DRF users expect of any DRF API: a root listing every endpoint, `?format=`, browsable pages for browsers,
and CORS that lets a browser app on an allowed origin make conditional requests."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from events.api.urls import router
from tests.api.test_edges import PROBLEM_JSON, assert_problem

API = "/api/v1"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# The views outside the router; the router's resources are listed too.
OTHER_ENDPOINTS = [
    "search",
    "timeline",
    "conflicts",
    "changes",
    "changes.atom",
    "calendar.ics",
    "dump",
    "schema",
    "docs",
]


def test_the_root_lists_every_endpoint_and_each_answers(client, seeded):
    response = client.get(f"{API}/")
    assert response.status_code == 200
    root = response.json()
    resources = [prefix for prefix, _, _ in router.registry]
    assert list(root) == [*resources, *OTHER_ENDPOINTS]
    for name, url in root.items():
        assert url.startswith("http://testserver/"), url
        assert "format=" not in url, url
        answer = client.get(url, {"q": "nasa"} if name == "search" else {})
        assert answer.status_code == 200, (name, url)


@pytest.mark.parametrize("url", [f"{API}/", f"{API}/meetings/", f"{API}/agencies/nasa/", f"{API}/timeline/"])
def test_format_json_gives_json_and_format_api_the_browsable_page(client, seeded, url):
    as_json = client.get(url, {"format": "json"}, HTTP_ACCEPT=BROWSER)  # a browser asks for HTML, or else anything
    assert as_json.status_code == 200
    assert as_json["Content-Type"].startswith("application/json")
    assert as_json.json() == client.get(url).json()
    page = client.get(url, {"format": "api"})
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert b"response-info" in page.content


def test_a_browser_gets_html_and_any_other_client_json(client, seeded):
    assert client.get(f"{API}/topics/", HTTP_ACCEPT=BROWSER)["Content-Type"].startswith("text/html")
    assert client.get(f"{API}/topics/", HTTP_ACCEPT="*/*")["Content-Type"].startswith("application/json")
    assert client.get(f"{API}/topics/")["Content-Type"].startswith("application/json")


def test_an_error_is_a_problem_document_even_for_a_browser(client, seeded):
    response = client.get(f"{API}/meetings/", {"date_after": "soon"}, HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    assert_problem(response, 400, "date_after")


def test_format_names_a_download_format_on_lists(client, seeded):
    response = client.get(f"{API}/topics/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("url", [f"{API}/meetings/", f"{API}/agencies/nasa/", f"{API}/dump/"])
def test_an_unknown_format_is_a_400_listing_the_known_ones(client, seeded, url):
    body = assert_problem(client.get(url, {"format": "xml"}), 400, "format")
    assert "json" in body["errors"]["format"][0]


APP = "https://app.example"


@override_settings(CORS_ALLOWED_ORIGINS=[APP])
def test_cors_lets_an_allowed_app_send_preconditions_and_read_the_etag(seeded):
    client = APIClient()
    preflight = client.options(
        f"{API}/topics/iss-operations/",
        HTTP_ORIGIN=APP,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-match, content-type, authorization",
    )
    assert preflight.status_code == 200
    allowed = {h.strip() for h in preflight["Access-Control-Allow-Headers"].split(",")}
    assert {"if-match", "if-none-match", "authorization", "content-type"} <= allowed
    read = client.get(f"{API}/topics/iss-operations/", HTTP_ORIGIN=APP)
    assert read["Access-Control-Allow-Origin"] == APP
    exposed = {h.strip() for h in read["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"ETag", "Last-Modified", "Retry-After"}
    assert reverse("meeting-list") == f"{API}/meetings/"
