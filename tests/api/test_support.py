"""Through the API every value a write sets rests on a claim: one already standing, or one made from `support`."""

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone
from rest_framework.test import APIClient

from events.integrity import unsupported_record_values
from events.models import Claim, Meeting, Source

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
S001 = "001_c34876a6c97edda2"  # 31 paragraphs
S003 = "003_007efc6446bec603"  # 8 paragraphs
TALKS = "nasa-roscosmos-2025-07"  # held (001, preferred); planned (002, 003, 004); at Kennedy (001 alone)
URL = f"{API}/meetings/{TALKS}/"


def make_user(username, *codenames):
    user = User.objects.create_user(username)  # no password: no slow hashing
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # no stale permission cache


@pytest.fixture(scope="module")
def users(_seed_module, django_db_blocker):
    """The module's users, made once beside the seed data and rolled back with it."""
    with django_db_blocker.unblock():
        return {
            "curator": make_user(
                "support-curator", "change_meeting", "add_topic", "add_claim", "change_claim", "delete_claim"
            ),
            "editor": make_user("support-editor", "change_meeting"),  # may not add claims
        }


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def curator(seeded, users):
    return client_for(users["curator"])


@pytest.fixture
def editor(seeded, users):
    return client_for(users["editor"])


def assert_problem(response, status, *names):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == status
    for name in names:
        assert name in body["errors"], body
    return body


def talks():
    return Meeting.objects.get(slug=TALKS)


def claims_of(field):
    """The meeting's claims about `field`, as (source, value, rank, locator)."""
    rows = Claim.objects.filter(meeting__slug=TALKS, field=field)
    return sorted(rows.values_list("source__slug", "value", "rank", "locator"))


def snapshot():
    meeting = talks()
    return (meeting.status, meeting.place.slug, meeting.title, claims_of("status"), Claim.objects.count())


def unsupported_findings(meeting):
    return [f for f in unsupported_record_values() if (f.model, f.pk) == ("events.meeting", meeting.pk)]


# --- a value no claim gives ------------------------------------------------------------------------


def test_the_seed_meeting_rests_on_its_claims(seeded):
    assert talks().status == "held"
    assert unsupported_findings(talks()) == []


def test_a_value_no_claim_gives_without_support_is_a_400_and_writes_nothing(seeded, curator):
    before = snapshot()
    body = assert_problem(curator.patch(URL, {"status": "postponed"}, format="json"), 400, "status")
    assert "support" in " ".join(body["errors"]["status"])
    assert "status" in body["detail"]
    assert snapshot() == before


def test_each_unsupported_field_is_named(seeded, curator):
    before = snapshot()
    change = {"status": "postponed", "place": "moscow", "title": "Talks at Kennedy"}
    errors = assert_problem(curator.patch(URL, change, format="json"), 400, "status", "place", "title")["errors"]
    assert set(errors) == {"status", "place", "title"}
    assert snapshot() == before


def test_a_value_only_deprecated_claims_give_needs_support(seeded, curator):
    # 004 put the talks in Vienna, a claim judged wrong: it supports nothing.
    assert ("004_404598c61fc80e23", "vienna", "deprecated") in [c[:3] for c in claims_of("place")]
    before = snapshot()
    assert_problem(curator.patch(URL, {"place": "vienna"}, format="json"), 400, "place")
    assert snapshot() == before


def test_support_from_a_source_becomes_the_preferred_claim(seeded, curator):
    support = {"source": S003, "locator": "4", "note": "Read as a postponement."}
    response = curator.patch(URL, {"status": "postponed", "support": support}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "postponed"
    assert "support" not in response.json()  # write-only
    assert talks().status == "postponed"
    assert claims_of("status") == [
        (S001, "held", "normal", "10,12"),  # was preferred
        ("002_24c54badd1b53c27", "planned", "normal", "12"),
        (S003, "planned", "normal", "4"),
        (S003, "postponed", "preferred", "4"),
        ("004_404598c61fc80e23", "planned", "normal", "14"),
    ]
    claim = Claim.objects.get(meeting__slug=TALKS, field="status", value="postponed")
    assert claim.note == "Read as a postponement."
    assert claim.pk in [c["id"] for c in response.json()["claims"]]
    assert unsupported_findings(talks()) == []


def test_support_with_only_a_note_is_the_writers_own_judgement(seeded, curator, users):
    support = {"note": "The agencies' calendars say so."}
    response = curator.patch(URL, {"status": "postponed", "support": support}, format="json")
    assert response.status_code == 200, response.content
    claim = Claim.objects.select_related("source").get(meeting__slug=TALKS, field="status", value="postponed")
    assert claim.source.kind == Source.Kind.JUDGEMENT
    assert claim.source.curator == users["curator"]
    assert (claim.rank, claim.locator, claim.note) == ("preferred", "", "The agencies' calendars say so.")
    assert claim.as_of == timezone.localdate()  # a judgement speaks for the day it is made
    assert Claim.objects.get(meeting__slug=TALKS, field="status", value="held").rank == "normal"
    assert unsupported_findings(talks()) == []

    # The curator's next judgement comes from the same source.
    response = curator.patch(URL, {"title": "Talks put off", "support": {"note": "Renamed."}}, format="json")
    assert response.status_code == 200, response.content
    title = Claim.objects.get(meeting__slug=TALKS, field="title", value="Talks put off")
    assert title.source == claim.source
    assert Source.objects.filter(curator=users["curator"]).count() == 1


def test_a_new_record_rests_on_its_support(seeded, curator):
    body = {"slug": "space-law", "name": "Space law", "support": {"source": S001, "locator": "3"}}
    response = curator.post(f"{API}/topics/", body, format="json")
    assert response.status_code == 201, response.content
    claims = Claim.objects.filter(topic__slug="space-law")
    assert list(claims.values_list("source__slug", "field", "value", "rank", "locator")) == [
        (S001, "name", "Space law", "preferred", "3")
    ]


@pytest.mark.parametrize("support", [{}, {"note": "   "}, {"locator": "4"}])
def test_support_naming_neither_a_source_nor_a_note_is_a_400(seeded, curator, support):
    before = snapshot()
    response = curator.patch(URL, {"status": "postponed", "support": support}, format="json")
    errors = assert_problem(response, 400, "support")["errors"]
    assert "note" in errors["support"]
    assert snapshot() == before


def test_support_whose_locator_the_source_has_not_is_a_400(seeded, curator):
    before = snapshot()
    response = curator.patch(URL, {"status": "postponed", "support": {"source": S003, "locator": "9"}}, format="json")
    errors = assert_problem(response, 400, "support")["errors"]
    assert "locator" in " ".join(errors["support"])
    assert snapshot() == before


def test_support_needs_the_claim_permission(seeded, editor):
    before = snapshot()
    response = editor.patch(URL, {"status": "postponed", "support": {"source": S003, "locator": "4"}}, format="json")
    assert_problem(response, 403)
    assert snapshot() == before


# --- a value a standing claim gives -----------------------------------------------------------------


def test_a_value_a_standing_claim_gives_needs_no_support_and_that_claim_becomes_preferred(seeded, editor):
    count = Claim.objects.count()
    response = editor.patch(URL, {"status": "planned"}, format="json")  # no claim permission needed: no new claim
    assert response.status_code == 200, response.content
    assert talks().status == "planned"
    assert Claim.objects.count() == count
    ranks = [(value, rank) for _, value, rank, _ in claims_of("status")]
    assert sorted(ranks) == [("held", "normal"), ("planned", "normal"), ("planned", "normal"), ("planned", "preferred")]
    assert unsupported_findings(talks()) == []


def test_a_write_that_leaves_the_values_alone_needs_no_support(seeded, editor):
    before = snapshot()
    response = editor.patch(URL, {"status": "held", "place": "kennedy-space-center"}, format="json")
    assert response.status_code == 200, response.content
    assert snapshot() == before


# --- taking a claim away ----------------------------------------------------------------------------


def test_deleting_the_only_claim_that_gives_the_current_value_is_a_409(seeded, curator):
    claim = Claim.objects.get(meeting__slug=TALKS, field="place", value="kennedy-space-center")
    before = snapshot()
    body = assert_problem(curator.delete(f"{API}/claims/{claim.pk}/"), 409)
    assert "only claim" in body["detail"]
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert snapshot() == before


@pytest.mark.parametrize("change", [{"rank": "deprecated", "note": "Judged wrong."}, {"value": "moscow"}])
def test_editing_away_the_only_claim_that_gives_the_current_value_is_a_400(seeded, curator, change):
    claim = Claim.objects.get(meeting__slug=TALKS, field="place", value="kennedy-space-center")
    before = snapshot()
    body = assert_problem(curator.patch(f"{API}/claims/{claim.pk}/", change, format="json"), 400)
    assert "only claim" in " ".join(body["errors"]["non_field_errors"])
    assert snapshot() == before
    assert unsupported_findings(talks()) == []


def test_a_claim_may_be_deleted_while_another_gives_the_value(seeded, curator):
    formats = Claim.objects.filter(meeting__slug=TALKS, field="format", value="in_person")
    assert formats.count() > 1
    claim = formats.get(source__slug=S001)
    assert curator.delete(f"{API}/claims/{claim.pk}/").status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert unsupported_findings(talks()) == []


def test_once_the_value_has_moved_on_its_old_claim_may_be_deleted(seeded, curator):
    claim = Claim.objects.get(meeting__slug=TALKS, field="place", value="kennedy-space-center")
    support = {"source": S003, "locator": "4"}
    assert curator.patch(URL, {"place": "moscow", "support": support}, format="json").status_code == 200
    assert curator.delete(f"{API}/claims/{claim.pk}/").status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert unsupported_findings(talks()) == []
