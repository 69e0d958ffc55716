"""POST /sources/ with an article's text or file: the source is read from the text, and its candidate claims wait
for review; bad uploads are clear 4xx answers that write nothing."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.articles import UPLOAD_MAX_BYTES
from events.models import Candidate, Source
from tests.api.test_writes import API, assert_problem, client_for

pytestmark = pytest.mark.usefixtures("seeded")

# Written for the tests: a dated first line, a headline, and a sentence naming records the seed holds.
ARTICLE = (
    "12 March 2026\n"
    "A new round of talks in Moscow\n\n"
    "NASA Administrator Jared Isaacman met Roscosmos Director General Dmitry Bakanov in Moscow on 10 March 2026.\n"
    "The two men talked about the future of the International Space Station.\n"
)
UNDATED = "Talks without a date\nESA Director General Josef Aschbacher spoke about the Moon.\n"
HTML = (
    "<html><head><title>Talks</title></head><body><nav>Home | News</nav><article><h1>Talks in Moscow</h1>"
    "<p>12 March 2026</p><p>NASA Administrator Jared Isaacman met Roscosmos Director General Dmitry Bakanov in "
    "Moscow on 10 March 2026, where the two men talked at length about the International Space Station.</p>"
    "<p>They agreed to meet again later in the year, once the next crew has flown to the station.</p>"
    "</article><footer>Copyright</footer></body></html>"
)


@pytest.fixture
def curator():
    return client_for("add_source", "view_source", username="ingester")


def sources_count():
    return Source.objects.count(), Candidate.objects.count()


def test_a_pasted_article_becomes_a_source_read_from_its_text(curator):
    response = curator.post(f"{API}/sources/", {"text": ARTICLE, "outlet": "Test Wire"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert body["paragraphs"] == 4  # blank lines are not paragraphs
    assert body["published"]["edtf"] == "2026-03-12"
    assert (body["title"], body["outlet"], body["kind"]) == ("A new round of talks in Moscow", "Test Wire", "news")
    assert "text" not in body
    assert response["Location"].endswith(f"/sources/{body['slug']}/")
    candidates = Candidate.objects.filter(source__slug=body["slug"])
    found = set(candidates.values_list("subject_type", "subject_slug", "field", "locator"))
    assert ("person", "jared-isaacman", "name", "3") in found
    assert ("tenure", "dmitry-bakanov-roscosmos-director-general", "title", "3") in found
    assert all(c.sentence and c.status == "pending" for c in candidates)


def test_an_uploaded_text_file_is_the_same_as_the_pasted_text(curator):
    upload = SimpleUploadedFile("talks.txt", ARTICLE.encode(), content_type="text/plain")
    response = curator.post(f"{API}/sources/", {"file": upload, "outlet": "Test Wire"}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == hashlib.sha256(ARTICLE.encode()).hexdigest()


def test_an_html_file_gives_the_articles_text_without_the_pages_furniture(curator):
    upload = SimpleUploadedFile("talks.html", HTML.encode(), content_type="text/html")
    response = curator.post(f"{API}/sources/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["published"]["edtf"] == "2026-03-12"
    candidates = Candidate.objects.filter(source__slug=body["slug"])
    assert candidates.filter(subject_slug="jared-isaacman").exists()
    assert not candidates.filter(sentence__contains="Copyright").exists()


def test_a_text_that_states_no_date_needs_one(curator):
    before = sources_count()
    response = curator.post(f"{API}/sources/", {"text": UNDATED}, format="json")
    assert "no date" in assert_problem(response, 400, "published")["errors"]["published"][0]
    assert sources_count() == before
    response = curator.post(f"{API}/sources/", {"text": UNDATED, "published": "2026-04-01"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["published"]["edtf"] == "2026-04-01"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": UNDATED, "published": "2026-04"}, "published"),  # a month is not the day it was published
        ({"text": ARTICLE, "sha256": "0" * 64}, "sha256"),  # read from the text
        ({"text": ARTICLE, "paragraphs": 3}, "paragraphs"),
        ({"text": "  \n\n "}, "text"),
        ({"text": "a\x00b"}, None),  # refused by the parser: PostgreSQL cannot store it
        ({"text": "x" * 200_001}, "text"),
        ({"text": "a paragraph\n" * 501}, "text"),
        ({"title": "No text, no hash"}, "slug"),  # described field by field, as before: slug and sha256 needed
    ],
    ids=["month", "sha256", "paragraphs", "blank", "nul", "too-long", "too-many-paragraphs", "no-text"],
)
def test_bad_bodies_are_refused_and_write_nothing(curator, body, field):
    before = sources_count()
    response = curator.post(f"{API}/sources/", body, format="json")
    assert_problem(response, 400, *([field] if field else []))
    assert sources_count() == before


def test_the_same_text_twice_is_refused_naming_the_source(curator):
    first = curator.post(f"{API}/sources/", {"text": ARTICLE}, format="json").json()["slug"]
    before = sources_count()
    response = curator.post(f"{API}/sources/", {"text": ARTICLE}, format="json")
    assert first in assert_problem(response, 400, "text")["errors"]["text"][0]
    assert sources_count() == before


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("talks.pdf", b"%PDF-1.4", 400),
        ("talks.txt", b"\xff\xfe not utf-8 \xff", 400),
        ("talks.html", b"<html><body></body></html>", 400),
        ("talks.txt", b"x" * (UPLOAD_MAX_BYTES + 1), 413),
    ],
    ids=["pdf", "not-utf8", "empty-html", "too-big"],
)
def test_bad_files_are_refused_and_write_nothing(curator, name, content, status):
    before = sources_count()
    upload = SimpleUploadedFile(name, content)
    response = curator.post(f"{API}/sources/", {"file": upload}, format="multipart")
    assert_problem(response, status)
    assert sources_count() == before


def test_text_and_file_together_are_refused(curator):
    upload = SimpleUploadedFile("talks.txt", ARTICLE.encode())
    response = curator.post(f"{API}/sources/", {"file": upload, "text": ARTICLE}, format="multipart")
    assert_problem(response, 400, "file")


def test_only_a_curator_who_may_add_sources_can_ingest():
    before = sources_count()
    reader = client_for("view_source", username="reader")
    assert reader.post(f"{API}/sources/", {"text": ARTICLE}, format="json").status_code == 403
    assert sources_count() == before


def test_many_files_count_together_against_the_bound(curator):
    before = sources_count()
    files = {f"extra{n}": SimpleUploadedFile(f"f{n}.txt", b"x" * (UPLOAD_MAX_BYTES // 3)) for n in range(4)}
    response = curator.post(f"{API}/sources/", {"text": ARTICLE, **files}, format="multipart")
    assert "in all" in assert_problem(response, 413)["detail"]
    assert sources_count() == before
