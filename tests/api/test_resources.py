"""The nine resources of /api/v1/ over HTTP: lists, pagination, details, provenance, errors and ordering.

Every expected value below comes from the seed dataset in fixtures/*.json.
"""

from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from events.models import Agency, Claim, Launch, Meeting, Person, Place, Source, Tenure, Topic
from tests.factories import LaunchFactory, TenureFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"

S000 = "000_6f0f9946363add39"
S001 = "001_c34876a6c97edda2"
S002 = "002_24c54badd1b53c27"
S003 = "003_007efc6446bec603"
S004 = "004_404598c61fc80e23"
EDITORS = "seed-editors"  # our own judgement: kind "judgement", reliability "unrated"

# resource path -> (model, number of rows in the seed dataset, lookup used in detail URLs)
RESOURCES = {
    "agencies": (Agency, 11, "slug"),
    "people": (Person, 14, "slug"),
    "tenures": (Tenure, 10, "id"),
    "places": (Place, 11, "slug"),
    "topics": (Topic, 17, "slug"),
    "sources": (Source, 6, "slug"),
    "meetings": (Meeting, 13, "slug"),
    "launches": (Launch, 7, "slug"),
    "claims": (Claim, 399, "id"),
}
# Records whose detail responses carry `sources` and `claims` about themselves.
SUBJECT_RESOURCES = {
    "agencies": "agency",
    "people": "person",
    "tenures": "tenure",
    "places": "place",
    "topics": "topic",
    "meetings": "meeting",
    "launches": "launch",
}
CLAIM_BRIEF_FIELDS = {"id", "url", "source", "field", "value", "rank", "locator", "note", "speaks_for", "superseded_by"}
SOURCE_BRIEF_FIELDS = {"slug", "name", "url", "reliability"}


@pytest.fixture
def api(seeded):
    return APIClient()


def get_ok(api, url, params=None):
    response = api.get(url, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_problem(response, status, *, names=()):
    """An RFC 9457 problem document; for a 400, `errors` names each of `names`."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    for name in names:
        assert name in body["errors"], body
        assert body["errors"][name], body
    return body


def path_of(url):
    """Absolute URLs from the API, as a path (with query) for the test client."""
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https")
    assert parts.netloc
    return parts.path + (f"?{parts.query}" if parts.query else "")


def detail_url(resource, key):
    return f"{API}/{resource}/{key}/"


def tenure_id(slug):
    return Tenure.objects.get(slug=slug).pk


def summaries_in(value):
    """Every compact related-record summary ({slug|id, name, url}) nested anywhere in a response."""
    if isinstance(value, dict):
        keys = set(value)
        if keys in ({"slug", "name", "url"}, {"id", "name", "url"}):
            yield value
        for child in value.values():
            yield from summaries_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from summaries_in(child)


def assert_summary(summary, resource, key, name, *, lookup="slug"):
    assert summary == {lookup: key, "name": name, "url": summary["url"]}
    assert path_of(summary["url"]) == detail_url(resource, key)


def assert_summaries_resolve(api, body):
    found = list(summaries_in(body))
    for summary in found:
        target = get_ok(api, path_of(summary["url"]))
        key = "slug" if "slug" in summary else "id"
        assert target[key] == summary[key]
    return found


# ---------------------------------------------------------------- lists and pagination


@pytest.mark.parametrize(("resource", "count"), [(r, spec[1]) for r, spec in RESOURCES.items()])
def test_list_envelope_and_count(api, resource, count):
    body = get_ok(api, f"{API}/{resource}/")
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == count
    assert body["previous"] is None
    assert len(body["results"]) == min(count, 50)  # page_size defaults to 50
    assert (body["next"] is None) == (count <= 50)
    for item in body["results"]:
        assert path_of(item["url"]).startswith(f"{API}/{resource}/")


def test_default_page_size_is_50_and_the_next_page_holds_the_rest(api):
    first = get_ok(api, f"{API}/claims/")
    assert len(first["results"]) == 50
    urls = [c["url"] for c in first["results"]]
    page = first
    while page["next"]:
        page = get_ok(api, path_of(page["next"]))
        urls += [c["url"] for c in page["results"]]
    assert len(page["results"]) == 399 - 7 * 50  # 399 claims: seven full pages and a last one of 49
    assert len(urls) == len(set(urls)) == 399


def test_page_size_up_to_200(api):
    body = get_ok(api, f"{API}/claims/", {"page_size": 200})
    assert body["count"] == 399
    assert len(body["results"]) == 200
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert "page_size=200" in body["next"]
    rest = get_ok(api, path_of(body["next"]))
    assert len(rest["results"]) == 399 - 200
    assert rest["next"] is None


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_page_size_2_links_walk_every_record_once(api, resource):
    count = RESOURCES[resource][1]
    everything, page = [], get_ok(api, f"{API}/{resource}/", {"page_size": 200})
    while True:  # 399 claims take two pages of 200
        everything += [item["url"] for item in page["results"]]
        if not page["next"]:
            break
        page = get_ok(api, path_of(page["next"]))
    assert len(everything) == count

    first = get_ok(api, f"{API}/{resource}/", {"page_size": 2})
    assert first["count"] == count
    assert first["previous"] is None
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]
    assert "page_size=2" in first["next"]

    second = get_ok(api, path_of(first["next"]))
    assert second["count"] == count
    assert len(second["results"]) == 2
    back = get_ok(api, path_of(second["previous"]))
    assert back["results"] == first["results"]

    seen, page = [], first
    pages = 1
    while True:
        seen += [item["url"] for item in page["results"]]
        if not page["next"]:
            break
        page = get_ok(api, path_of(page["next"]))
        pages += 1
    assert pages == (count + 1) // 2
    assert seen == everything  # same order, nothing lost or repeated


@pytest.mark.parametrize("resource", list(RESOURCES))
@pytest.mark.parametrize("page_size", ["201", "0", "abc", "-1", "2.5"])
def test_bad_page_size_is_400_naming_page_size(api, resource, page_size):
    assert_problem(api.get(f"{API}/{resource}/", {"page_size": page_size}), 400, names=["page_size"])


@pytest.mark.parametrize("resource", list(RESOURCES))
@pytest.mark.parametrize("page", ["abc", "0", "-1"])
def test_bad_page_is_400_naming_page(api, resource, page):
    assert_problem(api.get(f"{API}/{resource}/", {"page": page}), 400, names=["page"])


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_page_past_the_end_is_404(api, resource):
    count = RESOURCES[resource][1]
    last = (count + 1) // 2
    assert get_ok(api, f"{API}/{resource}/", {"page_size": 2, "page": last})["next"] is None
    body = assert_problem(api.get(f"{API}/{resource}/", {"page_size": 2, "page": last + 1}), 404)
    assert "errors" not in body
    assert_problem(api.get(f"{API}/{resource}/", {"page": 99}), 404)


# ---------------------------------------------------------------- details: shapes and values


def test_agency_detail(api):
    body = get_ok(api, detail_url("agencies", "nasa"))
    assert set(body) == {"slug", "url", "name", "short_name", "kind", "country", "sources", "claims"}
    assert body["slug"] == "nasa"
    assert path_of(body["url"]) == detail_url("agencies", "nasa")
    assert body["name"] == "National Aeronautics and Space Administration"
    assert body["short_name"] == "NASA"
    assert body["kind"] == "space_agency"
    assert body["country"] == "US"
    assert [s["slug"] for s in body["sources"]] == [S001, S002, S003, S004, EDITORS]
    assert {(c["source"]["slug"], c["field"], c["value"]) for c in body["claims"]} == {
        (S001, "short_name", "NASA"),
        (S002, "short_name", "NASA"),
        (S003, "short_name", "NASA"),
        (S004, "short_name", "NASA"),
        (S003, "kind", "space_agency"),
        (S003, "country", "US"),
        # The articles only ever say "NASA": the full name is the editors' own.
        (EDITORS, "name", "National Aeronautics and Space Administration"),
    }


def test_person_detail_lists_tenures(api):
    body = get_ok(api, detail_url("people", "sean-duffy"))
    assert set(body) == {"slug", "url", "name", "native_name", "nationality", "tenures", "sources", "claims"}
    assert body["name"] == "Sean Duffy"
    assert body["native_name"] == ""
    assert {t["slug"] for t in body["tenures"]} == {
        "sean-duffy-nasa-acting-administrator",
        "sean-duffy-us-dot-secretary",
    }
    acting = next(t for t in body["tenures"] if t["slug"] == "sean-duffy-nasa-acting-administrator")
    assert acting["id"] == tenure_id("sean-duffy-nasa-acting-administrator")
    assert path_of(acting["url"]) == detail_url("tenures", acting["id"])
    assert acting["title"] == "Acting Administrator"
    assert acting["is_head"] is True
    assert acting["is_acting"] is True
    assert_summary(acting["person"], "people", "sean-duffy", "Sean Duffy")
    assert_summary(acting["agency"], "agencies", "nasa", "National Aeronautics and Space Administration")
    assert acting["start"] == {
        "edtf": "2025/2025-07",
        "earliest": "2025-01-01",
        "latest": "2025-07-31",
        "text": "recently named, by July 2025",
    }
    assert acting["end"] == {
        "edtf": "2025-07-31/2026-02-11",
        "earliest": "2025-07-31",
        "latest": "2026-02-11",
        "text": "after the 31 July 2025 talks; Isaacman led NASA by 11 February 2026",
    }
    dot = next(t for t in body["tenures"] if t["slug"] == "sean-duffy-us-dot-secretary")
    assert dot["end"] is None  # still in office
    assert [s["slug"] for s in body["sources"]] == [S001, S002, S003]
    assert len(body["claims"]) == 3
    assert_summaries_resolve(api, body)


def test_tenure_detail_by_id(api):
    pk = tenure_id("jim-bridenstine-nasa-administrator")
    body = get_ok(api, detail_url("tenures", pk))
    assert set(body) == {
        "id",
        "url",
        "slug",
        "person",
        "agency",
        "title",
        "is_head",
        "is_acting",
        "start",
        "end",
        "sources",
        "claims",
    }
    assert body["id"] == pk
    assert path_of(body["url"]) == detail_url("tenures", pk)
    assert body["slug"] == "jim-bridenstine-nasa-administrator"
    assert body["title"] == "Administrator"
    assert body["is_head"] is True
    assert body["is_acting"] is False
    assert_summary(body["person"], "people", "jim-bridenstine", "Jim Bridenstine")
    assert_summary(body["agency"], "agencies", "nasa", "National Aeronautics and Space Administration")
    # "../2018-10": in office by October 2018, start unknown before that.
    assert body["start"] == {
        "edtf": "../2018-10",
        "earliest": None,
        "latest": "2018-10-31",
        "text": "in office by October 2018",
    }
    assert body["end"] == {
        "edtf": "2018-10/2025-07",
        "earliest": "2018-10-01",
        "latest": "2025-07-31",
        "text": "after October 2018 ('then-Administrator'), before July 2025",
    }
    assert [s["slug"] for s in body["sources"]] == [S001, S002]
    assert {(c["source"]["slug"], c["field"], c["value"], c["rank"]) for c in body["claims"]} == {
        (S001, "title", "Administrator", "preferred"),
        (S002, "start", "../2018-10", "preferred"),
        (S002, "end", "2018-10/2025-07", "preferred"),
        # Both articles name him, at NASA, as one of the two heads at the October 2018 meeting.
        (S001, "person", "jim-bridenstine", "normal"),
        (S002, "person", "jim-bridenstine", "normal"),
        (S001, "agency", "nasa", "normal"),
        (S002, "agency", "nasa", "normal"),
        (S001, "is_head", "true", "normal"),
        (S002, "is_head", "true", "normal"),
    }
    assert_summaries_resolve(api, body)


def test_tenure_with_unknown_start_renders_null_date(api):
    # No seeded tenure has an unknown start any more (the editors bound Nelson's between Bridenstine's
    # time and July 2025), so make one.
    tenure = TenureFactory(slug="unknown-start", start_edtf="")
    body = get_ok(api, detail_url("tenures", tenure.pk))
    assert body["start"] is None
    assert body["end"] is None

    body = get_ok(api, detail_url("tenures", tenure_id("bill-nelson-nasa-administrator")))
    assert body["start"] == {
        "edtf": "2018-10/2025-07",
        "earliest": "2018-10-01",
        "latest": "2025-07-31",
        "text": "after Bridenstine's time (October 2018), by July 2025",
    }
    assert body["end"] == {"edtf": "../2025-07", "earliest": None, "latest": "2025-07-31", "text": body["end"]["text"]}


def test_place_detail_with_parent(api):
    body = get_ok(api, detail_url("places", "johnson-space-center"))
    assert set(body) == {
        "slug",
        "url",
        "name",
        "kind",
        "country",
        "parent",
        "latitude",
        "longitude",
        "sources",
        "claims",
    }
    assert body["name"] == "Johnson Space Center"
    assert body["kind"] == "facility"
    assert body["country"] == "US"
    assert body["latitude"] is None
    assert body["longitude"] is None
    assert_summary(body["parent"], "places", "houston", "Houston")
    assert [s["slug"] for s in body["sources"]] == [S002, EDITORS]
    assert {(c["source"]["slug"], c["field"], c["value"]) for c in body["claims"]} == {
        (S002, "name", "Johnson Space Center"),
        (S002, "parent", "houston"),
        (EDITORS, "kind", "facility"),  # the kind and country are the editors' judgement
        (EDITORS, "country", "US"),
    }
    assert_summaries_resolve(api, body)
    assert get_ok(api, detail_url("places", "houston"))["parent"] is None


def test_topic_detail(api):
    body = get_ok(api, detail_url("topics", "iss-extension"))
    assert set(body) == {"slug", "url", "name", "description", "sources", "claims"}
    assert body["name"] == "ISS extension"
    assert body["description"] == "Keeping the station in service longer, including past 2030."
    assert [s["slug"] for s in body["sources"]] == [S002, S003, S004]
    assert len(body["claims"]) == 3


def test_source_detail_lists_the_claims_it_makes(api):
    body = get_ok(api, detail_url("sources", S003))
    assert {
        "slug",
        "url",
        "title",
        "outlet",
        "kind",
        "published",
        "reliability",
        "reliability_note",
        "summary",
        "sha256",
        "paragraphs",
        "claims",
    } <= set(body)
    assert body["kind"] == "analysis"
    assert body["reliability"] == "medium"
    assert body["paragraphs"] == 8
    assert len(body["sha256"]) == 64
    assert body["published"] == {
        "edtf": "2025-02/2025-07-30",
        "earliest": "2025-02-01",
        "latest": "2025-07-30",
        "text": "undated; written ahead of the July 2025 talks",
    }
    assert len(body["claims"]) == 25
    assert {c["source"]["slug"] for c in body["claims"]} == {S003}
    for claim in body["claims"]:
        assert set(claim) == CLAIM_BRIEF_FIELDS


def test_meeting_detail(api):
    body = get_ok(api, detail_url("meetings", "nasa-roscosmos-2025-07"))
    assert {
        "slug",
        "url",
        "title",
        "kind",
        "status",
        "format",
        "date",
        "place",
        "topics",
        "related_launch",
        "participants",
        "summary",
        "sources",
        "claims",
    } <= set(body)
    assert body["title"] == "NASA and Roscosmos heads meet before the Crew-11 launch"
    assert (body["kind"], body["status"], body["format"]) == ("bilateral", "held", "in_person")
    assert body["date"] == {
        "edtf": "2025-07-31",
        "earliest": "2025-07-31",
        "latest": "2025-07-31",
        "text": "31 July 2025",
    }
    assert_summary(body["place"], "places", "kennedy-space-center", "Kennedy Space Center")
    assert_summary(body["related_launch"], "launches", "crew-11", "Crew-11")
    assert {t["slug"] for t in body["topics"]} == {"cross-flights", "iss-deorbit", "iss-extension", "iss-operations"}
    ext = next(t for t in body["topics"] if t["slug"] == "iss-extension")
    assert_summary(ext, "topics", "iss-extension", "ISS extension")

    participants = {p["person"]["slug"]: p for p in body["participants"]}
    assert set(participants) == {"sean-duffy", "dmitry-bakanov"}
    duffy = participants["sean-duffy"]
    assert set(duffy) == {"person", "agency", "tenure", "role"}
    assert duffy["role"] == "acting NASA Administrator"
    assert_summary(duffy["person"], "people", "sean-duffy", "Sean Duffy")
    assert_summary(duffy["agency"], "agencies", "nasa", "National Aeronautics and Space Administration")
    # A tenure summary is {id, name, url}: tenures are addressed by id.
    assert_summary(
        duffy["tenure"],
        "tenures",
        tenure_id("sean-duffy-nasa-acting-administrator"),
        "Acting Administrator",
        lookup="id",
    )
    bakanov = participants["dmitry-bakanov"]
    assert bakanov["tenure"]["id"] == tenure_id("dmitry-bakanov-roscosmos-director-general")

    # Backed by four of the five articles (000 says nothing about this meeting) and the editors' judgement,
    # which gives its kind and title.
    assert [s["slug"] for s in body["sources"]] == [S001, S002, S003, S004, EDITORS]
    for source in body["sources"]:
        assert set(source) == SOURCE_BRIEF_FIELDS
    assert {s["slug"]: s["reliability"] for s in body["sources"]} == {
        S001: "high",
        S002: "medium",
        S003: "medium",
        S004: "low",
        EDITORS: "unrated",
    }
    assert len(body["claims"]) == 28
    by_field = {}
    for claim in body["claims"]:
        assert set(claim) == CLAIM_BRIEF_FIELDS
        by_field.setdefault(claim["field"], set()).add((claim["source"]["slug"], claim["value"], claim["rank"]))
    assert by_field["place"] == {
        (S001, "kennedy-space-center", "preferred"),
        (S002, "houston", "normal"),
        (S004, "vienna", "deprecated"),
        (S004, "geneva", "deprecated"),
    }
    assert by_field["date"] == {
        (S002, "2025-07-31", "preferred"),
        (S001, "2025-07", "normal"),
        (S004, "2025-08-21/2025-08-31", "deprecated"),
        (S004, "2025-08-25", "deprecated"),
    }
    assert by_field["topics"] == {
        (S002, "cross-flights,iss-deorbit,iss-extension,iss-operations", "preferred"),
        (S003, "cross-flights,iss-deorbit,iss-extension,iss-operations", "normal"),
        (
            S004,
            "cross-flights,iss-extension,lunar-exploration,mars-exploration,science-cooperation,space-debris",
            "normal",
        ),
    }
    assert by_field["status"] == {
        (S001, "held", "preferred"),
        (S002, "planned", "normal"),
        (S003, "planned", "normal"),
        (S004, "planned", "normal"),
    }
    # 001, written after the meeting, says it was held: that supersedes the earlier articles' "planned".
    held = next(c for c in body["claims"] if c["field"] == "status" and c["value"] == "held")
    assert held["superseded_by"] is None
    for claim in body["claims"]:
        if claim["field"] == "status" and claim["value"] == "planned":
            assert claim["superseded_by"] == held["url"]
    assert by_field["kind"] == {(EDITORS, "bilateral", "normal")}
    assert by_field["participants"] == {
        (S001, "dmitry-bakanov,sean-duffy", "preferred"),
        (S002, "dmitry-bakanov,sean-duffy", "normal"),
        (S003, "dmitry-bakanov,sean-duffy", "normal"),
        (S004, "bill-nelson,yuri-borisov", "deprecated"),
    }
    vienna = next(c for c in body["claims"] if c["value"] == "vienna")
    assert vienna["locator"] == "14"
    assert vienna["note"]  # a deprecated claim says why
    assert path_of(vienna["url"]) == detail_url("claims", vienna["id"])
    assert_summaries_resolve(api, body)


@pytest.mark.parametrize(
    ("slug", "date"),
    [
        ("nasa-roscosmos-2018-10", ("2018-10", "2018-10-01", "2018-10-31", "October 2018")),
        ("nasa-roscosmos-iss-decision-2026-q1", ("2026-33", "2026-01-01", "2026-03-31", "first quarter of 2026")),
        ("isaacman-soyuz-ms-29-launch-visit", ("2026-22", "2026-06-01", "2026-08-31", "summer 2026")),
        ("nasa-roscosmos-moon-mars-working-group-2026", ("2026-05/2026-08", "2026-05-01", "2026-08-31", "mid-2026")),
        (
            "nasa-roscosmos-isaacman-bakanov-2026",
            ("2026-02-13/..", "2026-02-13", None, "at the earliest opportunity, from February 2026"),
        ),
    ],
)
def test_meeting_fuzzy_dates(api, slug, date):
    body = get_ok(api, detail_url("meetings", slug))
    assert body["date"] == dict(zip(("edtf", "earliest", "latest", "text"), date, strict=True))


def test_meeting_without_place_renders_nulls(api):
    body = get_ok(api, detail_url("meetings", "nasa-roscosmos-iss-review-2025-10"))
    assert body["title"] == "Two-agency technical review of the ISS"
    assert body["format"] == "unknown"  # no place, so not known to be in person
    assert body["place"] is None
    assert body["related_launch"] is None
    assert body["participants"] == []
    assert [s["slug"] for s in body["sources"]] == [S004, EDITORS]  # the editors give its title and kind


@pytest.mark.parametrize(
    ("slug", "format_"),
    [
        ("nasa-roscosmos-isaacman-bakanov-2026", "unknown"),
        ("nasa-roscosmos-iss-review-2025-10", "unknown"),
        ("nasa-roscosmos-iss-decision-2026-q1", "unknown"),  # the announcement
        ("nasa-roscosmos-moon-mars-working-group-2026", "unknown"),
        ("nasa-roscosmos-2018-10", "in_person"),
        ("roscosmos-nasa-moscow-invitation-2025", "in_person"),
        ("isaacman-soyuz-ms-29-launch-visit", "in_person"),
    ],
)
def test_meeting_format(api, slug, format_):
    body = get_ok(api, detail_url("meetings", slug))
    assert body["format"] == format_
    # In this seed, a meeting has a known format exactly when it has a place.
    assert (body["format"] == "unknown") == (body["place"] is None)


def test_planned_isaacman_bakanov_talks_detail(api):
    body = get_ok(api, detail_url("meetings", "nasa-roscosmos-isaacman-bakanov-2026"))
    assert body["title"] == "Planned talks between Isaacman and Bakanov"
    assert (body["kind"], body["status"], body["format"]) == ("bilateral", "planned", "unknown")
    assert body["place"] is None
    assert {p["person"]["slug"] for p in body["participants"]} == {"jared-isaacman", "dmitry-bakanov"}
    assert [s["slug"] for s in body["sources"]] == [S000, S001, EDITORS]  # the editors give its title and kind
    statuses = {(c["source"]["slug"], c["value"], c["rank"]) for c in body["claims"] if c["field"] == "status"}
    assert statuses == {(S001, "planned", "preferred"), (S000, "planned", "normal")}
    assert_problem(api.get(detail_url("meetings", "nasa-roscosmos-isaacman-bakanov-proposed")), 404)  # renamed


def test_launch_detail(api):
    body = get_ok(api, detail_url("launches", "soyuz-ms-29"))
    assert {
        "slug",
        "url",
        "name",
        "vehicle",
        "spacecraft",
        "operator",
        "site",
        "destination",
        "date",
        "status",
        "crew",
        "summary",
        "sources",
        "claims",
    } <= set(body)
    assert (body["name"], body["vehicle"], body["spacecraft"], body["status"]) == (
        "Soyuz MS-29",
        "Soyuz",
        "Soyuz MS-29",
        "planned",
    )
    # "2026-22" is EDTF for summer 2026.
    assert body["date"] == {"edtf": "2026-22", "earliest": "2026-06-01", "latest": "2026-08-31", "text": "summer 2026"}
    assert_summary(body["operator"], "agencies", "roscosmos", "Roscosmos State Corporation for Space Activities")
    assert_summary(body["site"], "places", "baikonur-cosmodrome", "Baikonur Cosmodrome")
    assert_summary(body["destination"], "places", "iss", "International Space Station")
    crew = {c["person"]["slug"]: c for c in body["crew"]}
    assert set(crew) == {"anil-menon", "pyotr-dubrov", "anna-kikina"}
    assert set(crew["anil-menon"]) == {"person", "agency", "role"}
    assert crew["anil-menon"]["agency"]["slug"] == "nasa"
    assert crew["anil-menon"]["role"] == "astronaut"
    assert crew["pyotr-dubrov"]["agency"]["slug"] == "roscosmos"
    assert [s["slug"] for s in body["sources"]] == [S000, S001]
    assert {(c["source"]["slug"], c["field"], c["value"]) for c in body["claims"]} == {
        (S000, "operator", "roscosmos"),
        (S001, "date", "2026-22"),
        (S001, "site", "baikonur-cosmodrome"),
        (S001, "destination", "iss"),
        (S001, "status", "planned"),
        (S001, "crew", "anil-menon,anna-kikina,pyotr-dubrov"),
        (S001, "name", "Soyuz MS-29"),
        (S001, "vehicle", "Soyuz"),
        (S001, "spacecraft", "Soyuz MS-29"),
    }
    assert_summaries_resolve(api, body)


def test_undated_launch_renders_null_date(api):
    # No seeded launch is undated any more, so make one.
    LaunchFactory(slug="undated-launch", date_edtf="")
    body = get_ok(api, detail_url("launches", "undated-launch"))
    assert body["date"] is None


def test_launch_with_open_start_date(api):
    # 000 says it had flown by the time it was written (16 February 2026); the editors, reading 000's account
    # of it as Isaacman's mission before Polaris Dawn, bound it by 2024.
    body = get_ok(api, detail_url("launches", "inspiration4"))
    assert body["date"] == {
        "edtf": "../2024",
        "earliest": None,
        "latest": "2024-12-31",
        "text": "before Polaris Dawn (2024)",
    }
    assert body["site"] is None
    assert_summary(body["operator"], "agencies", "spacex", "SpaceX")
    assert body["crew"] == [{"person": body["crew"][0]["person"], "agency": None, "role": "mission leader"}]
    assert body["crew"][0]["person"]["slug"] == "jared-isaacman"
    dates = {(c["source"]["slug"], c["value"], c["rank"]) for c in body["claims"] if c["field"] == "date"}
    assert dates == {(S000, "../2026-02-16", "normal"), (EDITORS, "../2024", "preferred")}


def test_launch_with_exact_date(api):
    body = get_ok(api, detail_url("launches", "crew-12"))
    assert body["date"] == {
        "edtf": "2026-02-13",
        "earliest": "2026-02-13",
        "latest": "2026-02-13",
        "text": "13 February 2026",
    }
    assert body["operator"] is None


def test_launch_with_open_end_date(api):
    # Crew-11's range is closed now: after the 31 July 2025 talks, and within a month of them.
    body = get_ok(api, detail_url("launches", "crew-11"))
    assert body["date"] == {
        "edtf": "2025-07-31/2025-08-31",
        "earliest": "2025-07-31",
        "latest": "2025-08-31",
        "text": "just after the 31 July 2025 talks",
    }
    # No seeded launch is open at the end any more, so make one.
    LaunchFactory(slug="open-ended-launch", date_edtf="2025-07-31/..")
    body = get_ok(api, detail_url("launches", "open-ended-launch"))
    assert (body["date"]["edtf"], body["date"]["earliest"], body["date"]["latest"]) == (
        "2025-07-31/..",
        "2025-07-31",
        None,
    )


def test_claim_detail(api):
    claim = Claim.objects.get(source__slug=S004, meeting__slug="nasa-roscosmos-2025-07", field="place", value="vienna")
    body = get_ok(api, detail_url("claims", claim.pk))
    assert set(body) == {
        *("id", "url", "source", "subject_type", "subject", "field", "value", "rank", "locator", "note"),
        *("as_of", "speaks_for", "superseded_by"),
    }
    assert body["id"] == claim.pk
    assert path_of(body["url"]) == detail_url("claims", claim.pk)
    assert_summary(body["source"], "sources", S004, "Roscosmos and NASA to resume top-level talks (untitled feature)")
    assert body["subject_type"] == "meeting"
    assert_summary(
        body["subject"], "meetings", "nasa-roscosmos-2025-07", "NASA and Roscosmos heads meet before the Crew-11 launch"
    )
    assert (body["field"], body["value"], body["rank"], body["locator"]) == ("place", "vienna", "deprecated", "14")
    assert body["note"] == claim.note
    assert body["note"]
    assert_summaries_resolve(api, body)


def test_claim_about_a_tenure_names_it_by_id(api):
    claim = Claim.objects.get(source__slug=S003, tenure__slug="donald-trump-us-president", field="title")
    body = get_ok(api, detail_url("claims", claim.pk))
    assert body["subject_type"] == "tenure"
    assert_summary(body["subject"], "tenures", tenure_id("donald-trump-us-president"), "President", lookup="id")
    assert (body["value"], body["rank"], body["locator"]) == ("former President", "deprecated", "1")
    assert_summaries_resolve(api, body)


# ---------------------------------------------------------------- provenance of every record


def _every_record():
    """(resource, subject type, natural slug) for every seeded record that claims are about."""
    import json
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    models = {f"events.{t}": r for r, t in SUBJECT_RESOURCES.items()}
    rows = []
    for name in ("reference", "tenures", "events"):
        for obj in json.loads((fixtures / f"{name}.json").read_text(encoding="utf-8")):
            if obj["model"] in models:
                rows.append((models[obj["model"]], obj["fields"]["slug"]))
    return rows


EVERY_RECORD = _every_record()


def test_every_record_is_listed():
    assert len(EVERY_RECORD) == 11 + 14 + 10 + 11 + 17 + 13 + 7


@pytest.mark.parametrize(("resource", "slug"), EVERY_RECORD)
def test_detail_sources_and_claims_match_the_database(api, resource, slug):
    model, _, lookup = RESOURCES[resource]
    record = model.objects.get(slug=slug)
    key = record.pk if lookup == "id" else slug
    body = get_ok(api, detail_url(resource, key))
    assert body[lookup] == key

    claims = Claim.objects.filter(**{SUBJECT_RESOURCES[resource]: record}).select_related("source")
    assert claims, "every seeded record is backed by at least one claim"
    expected = {(c.pk, c.source.slug, c.field, c.value, c.rank, c.locator, c.note) for c in claims}
    got = set()
    for claim in body["claims"]:
        assert set(claim) == CLAIM_BRIEF_FIELDS
        assert set(claim["source"]) == {"slug", "name", "url"}
        assert path_of(claim["url"]) == detail_url("claims", claim["id"])
        got.add(
            (
                claim["id"],
                claim["source"]["slug"],
                claim["field"],
                claim["value"],
                claim["rank"],
                claim["locator"],
                claim["note"],
            )
        )
    assert len(body["claims"]) == len(got)
    assert got == expected

    sources = sorted({c.source for c in claims}, key=lambda s: s.slug)
    assert body["sources"] == [
        {"slug": s.slug, "name": s.title, "url": body["sources"][i]["url"], "reliability": s.reliability}
        for i, s in enumerate(sources)
    ]
    for source in body["sources"]:
        assert path_of(source["url"]) == detail_url("sources", source["slug"])


@pytest.mark.parametrize("slug", [S000, S001, S002, S003, S004, EDITORS])
def test_source_claims_match_the_database(api, slug):
    body = get_ok(api, detail_url("sources", slug))
    assert {c["id"] for c in body["claims"]} == set(
        Claim.objects.filter(source__slug=slug).values_list("pk", flat=True)
    )
    assert {c["source"]["slug"] for c in body["claims"]} == {slug}


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_every_summary_in_the_first_details_resolves(api, resource):
    """Follow every {slug|id, name, url} in the detail of the first two records of each resource."""
    for item in get_ok(api, f"{API}/{resource}/", {"page_size": 2})["results"]:
        body = get_ok(api, path_of(item["url"]))
        assert_summaries_resolve(api, body)


# ---------------------------------------------------------------- not found


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/agencies/no-such-agency/",
        f"{API}/people/no-such-person/",
        f"{API}/places/atlantis/",
        f"{API}/topics/no-such-topic/",
        f"{API}/sources/999_0000000000000000/",
        f"{API}/meetings/no-such-meeting/",
        f"{API}/launches/no-such-launch/",
        f"{API}/tenures/999999/",
        f"{API}/claims/999999/",
        f"{API}/tenures/abc/",
        f"{API}/claims/abc/",
        f"{API}/tenures/jim-bridenstine-nasa-administrator/",
        f"{API}/no-such-resource/",
    ],
)
def test_unknown_record_is_404_problem(api, url):
    body = assert_problem(api.get(url), 404)
    assert "errors" not in body


# ---------------------------------------------------------------- ordering


def slugs_of(api, url, params=None):
    body = get_ok(api, url, {"page_size": 200, **(params or {})})
    return [item["slug"] for item in body["results"]]


# By earliest day, then latest day (an open end last), then by id: ties keep the order they were loaded in.
MEETINGS_BY_DATE = [
    "nasa-roscosmos-2018-10",  # 2018-10
    "bakanov-houston-visits-2025-07",  # 2025-07/2025-08 (from 1 July)
    "bakanov-boeing-visit-2025-07",  # 2025-07/2025-08: the same range, loaded after the Houston visits
    "nasa-roscosmos-2025-07",  # 2025-07-31
    "bakanov-remarks-after-july-2025-talks",  # 2025-07-31/2025-12-31: the same first day, a later last
    "roscosmos-nasa-moscow-invitation-2025",  # 2025-08/2025-12
    "nasa-roscosmos-iss-review-2025-10",  # 2025-10
    "nasa-roscosmos-iss-decision-2026-q1",  # 2026-33 (from 1 January 2026)
    "nasa-esa-2026-02-11",  # 2026-02-11
    "isaacman-news-conference-2026-02-13",  # 2026-02-13
    "nasa-roscosmos-isaacman-bakanov-2026",  # 2026-02-13/..: the same first day, no known last
    "nasa-roscosmos-moon-mars-working-group-2026",  # 2026-05/2026-08
    "isaacman-soyuz-ms-29-launch-visit",  # 2026-22 (from 1 June 2026)
]
# Descending reverses the dates, but an unknown last day still sorts last and equal dates still keep id order.
MEETINGS_BY_DATE_DESCENDING = [
    "isaacman-soyuz-ms-29-launch-visit",
    "nasa-roscosmos-moon-mars-working-group-2026",
    "isaacman-news-conference-2026-02-13",  # 2026-02-13 before 2026-02-13/..: an open end sorts last either way
    "nasa-roscosmos-isaacman-bakanov-2026",
    "nasa-esa-2026-02-11",
    "nasa-roscosmos-iss-decision-2026-q1",
    "nasa-roscosmos-iss-review-2025-10",
    "roscosmos-nasa-moscow-invitation-2025",
    "bakanov-remarks-after-july-2025-talks",
    "nasa-roscosmos-2025-07",
    "bakanov-houston-visits-2025-07",  # equal dates: id order either way
    "bakanov-boeing-visit-2025-07",
    "nasa-roscosmos-2018-10",
]


def test_meetings_ordering_by_date(api):
    assert slugs_of(api, f"{API}/meetings/", {"ordering": "date"}) == MEETINGS_BY_DATE


def test_meetings_ordering_by_date_descending(api):
    assert slugs_of(api, f"{API}/meetings/", {"ordering": "-date"}) == MEETINGS_BY_DATE_DESCENDING
    assert sorted(MEETINGS_BY_DATE_DESCENDING) == sorted(MEETINGS_BY_DATE)


def test_meetings_ordering_by_title(api):
    got = slugs_of(api, f"{API}/meetings/", {"ordering": "title"})
    titles = {m.slug: m.title for m in Meeting.objects.all()}
    assert sorted(got) == sorted(titles)
    assert got[0] == "nasa-roscosmos-iss-decision-2026-q1"  # "Announcement on ..."
    assert got[-1] == "nasa-roscosmos-iss-review-2025-10"  # "Two-agency technical review ..."
    assert got.index("nasa-roscosmos-isaacman-bakanov-2026") < got.index(  # "Planned talks" < "Possible Moon"
        "nasa-roscosmos-moon-mars-working-group-2026"
    )
    # Titles rise from first to last (case-insensitively: collations differ in how they treat the rest).
    keys = [titles[s].casefold() for s in got]
    assert [k[:5] for k in keys] == sorted(k[:5] for k in keys)
    assert got.index("nasa-roscosmos-2018-10") < got.index("nasa-roscosmos-2025-07")  # "... at" < "... before"
    assert got.index("nasa-esa-2026-02-11") < got.index("isaacman-soyuz-ms-29-launch-visit")  # "and" < "to"


def test_meetings_ordering_by_title_descending(api):
    assert (
        slugs_of(api, f"{API}/meetings/", {"ordering": "-title"})
        == slugs_of(api, f"{API}/meetings/", {"ordering": "title"})[::-1]
    )


def test_meetings_ordering_by_several_keys(api):
    got = slugs_of(api, f"{API}/meetings/", {"ordering": "status,date"})
    statuses = {m.slug: m.status for m in Meeting.objects.all()}
    assert [statuses[s] for s in got] == sorted(statuses[s] for s in got)
    held = [s for s in got if statuses[s] == "held"]
    assert held == [
        "nasa-roscosmos-2018-10",
        "nasa-roscosmos-2025-07",
        "bakanov-remarks-after-july-2025-talks",
        "nasa-esa-2026-02-11",
        "isaacman-news-conference-2026-02-13",
    ]


def test_ordering_keeps_pagination_consistent(api):
    first = get_ok(api, f"{API}/meetings/", {"ordering": "-date", "page_size": 3})
    assert [m["slug"] for m in first["results"]] == MEETINGS_BY_DATE_DESCENDING[:3]
    assert "ordering=-date" in first["next"]
    second = get_ok(api, path_of(first["next"]))
    assert [m["slug"] for m in second["results"]] == MEETINGS_BY_DATE_DESCENDING[3:6]


LAUNCHES_BY_DATE = [
    "soyuz-ms-10",  # 2018-10
    "polaris-dawn",  # 2024
    "inspiration4",  # ../2024: open at the start, so it sorts by its latest day (31 December 2024)
    "crew-11",  # 2025-07-31/2025-08-31: sorts by its earliest day
    "soyuz-ms-28",  # 2025-08/2025-12
    "crew-12",  # 2026-02-13
    "soyuz-ms-29",  # summer 2026
]


def test_launches_ordering_by_date_descending(api):
    assert slugs_of(api, f"{API}/launches/", {"ordering": "-date"}) == LAUNCHES_BY_DATE[::-1]


def test_launches_ordering_by_date(api):
    assert slugs_of(api, f"{API}/launches/", {"ordering": "date"}) == LAUNCHES_BY_DATE


def test_undated_launches_sort_last_either_way(api):
    LaunchFactory(slug="undated-launch", date_edtf="")
    assert slugs_of(api, f"{API}/launches/", {"ordering": "date"}) == [*LAUNCHES_BY_DATE, "undated-launch"]
    assert slugs_of(api, f"{API}/launches/", {"ordering": "-date"}) == [*LAUNCHES_BY_DATE[::-1], "undated-launch"]


def test_launches_ordering_by_name(api):
    got = slugs_of(api, f"{API}/launches/", {"ordering": "name"})
    assert got == ["crew-11", "crew-12", "inspiration4", "polaris-dawn", "soyuz-ms-10", "soyuz-ms-28", "soyuz-ms-29"]


@pytest.mark.parametrize("resource", ["meetings", "launches"])
@pytest.mark.parametrize("ordering", ["bogus", "-bogus", "date,bogus", "summary", ""])
def test_bad_ordering_is_400_naming_ordering(api, resource, ordering):
    assert_problem(api.get(f"{API}/{resource}/", {"ordering": ordering}), 400, names=["ordering"])


@pytest.mark.parametrize("resource", ["agencies", "people", "tenures", "claims"])
def test_ordering_on_a_resource_without_it_is_400(api, resource):
    assert_problem(api.get(f"{API}/{resource}/", {"ordering": "name"}), 400, names=["ordering"])
