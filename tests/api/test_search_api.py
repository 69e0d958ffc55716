"""`search/` and `q` over HTTP: the answer's shape, its parameters, and what a client may send."""

import json
import re
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def api(seeded):
    return APIClient(raise_request_exception=False)


def problem(response, name):
    assert response.status_code == 400, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    return response.json()["errors"][name]


def test_each_hit_says_what_it_is_where_it_is_and_why_it_matched(api):
    body = api.get(f"{API}/search/?q=roscosmos").json()
    assert set(body) == {"count", "next", "previous", "results"}
    first = body["results"][0]
    assert first == {
        "type": "agency",
        "key": "roscosmos",
        "url": "http://testserver/api/v1/agencies/roscosmos/",
        "title": "Roscosmos State Corporation for Space Activities",
        "fragment": "<mark>Roscosmos</mark> State Corporation for Space Activities",
        "rank": first["rank"],
    }
    assert isinstance(first["rank"], float)
    ranks = [hit["rank"] for hit in body["results"]]
    assert ranks == sorted(ranks, reverse=True)
    assert body["count"] == len(body["results"]) > 5
    for hit in body["results"]:
        assert "<mark>" in hit["fragment"], hit
        assert not re.search(r"<(?!/?mark>)", hit["fragment"]), hit  # no markup but <mark>
        assert api.get(hit["url"]).status_code == 200


def test_tenures_and_claims_are_named_by_id(api):
    hits = api.get(f"{API}/search/?q=acting&type=tenure&type=claim").json()["results"]
    assert {hit["type"] for hit in hits} == {"tenure", "claim"}
    for hit in hits:
        assert hit["key"].isdigit()
        assert hit["url"].endswith(f"/{hit['key']}/")


def test_type_narrows_the_hits_and_is_repeatable(api):
    body = api.get(f"{API}/search/?q=roscosmos&type=meeting&type=launch").json()
    assert {hit["type"] for hit in body["results"]} == {"meeting", "launch"}
    assert problem(api.get(f"{API}/search/?q=roscosmos&type=planet"), "type")


def test_hits_are_paged_like_every_list(api):
    whole = api.get(f"{API}/search/?q=roscosmos").json()
    second = api.get(f"{API}/search/?q=roscosmos&page=2&page_size=2").json()
    assert second["count"] == whole["count"]
    assert [h["url"] for h in second["results"]] == [h["url"] for h in whole["results"][2:4]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Give the text to search for."),
        ("q=", "Give the text to search for."),
        ("q=%20%20", "Give the text to search for."),
        ("q=" + "x" * 201, "at most 200 characters"),
        ("q=" + "+".join(["w"] * 21), "At most 20 words."),
    ],
)
def test_q_is_required_and_bounded(api, query, message):
    (found,) = problem(api.get(f"{API}/search/?{query}"), "q")
    assert message.lower() in found.lower()


def test_a_list_bounds_q_as_search_does(api):
    assert problem(api.get(f"{API}/meetings/?q=" + "x" * 201), "q")
    assert api.get(f"{API}/meetings/?q=").status_code == 200  # empty: no search, as before


def test_unknown_parameters_are_refused(api):
    assert problem(api.get(f"{API}/search/?q=roscosmos&ordering=title"), "ordering")
    assert problem(api.get(f"{API}/search/?q=a&q=b"), "q")


HOSTILE = ['"', "*", "NEAR(", "-", "AND", "OR", '"unbalanced', "a AND OR NOT b", "col:x", "x*y*", "^", "{", "'--"]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("path", ["search", "meetings", "claims", "tenures"])
def test_no_search_text_is_a_server_error(api, path, text):
    response = api.get(f"{API}/{path}/?q={quote(text)}")
    assert response.status_code == 200, response.content[:500]


def test_q_is_documented_on_every_list_and_on_search(api):
    schema = api.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    (q,) = [p for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"] if p["name"] == "q"]
    assert q["required"] is True
    assert (q["schema"]["minLength"], q["schema"]["maxLength"]) == (1, 200)
    assert "<mark>" in str(schema["components"]["schemas"]["SearchHit"]["properties"]["fragment"]["description"])
    for plural in ("agencies", "people", "tenures", "places", "topics", "sources", "meetings", "launches", "claims"):
        (q,) = [p for p in schema["paths"][f"/api/v1/{plural}/"]["get"]["parameters"] if p["name"] == "q"]
        assert q["schema"].get("maxLength") == 200, plural
        assert "phrase" in q["description"], plural


def test_a_search_is_counted_by_facets_and_shaped_by_fields(api):
    body = api.get(f"{API}/meetings/?q=roscosmos&facets=status,year&fields=slug").json()
    assert sum(row["count"] for row in body["facets"]["status"]) == body["count"] == 4
    assert body["results"][0] == {"slug": "nasa-roscosmos-2018-10"}  # best first
    downloaded = api.get(f"{API}/meetings/?q=roscosmos", HTTP_ACCEPT="application/x-ndjson")
    assert [line["slug"] for line in map(json.loads, b"".join(downloaded.streaming_content).splitlines())] == [
        hit["slug"] for hit in api.get(f"{API}/meetings/?q=roscosmos").json()["results"]
    ]
