"""Whole lists as NDJSON and CSV: every matching row, the same rows and order as the JSON pages, streamed."""

import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from events.api import downloads
from tests.api.test_writes import SUPPORT, client_for

API = "/api/v1"
NDJSON, CSV = "application/x-ndjson", "text/csv"
pytestmark = pytest.mark.django_db
LISTS = [
    "agencies/?q=space",
    "people/?agency=nasa",
    "tenures/",
    "places/",
    "topics/",
    "sources/",
    "meetings/?ordering=-date",
    "meetings/?status=held&status=planned",
    "launches/",
    "claims/?rank=best",
    "timeline/?date_after=2025-01-01",
    "conflicts/",
]


def pages(client, url):
    """Every result of the JSON list, page by page."""
    results, url = [], f"{API}/{url}{'&' if '?' in url else '?'}page_size=200"
    while url:
        body = client.get(url).json()
        results, url = results + body["results"], body["next"]
    return results


def download(client, url, accept):
    response = client.get(f"{API}/{url}", HTTP_ACCEPT=accept)
    assert response.status_code == 200, response.content[:300]
    assert response.streaming  # sent as it is read
    assert response["Content-Type"] == accept
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(downloads, "CHUNK", 3)  # several chunks even on the seed: each rendered as its own page


@pytest.mark.parametrize("url", LISTS)
def test_ndjson_holds_every_row_of_the_pages_in_their_order(seeded, small_chunks, url):
    client = APIClient()
    lines = download(client, url, NDJSON).splitlines()
    expected = pages(client, url)
    assert len(expected) > 3  # more than one chunk
    assert [json.loads(line) for line in lines] == expected


@pytest.mark.parametrize("url", LISTS)
def test_csv_holds_a_row_per_record_in_the_same_order(seeded, small_chunks, url):
    client = APIClient()
    rows = list(csv.DictReader(io.StringIO(download(client, url, CSV))))
    expected = pages(client, url)
    assert len(rows) == len(expected)
    key = "id" if url.startswith(("claims", "tenures")) else "slug"
    if expected and key in expected[0]:
        assert [row[key] for row in rows] == [str(item[key]) for item in expected]


def test_csv_flattens_links_and_dates_and_neutralises_formulas(seeded):
    curator = client_for("add_person", "add_claim", username="c")
    body = {"slug": "formula-person", "name": '=HYPERLINK("http://x")', "support": SUPPORT}
    assert curator.post(f"{API}/people/", body, format="json").status_code == 201
    client = APIClient()
    people = {row["slug"]: row for row in csv.DictReader(io.StringIO(download(client, "people/", CSV)))}
    assert people["formula-person"]["name"] == '\'=HYPERLINK("http://x")'
    (meeting,) = [
        row
        for row in csv.DictReader(io.StringIO(download(client, "meetings/", CSV)))
        if row["slug"] == "nasa-roscosmos-2018-10"
    ]
    assert (meeting["date"], meeting["date_earliest"], meeting["date_latest"], meeting["date_text"]) == (
        "2018-10",
        "2018-10-01",
        "2018-10-31",
        "October 2018",
    )
    assert meeting["place"] == "baikonur-cosmodrome"
    assert meeting["topics"] == "cross-flights;iss-operations;science-cooperation"


def test_a_download_is_whole_lists_only(seeded):
    client = APIClient()
    assert client.get(f"{API}/meetings/nasa-roscosmos-2018-10/", HTTP_ACCEPT=CSV).status_code == 406
    response = client.get(f"{API}/meetings/?page=2", HTTP_ACCEPT=NDJSON)
    assert response.status_code == 400
    assert "page" in response.json()["errors"]
    response = client.get(f"{API}/meetings/?status=rumoured", HTTP_ACCEPT=CSV)
    assert response.status_code == 400  # the same filters, refused the same way
    assert response["Content-Type"].startswith("application/problem+json")


def test_the_schema_describes_each_format(seeded):
    document = APIClient().get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/meetings/", "/api/v1/claims/", "/api/v1/timeline/"):
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        assert {"application/json", NDJSON, CSV} <= set(content), path
        assert content[CSV]["schema"]["type"] == "string"
        assert "$ref" in content[NDJSON]["schema"] or content[NDJSON]["schema"].get("type") == "object"
