"""Meetings: "X met Y at Z on D", "will meet", "invited ... to", "talks ... will focus on ...". A sentence that
speaks of a meeting is matched to a known meeting by who takes part, when, where and around which launch; its
words give the status, date, place, format, related launch and topics. A sentence that names no one carries on
the meeting the article spoke of last (an agenda paragraph after the announcement)."""

from __future__ import annotations

import re
from collections import defaultdict

from events.extraction.context import Context, Read
from events.extraction.found import Subject
from events.extraction.posts import nearest_date, usable_dates

CUE = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|discussions?|summit|sit down|visit|visits|tour|attend|attending|"
    r"invited|news conference|press conference|dialogue|engagement)\b",
    re.I,
)
HELD = re.compile(r"\b(?:met|took place|was held|were held|featured|sat down|visited|attended)\b", re.I)
CANCELLED = re.compile(r"\b(?:did not take place|was cancelled|was canceled|called off|never took place)\b", re.I)
PROPOSED = re.compile(r"\b(?:invited|proposed|potential|possible|may|could|might|suggested|offered)\b", re.I)
PLANNED = re.compile(
    r"\b(?:will|to meet|to hold|scheduled|set for|set to|planned|planning|plans|upcoming|preparing|is to|are to|"
    r"expected|slated|anticipated|to engage|interested in meeting|making preparations)\b",
    re.I,
)
IN_PERSON = re.compile(
    r"\b(?:face[- ]to[- ]face|in[- ]person|traveled|travelled|visit|tour|met\b[^.]{0,40}\bat\b)", re.I
)
VIRTUAL = re.compile(r"\b(?:video ?call|videoconference|virtual|phone call|by phone|online)\b", re.I)
LAUNCH_RELATION = [
    ("before", re.compile(r"\b(?:before|ahead of|prior to|on the eve of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)),
    ("after", re.compile(r"\b(?:after|following)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)),
    (
        "same_day",
        re.compile(
            r"\b(?:attend(?:ed|ing)?|watch(?:ed)?|at|during)\s+(?:the\s+)?(?:launch\s+of\s+)?(?:[\w-]+\s+){0,2}$", re.I
        ),
    ),
]
AROUND = re.compile(r"\b(?:around|about) the time of\s+(?:the\s+)?$", re.I)
AGENT = re.compile(r"\bby\s+(?:\w+\s+){0,2}$", re.I)


def status_of(text: str, tense: str) -> str:
    if CANCELLED.search(text):
        return "cancelled"
    if re.search(r"\binvited\b", text, re.I):
        return "proposed"
    if HELD.search(text) and tense != "future":
        return "held"
    if PLANNED.search(text):
        return "planned"
    if PROPOSED.search(text):
        return "proposed"
    return "held" if tense == "past" else ""


def people_in(read: Read) -> list[str]:
    """Who takes part: the people named (not one who acts on the others, "named by President X") and the heads
    the sentence means without naming them."""
    people = []
    for m in read.of_type("person"):
        if AGENT.search(read.text[max(0, m.start - 30) : m.start]):
            continue
        if m.slug not in people:
            people.append(m.slug)
    if not people:  # "the heads of NASA and Roscosmos" stand for people only where none is named
        for _, _, person, _ in read.heads:
            if person not in people:
                people.append(person)
    return people


FIRST_SINCE = re.compile(r"\bfirst\b[^.]{0,80}?\bsince\s+(?P<y>(?:19|20)\d\d)\b", re.I)


def lineup(context: Context, record) -> set[str]:
    """The agencies a meeting's participants held posts at."""
    return {p.agency for p in context.gazetteer.posts if p.person in record.participants}


def first_since(context: Context, read: Read, agencies: list[str]):
    """ "The first meeting since 2018" of these agencies: the earliest known one after that year."""
    m = FIRST_SINCE.search(read.text)
    if not m or len(agencies) < 2:
        return None
    year = int(m.group("y"))
    later = [
        r
        for r in context.gazetteer.of_type("meeting")
        if r.earliest and r.earliest.year > year and set(agencies) <= lineup(context, r)
    ]
    return min(later, key=lambda r: (r.earliest, r.slug)).slug if later else None


def score(context: Context, record, people: list[str], date, places: list[str], launches: list[str], agencies) -> float:
    s = 0.0
    if len(agencies) >= 2 and set(agencies) <= lineup(context, record):
        s += 0.75
    if people and record.participants:
        common = set(people) & set(record.participants)
        s += 2 * len(common) / len(set(people) | set(record.participants))
    if date is not None and date.earliest and record.earliest and record.latest:
        overlaps = date.earliest <= record.latest and record.earliest <= date.latest
        s += 1 if overlaps else -0.5
    if record.place and record.place in places:
        s += 1
    if record.related_launch and record.related_launch in launches:
        s += 0.5
    return s


def run(context: Context) -> None:  # noqa: C901  (one pass, several facts per sentence)
    current = None
    topics: dict[str, set[str]] = defaultdict(set)
    topic_reads: dict[str, Read] = {}
    for read in context.reads:
        if not CUE.search(read.text):
            if current and read.topics and re.search(r"\b(?:discuss|focus|agenda|cover|include)", read.text, re.I):
                topics[current] |= read.topics
                topic_reads.setdefault(current, read)
            continue
        people = people_in(read)
        named = read.of_type("person")
        date = nearest_date(read, named[0].start) if named else (usable_dates(read) or [None])[0]
        agencies = read.slugs("agency")
        first = first_since(context, read, agencies)
        places = [m.slug for m in read.of_type("place") if _meeting_place(context, m.slug)]
        launches = read.slugs("launch")
        best, best_score = None, 1.5
        for record in context.gazetteer.of_type("meeting"):
            s = score(context, record, people, date, places, launches, agencies) + (2.5 if record.slug == first else 0)
            if s > best_score:
                best, best_score = record, s
        if best is None:
            if people or not current:
                continue
            best = context.gazetteer.get("meeting", current)
        current = best.slug
        subject = Subject("meeting", best.slug)
        emit = context.emit
        confidence = min(0.9, 0.3 + best_score / 5)
        if people:
            emit(
                read, subject, "participants", ",".join(sorted(people)), wording=read.text[:200], confidence=confidence
            )
        status = status_of(read.text, read.tense)
        if status:
            emit(read, subject, "status", status, wording=read.text[:200], confidence=confidence * 0.8)
        if date is not None:
            emit(read, subject, "date", date.edtf, wording=date.wording, confidence=confidence * 0.8)
        for place in places[:2]:
            emit(read, subject, "place", place, wording=place, confidence=confidence * 0.8)
        if VIRTUAL.search(read.text):
            emit(read, subject, "format", "virtual", wording=read.text[:200], confidence=0.5)
        elif IN_PERSON.search(read.text):
            emit(read, subject, "format", "in_person", wording=read.text[:200], confidence=0.5)
        for m in read.of_type("launch"):
            before = read.text[max(0, m.start - 40) : m.start]
            relation = next((name for name, pattern in LAUNCH_RELATION if pattern.search(before)), "")
            if relation or AROUND.search(before):
                emit(read, subject, "related_launch", m.slug, wording=m.text, confidence=confidence * 0.8)
            if relation:
                emit(read, subject, "launch_relation", relation, wording=before.strip(), confidence=confidence * 0.7)
        if read.topics:
            topics[best.slug] |= read.topics
            topic_reads.setdefault(best.slug, read)
    for slug, found in topics.items():
        context.emit(
            topic_reads[slug], Subject("meeting", slug), "topics", ",".join(sorted(found)), wording="", confidence=0.4
        )


def _meeting_place(context: Context, slug: str) -> bool:
    """A place a meeting can be at: not a space station."""
    record = context.gazetteer.get("place", slug)
    return record is not None and record.kind != "station"
