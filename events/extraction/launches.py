"""Launches and crews: "the mission, X, will carry A, B and C to the ISS", "A flew with B on X in 2024",
"the next crewed X launch, scheduled for this summer from Y in Z", "X suffered an in-flight abort".

Also what a sentence says of a launch in passing: its operator ("SpaceX's X", "R continues to operate Soyuz
launches"), whether it is to come ("the upcoming X", "the planned launch of X") or done (an event "after the X
launch" told in the past tense, "by the time of the X launch, ... had"), and its date ("the X launch on Feb. 13",
"in October 2018, when ... the launch of X", "about the time of the X launch"). A launch the
article treats as done (or to come) and dates nowhere is bounded by the article's own date."""

from __future__ import annotations

import re

from events.extraction.context import Context, Read
from events.extraction.dates import tense
from events.extraction.found import Subject
from events.extraction.mentions import Mention

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


# "the next crewed Soyuz launch", "an upcoming Soyuz flight": the first known launch of that rocket still to come.
NEXT_OF = r"\b(?:the|an?)\s+(?P<which>next|upcoming|coming|forthcoming)\s+(?:(?:crewed|manned|uncrewed|cargo)\s+)?"
UPCOMING = re.compile(
    r"\b(?:upcoming|planned|forthcoming|scheduled|next)\s+(?:launch\s+of\s+)?(?:the\s+)?(?:[A-Z][\w-]*['’]s\s+)?"
    r"(?:[A-Z][\w-]*\s+)?$"
)
RELATION = re.compile(
    r"\b(?P<rel>after|following|before|ahead of|prior to|by the time of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I
)
OPERATES = (
    r"\s+(?:[a-z]+\s+){0,3}?(?:operates?|operating|runs?|running|flies|fly)\s+(?:the\s+)?(?P<v>VEHICLES)\s+"
    r"(?:launch|rocket|flight|mission)"
)
KNOWN_FOR = re.compile(
    r"^,?\s+(?:who\s+is\s+)?(?:best\s+)?known\s+for\s+(?:leading|commanding|flying|piloting)\b[^.;]{0,90}$"
)
DATE_AFTER = re.compile(
    r"^(?:\s+(?:launch|mission|flight))?(?:\s+to\s+(?:the\s+)?[^,.;]{0,40}?)?,?\s+(?:(?:scheduled|set|slated|planned|due)\s+)?"
    r"(?:on|in|for)\s+$"
)
DATE_BEFORE = re.compile(
    r"^,?\s+(?:when\b[^.;]{0,80}?|(?:around|about|at) the time of\s+(?:the\s+)?(?:launch\s+of\s+)?)$"
)


def descriptive(context: Context, read: Read) -> None:
    """Launches a sentence means without naming them: "the next crewed Soyuz launch" (as seen on its date)."""
    vehicles = sorted({r.vehicle for r in context.gazetteer.of_type("launch") if r.vehicle}, key=len, reverse=True)
    if not vehicles:
        return
    pattern = re.compile(NEXT_OF + rf"(?P<v>{'|'.join(map(re.escape, vehicles))})\s+(?:launch|mission|flight)\b")
    day = read.dates[0].earliest if read.dates and read.dates[0].earliest else context.published
    for m in pattern.finditer(read.text):
        if any(m.start() < x.end and x.start < m.end() for x in read.of_type("launch")):
            continue
        to_come = [
            r
            for r in context.gazetteer.of_type("launch")
            if r.vehicle == m.group("v") and (r.latest or r.earliest) and (r.latest or r.earliest) >= day
        ]
        if to_come:
            first = min(to_come, key=lambda r: (r.earliest or r.latest, r.slug))
            start = m.start("which")
            read.mentions.append(Mention(start, m.end(), read.text[start : m.end()], "launch", first.slug, "described"))
            read.mentions.sort(key=lambda x: x.start)


def in_passing(context: Context, read: Read, state: dict) -> None:
    """What a sentence says of each launch it names, whatever it is about: operator, status, date."""
    for m in read.of_type("launch"):
        subject = Subject("launch", m.slug)
        before = read.text[max(0, m.start - 60) : m.start]
        for agency in read.of_type("agency"):
            between = read.text[agency.end : m.start]
            record = context.gazetteer.get("agency", agency.slug)
            if (
                m.how != "spacecraft"
                and record
                and record.kind == "company"
                and re.fullmatch(r"(?:['’]s)?\s+", between)
            ):
                context.emit(
                    read, subject, "operator", agency.slug, wording=read.text[agency.start : m.end], confidence=0.5
                )
        if m.how == "described" or UPCOMING.search(before):
            state["status"].setdefault(m.slug, ("planned", read))
            context.emit(read, subject, "status", "planned", wording=read.text[m.start - 20 : m.end], confidence=0.5)
        relation = RELATION.search(before)
        own = _own_date(read, m)
        done = own is not None and own.latest is not None and own.latest < context.published
        if relation and (tense(read.text[: m.start]) == "past" or done and relation.group("rel").lower() != "before"):
            state["status"].setdefault(m.slug, ("launched", read))
            context.emit(read, subject, "status", "launched", wording=relation.group(0), confidence=0.4)
        if relation:
            state["related"].add(m.slug)
            _related_date(context, read, m, relation.group("rel").lower())
        people = [p for p in read.of_type("person") if p.end <= m.start and KNOWN_FOR.match(read.text[p.end : m.start])]
        for person in people[-1:]:
            context.emit(read, subject, "crew", person.slug, wording=read.text[person.start : m.end], confidence=0.4)
            state["status"].setdefault(m.slug, ("launched", read))
            context.emit(read, subject, "status", "launched", wording=read.text[person.end : m.end], confidence=0.4)
        if own is not None:
            state["dated"].add(m.slug)
            context.emit(read, subject, "date", own.edtf, wording=own.wording, confidence=0.5)
    for agency in read.of_type("agency"):
        vehicles = {r.vehicle for r in context.gazetteer.of_type("launch") if r.vehicle}
        if not vehicles:
            break
        pattern = re.compile(
            OPERATES.replace("VEHICLES", "|".join(map(re.escape, sorted(vehicles, key=len, reverse=True))))
        )
        m = pattern.match(read.text[agency.end :])
        if m:
            for record in context.gazetteer.of_type("launch"):
                if record.vehicle == m.group("v"):
                    subject = Subject("launch", record.slug)
                    context.emit(read, subject, "operator", agency.slug, wording=m.group(0).strip(), confidence=0.3)


def _own_date(read: Read, m):
    """The date a sentence gives the launch itself: "the X launch on Feb. 13", "in 2018, when ... the launch of X"."""
    for d in read.dates:
        if d.end <= m.start and DATE_BEFORE.match(read.text[d.end : m.start]):
            return d
        if d.start >= m.end and DATE_AFTER.match(read.text[m.end : d.start]):
            return d
    return None


def _related_date(context: Context, read: Read, m, relation: str) -> None:
    """A past event dated D happened before the launch: the launch came on or after D, and by the article's date."""
    if relation not in ("before", "ahead of", "prior to") or tense(read.text[: m.start]) != "past":
        return
    dated = [d for d in read.dates if d.end <= m.start and d.earliest]
    if dated and dated[-1].earliest <= context.published:
        first = dated[-1].edtf.split("/")[0]
        context.emit(
            read,
            Subject("launch", m.slug),
            "date",
            f"{first}/{context.published.isoformat()}",
            wording=dated[-1].wording,
            confidence=0.3,
        )


def bounded_by_publication(context: Context, state: dict) -> None:
    """A launch told as done (or to come) and dated nowhere in the article: before (or after) the article's date."""
    day = context.published.isoformat()
    for slug, (status, read) in state["status"].items():
        if slug in state["dated"] or slug in state["related"]:
            continue
        value = f"../{day}" if status == "launched" else f"{day}/.."
        context.emit(read, Subject("launch", slug), "date", value, wording="", confidence=0.2)


def run(context: Context) -> None:
    previous = None
    state = {"status": {}, "dated": set(), "related": set()}
    for read in context.reads:
        descriptive(context, read)
        in_passing(context, read, state)
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
                    state["dated"].add(launch)
                    context.emit(read, subject, "date", years[0].edtf, wording=years[0].wording, confidence=0.5)
            if ABORT.search(read.text):
                context.emit(read, subject, "status", "aborted_crew_safe", wording=read.text[:200], confidence=0.6)
            for m in read.of_type("place"):
                before = read.text[max(0, m.start - 25) : m.start]
                record = context.record("place", m.slug)
                named = [x for x in read.of_type("launch") if x.end <= m.start]
                nearest = Subject("launch", named[-1].slug) if named else subject  # the launch named nearest before
                place = Subject("place", m.slug)
                if re.search(r"\bfrom\s+(?:the\s+)?$", before) and record and record.kind == "spaceport":
                    context.emit(read, nearest, "site", m.slug, wording=m.text, confidence=0.6)
                    # A crewed launch lifts off from it: a spaceport.
                    context.emit(read, place, "kind", "spaceport", wording=before + m.text, confidence=0.4)
                if re.search(r"\bto\s+(?:the\s+)?$", before) and record and record.kind == "station":
                    context.emit(read, nearest, "destination", m.slug, wording=m.text, confidence=0.6)
                    if "station" in m.text.lower():  # a crew flies to it, and its name says what it is
                        context.emit(read, place, "kind", "station", wording=m.text, confidence=0.4)
        previous = read
    bounded_by_publication(context, state)
