"""`ingest_source FILE`: an article added from a terminal, its candidates printed (as JSON with --format json)."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.models import Candidate, Source
from tests.api.test_ingest_api import ARTICLE, UNDATED

pytestmark = pytest.mark.usefixtures("seeded")


def ingest(*args):
    out = io.StringIO()
    call_command("ingest_source", *args, stdout=out)
    return out.getvalue()


def test_json_lists_each_candidate_with_its_subject_locator_sentence_and_confidence(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text(ARTICLE)
    report = json.loads(ingest(str(path), "--format", "json", "--outlet", "Test Wire"))
    source = Source.objects.get(slug=report["source"])
    assert (source.sha256, source.outlet, report["published"]) == (
        hashlib.sha256(ARTICLE.encode()).hexdigest(),
        "Test Wire",
        "2026-03-12",
    )
    assert len(report["candidates"]) == Candidate.objects.filter(source=source).count() > 0
    isaacman = next(c for c in report["candidates"] if c["subject"] == {"type": "person", "slug": "jared-isaacman"})
    assert isaacman["field"] == "name"
    assert isaacman["value"] == "Jared Isaacman"
    assert isaacman["locator"] == "3"
    assert "Jared Isaacman" in isaacman["sentence"]
    assert 0 < isaacman["confidence"] <= 1
    assert isaacman["relation"] == "agrees"


def test_text_output_and_a_given_date(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(UNDATED)
    with pytest.raises(CommandError, match="no date of its own"):
        ingest(str(path))
    out = ingest(str(path), "--date", "2026-04-01")
    assert "published 2026-04-01" in out
    assert "candidate claims, waiting for review" in out


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("missing.txt", [], "Cannot read"),
        ("talks.pdf", [], "Upload a .txt or .html file"),
        ("talks.txt", ["--date", "April"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path, name, args, message):
    path = tmp_path / name
    if name != "missing.txt":
        path.write_text(ARTICLE)
    before = Source.objects.count()
    with pytest.raises(CommandError, match=message):
        ingest(str(path), *args)
    assert Source.objects.count() == before
