"""Edges of the API: problem details for every error, CORS, conditional GETs, health, hostile input."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import OperationalError, connections
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENGINE = settings.DATABASES["default"]["ENGINE"]
ON_POSTGRES = ENGINE.endswith("postgresql")

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
ORIGIN = "https://app.example.org"


def make_client(*codenames, superuser=False):
    if superuser:
        user = User.objects.create_superuser("admin", password=None)
    else:
        user = User.objects.create_user("editor", password=None)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def assert_problem(response, status, *names):
    """RFC 9457 problem details; for validation errors `errors` names each of `names`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].split(";")[0].strip() == PROBLEM_JSON
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert "Traceback" not in response.content.decode()
    for name in names:
        assert name in body["errors"], body
        assert all(isinstance(m, str) for m in body["errors"][name]), body
    return body


# --- problem details ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("meetings", {"date_after": "soon"}, "date_after"),
        ("meetings", {"status": "rumoured"}, "status"),
        ("meetings", {"agency": "no-such-agency"}, "agency"),
        ("meetings", {"ordering": "colour"}, "ordering"),
        ("meetings", {"colour": "red"}, "colour"),
        ("launches", {"date_before": "2025-02-30"}, "date_before"),
        ("tenures", {"active_on": "yesterday"}, "active_on"),
        ("claims", {"rank": "better"}, "rank"),
        ("claims", {"subject_type": "planet"}, "subject_type"),
        ("agencies", {"page_size": "500"}, "page_size"),
        ("agencies", {"page": "first"}, "page"),
    ],
)
def test_bad_filter_is_a_400_naming_the_parameter(seeded, url, params, name):
    body = assert_problem(APIClient().get(f"{API}/{url}/", params), 400, name)
    assert name in body["detail"]


@pytest.mark.parametrize(("url", "name"), [("tenures", "is_head"), ("tenures", "is_acting"), ("claims", "conflicting")])
def test_bad_boolean_filter_is_a_400(seeded, url, name):
    assert_problem(APIClient().get(f"{API}/{url}/", {name: "maybe"}), 400, name)


@pytest.mark.parametrize(
    ("url", "params", "count"),
    [
        ("tenures", {"is_head": "false"}, 0),
        ("tenures", {"is_head": "true"}, 10),
        ("claims", {"conflicting": "true"}, None),
    ],
)
def test_good_boolean_filters(seeded, url, params, count):
    response = APIClient().get(f"{API}/{url}/", params)
    assert response.status_code == 200
    if count is not None:
        assert response.json()["count"] == count


def test_401_anonymous_write(seeded):
    response = APIClient().post(f"{API}/topics/", {"slug": "x", "name": "X"}, format="json")
    assert_problem(response, 401)
    assert "WWW-Authenticate" in response


def test_403_without_permission(seeded):
    response = make_client("view_topic").post(f"{API}/topics/", {"slug": "x", "name": "X"}, format="json")
    assert_problem(response, 403)


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/meetings/no-such-meeting/",
        f"{API}/agencies/no-such-agency/",
        f"{API}/tenures/999999/",
        f"{API}/claims/999999/",
        f"{API}/agencies/no-such-agency/heads/",
        f"{API}/no-such-resource/",
        f"{API}/meetings/nasa-roscosmos-2025-07/no-such-action/",
        f"{API}/tenures/not-a-number/",
        "/api/v2/meetings/",
    ],
)
def test_404_is_problem_details(seeded, url):
    assert_problem(APIClient().get(url), 404)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", f"{API}/timeline/"),
        ("put", f"{API}/timeline/"),
        ("delete", f"{API}/conflicts/"),
    ],
)
def test_405_on_read_only_paths(seeded, method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert_problem(response, 405)
    assert "GET" in response["Allow"]
    assert method.upper() not in response["Allow"]


@pytest.mark.parametrize(
    ("method", "url"),
    [("delete", f"{API}/agencies/"), ("put", f"{API}/meetings/"), ("post", f"{API}/agencies/nasa/heads/")],
)
def test_405_for_a_user_with_every_permission(seeded, method, url):
    response = getattr(make_client(superuser=True), method)(url, {}, format="json")
    assert_problem(response, 405)
    assert method.upper() not in response["Allow"]


@pytest.mark.parametrize("who", ["anonymous", "editor"])
@pytest.mark.parametrize(("method", "url"), [("delete", f"{API}/agencies/"), ("post", f"{API}/agencies/nasa/heads/")])
def test_405_whoever_asks(seeded, who, method, url):
    client = APIClient() if who == "anonymous" else make_client("view_agency")
    response = getattr(client, method)(url, {}, format="json")
    assert_problem(response, 405)


def test_415_unsupported_media_type(seeded):
    client = make_client("add_topic")
    response = client.post(f"{API}/topics/", data="slug=x&name=X", content_type="text/plain")
    body = assert_problem(response, 415)
    assert "text/plain" in body["detail"]
    response = client.post(f"{API}/topics/", data="slug=x&name=X", content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415)


@pytest.mark.parametrize("payload", ['{"slug": "x", "name": ', "{bad json}", "\x00", '{"slug": "x"'])
def test_malformed_json_is_a_400(seeded, payload):
    response = make_client("add_topic").post(f"{API}/topics/", data=payload, content_type="application/json")
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


@pytest.mark.parametrize("payload", ["[]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_a_400(seeded, payload):
    response = make_client("add_topic").post(f"{API}/topics/", data=payload, content_type="application/json")
    assert_problem(response, 400)


def test_validation_errors_are_keyed_by_field(seeded):
    response = make_client("add_topic").post(f"{API}/topics/", {"slug": "not a slug!"}, format="json")
    body = assert_problem(response, 400, "slug", "name")
    assert "slug" in body["detail"]
    assert "name" in body["detail"]


def test_500_is_problem_details_without_a_trace(seeded, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("secret internals: /srv/app/events/selectors.py")

    monkeypatch.setattr("events.api.views.timeline", explode)
    client = APIClient(raise_request_exception=False)
    response = client.get(f"{API}/timeline/")
    assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "selectors.py" not in response.content.decode()


# --- CORS ---------------------------------------------------------------------------------------


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]


def test_cors_allowed_origin(seeded, cors):
    response = APIClient().get(f"{API}/meetings/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "origin" in response["Vary"].lower()


def test_cors_allowed_origin_on_errors_too(seeded, cors):
    response = APIClient().get(f"{API}/meetings/", {"date_after": "soon"}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "http://app.example.org", "https://app.example.org.evil"]
)
def test_cors_unlisted_origin(seeded, cors, origin):
    response = APIClient().get(f"{API}/meetings/", HTTP_ORIGIN=origin)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_cors_preflight(seeded, cors):
    response = APIClient().options(
        f"{API}/meetings/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed_headers = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers


def test_cors_preflight_from_unlisted_origin(seeded, cors):
    response = APIClient().options(
        f"{API}/meetings/", HTTP_ORIGIN="https://evil.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in response


def test_cors_off_by_default(seeded, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    response = APIClient().get(f"{API}/meetings/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


# --- conditional GETs ---------------------------------------------------------------------------

READS = [
    f"{API}/meetings/",
    f"{API}/meetings/nasa-roscosmos-2025-07/",
    f"{API}/agencies/",
    f"{API}/agencies/nasa/",
    f"{API}/tenures/",
    f"{API}/claims/",
    f"{API}/agencies/nasa/heads/?on=2025-07-31",
    f"{API}/timeline/",
    f"{API}/conflicts/",
]


# Answers that can change while the data does not (heads default to today; the schema changes with the code).
DATED_BY_OTHER_THINGS = [f"{API}/agencies/nasa/heads/?on=2025-07-31", f"{API}/schema/", f"{API}/docs/"]


@pytest.mark.parametrize("url", READS)
def test_etag_and_last_modified_on_reads(seeded, url):
    response = APIClient().get(url)
    assert response.status_code == 200
    assert response["ETag"]
    if url in DATED_BY_OTHER_THINGS:
        assert not response.has_header("Last-Modified")
    else:
        assert response["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("url", DATED_BY_OTHER_THINGS)
def test_answers_dated_by_more_than_the_data_have_no_last_modified(seeded, url):
    response = APIClient().get(url)
    assert response.status_code == 200
    assert not response.has_header("Last-Modified")


@pytest.mark.parametrize("url", READS)
def test_if_none_match_gives_304(seeded, url):
    client = APIClient()
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    # Another representation does not match.
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize("url", [url for url in READS if url not in DATED_BY_OTHER_THINGS])
def test_if_modified_since_gives_304(seeded, url):
    client = APIClient()
    last_modified = client.get(url)["Last-Modified"]
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    assert response.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_different_queries_have_different_etags(seeded):
    client = APIClient()
    assert client.get(f"{API}/meetings/")["ETag"] != client.get(f"{API}/meetings/?status=held")["ETag"]


def test_head_request(seeded):
    client = APIClient()
    response = client.head(f"{API}/meetings/")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Last-Modified"]


# --- health -------------------------------------------------------------------------------------


def test_healthz_ok(seeded):
    response = APIClient().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_503_when_the_database_fails(seeded, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = APIClient().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] != "ok"
    assert "could not connect" not in response.content.decode()


# --- hostile input ------------------------------------------------------------------------------

NASTY = [
    ("meetings", "q=" + "a" * 10_000),
    ("people", "q=" + "%F0%9F%9A%80" * 2_000),
    ("meetings", "q=%00"),
    ("agencies", "q=%00abc"),
    ("meetings", "q=%E2%98%83%20%D0%A0%D0%BE%D1%81%D0%BA%D0%BE%D1%81%D0%BC%D0%BE%D1%81"),
    ("places", "q=%ED%A0%80"),  # invalid UTF-8 (a lone surrogate)
    ("agencies", "q=%25%5F%5C"),  # LIKE wildcards and backslash
    ("meetings", "page=99999999999999999999"),
    ("timeline", "page=99999999999999999999"),
    ("conflicts", "page=99999999999999999999"),
    ("meetings", "page=-1"),
    ("meetings", "page=1.5"),
    ("meetings", "page_size=-1"),
    ("meetings", "page_size=0"),
    ("meetings", "page_size=99999999999999999999"),
    ("timeline", "page_size=%00"),
    ("meetings", "date_after=9999-99-99"),
    ("meetings", "date_after=9999-12-31"),
    ("meetings", "date_before=0001-01-01"),
    ("timeline", "date_after=9999-99-99"),
    ("timeline", "date_before=0000-00-00"),
    ("launches", "date_after=%00"),
    ("tenures", "active_on=99999-01-01"),
    ("agencies/nasa/heads", "on=9999-12-31"),
    ("agencies/nasa/heads", "on=0001-01-01"),
    ("agencies/nasa/heads", "on=%00"),
    ("meetings", "ordering=-"),
    ("meetings", "ordering=,,,"),
    ("meetings", "ordering=date,-date,title"),
    ("meetings", "ordering=__class__"),
    ("launches", "ordering=-pk"),
    ("claims", "subject=%27%20OR%201%3D1"),
    ("claims", "subject=%27%3B%20DROP%20TABLE%20events_claim%3B--"),
    ("claims", "subject=99999999999999999999999"),
    ("claims", "subject=%00"),
    ("meetings", "agency=%27%20OR%201%3D1"),
    ("meetings", "person=nasa&person=%00"),
    ("meetings", "status=held&status=%27"),
    ("conflicts", "field=%27%20OR%201%3D1"),
    ("conflicts", "field=" + "x" * 5_000),
    ("tenures", "person=" + "x" * 5_000),
    ("claims", "source=../../etc/passwd"),
]


@pytest.mark.parametrize(("path", "query"), NASTY, ids=[f"{path}?{query[:40]}" for path, query in NASTY])
def test_nasty_input_never_500s(seeded, path, query):
    client = APIClient(raise_request_exception=False)
    response = client.get(f"{API}/{path}/?{query}")
    assert response.status_code < 500, response.content[:500]
    body = response.content.decode(errors="replace")
    assert "Traceback" not in body
    assert 'File "' not in body
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(f"{API}/meetings/%00/"),
        pytest.param(f"{API}/agencies/a%00b/"),
        pytest.param(f"{API}/agencies/%00/heads/"),
        f"{API}/meetings/{'x' * 5000}/",
        f"{API}/meetings/%27%20OR%201%3D1/",
        f"{API}/tenures/99999999999999999999999/",
        f"{API}/claims/99999999999999999999999/",
        f"{API}/agencies/%F0%9F%9A%80/heads/",
    ],
)
def test_nasty_paths_never_500(seeded, path):
    response = APIClient(raise_request_exception=False).get(path)
    assert response.status_code < 500, response.content[:500]
    assert "Traceback" not in response.content.decode(errors="replace")


@pytest.mark.parametrize(
    "body",
    [
        {"slug": "x" * 1000, "name": "X"},
        {"slug": "ok", "name": "X" * 100_000},
        {"slug": "ok", "name": "\x00"},
        {"slug": ["a"], "name": {"b": 1}},
        {"slug": "ok", "name": "X", "description": None},
    ],
)
def test_nasty_write_bodies_never_500(seeded, body):
    client = make_client("add_topic")
    client.raise_request_exception = False
    response = client.post(f"{API}/topics/", body, format="json")
    assert response.status_code < 500, response.content[:500]
    assert response.status_code == 400
    assert_problem(response, 400)


@pytest.mark.parametrize(
    "date",
    [
        {"edtf": "9999-99-99"},
        {"edtf": "\x00"},
        {"edtf": "x" * 10_000},
        {"edtf": 2026},
        {"edtf": "2026-03", "text": 5},
        {"edtf": "2026-03", "text": "x" * 121},
        pytest.param(
            {"edtf": "2026-03", "text": "March\x00"},
        ),
    ],
)
def test_nasty_dates_never_500(seeded, date):
    client = make_client("add_meeting")
    client.raise_request_exception = False
    body = {"slug": "nasty", "title": "Nasty", "status": "held", "date": date}
    response = client.post(f"{API}/meetings/", body, format="json")
    assert response.status_code == 400, response.content[:500]
    assert_problem(response, 400, "date")


@pytest.mark.parametrize("slug", ["moscow\x00", "x" * 10_000, 7, ["moscow"], {"slug": "moscow"}])
@pytest.mark.parametrize("field", ["place", "related_launch"])
def test_nasty_related_slugs_are_400_naming_the_field(seeded, field, slug):
    """PostgreSQL refuses a NUL in a query: the slug is checked before any lookup."""
    client = make_client("add_meeting")
    client.raise_request_exception = False
    body = {"slug": "nasty", "title": "Nasty", "status": "held", field: slug}
    response = client.post(f"{API}/meetings/", body, format="json")
    assert response.status_code == 400, response.content[:500]
    assert_problem(response, 400, field)


def test_a_nasty_support_source_is_400_naming_it(seeded):
    client = make_client("add_meeting", "add_claim")
    client.raise_request_exception = False
    body = {"slug": "nasty", "title": "Nasty", "status": "held", "support": {"source": "a\x00", "locator": "1"}}
    response = client.post(f"{API}/meetings/", body, format="json")
    assert response.status_code == 400, response.content[:500]
    assert_problem(response, 400, "support")
