"""No lost updates through the API: PUT, PATCH and DELETE honour If-Match with the ETag of a GET of the same URL
(the record's version)."""

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from events.models import Claim, Launch, Meeting, Tenure, Topic

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
MEETING = f"{API}/meetings/nasa-roscosmos-2025-07/"
# What a write that sets new values rests on (001 has 31 paragraphs).
SUPPORT = {"source": "001_c34876a6c97edda2", "locator": "3"}


def editor(username="editor"):
    user = User.objects.create_user(username)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events"))
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def assert_412(response):
    assert response.status_code == 412, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert (body["status"], body["title"]) == (412, "Precondition failed")
    assert "nothing was written" in body["detail"]


def supported(change, url=MEETING):
    """`change` with its support, for a record whose values rest on claims (sources and claims have none)."""
    return change if "/sources/" in url or "/claims/" in url else {**change, "support": SUPPORT}


def first_claim_url():
    return f"{API}/claims/{Claim.objects.order_by('pk').first().pk}/"


# One harmless change per writable resource: (detail URL, PATCH body, how to read the field back from a GET).
RESOURCES = [
    (f"{API}/agencies/nasa/", {"name": "NASA (renamed)"}, "name"),
    (f"{API}/people/jared-isaacman/", {"name": "Jared Isaacman (renamed)"}, "name"),
    (f"{API}/places/houston/", {"name": "Houston (renamed)"}, "name"),
    (f"{API}/topics/space-debris/", {"name": "Debris (renamed)"}, "name"),
    (f"{API}/sources/001_c34876a6c97edda2/", {"title": "A retitled source"}, "title"),
    (MEETING, {"title": "Talks (retitled)"}, "title"),
    (f"{API}/launches/{{launch}}/", {"name": "A renamed launch"}, "name"),
    (f"{API}/tenures/{{tenure}}/", {"title": "Retitled post"}, "title"),
    ("{claim}", {"note": "A changed note."}, "note"),
]


RESOURCE_IDS = ["agency", "person", "place", "topic", "source", "meeting", "launch", "tenure", "claim"]


def resolve(url):
    launch = Launch.objects.order_by("pk").first()
    tenure = Tenure.objects.order_by("pk").first()
    return url.format(launch=launch.slug, tenure=tenure.pk, claim=first_claim_url())


@pytest.mark.parametrize(("url", "change", "field"), RESOURCES, ids=RESOURCE_IDS)
def test_a_stale_etag_is_refused_on_every_resource_and_nothing_is_written(seeded, url, change, field):
    url = resolve(url)
    client = editor()
    opened = etag_of(client, url)
    before = client.get(url).json()

    other = editor("other")
    assert other.patch(url, supported(change, url), format="json", HTTP_IF_MATCH=opened).status_code == 200
    after_winner = client.get(url).json()
    assert after_winner[field] == change[field]
    assert etag_of(client, url) != opened

    # The loser still holds the ETag from before the winner's change.
    loser_change = supported({field: f"{before[field]} (loser)"}, url)
    assert_412(client.patch(url, loser_change, format="json", HTTP_IF_MATCH=opened))
    assert_412(client.put(url, {**before, **loser_change}, format="json", HTTP_IF_MATCH=opened))
    assert_412(client.delete(url, HTTP_IF_MATCH=opened))
    assert client.get(url).json() == after_winner


@pytest.mark.parametrize(("url", "change", "field"), RESOURCES, ids=RESOURCE_IDS)
def test_the_current_etag_lets_the_write_through(seeded, url, change, field):
    url = resolve(url)
    client = editor()
    response = client.patch(url, supported(change, url), format="json", HTTP_IF_MATCH=etag_of(client, url))
    assert response.status_code == 200, response.content
    assert client.get(url).json()[field] == change[field]


def test_an_anonymous_readers_etag_is_the_same_for_a_signed_in_writer(seeded):
    """The ETag is the record's version, which does not depend on who reads it (Cache-Control does)."""
    opened = etag_of(APIClient(), MEETING)
    client = editor()
    assert etag_of(client, MEETING) == opened
    assert client.patch(MEETING, {"status": "held"}, format="json", HTTP_IF_MATCH=opened).status_code == 200


def test_two_curators_with_the_same_etag_one_wins_and_the_data_is_the_winners(seeded):
    alice, bob = editor("alice"), editor("bob")
    opened = etag_of(alice, MEETING)
    assert etag_of(bob, MEETING) == opened
    body = alice.get(MEETING).json()
    alices = supported({"place": "moscow", "status": "postponed"})
    first = alice.patch(MEETING, alices, format="json", HTTP_IF_MATCH=opened)
    assert first.status_code == 200, first.content
    bobs = supported({"place": "houston", "title": "Bob's title"})
    refused = bob.patch(MEETING, bobs, format="json", HTTP_IF_MATCH=opened)
    assert_412(refused)
    assert refused["ETag"] == etag_of(bob, MEETING) != opened  # the current one, to retry with
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    assert (meeting.place.slug, meeting.status, meeting.title) == ("moscow", "postponed", body["title"])
    assert meeting.history.filter(history_user__username="bob").count() == 0

    # Bob reloads, sees Alice's change, and makes his on top of it.
    reloaded = etag_of(bob, MEETING)
    second = bob.patch(MEETING, supported({"title": "Bob's title"}), format="json", HTTP_IF_MATCH=reloaded)
    assert second.status_code == 200, second.content
    meeting.refresh_from_db()
    assert (meeting.place.slug, meeting.status, meeting.title) == ("moscow", "postponed", "Bob's title")


def test_a_change_to_the_records_claims_makes_its_etag_stale(seeded):
    """Claims are part of a record's representation: a new one changes the ETag the record's GET returns."""
    client = editor()
    opened = etag_of(client, MEETING)
    claim = {
        "source": "003_007efc6446bec603",
        "subject_type": "meeting",
        "subject": "nasa-roscosmos-2025-07",
        "field": "format",
        "value": "in_person",
        "rank": "normal",
        "locator": "4",
        "note": "",
    }
    assert client.post(f"{API}/claims/", claim, format="json").status_code == 201
    assert_412(client.patch(MEETING, {"title": "Retitled"}, format="json", HTTP_IF_MATCH=opened))


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ("*", 200),
        (None, 200),  # no If-Match: the write is not checked, as before
        ("{current}", 200),
        ('"stale", {current}', 200),  # a list matches if any tag does
        ("W/{current}", 412),  # If-Match compares strongly: a weak tag never matches
        ('"0123456789abcdef0123456789abcdef"', 412),
        ("not an etag at all", 412),
        ("", 412),
    ],
)
def test_if_match_forms(seeded, if_match, status):
    client = editor()
    headers = {}
    if if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match.format(current=etag_of(client, MEETING))
    response = client.patch(MEETING, supported({"title": "Retitled"}), format="json", **headers)
    assert response.status_code == status, response.content
    expected = "Retitled" if status == 200 else Meeting.objects.get(slug="nasa-roscosmos-2025-07").title
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").title == expected
    if status == 412:
        assert_412(response)


def test_delete_with_the_current_etag_deletes_and_with_a_stale_one_does_not(seeded):
    client = editor()
    for slug in ("first-topic", "second-topic"):
        body = supported({"slug": slug, "name": slug}, f"{API}/topics/")
        assert client.post(f"{API}/topics/", body, format="json").status_code == 201
    first, second = f"{API}/topics/first-topic/", f"{API}/topics/second-topic/"
    stale = etag_of(client, second)
    assert client.patch(second, {"description": "Changed."}, format="json").status_code == 200

    assert_412(client.delete(second, HTTP_IF_MATCH=stale))
    assert Topic.objects.filter(slug="second-topic").exists()
    assert client.delete(first, HTTP_IF_MATCH=etag_of(client, first)).status_code == 204
    assert not Topic.objects.filter(slug="first-topic").exists()


def test_the_precondition_is_checked_before_the_body(seeded):
    """A stale ETag is the answer even when the body is invalid too: the client must reload either way."""
    client = editor()
    opened = etag_of(client, MEETING)
    assert client.patch(MEETING, supported({"status": "postponed"}), format="json").status_code == 200
    assert_412(client.patch(MEETING, supported({"status": "no-such-status"}), format="json", HTTP_IF_MATCH=opened))


def test_an_unknown_record_is_404_whatever_the_if_match(seeded):
    response = editor().patch(f"{API}/meetings/no-such-meeting/", {"title": "x"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 404


def test_permissions_come_before_the_precondition(seeded):
    anonymous = APIClient()
    response = anonymous.patch(MEETING, {"title": "x"}, format="json", HTTP_IF_MATCH='"stale"')
    assert response.status_code == 401


def test_the_schema_documents_if_match_and_412_on_every_checked_write(seeded):
    document = APIClient().get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths, components = document["paths"], document["components"]["schemas"]
    detail_paths = [p for p in paths if p.endswith("}/") and "put" in paths[p]]
    assert len(detail_paths) == 9, detail_paths
    for path in detail_paths:
        for method in ("put", "patch", "delete"):
            operation = paths[path][method]
            headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
            assert [(h["name"], h.get("required", False)) for h in headers] == [("If-Match", False)], (path, method)
            problem = operation["responses"]["412"]["content"]["application/problem+json"]["schema"]
            problem = components[problem["$ref"].rsplit("/", 1)[1]] if "$ref" in problem else problem
            assert {"type", "title", "status", "detail"} <= set(problem["required"])
            assert "200" in operation["responses"] or "204" in operation["responses"]
        assert "412" not in paths[path]["get"]["responses"]
        assert all(p["in"] != "header" for p in paths[path]["get"].get("parameters", []))
