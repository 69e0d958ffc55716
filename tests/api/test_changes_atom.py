"""The change feed as Atom: read back by feedparser and checked for the elements RFC 4287 requires."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from rest_framework.test import APIClient

from events.api.atom import LATEST
from tests.api.test_changes import person_renamed

URL = "/api/v1/changes.atom"
ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def assert_valid_atom(content: bytes):
    """RFC 4287: a feed has an id, a title and an updated time; so does each entry, with a link (no content)."""
    feed = ET.fromstring(content)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for name in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{name}") or "").strip(), (element.tag, name)
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/api/v1/")
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))


def test_the_feed_lists_the_latest_changes_newest_first(seeded):
    client = APIClient()
    person_renamed()
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert_valid_atom(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "spacediplo: changes"
    assert len(feed.entries) == LATEST
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    titles = [entry.title for entry in feed.entries[:3]]
    assert "person anil-menon updated" in titles  # the newest changes: the edit and its claim
    (edit,) = [e for e in feed.entries if e.title == "person anil-menon updated"]
    assert edit.link == "http://testserver/api/v1/people/anil-menon/"


def test_type_narrows_the_feed_and_anything_else_is_a_400(seeded):
    client = APIClient()
    feed = feedparser.parse(client.get(f"{URL}?type=place&type=topic").content)
    assert feed.entries
    assert {entry.title.split()[0] for entry in feed.entries} <= {"place", "topic"}
    for query in ("type=planet", "page=2"):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/problem+json")
