"""The change feed: every created, updated and deleted record, oldest first, resumed exactly after a cursor; and a
client that keeps a copy of the data through it."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.changes import FEED_TYPES, Cursor
from tests.api.test_writes import SUPPORT, client_for, meeting_body

API = "/api/v1"
pytestmark = pytest.mark.django_db
LISTS = {
    "agency": "agencies",
    "claim": "claims",
    "launch": "launches",
    "meeting": "meetings",
    "person": "people",
    "place": "places",
    "source": "sources",
    "tenure": "tenures",
    "topic": "topics",
}


def history_count():
    return sum(model.history.count() for model in FEED_TYPES.values())


def person_renamed() -> None:
    """A curator's edit of a person's name (with its support): one change to a record and a claim."""
    curator = client_for("change_person", "add_claim", username="renamer")
    body = {"name": "Anil K. Menon", "support": SUPPORT}
    response = curator.patch(f"{API}/people/anil-menon/", body, format="json")
    assert response.status_code == 200, response.content[:300]


def read_all(client, url):
    """Every change from `url` on, following `next` until a page comes back empty; and the URL to poll."""
    changes = []
    while True:
        body = client.get(url).json()
        changes += body["results"]
        if not body["results"]:
            return changes, body["next"]
        url = body["next"]


def test_following_next_lists_every_change_once_oldest_first(seeded):
    client = APIClient()
    changes, poll = read_all(client, f"{API}/changes/?page_size=37")
    assert len(changes) == history_count() > 400
    when = [dt.datetime.fromisoformat(c["when"]) for c in changes]
    assert when == sorted(when)
    assert {c["kind"] for c in changes} == {"created"}  # the seed is loaded, never changed
    assert {c["type"] for c in changes} == set(FEED_TYPES)
    assert len({(c["type"], c["key"]) for c in changes}) == len(changes)
    assert client.get(poll).json() == {"results": [], "next": poll}  # nothing new: the same place to poll


def test_a_poll_returns_exactly_the_changes_made_since(seeded):
    client, curator = APIClient(), client_for("add_topic", "delete_topic", "add_claim", username="c")
    _, poll = read_all(client, f"{API}/changes/?page_size=200")
    assert (
        curator.post(
            f"{API}/topics/", {"slug": "lunar-law", "name": "Lunar law", **{"support": SUPPORT}}, format="json"
        ).status_code
        == 201
    )
    assert curator.delete(f"{API}/topics/lunar-law/").status_code == 204
    body = client.get(poll).json()
    # The topic, the claim its support made, then the topic deleted and its claim with it.
    assert [(c["type"], c["kind"]) for c in body["results"]] == [
        ("topic", "created"),
        ("claim", "created"),
        ("topic", "deleted"),
        ("claim", "deleted"),
    ]
    tombstone = body["results"][2]
    assert tombstone["key"] == "lunar-law"  # a tombstone keeps its last slug
    assert tombstone["url"] == "http://testserver/api/v1/topics/lunar-law/"
    assert client.get(body["next"]).json()["results"] == []


def test_changes_made_in_the_same_instant_are_each_listed_once(seeded):
    """Ties on the time are broken by type and history id: a page boundary inside a tie loses nothing."""
    instant = timezone.now()
    for model in FEED_TYPES.values():  # every change made at once: each page boundary falls inside the tie
        model.history.update(history_date=instant)
    client = APIClient()
    changes, _ = read_all(client, f"{API}/changes/?page_size=7")
    assert len(changes) == history_count()
    keyed = [(c["type"], c["key"]) for c in changes]
    assert len(set(keyed)) == len(keyed)
    assert {dt.datetime.fromisoformat(c["when"]) for c in changes} == {instant}


def test_type_and_updated_since_narrow_the_feed(seeded):
    client = APIClient()
    places = client.get(f"{API}/changes/?type=place&type=topic&page_size=200").json()["results"]
    assert {c["type"] for c in places} == {"place", "topic"}
    later = timezone.now()
    person_renamed()
    since = client.get(f"{API}/changes/", {"updated_since": later.isoformat()}).json()["results"]
    assert ("person", "anil-menon", "updated") in {(c["type"], c["key"], c["kind"]) for c in since}
    assert all(dt.datetime.fromisoformat(c["when"]) >= later for c in since)
    people = client.get(f"{API}/people/", {"updated_since": later.isoformat()}).json()["results"]
    assert [p["slug"] for p in people] == ["anil-menon"]


def test_a_renamed_slug_says_what_it_was(seeded):
    client = APIClient()
    _, poll = read_all(client, f"{API}/changes/?page_size=200")
    curator = client_for("change_place", "add_claim", username="c")
    response = curator.patch(f"{API}/places/houston/", {"slug": "houston-tx", "support": SUPPORT}, format="json")
    assert response.status_code == 200, response.content
    (renamed,) = [c for c in client.get(poll).json()["results"] if c["type"] == "place"]
    assert (renamed["key"], renamed["previous_key"], renamed["kind"]) == ("houston-tx", "houston", "updated")


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("cursor=not-a-cursor", "cursor"),
        (f"cursor={Cursor(dt.datetime(2026, 1, 1), 'place', 1).token()}", "cursor"),  # no time zone: not ours
        (f"cursor={Cursor(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 'place', 2**63).token()}", "cursor"),  # no bigint
        ("type=meetings", "type"),
        ("updated_since=yesterday", "updated_since"),
        ("page_size=0", "page_size"),
        ("page=2", "page"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(seeded, query, name):
    response = APIClient().get(f"{API}/changes/?{query}")
    assert response.status_code == 400, response.content
    assert name in response.json()["errors"]


# --- a copy kept in sync -----------------------------------------------------------------------------------


def own(value):
    """A record as a copy keeps it: links reduced to the URL they point at. Left out: what follows from other records
    and changes with them, not with this one (its claims and their sources, which the copy holds as claims; a
    person's tenures, which it holds as tenures; the day a claim speaks for, the claim superseding it, the previous
    meeting)."""
    if isinstance(value, dict):
        if "url" in value and set(value) <= {"url", "slug", "id", "name", "reliability"} and len(value) > 1:
            return value["url"]
        return {k: own(v) for k, v in value.items() if k not in DERIVED}
    if isinstance(value, list):
        return [own(v) for v in value]
    return value


DERIVED = ("claims", "sources", "speaks_for", "superseded_by", "previous_meeting", "tenures")


class Mirror:
    """A client's copy, keyed by (type, key): each record as its URL gives it, fetched when the feed says it
    changed."""

    def __init__(self, client):
        self.client, self.records, self.next = client, {}, f"{API}/changes/?page_size=7"

    def sync(self):
        changes, self.next = read_all(self.client, self.next)
        for change in changes:
            kind, key = change["type"], change["key"]
            if change["previous_key"]:
                old_url = change["url"].replace(f"/{key}/", f"/{change['previous_key']}/")
                self.records.pop((kind, change["previous_key"]), None)
                self.records = {k: self._relinked(v, old_url, change["url"]) for k, v in self.records.items()}
            if change["kind"] == "deleted":
                self.records.pop((kind, key), None)
                continue
            response = self.client.get(change["url"])
            if response.status_code == 404:  # deleted since: its own entry follows
                continue
            self.records[kind, key] = own(response.json())
        return len(changes)

    def _relinked(self, value, old, new):
        if isinstance(value, dict):
            return {k: self._relinked(v, old, new) for k, v in value.items()}
        if isinstance(value, list):
            return [self._relinked(v, old, new) for v in value]
        return new if value == old else value


def server_records(client):
    """Every record as the lists give it (a list item is its record's detail, less what `own` leaves out)."""
    records = {}
    for kind, path in LISTS.items():
        url = f"{API}/{path}/?page_size=200"
        while url:
            body = client.get(url).json()
            for item in body["results"]:
                key = str(item["id"]) if kind in ("claim", "tenure") else item["slug"]
                records[kind, key] = own(item)
            url = body["next"]
    return records


def test_a_copy_kept_through_the_feed_ends_equal_to_the_server(seeded):
    reader = APIClient()
    mirror = Mirror(reader)
    assert mirror.sync() == history_count()
    curator = client_for(
        *(f"{action}_{model}" for action in ("add", "change", "delete") for model in FEED_TYPES),
        "add_participant",
        username="curator",
    )
    rounds = [
        lambda: curator.post(
            f"{API}/topics/", {"slug": "lunar-law", "name": "Lunar law", "support": SUPPORT}, format="json"
        ),
        lambda: curator.post(f"{API}/meetings/", meeting_body(topics=["lunar-law"]), format="json"),
        lambda: curator.patch(
            f"{API}/people/anil-menon/", {"name": "Anil K. Menon", "support": SUPPORT}, format="json"
        ),
        lambda: curator.patch(f"{API}/places/moscow/", {"slug": "moskva", "support": SUPPORT}, format="json"),
        lambda: curator.patch(
            f"{API}/meetings/isaacman-bakanov-moscow-2026-03/", {"status": "planned", "support": SUPPORT}, format="json"
        ),
        lambda: curator.post(f"{API}/topics/", {"slug": "debris", "name": "Debris", "support": SUPPORT}, format="json"),
        lambda: curator.delete(f"{API}/topics/debris/"),
        lambda: curator.delete(f"{API}/meetings/isaacman-bakanov-moscow-2026-03/"),
    ]
    for number, write in enumerate(rounds):
        response = write()
        assert response.status_code in (200, 201, 204), response.content[:500]
        if number % 3 == 2:
            mirror.sync()  # polls now and then, so some changes arrive together and some alone
    mirror.sync()
    server = server_records(reader)
    assert set(mirror.records) == set(server)
    for key, record in server.items():
        assert mirror.records[key] == record, key


FAR_EAST = dt.timezone(dt.timedelta(hours=23))


@pytest.mark.parametrize(
    "url",
    [
        "topics/?updated_since=0999-05-01T04:53:00.9%2B18:21",  # offsets past what a database takes
        "sources/?updated_since=0952-12-03T23:56:28-16:52",
        "changes/?updated_since=1636-10-07T01:46:16%2B21:02",
        f"changes/?cursor={Cursor(dt.datetime(2026, 1, 1, tzinfo=FAR_EAST), 'place', 1).token()}",
    ],
)
def test_a_moment_with_any_offset_iso_8601_allows_is_read_in_utc(seeded, url):
    response = APIClient().get(f"{API}/{url}")
    assert response.status_code == 200, response.content[:300]


def test_a_moment_moved_past_the_calendar_by_its_offset_is_a_400(seeded):
    response = APIClient().get(f"{API}/topics/?updated_since=0001-01-01T00:00:00%2B05:00")
    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]
