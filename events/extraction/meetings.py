"""Meetings: "X met Y at Z on D", "will meet", "invited ... to", "talks ... will focus on ...". A sentence that
speaks of a meeting is matched to a known meeting by who takes part, when, where and around which launch; its
words give the status, date, place, format, related launch and topics. A sentence that names no one carries on
the meeting the article spoke of last (an agenda paragraph after the announcement)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from rapidfuzz import fuzz

from events.extraction.context import Context, Read
from events.extraction.dates import tense
from events.extraction.found import Subject, proposed_slug
from events.extraction.gazetteer import Record
from events.extraction.posts import nearest_date, usable_dates
from events.extraction.text import Sentence

CUE = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|discussions?|summit|sit down|visit|visits|visited|tour|toured|attend|"
    r"attends|attended|attending|"
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
    r"\b(?:face[- ]to[- ]face|in[- ]person|traveled|travelled|visit|tour|attend|attending|"
    r"met\b(?:[^.]|(?<=\b[A-Z])\.){0,60}\b(?:at|in)\s+"
    r"(?:the\s+)?[A-Z]|invited\b[^.]{0,40}\bto\s+[A-Z])",
    re.I,
)
# Speaking to the press: an announcement, not talks.
TOLD_PRESS = re.compile(
    r"\b(?:told|briefed|speaking to|spoke to)\s+(?:the\s+)?(?:[A-Z]\w+\s+)?(?:media|press|reporters|journalists)\b"
    r"|\b(?:news|press) conference\b",
    re.I,
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
    for _, _, person, _ in read.heads:  # "the head of Roscosmos": a participant named by his post
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


def segments(read: Read) -> list[Read]:
    """The parts of a sentence that tell of different events: "..., when X met Y" after a date, and the part around
    each further launch it names ("after the A launch on D1, X said he will attend the B launch this summer")."""
    cuts = set()
    for d in read.dates:
        if read.text[d.end : d.end + 7] == ", when " and d.start > 0:
            cuts.add(d.start)
    launches = sorted(read.of_type("launch"), key=lambda m: m.start)
    for m in launches[1:]:
        if m.slug == launches[0].slug:
            continue
        comma = read.text.rfind(", ", launches[0].end, m.start)
        if comma > 0:
            cuts.add(comma + 2)
    if not cuts:
        return toured(read)
    bounds = [0, *sorted(cuts), len(read.text)]
    parts = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        text = read.text[start:end]
        if not text.strip():
            continue

        def inside(x, start=start, end=end):
            return start <= x.start and x.end <= end

        parts.append(
            Read(
                Sentence(read.paragraph, read.sentence.index, text),
                [replace(m, start=m.start - start, end=m.end - start) for m in read.mentions if inside(m)],
                [replace(d, start=d.start - start, end=d.end - start) for d in read.dates if inside(d)],
                [(a - start, b - start, c) for a, b, c in read.countries if start <= a and b <= end],
                tense(text) or read.tense,
                read.topics,
                [(a - start, b - start, p, g) for a, b, p, g in read.heads if start <= a and b <= end],
            )
        )
    # A part that names no one shares the people of the sentence (the subject of "Asked about X, he said ...").
    for part in parts:
        if not people_in(part):
            part.mentions = sorted(
                part.mentions + [replace(m, start=-1, end=-1) for m in read.of_type("person")], key=lambda m: m.start
            )
    return parts


TOUR = re.compile(r"\b(?:tour|tours|toured|visit|visits|visited|see)\b", re.I)


def toured(read: Read) -> list[Read]:
    """ "X will tour A and B": one visit to each place (the city of "during his stay in C" is where they are)."""
    places = [
        m for m in read.of_type("place") if not re.search(r"\b(?:in|to)\s+$", read.text[max(0, m.start - 4) : m.start])
    ]
    m = TOUR.search(read.text)
    if not m or len({p.slug for p in places if p.start > m.start()}) < 2:
        return [read]
    others = [x for x in read.mentions if x.type != "place"]
    return [replace(read, mentions=sorted([*others, p], key=lambda x: x.start)) for p in places if p.start > m.start()]


def compatible(context: Context, slug: str, read: Read) -> bool:
    """Whether a sentence that names no meeting may carry on this one: none of its dates or its tense says otherwise
    ("the upcoming talks, in late August 2025" do not carry on a meeting of 2018)."""
    record = context.record("meeting", slug)
    if record is None or not record.earliest or not record.latest:
        return True
    for d in usable_dates(read):
        if (
            d.earliest
            and d.latest
            and not (d.earliest.year <= record.latest.year and record.earliest.year <= d.latest.year)
        ):
            return False
    return True


LIST_ITEM = re.compile(r"^\s*[-•*–]\s+")
AGENDA = re.compile(r"\b(?:discuss|focus|agenda|cover|include|central|topics?|issues)", re.I)


def run(context: Context) -> None:  # noqa: C901  (one pass, several facts per sentence)
    current = None
    recent: list[str] = []  # meetings this article spoke of, the latest last
    topics: dict[str, set[str]] = defaultdict(set)
    topic_reads: dict[str, Read] = {}
    listing: tuple[str, str] | None = None  # (meeting, "people" or "topics") for the items of a list after a colon
    listed_people: dict[str, list[str]] = defaultdict(list)
    listed_topics: dict[str, set[str]] = defaultdict(set)
    for whole in context.reads:
        if listing and LIST_ITEM.match(whole.text):
            slug, what = listing
            if what == "people":
                for m in whole.of_type("person")[:1]:
                    if m.slug not in listed_people[slug]:
                        listed_people[slug].append(m.slug)
                        topic_reads.setdefault(f"people:{slug}", whole)
            elif whole.topics:
                listed_topics[slug] |= whole.topics
                topic_reads.setdefault(slug, whole)
            continue
        listing = None
        for read in segments(whole):
            if not CUE.search(read.text) and not SIGNING.search(read.text):
                if current and read.topics and AGENDA.search(read.text):
                    topics[current] |= read.topics
                    topic_reads.setdefault(current, read)
                if current and read.text.rstrip().endswith(":") and AGENDA.search(read.text):
                    listing = (current, "topics")
                continue
            best, best_score = _best(context, read)
            if best is None or AGAIN.search(read.text):
                # Talks no known meeting fits (or one more of them): a proposed meeting.
                proposal = propose(context, read, recent)
                if proposal is not None:
                    best, best_score = proposal, 0.0
            if best is None:
                if people_in(read) or not recent:
                    continue
                fits = [slug for slug in reversed(recent) if compatible(context, slug, read)]
                if not fits:
                    continue
                best = context.record("meeting", fits[0])
            current = best.slug
            if current in recent:
                recent.remove(current)
            recent.append(current)
            _emit(context, read, best, best_score, topics, topic_reads)
            if read.text.rstrip().endswith(":"):
                listing = (
                    current,
                    "people" if re.search(r"\b(?:include|heads|participants|attend)", read.text, re.I) else "topics",
                )
                if listing[1] == "people" and AGENDA.search(read.text) and not re.search(r"\bheads\b", read.text, re.I):
                    listing = (current, "topics")
    timeline(context)
    for slug, people in listed_people.items():  # the people a list names take part, all of them together
        read = topic_reads[f"people:{slug}"]
        context.emit(
            read, Subject("meeting", slug), "participants", ",".join(sorted(people)), wording="", confidence=0.4
        )
    topics.update(listed_topics)  # a list of what a meeting is to cover is its agenda, the article's own
    for slug, found in topics.items():
        context.emit(
            topic_reads[slug], Subject("meeting", slug), "topics", ",".join(sorted(found)), wording="", confidence=0.4
        )


ROW = re.compile(r"^\|?\s*(?P<date>[^|]{2,40}?)\s*\|\s*(?P<event>[^|]{3,200}?)\s*\|?\s*$")
TITLE_MIN_SCORE = 70
AHEAD = re.compile(r"\b(?:upcoming|future|planned|ahead|next|coming)\b", re.I)


def timeline(context: Context) -> None:
    """Rows of a table of events ("Oct 2025 | Joint review of the station |"): each row's event is the known meeting
    whose title it resembles (rapidfuzz) and whose date it fits; the row gives its date, status and topics."""
    heading = ""
    for read in context.reads:
        row = ROW.match(read.text)
        if not row:
            heading = read.text
            continue
        dates = [d for d in read.dates if d.start == row.start("date") and d.end == row.end("date")]
        if not dates or not dates[0].earliest:
            continue
        date, event = dates[0], row.group("event")
        best, best_score = None, TITLE_MIN_SCORE
        for record in context.gazetteer.of_type("meeting"):
            if (
                record.earliest
                and record.latest
                and not (date.earliest <= record.latest and record.earliest <= date.latest)
            ):
                continue
            s = fuzz.token_set_ratio(event.lower(), record.name.lower())
            if s >= best_score:
                best, best_score = record, s
        if best is None:
            continue
        subject = Subject("meeting", best.slug)
        context.emit(read, subject, "date", date.edtf, wording=date.wording, confidence=0.5)
        if PROPOSED.search(event) or re.search(r"\bpotential\b", event, re.I):
            status = "proposed"
        elif date.earliest > context.published or AHEAD.search(heading):
            status = "planned"
        else:
            status = "held"
        context.emit(read, subject, "status", status, wording=event, confidence=0.4)
        if read.topics:
            context.emit(read, subject, "topics", ",".join(sorted(read.topics)), wording=event, confidence=0.4)


def _best(context: Context, read: Read):
    people = people_in(read)
    named = [m for m in read.of_type("person") if m.start >= 0]
    date = nearest_date(read, named[0].start) if named else (usable_dates(read) or [None])[0]
    agencies = read.slugs("agency")
    first = first_since(context, read, agencies)
    places = [m.slug for m in read.of_type("place") if _meeting_place(context, m.slug)]
    launches = read.slugs("launch")
    press = bool(TOLD_PRESS.search(read.text))
    best, best_score = None, 1.5
    new_people = [p for p in people if ("person", p) in context.proposed]
    proposed = [r for (type_, _), r in context.proposed.items() if type_ == "meeting"]
    known = context.gazetteer.of_type("meeting")
    for record in [*known, *proposed]:
        if new_people and record in known and not set(people) & set(record.participants):
            continue  # people the database does not know took part in no meeting it knows
        s = score(context, record, people, date, places, launches, agencies) + (2.5 if record.slug == first else 0)
        parties = context.meeting_parties.get(record.slug, ())
        if len(agencies) >= 2 and set(agencies) <= set(parties):  # a proposed meeting of these agencies
            s += 0.75
        if press:
            s += 1 if record.kind == "announcement" else -0.5
        if s > best_score:
            best, best_score = record, s
    return best, best_score


AGAIN = re.compile(r"\b(?:again|another|a second|a further|follow-up|return visit)\b", re.I)
# Two parties a meeting verb links: "X met Y", "X signed an agreement with Y", "X and Y will hold talks".
LINK = re.compile(
    r"«[PA]\d+»[^«]{0,100}?\b(?:met|meet|meets|meeting\s+with|signed|sign|signs|signing|hosted|hosts|host|"
    r"received|receives|invited|invites|invite|held\s+talks|hold\s+talks|holds\s+talks|talked|sat\s+down|visited)\b"
    r"[^«]{0,80}?«[PA]\d+»"
    r"|«[PA]\d+»(?:\s*\(«A\d+»\))?,?\s+and\s+(?:the\s+)?«[PA]\d+»(?:\s*\(«A\d+»\))?[^«]{0,60}?"
    r"\b(?:met|meet|signed|sign|held\s+talks|hold\s+talks|talked)\b",
    re.I,
)
SIGNING = re.compile(r"\b(?:sign|signs|signed|signing)\b", re.I)
VISITING = re.compile(r"\b(?:visit|visits|visited|tour|tours|toured)\b", re.I)


def propose(context: Context, read: Read, recent: list[str]):
    """A meeting the database does not hold: two parties a meeting verb links, known or proposed ("X met Y in Z on
    D"), or one more meeting of the parties of the last one ("the two agencies will meet again in Z"). Its title is
    built from the parties and the place; its kind, status and own fields are claimed with it."""
    from events.extraction.posts import masked

    text, _ = masked(read)
    people = people_in(read)
    agencies = list(read.slugs("agency"))
    places = [m for m in read.of_type("place") if _meeting_place(context, m.slug)]
    visit = VISITING.search(read.text)
    visited = visit and people and [p for p in places if p.start > visit.start()]
    if LINK.search(text) or visited:
        for person in people:
            for post in context.gazetteer.posts_of(person):
                if post.is_head and post.agency not in agencies and len(agencies) < 2:
                    agencies.append(post.agency)
    elif AGAIN.search(read.text) and recent:
        earlier = context.record("meeting", recent[-1])
        agencies = agencies or list(context.meeting_parties.get(recent[-1], ()))
        if earlier is None or not agencies:
            return None
    else:
        return None
    labels = [_label(context, "agency", a) for a in agencies] or [
        _label(context, "person", p).split()[-1] for p in people
    ]
    if not labels:
        return None
    what = (
        "talks"
        if HELD.search(read.text) or re.search(r"\b(?:meet|talks)\b", read.text, re.I)
        else "agreement signing"
        if SIGNING.search(read.text)
        else "visit"
        if VISITING.search(read.text)
        else "talks"
    )
    title = f"{'–'.join(labels)} {what}"
    if places:
        title += f" {'to' if what == 'visit' else 'in'} {places[0].text}"
    named = [m for m in read.of_type("person") if m.start >= 0]
    date = nearest_date(read, named[0].start) if named else (usable_dates(read) or [None])[0]
    status = status_of(read.text, read.tense) or {"past": "held", "future": "planned"}.get(read.tense, "")
    if not status and date is not None and date.earliest and date.latest:  # by its date against the article's
        status = "held" if date.latest <= context.published else "planned" if date.earliest > context.published else ""
    if not status and re.search(r"\b(?:signed|hosted|received|visited|toured)\b", read.text):
        status = "held"
    if not status:
        return None
    taken = {slug for (type_, slug) in context.proposed if type_ == "meeting"}
    slug = proposed_slug(Subject("meeting", name=title))
    if slug in taken or context.gazetteer.get("meeting", slug):
        title += f", {date.wording}" if date is not None else f" ({len(taken) + 1})"
        slug = proposed_slug(Subject("meeting", name=title))
        if slug in taken or context.gazetteer.get("meeting", slug):
            return None
    record = Record(
        "meeting",
        slug,
        title,
        kind="multilateral" if len(labels) >= 3 else "site_visit" if what == "visit" else "bilateral",
        status=status,
        earliest=date.earliest if date is not None else None,
        latest=date.latest if date is not None else None,
        participants=tuple(sorted(people)),
        place=places[0].slug if places else "",
    )
    context.proposed[("meeting", slug)] = record
    context.meeting_parties[slug] = tuple(agencies)
    subject = Subject("meeting", slug)
    context.emit(read, subject, "title", title, wording=read.text[:200], confidence=0.5)
    context.emit(read, subject, "kind", record.kind, wording=read.text[:200], confidence=0.4)
    context.emit(read, subject, "status", status, wording=read.text[:200], confidence=0.4)
    return record


def _label(context: Context, type_: str, slug: str) -> str:
    record = context.record(type_, slug)
    if record is None:
        return slug
    return record.short_name or record.name


def _emit(context: Context, read: Read, best, best_score: float, topics, topic_reads) -> None:
    people = people_in(read)
    named = [m for m in read.of_type("person") if m.start >= 0]
    date = nearest_date(read, named[0].start) if named else (usable_dates(read) or [None])[0]
    places = [m.slug for m in read.of_type("place") if _meeting_place(context, m.slug)]
    subject = Subject("meeting", best.slug)
    emit = context.emit
    confidence = min(0.9, 0.3 + best_score / 5)
    if people:
        emit(read, subject, "participants", ",".join(sorted(people)), wording=read.text[:200], confidence=confidence)
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


def _meeting_place(context: Context, slug: str) -> bool:
    """A place a meeting can be at: not a space station."""
    record = context.record("place", slug)
    return record is not None and record.kind != "station"
