"""What extraction hands over: the record a statement is about, and the statement itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.text import slugify

# The longest slug each subject type's model accepts (SlugField max_length).
SLUG_MAX_LENGTH = {"agency": 80, "person": 80, "place": 80, "topic": 80, "tenure": 120, "meeting": 120, "launch": 120}


@dataclass(frozen=True)
class Subject:
    type: str  # one of events.claimfields.SUBJECT_TYPES
    slug: str = ""  # a known record's slug, or
    name: str = ""  # for a proposed new record (slug ""), its proposed name or title


@dataclass(frozen=True)
class Found:
    subject: Subject
    field: str  # a key of CLAIM_FIELDS[subject.type]
    value: str  # canonical claim text (what Claim.value would hold)
    wording: str  # the source's own words for the value
    locator: str  # paragraph numbers: "7", "7,9", "6-7"
    sentence: str  # the sentence it rests on
    confidence: float  # 0..1


def proposed_slug(subject: Subject) -> str:
    """The slug a subject has or would get once created."""
    if subject.slug:
        return subject.slug
    return slugify(re.sub(r"[–—]", " ", subject.name))[: SLUG_MAX_LENGTH.get(subject.type, 80)].strip("-")


def subject_key(subject: Subject) -> tuple[str, str]:
    return subject.type, proposed_slug(subject)
