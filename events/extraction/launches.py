"""Launches and crews: "the mission, X, will carry A, B and C to the ISS", "A flew with B on X in 2024",
"the next crewed X launch, scheduled for this summer from Y in Z", "X suffered an in-flight abort"."""

from __future__ import annotations

import re

from events.extraction.context import Context, Read
from events.extraction.found import Subject

CARRY = re.compile(r"\b(?:will carry|carries|carried|will fly|onboard|on board|aboard)\b", re.I)
FLEW_WITH = re.compile(r"\bflew with\b", re.I)
ABORT = re.compile(r"\b(?:in-flight abort|aborted)\b[^.]{0,60}\b(?:landed safely|crew (?:was |were )?safe)", re.I)
FAILED = re.compile(r"\b(?:exploded|failed|was lost)\b", re.I)
PLANNED = re.compile(r"\b(?:will|scheduled|planned|upcoming|next|set for|slated|poised)\b", re.I)
PAST = re.compile(r"\b(?:flew|launched|lifted off|took off|landed|suffered|after the|following the)\b", re.I)


def _launch_of(read: Read, previous: Read | None) -> str:
    launches = read.slugs("launch")
    if launches:
        return launches[0]
    if previous is not None and re.match(r"(?:That|This|The) (?:mission|launch|flight)\b", read.text):
        earlier = previous.slugs("launch")
        return earlier[-1] if earlier else ""
    return ""


def run(context: Context) -> None:
    previous = None
    for read in context.reads:
        launch = _launch_of(read, previous)
        if launch:
            subject = Subject("launch", launch)
            people = sorted(set(read.slugs("person")))
            if people and CARRY.search(read.text):
                context.emit(read, subject, "crew", ",".join(people), wording=read.text[:200], confidence=0.6)
            flew = FLEW_WITH.search(read.text)
            if flew and people:
                context.emit(read, subject, "crew", ",".join(people), wording=read.text[:200], confidence=0.5)
                context.emit(read, subject, "status", "launched", wording=flew.group(0), confidence=0.5)
                years = [d for d in read.dates if d.start > flew.start()]
                if years:
                    context.emit(read, subject, "date", years[0].edtf, wording=years[0].wording, confidence=0.5)
            if ABORT.search(read.text):
                context.emit(read, subject, "status", "aborted_crew_safe", wording=read.text[:200], confidence=0.6)
            for m in read.of_type("place"):
                before = read.text[max(0, m.start - 25) : m.start]
                record = context.gazetteer.get("place", m.slug)
                named = [x for x in read.of_type("launch") if x.end <= m.start]
                if named and named[-1].slug != launch and not re.search(r"\bto\s+(?:the\s+)?$", before):
                    continue  # the launch named nearest before the place is another; its site goes unsaid
                place = Subject("place", m.slug)
                if re.search(r"\bfrom\s+(?:the\s+)?$", before) and record and record.kind == "spaceport":
                    context.emit(read, subject, "site", m.slug, wording=m.text, confidence=0.6)
                    # A crewed launch lifts off from it: a spaceport.
                    context.emit(read, place, "kind", "spaceport", wording=before + m.text, confidence=0.4)
                if re.search(r"\bto\s+(?:the\s+)?$", before) and record and record.kind == "station":
                    context.emit(read, subject, "destination", m.slug, wording=m.text, confidence=0.6)
                    if "station" in m.text.lower():  # a crew flies to it, and its name says what it is
                        context.emit(read, place, "kind", "station", wording=m.text, confidence=0.4)
        previous = read
