"""Writes through the API: authentication, permissions, nested writes that are all or nothing, 409s."""

import copy
import json

import pytest
from django.contrib.auth.models import Permission, User
from django.utils.http import parse_http_date
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import (
    Agency,
    Claim,
    DatasetRevision,
    Launch,
    Meeting,
    Participant,
    Person,
    Place,
    Source,
    Tenure,
    Topic,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
S001 = "001_c34876a6c97edda2"
S003 = "003_007efc6446bec603"
PASSWORD = "a-long-test-password-9"  # noqa: S105
# What a write that sets new values rests on (001 has 31 paragraphs).
SUPPORT = {"source": S001, "locator": "3", "note": "Test support."}


def make_user(username, *codenames, password=None):
    user = User.objects.create_user(username, password=password)  # no password: no slow hashing
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # no stale permission cache


def client_for(*codenames, username="editor"):
    client = APIClient()
    client.force_authenticate(make_user(username, *codenames))
    return client


def assert_problem(response, status, *names):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    for name in names:
        assert name in body["errors"], body
    return body


def snapshot():
    """Enough of the database to see any write."""
    talks = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    return {
        "counts": {m.__name__: m.objects.count() for m in (Meeting, Participant, Claim, Topic, Person, Tenure, Launch)},
        "talks": (talks.title, talks.place_id, talks.status, sorted(talks.topics.values_list("slug", flat=True))),
        "topic": Topic.objects.filter(slug="space-debris").values_list("name", "description").first(),
    }


def tenure_id(slug):
    return Tenure.objects.get(slug=slug).pk


def meeting_body(**overrides):
    body = {
        "slug": "isaacman-bakanov-moscow-2026-03",
        "title": "Isaacman visits Moscow",
        "kind": "bilateral",
        "status": "proposed",
        "format": "in_person",
        "date": {"edtf": "2026-03", "text": "March 2026"},
        "place": "moscow",
        "topics": ["iss-operations"],
        "participants": [
            {
                "person": "jared-isaacman",
                "agency": "nasa",
                "tenure": tenure_id("jared-isaacman-nasa-administrator"),
                "role": "NASA Administrator (guest)",
            },
            {
                "person": "dmitry-bakanov",
                "agency": "roscosmos",
                "tenure": tenure_id("dmitry-bakanov-roscosmos-director-general"),
                "role": "host",
            },
        ],
        "claims": [
            {
                "source": S001,
                "field": "status",
                "value": "proposed",
                "rank": "normal",
                "locator": "11",
                "note": "The article reports the talks as an intention.",
            },
            {
                "source": S001,
                "field": "participants",
                "value": "jared-isaacman,dmitry-bakanov",
                "rank": "normal",
                "locator": "10-11",
                "note": "",
            },
        ],
        "support": SUPPORT,  # the values no claim above gives
    }
    body.update(overrides)
    return body


# --- authentication and permissions ------------------------------------------------------------

WRITES = [
    ("post", f"{API}/meetings/", "meeting"),
    ("post", f"{API}/topics/", "topic"),
    ("put", f"{API}/topics/space-debris/", "topic-put"),
    ("patch", f"{API}/meetings/nasa-roscosmos-2025-07/", "meeting-patch"),
    ("delete", f"{API}/meetings/nasa-roscosmos-2025-07/", None),
    ("delete", f"{API}/topics/space-debris/", None),
    ("post", f"{API}/claims/", "claim"),
]


def write_body(kind):
    return {
        None: None,
        "meeting": meeting_body(),
        "topic": {"slug": "new-topic", "name": "New topic", "support": SUPPORT},
        "topic-put": {"slug": "space-debris", "name": "Debris", "description": "Changed.", "support": SUPPORT},
        "meeting-patch": {"place": "moscow", "support": SUPPORT},
        "claim": {
            "source": S003,
            "subject_type": "meeting",
            "subject": "nasa-roscosmos-2025-07",
            "field": "place",
            "value": "moscow",
            "locator": "2",
        },
    }[kind]


@pytest.mark.parametrize(("method", "url", "kind"), WRITES)
def test_anonymous_writes_are_401_and_change_nothing(seeded, method, url, kind):
    before = snapshot()
    response = getattr(APIClient(), method)(url, write_body(kind), format="json")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")
    assert snapshot() == before


@pytest.mark.parametrize(("method", "url", "kind"), WRITES)
def test_writes_without_model_permission_are_403_and_change_nothing(seeded, method, url, kind):
    before = snapshot()
    # Some permissions, but never the one the write needs.
    client = client_for("view_meeting", "view_topic", "add_person", "change_person")
    assert_problem(getattr(client, method)(url, write_body(kind), format="json"), 403)
    assert snapshot() == before


def test_each_write_needs_its_own_permission(seeded):
    client = client_for("add_topic", "add_claim")  # the topic's support is a claim
    assert client.post(f"{API}/topics/", write_body("topic"), format="json").status_code == 201
    assert_problem(client.put(f"{API}/topics/space-debris/", write_body("topic-put"), format="json"), 403)
    assert_problem(client.delete(f"{API}/topics/space-debris/"), 403)
    assert_problem(client.post(f"{API}/meetings/", meeting_body(), format="json"), 403)


@pytest.mark.parametrize(
    ("method", "url", "kind", "codename", "status"),
    [
        ("post", f"{API}/meetings/", "meeting", "add_meeting", 201),
        ("patch", f"{API}/meetings/nasa-roscosmos-2025-07/", "meeting-patch", "change_meeting", 200),
        ("delete", f"{API}/meetings/nasa-roscosmos-2025-07/", None, "delete_meeting", 204),
        ("post", f"{API}/topics/", "topic", "add_topic", 201),
        ("put", f"{API}/topics/space-debris/", "topic-put", "change_topic", 200),
        ("delete", f"{API}/topics/space-debris/", None, "delete_topic", 204),
        ("post", f"{API}/claims/", "claim", "add_claim", 201),
    ],
)
def test_writes_with_the_model_permission_succeed(seeded, method, url, kind, codename, status):
    # Bodies that set values carry their support (and the meeting's its claims): claims need their permission.
    codenames = (codename,) if kind in (None, "claim") else (codename, "add_claim")
    response = getattr(client_for(*codenames), method)(url, write_body(kind), format="json")
    assert response.status_code == status, response.content


def test_token_authentication(seeded):
    user = make_user("token-user", "add_topic", "add_claim")
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post(f"{API}/topics/", write_body("topic"), format="json").status_code == 201
    assert Topic.objects.filter(slug="new-topic").exists()


def test_token_without_permission_is_403(seeded):
    token = Token.objects.create(user=make_user("token-user"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert_problem(client.post(f"{API}/topics/", write_body("topic"), format="json"), 403)


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token ", "Token a b"])
def test_bad_token_is_401(seeded, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert_problem(client.post(f"{API}/topics/", write_body("topic"), format="json"), 401)
    assert not Topic.objects.filter(slug="new-topic").exists()


def test_session_writes_need_a_csrf_token(seeded):
    make_user("session-user", "add_topic", "add_claim", password=PASSWORD)
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="session-user", password=PASSWORD)
    body = assert_problem(client.post(f"{API}/topics/", write_body("topic"), format="json"), 403)
    assert "CSRF" in body["detail"]
    assert not Topic.objects.filter(slug="new-topic").exists()

    secret = "a" * 32  # a CSRF secret the middleware accepts from the cookie, echoed in the header
    client.cookies["csrftoken"] = secret
    response = client.post(f"{API}/topics/", write_body("topic"), format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content
    assert Topic.objects.filter(slug="new-topic").exists()


def test_session_login_with_force_login(seeded):
    client = APIClient()
    client.force_login(make_user("session-user", "add_topic", "add_claim"))
    assert client.post(f"{API}/topics/", write_body("topic"), format="json").status_code == 201


def test_reads_stay_public(seeded):
    client = APIClient()
    for url in (f"{API}/meetings/", f"{API}/claims/", f"{API}/meetings/nasa-roscosmos-2025-07/"):
        assert client.get(url).status_code == 200


# --- nested create: all or nothing --------------------------------------------------------------


def test_create_meeting_with_participants_and_claims(seeded):
    response = client_for("add_meeting", "add_claim").post(f"{API}/meetings/", meeting_body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "isaacman-bakanov-moscow-2026-03"
    assert data["url"].endswith("/api/v1/meetings/isaacman-bakanov-moscow-2026-03/")
    assert data["date"] == {"edtf": "2026-03", "earliest": "2026-03-01", "latest": "2026-03-31", "text": "March 2026"}
    assert data["place"]["slug"] == "moscow"
    assert [t["slug"] for t in data["topics"]] == ["iss-operations"]
    assert {(p["person"]["slug"], p["agency"]["slug"], p["tenure"]["id"]) for p in data["participants"]} == {
        ("jared-isaacman", "nasa", tenure_id("jared-isaacman-nasa-administrator")),
        ("dmitry-bakanov", "roscosmos", tenure_id("dmitry-bakanov-roscosmos-director-general")),
    }
    # The values no claim sent gives rest on claims made from the support.
    supported = {
        ("title", "Isaacman visits Moscow"),
        ("kind", "bilateral"),
        ("format", "in_person"),
        ("date", "2026-03"),
        ("place", "moscow"),
        ("topics", "iss-operations"),
    }
    assert {(c["field"], c["value"], c["source"]["slug"], c["locator"]) for c in data["claims"]} == {
        ("status", "proposed", S001, "11"),
        ("participants", "dmitry-bakanov,jared-isaacman", S001, "10-11"),  # normalised: sorted
        *((field, value, S001, "3") for field, value in supported),
    }
    assert [s["slug"] for s in data["sources"]] == [S001]

    meeting = Meeting.objects.get(slug="isaacman-bakanov-moscow-2026-03")
    assert (meeting.date_edtf, meeting.date_earliest.isoformat(), meeting.date_latest.isoformat()) == (
        "2026-03",
        "2026-03-01",
        "2026-03-31",
    )
    assert meeting.date_text == "March 2026"
    assert meeting.place.slug == "moscow"
    assert list(meeting.topics.values_list("slug", flat=True)) == ["iss-operations"]
    participants = meeting.participants.select_related("person", "tenure")
    assert {(p.person.slug, p.tenure.slug, p.role) for p in participants} == {
        ("jared-isaacman", "jared-isaacman-nasa-administrator", "NASA Administrator (guest)"),
        ("dmitry-bakanov", "dmitry-bakanov-roscosmos-director-general", "host"),
    }
    claims = Claim.objects.filter(meeting=meeting)
    # Each value the meeting holds rests on a preferred claim: the claim sent for it, or its support.
    assert {(c.subject_type, c.field, c.value, c.rank) for c in claims} == {
        ("meeting", "status", "proposed", "preferred"),
        ("meeting", "participants", "dmitry-bakanov,jared-isaacman", "preferred"),
        *(("meeting", field, value, "preferred") for field, value in supported),
    }
    # The detail shows the same, and the last held heads' meeting of the two agencies.
    detail = APIClient().get(data["url"]).json()
    assert detail["claims"] == data["claims"]
    assert detail["participants"] == data["participants"]
    assert detail["previous_meeting"]["slug"] == "nasa-roscosmos-2025-07"
    assert detail["previous_meeting"]["gap"] == {"min_days": 213, "max_days": 243}


def test_write_response_shows_the_previous_meeting_like_a_read(seeded):
    data = client_for("add_meeting", "add_claim").post(f"{API}/meetings/", meeting_body(), format="json").json()
    assert data["previous_meeting"] == APIClient().get(data["url"]).json()["previous_meeting"]
    assert data["previous_meeting"]["slug"] == "nasa-roscosmos-2025-07"


def assert_nothing_written(before, slug="isaacman-bakanov-moscow-2026-03"):
    assert not Meeting.objects.filter(slug=slug).exists()
    assert not Participant.objects.filter(meeting__slug=slug).exists()
    assert not Claim.objects.filter(meeting__slug=slug).exists()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"field": "nonsense"}, "field"),
        ({"locator": "999"}, "locator"),  # 001 has 31 paragraphs
        ({"value": "maybe"}, "value"),  # not a meeting status
    ],
)
def test_one_invalid_claim_writes_nothing(seeded, change, name):
    before = snapshot()
    body = meeting_body()
    body["claims"][1] = {**body["claims"][1], "field": "status", "value": "planned", **change}
    response = client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json")
    errors = assert_problem(response, 400, "claims")["errors"]["claims"]
    assert "claims" in response.json()["detail"]
    # claims[1].<name>, and nothing about the valid claims[0]
    assert errors[1][name]
    assert not errors[0]
    assert_nothing_written(before)


def test_invalid_claim_source_writes_nothing(seeded):
    before = snapshot()
    body = meeting_body()
    body["claims"][0]["source"] = "no-such-source"
    body_errors = assert_problem(
        client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json"), 400, "claims"
    )["errors"]
    assert "source" in str(body_errors["claims"])
    assert_nothing_written(before)


def test_participant_with_another_persons_tenure_writes_nothing(seeded):
    before = snapshot()
    body = meeting_body()
    body["participants"][1]["tenure"] = tenure_id("sean-duffy-nasa-acting-administrator")
    errors = assert_problem(
        client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json"), 400, "participants"
    )["errors"]["participants"]
    assert not errors[0]
    assert "Sean Duffy" in " ".join(errors[1]["tenure"])
    assert_nothing_written(before)


def test_participant_with_a_tenure_at_another_agency_writes_nothing(seeded):
    before = snapshot()
    body = meeting_body()
    body["participants"][0]["agency"] = "esa"
    errors = assert_problem(
        client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json"), 400, "participants"
    )["errors"]["participants"]
    assert errors[0]["tenure"]
    assert_nothing_written(before)


def test_same_person_twice_writes_nothing(seeded):
    before = snapshot()
    body = meeting_body()
    body["participants"][1] = {**body["participants"][0], "role": "again"}
    client = client_for("add_meeting", "add_claim")
    client.raise_request_exception = False
    response = client.post(f"{API}/meetings/", body, format="json")
    assert_problem(response, 400, "participants")
    assert_nothing_written(before)


@pytest.mark.parametrize("edtf", ["2026-13", "next spring", "2026-03-32", "2026/2025"])
def test_invalid_date_is_a_400_with_an_example(seeded, edtf):
    before = snapshot()
    body = meeting_body(date={"edtf": edtf, "text": "whenever"})
    errors = assert_problem(
        client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json"), 400, "date"
    )
    message = " ".join(errors["errors"]["date"])
    assert "2025-07-31" in message  # an example of a date that works
    assert_nothing_written(before)


@pytest.mark.parametrize("date", [{"text": "March"}, ["2026-03"], 20260301])
def test_date_of_the_wrong_shape_is_a_400(seeded, date):
    body = meeting_body(date=date)
    assert_problem(client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json"), 400, "date")


def test_meeting_format_defaults_to_unknown(seeded):
    client = client_for("add_meeting", "add_claim")
    body = {k: v for k, v in meeting_body().items() if k != "format"}
    response = client.post(f"{API}/meetings/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["format"] == "unknown"
    assert Meeting.objects.get(slug=body["slug"]).format == Meeting.Format.UNKNOWN


@pytest.mark.parametrize("format_", ["unknown", "virtual", "in_person"])
def test_meeting_format_accepts_each_choice(seeded, format_):
    response = client_for("add_meeting", "add_claim").post(
        f"{API}/meetings/", meeting_body(format=format_), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["format"] == format_


def test_meeting_format_outside_the_choices_is_a_400(seeded):
    before = snapshot()
    body = meeting_body(format="hybrid")
    assert_problem(client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json"), 400, "format")
    assert_nothing_written(before)


def test_patch_meeting_format_to_unknown(seeded):
    response = client_for("change_meeting").patch(
        f"{API}/meetings/nasa-roscosmos-2025-07/", {"format": "unknown"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["format"] == "unknown"
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").format == "unknown"


def test_duplicate_slug_is_a_400_naming_slug(seeded):
    before = snapshot()
    body = meeting_body(slug="nasa-roscosmos-2018-10")
    assert_problem(client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json"), 400, "slug")
    assert snapshot() == before
    assert Meeting.objects.get(slug="nasa-roscosmos-2018-10").title == "NASA and Roscosmos heads meet at Baikonur"


def test_unknown_related_slug_is_a_400(seeded):
    before = snapshot()
    client = client_for("add_meeting", "add_claim")
    assert_problem(client.post(f"{API}/meetings/", meeting_body(place="atlantis"), format="json"), 400, "place")
    assert_problem(client.post(f"{API}/meetings/", meeting_body(topics=["nope"]), format="json"), 400, "topics")
    assert_problem(client.post(f"{API}/meetings/", meeting_body(status="rumoured"), format="json"), 400, "status")
    assert_nothing_written(before)


# --- updates and deletes ------------------------------------------------------------------------


def test_patch_meeting_place(seeded):
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    participants = sorted(meeting.participants.values_list("person__slug", "tenure_id"))
    response = client_for("change_meeting").patch(
        f"{API}/meetings/nasa-roscosmos-2025-07/", {"place": "houston"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["place"]["slug"] == "houston"
    meeting.refresh_from_db()
    assert meeting.place.slug == "houston"
    # Nothing else changed.
    assert meeting.date_edtf == "2025-07-31"
    assert sorted(meeting.participants.values_list("person__slug", "tenure_id")) == participants
    assert meeting.claims.count() == Claim.objects.filter(meeting__slug="nasa-roscosmos-2025-07").count()


def test_patch_meeting_participants_replaces_them_atomically(seeded):
    client = client_for("change_meeting", "add_claim")
    url = f"{API}/meetings/nasa-roscosmos-2025-07/"
    bad = [{"person": "sean-duffy", "agency": "nasa", "tenure": tenure_id("jared-isaacman-nasa-administrator")}]
    body = {"participants": bad, "place": "moscow", "support": SUPPORT}
    assert_problem(client.patch(url, body, format="json"), 400, "participants")
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    assert sorted(meeting.participants.values_list("person__slug", flat=True)) == ["dmitry-bakanov", "sean-duffy"]
    assert meeting.place.slug == "kennedy-space-center"
    good = [{"person": "sean-duffy", "agency": "nasa", "role": "acting NASA Administrator"}]
    assert client.patch(url, {"participants": good, "support": SUPPORT}, format="json").status_code == 200
    assert list(meeting.participants.values_list("person__slug", flat=True)) == ["sean-duffy"]


def test_put_topic(seeded):
    body = {
        "slug": "space-debris",
        "name": "Orbital debris",
        "description": "Debris and collision risk.",
        "support": SUPPORT,
    }
    response = client_for("change_topic", "add_claim").put(f"{API}/topics/space-debris/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Orbital debris"
    topic = Topic.objects.get(slug="space-debris")
    assert (topic.name, topic.description) == ("Orbital debris", "Debris and collision risk.")


def test_put_topic_needs_every_required_field(seeded):
    response = client_for("change_topic").put(f"{API}/topics/space-debris/", {"slug": "space-debris"}, format="json")
    assert_problem(response, 400, "name")
    assert Topic.objects.get(slug="space-debris").name == "Space debris and safety"


def test_delete_topic(seeded):
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    assert meeting.topics.filter(slug="iss-deorbit").exists()
    response = client_for("delete_topic").delete(f"{API}/topics/iss-deorbit/")
    assert response.status_code == 204
    assert not response.content
    assert not Topic.objects.filter(slug="iss-deorbit").exists()
    assert_problem(APIClient().get(f"{API}/topics/iss-deorbit/"), 404)
    assert sorted(meeting.topics.values_list("slug", flat=True)) == ["cross-flights", "iss-extension", "iss-operations"]


def test_delete_person_still_referred_to_is_409(seeded):
    participants = Participant.objects.filter(person__slug="sean-duffy").count()
    assert participants
    body = assert_problem(client_for("delete_person").delete(f"{API}/people/sean-duffy/"), 409)
    assert "participant" in body["detail"].lower()
    assert Person.objects.filter(slug="sean-duffy").exists()
    assert Participant.objects.filter(person__slug="sean-duffy").count() == participants
    assert Tenure.objects.filter(person__slug="sean-duffy").count() == 2
    assert APIClient().get(f"{API}/people/sean-duffy/").status_code == 200


def test_delete_place_still_referred_to_is_409(seeded):
    assert_problem(client_for("delete_place").delete(f"{API}/places/baikonur-cosmodrome/"), 409)
    assert Place.objects.filter(slug="baikonur-cosmodrome").exists()


def test_delete_meeting_takes_its_participants_and_claims(seeded):
    claims = Claim.objects.count()
    own = Claim.objects.filter(meeting__slug="nasa-roscosmos-2025-07").count()
    assert own
    assert client_for("delete_meeting").delete(f"{API}/meetings/nasa-roscosmos-2025-07/").status_code == 204
    assert not Meeting.objects.filter(slug="nasa-roscosmos-2025-07").exists()
    assert not Participant.objects.filter(meeting__slug="nasa-roscosmos-2025-07").exists()
    assert Claim.objects.count() == claims - own
    assert Person.objects.filter(slug="sean-duffy").exists()


def test_delete_unknown_is_404(seeded):
    assert_problem(client_for("delete_topic").delete(f"{API}/topics/no-such-topic/"), 404)


# --- tenures and claims -------------------------------------------------------------------------


def test_tenure_certainly_overlapping_another_head_is_a_400(seeded):
    before = Tenure.objects.count()
    body = {
        "slug": "jim-bridenstine-nasa-administrator-2026",
        "person": "jim-bridenstine",
        "agency": "nasa",
        "title": "Administrator",
        "is_head": True,
        "start": {"edtf": "2026-03", "text": "March 2026"},
    }
    response = client_for("add_tenure").post(f"{API}/tenures/", body, format="json")
    errors = assert_problem(response, 400)["errors"]
    assert "Jared Isaacman" in str(errors)
    assert Tenure.objects.count() == before


def test_tenure_only_possibly_overlapping_is_accepted(seeded):
    # Bridenstine's and Nelson's tenures have no certain days, so a head in 2019 cannot clash with them.
    body = {
        "slug": "anil-menon-nasa-head-2019",
        "person": "anil-menon",
        "agency": "nasa",
        "title": "Administrator",
        "is_head": True,
        "start": {"edtf": "2019-01"},
        "end": {"edtf": "2019-06"},
        "support": SUPPORT,
    }
    reader = APIClient()
    heads_before = reader.get(f"{API}/agencies/nasa/heads/", {"on": "2019-03-15"}).json()["results"]
    assert {(h["person"]["slug"], h["certainty"]) for h in heads_before} == {
        ("jim-bridenstine", "possible"),
        ("bill-nelson", "possible"),
    }
    response = client_for("add_tenure", "add_claim").post(f"{API}/tenures/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["end"]["latest"] == "2019-06-30"
    assert Tenure.objects.get(pk=data["id"]).start_earliest.isoformat() == "2019-01-01"
    # The new head is certain in mid-March 2019, which rules out the merely possible ones.
    heads_after = reader.get(f"{API}/agencies/nasa/heads/", {"on": "2019-03-15"}).json()["results"]
    assert [(h["person"]["slug"], h["certainty"]) for h in heads_after] == [("anil-menon", "certain")]


def test_tenure_that_ends_before_it_starts_is_a_400(seeded):
    body = {
        "slug": "backwards",
        "person": "anil-menon",
        "agency": "nasa",
        "title": "Astronaut",
        "start": {"edtf": "2020"},
        "end": {"edtf": "2019"},
    }
    assert_problem(client_for("add_tenure").post(f"{API}/tenures/", body, format="json"), 400, "end")
    assert not Tenure.objects.filter(slug="backwards").exists()


def claim_body(**overrides):
    body = {
        "source": S003,
        "subject_type": "meeting",
        "subject": "nasa-roscosmos-2025-07",
        "field": "place",
        "value": "moscow",
        "rank": "normal",
        "locator": "2",
        "note": "Test claim.",
    }
    body.update(overrides)
    return body


def test_create_claim(seeded):
    response = client_for("add_claim").post(f"{API}/claims/", claim_body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["subject"]["slug"] == "nasa-roscosmos-2025-07"
    assert data["subject_type"] == "meeting"
    assert data["url"].endswith(f"/api/v1/claims/{data['id']}/")
    claim = Claim.objects.get(pk=data["id"])
    assert (claim.meeting.slug, claim.field, claim.value, claim.source.slug) == (
        "nasa-roscosmos-2025-07",
        "place",
        "moscow",
        S003,
    )
    # It shows on the record and among its conflicts.
    detail = APIClient().get(f"{API}/meetings/nasa-roscosmos-2025-07/").json()
    assert data["id"] in [c["id"] for c in detail["claims"]]
    assert S003 in [s["slug"] for s in detail["sources"]]


def test_create_claim_about_a_tenure_by_id(seeded):
    body = claim_body(
        source=S001,
        subject_type="tenure",
        subject=str(tenure_id("sean-duffy-nasa-acting-administrator")),
        field="title",
        value="Acting Administrator",
        locator="10",
    )
    response = client_for("add_claim").post(f"{API}/claims/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["subject"]["id"] == tenure_id("sean-duffy-nasa-acting-administrator")


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"subject": "no-such-meeting"}, "subject"),
        ({"subject_type": "planet"}, "subject_type"),
        ({"source": "no-such-source"}, "source"),
        ({"rank": "best"}, "rank"),
        ({"locator": "paragraph two"}, "locator"),
    ],
)
def test_create_claim_bad_input_is_a_400(seeded, change, name):
    before = Claim.objects.count()
    response = client_for("add_claim").post(f"{API}/claims/", claim_body(**change), format="json")
    assert_problem(response, 400, name)
    assert Claim.objects.count() == before


def test_create_claim_normalises_the_value(seeded):
    body = claim_body(field="participants", value="sean-duffy, dmitry-bakanov,jared-isaacman")
    response = client_for("add_claim").post(f"{API}/claims/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "dmitry-bakanov,jared-isaacman,sean-duffy"
    assert Claim.objects.get(pk=response.json()["id"]).value == "dmitry-bakanov,jared-isaacman,sean-duffy"


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"field": "participants", "value": "nobody,sean-duffy"}, "value"),
        ({"field": "place", "value": "atlantis"}, "value"),
        ({"field": "status", "value": "rumoured"}, "value"),
        ({"field": "date", "value": "next summer"}, "value"),
        ({"field": "nonsense", "value": "x"}, "field"),
        ({"locator": "999"}, "locator"),  # 003 has 8 paragraphs
    ],
)
def test_create_claim_with_a_bad_value_is_a_400(seeded, change, name):
    before = Claim.objects.count()
    response = client_for("add_claim").post(f"{API}/claims/", claim_body(**change), format="json")
    assert_problem(response, 400, name)
    assert Claim.objects.count() == before


def test_create_duplicate_claim_is_a_400(seeded):
    # 001 already places the meeting at Kennedy Space Center.
    before = Claim.objects.count()
    client = client_for("add_claim")
    client.raise_request_exception = False
    body = claim_body(source=S001, value="kennedy-space-center", locator="10")
    response = client.post(f"{API}/claims/", body, format="json")
    assert_problem(response, 400)
    assert "already" in str(response.json()["errors"])
    assert Claim.objects.count() == before


def test_created_date_claim_takes_part_in_conflicts(seeded):
    # Before: only 004's deprecated late-August dates disagree, so the meeting's date is not an open conflict.
    entries = APIClient().get(f"{API}/conflicts/", {"field": "date", "resolved": "false"}).json()["results"]
    assert "nasa-roscosmos-2025-07" not in [e["subject"]["slug"] for e in entries]
    body = claim_body(field="date", value="2025-09", locator="3")
    response = client_for("add_claim").post(f"{API}/claims/", body, format="json")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert (claim.value_earliest.isoformat(), claim.value_latest.isoformat()) == ("2025-09-01", "2025-09-30")
    # September 2025 cannot be 31 July 2025: the meeting's date becomes an open conflict.
    entries = APIClient().get(f"{API}/conflicts/", {"field": "date", "resolved": "false"}).json()["results"]
    assert "nasa-roscosmos-2025-07" in [e["subject"]["slug"] for e in entries]


def test_delete_claim(seeded):
    claim = Claim.objects.filter(meeting__slug="nasa-roscosmos-2025-07", field="place", value="houston").get()
    assert client_for("delete_claim").delete(f"{API}/claims/{claim.pk}/").status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert Source.objects.filter(slug="002_24c54badd1b53c27").exists()


# --- caching headers move with writes -----------------------------------------------------------


def test_writes_change_etag_and_last_modified(seeded):
    reader = APIClient()
    first = reader.get(f"{API}/topics/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    revision = DatasetRevision.objects.get().changed_at
    assert reader.get(f"{API}/topics/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    client = client_for("add_topic", "add_claim")
    assert client.post(f"{API}/topics/", write_body("topic"), format="json").status_code == 201

    second = reader.get(f"{API}/topics/")
    assert second["ETag"] != etag
    assert parse_http_date(second["Last-Modified"]) >= parse_http_date(last_modified)
    assert DatasetRevision.objects.get().changed_at > revision
    # The old validator no longer matches.
    assert reader.get(f"{API}/topics/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_patch_moves_the_dataset_revision(seeded):
    revision = DatasetRevision.objects.get().changed_at
    before = APIClient().get(f"{API}/meetings/nasa-roscosmos-2025-07/")["ETag"]
    response = client_for("change_meeting", "add_claim").patch(
        f"{API}/meetings/nasa-roscosmos-2025-07/", write_body("meeting-patch"), format="json"
    )
    assert response.status_code == 200, response.content
    assert DatasetRevision.objects.get().changed_at > revision
    assert APIClient().get(f"{API}/meetings/nasa-roscosmos-2025-07/")["ETag"] != before


def test_failed_write_leaves_caching_headers_alone(seeded):
    revision = DatasetRevision.objects.get().changed_at
    etag = APIClient().get(f"{API}/meetings/")["ETag"]
    body = copy.deepcopy(meeting_body())
    body["claims"][0]["field"] = "nonsense"
    assert client_for("add_meeting", "add_claim").post(f"{API}/meetings/", body, format="json").status_code == 400
    assert DatasetRevision.objects.get().changed_at == revision
    assert APIClient().get(f"{API}/meetings/")["ETag"] == etag


def test_claims_sent_with_a_meeting_need_the_claim_permission(seeded):
    client = client_for("add_meeting")
    assert_problem(client.post(f"{API}/meetings/", meeting_body(), format="json"), 403)
    assert not Meeting.objects.filter(slug=meeting_body()["slug"]).exists()
    # Support becomes claims too: it needs the same permission.
    without_claims = {k: v for k, v in meeting_body().items() if k != "claims"}
    assert_problem(client.post(f"{API}/meetings/", without_claims, format="json"), 403)
    # With neither, the values the meeting would hold rest on nothing.
    bare = {k: v for k, v in without_claims.items() if k != "support"}
    assert_problem(client.post(f"{API}/meetings/", bare, format="json"), 400, "title", "status", "participants")
    assert not Meeting.objects.filter(slug=meeting_body()["slug"]).exists()
    response = client_for("add_meeting", "add_claim", username="claimer").post(
        f"{API}/meetings/", without_claims, format="json"
    )
    assert response.status_code == 201, response.content


# --- what the API fuzzing found ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch"])
def test_editing_a_source_that_makes_preferred_claims_succeeds(seeded, method):
    # A source makes claims but is never their subject: an edit must not look at its claims as its own.
    source = Source.objects.get(slug=S001)
    assert Claim.objects.filter(source=source, rank=Claim.Rank.PREFERRED).exists()
    body = {"slug": S001, "title": "Retitled", "sha256": source.sha256}
    response = client_for("change_source").generic(
        method.upper(), f"{API}/sources/{S001}/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Source.objects.get(slug=S001).title == "Retitled"
    assert Claim.objects.filter(source=source, rank=Claim.Rank.PREFERRED).exists()


@pytest.mark.parametrize(
    ("url", "body", "name"),
    [
        (f"{API}/topics/", {"slug": "debris-2", "name": 0}, "name"),
        (f"{API}/topics/", {"slug": 7, "name": "Seven"}, "slug"),
        (f"{API}/places/", {"slug": "pole", "name": "Pole", "kind": "city", "latitude": "89.9"}, "latitude"),
        (f"{API}/places/", {"slug": "pole", "name": "Pole", "kind": "city", "longitude": True}, "longitude"),
        (f"{API}/agencies/", {"slug": "new-agency", "name": "New", "kind": "company", "short_name": 1.5}, "short_name"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_a_400_not_coerced(seeded, url, body, name):
    before = (Topic.objects.count(), Place.objects.count())
    response = client_for("add_topic", "add_place", "add_agency").post(url, body, format="json")
    assert_problem(response, 400, name)
    assert (Topic.objects.count(), Place.objects.count()) == before


def test_a_tenure_flag_must_be_a_json_boolean(seeded):
    pk = tenure_id("jared-isaacman-nasa-administrator")
    response = client_for("change_tenure").patch(f"{API}/tenures/{pk}/", {"is_acting": "false"}, format="json")
    assert_problem(response, 400, "is_acting")


def test_a_claim_subject_given_as_a_number_is_a_400(seeded):
    response = client_for("add_claim").post(f"{API}/claims/", claim_body(subject=5), format="json")
    assert_problem(response, 400, "subject")


def test_a_date_may_be_written_as_its_edtf_text_alone(seeded):
    response = client_for("change_meeting").patch(
        f"{API}/meetings/nasa-roscosmos-2025-07/", {"date": "2025-07-31"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["date"] == {
        "edtf": "2025-07-31",
        "earliest": "2025-07-31",
        "latest": "2025-07-31",
        "text": "",
    }


@pytest.mark.parametrize("topics", [{}, {"iss-operations": True}, "iss-operations"])
def test_topics_must_be_a_list(seeded, topics):
    response = client_for("change_meeting").patch(
        f"{API}/meetings/nasa-roscosmos-2025-07/", {"topics": topics}, format="json"
    )
    assert_problem(response, 400, "topics")
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").topics.exists()


@pytest.mark.parametrize(
    ("url", "name", "number", "slug"),
    [
        (f"{API}/launches/soyuz-ms-10/", "operator", 0, "0"),
        (f"{API}/meetings/nasa-roscosmos-2025-07/", "place", 0, "0"),
        (f"{API}/meetings/nasa-roscosmos-2025-07/", "topics", [0], ["0"]),
    ],
)
def test_a_related_record_named_by_a_number_is_a_400_even_where_that_slug_exists(seeded, url, name, number, slug):
    """A slug is a JSON string: 0 does not name the record whose slug is "0"."""
    Agency.objects.create(slug="0", name="Zero", kind=Agency.Kind.SPACE_AGENCY)
    Place.objects.create(slug="0", name="Zero", kind=Place.Kind.CITY)
    Topic.objects.create(slug="0", name="Zero")
    client = client_for("change_launch", "change_meeting", "add_claim")
    before = (snapshot(), Launch.objects.get(slug="soyuz-ms-10").operator_id)
    assert_problem(client.patch(url, {name: number, "support": SUPPORT}, format="json"), 400, name)
    assert (snapshot(), Launch.objects.get(slug="soyuz-ms-10").operator_id) == before
    response = client.patch(url, {name: slug, "support": SUPPORT}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "coordinates", [{"latitude": 55.75}, {"longitude": 37.62}, {"latitude": 55.75, "longitude": None}]
)
def test_a_place_given_one_coordinate_is_a_400_naming_both(seeded, coordinates):
    body = {"slug": "red-square", "name": "Red Square", "kind": "facility", **coordinates, "support": SUPPORT}
    response = client_for("add_place", "add_claim").post(f"{API}/places/", body, format="json")
    assert_problem(response, 400, "latitude", "longitude")
    assert not Place.objects.filter(slug="red-square").exists()


def test_a_place_s_coordinates_are_cleared_together(seeded):
    client = client_for("change_place", "add_claim")
    both = {"latitude": 55.75, "longitude": 37.62, "support": SUPPORT}
    assert client.patch(f"{API}/places/moscow/", both, format="json").status_code == 200
    assert client.patch(f"{API}/places/moscow/", {"latitude": 55.7}, format="json").status_code == 200  # one of two
    assert_problem(
        client.patch(f"{API}/places/moscow/", {"latitude": None}, format="json"), 400, "latitude", "longitude"
    )
    cleared = client.patch(f"{API}/places/moscow/", {"latitude": None, "longitude": None}, format="json")
    assert cleared.status_code == 200, cleared.content
    assert Place.objects.filter(slug="moscow").values_list("latitude", "longitude").get() == (None, None)
