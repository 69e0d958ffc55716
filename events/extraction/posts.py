"""Posts: "NASA Administrator Jared Isaacman", "X, Director General of Y", "Y, led by X", "the head of Y" (a
descriptive reference: the head in office on the sentence's date).

Each post found becomes tenure claims (person, agency, head, acting, title), on the existing tenure when the
database has one, else on a proposed tenure named "<person> <agency> <title>" (the seed's slug pattern)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from events.extraction.context import Context, Read
from events.extraction.dates import tense
from events.extraction.found import Subject
from events.extraction.gazetteer import Post

HEAD_WORDS = {"head", "chief", "leader", "boss"}
TITLE = (
    r"(?:deputy |vice[- ])?(?:director[- ]general|administrator|head|chief|leader|president|secretary|minister|"
    r"chairman|chairwoman|chair|director|ceo|chief executive|commander)"
)
MODS = r"(?:(?:then|former|acting|interim|current|new|incoming|outgoing|current)[- ]+)*"
DEPT = r"(?:[A-Z][a-z]+ )?"  # "Transportation Secretary"
BEFORE_PERSON = re.compile(
    rf"(?P<mods>{MODS})(?:«A(?P<a>\d+)»(?:['’]s)?\s+)?(?P<mods2>{MODS})(?P<title>{DEPT}{TITLE})"
    rf"(?:\s+of\s+(?:the\s+)?«A(?P<a2>\d+)»)?,?\s*$",
    re.IGNORECASE,
)
AFTER_PERSON = [
    # "X, Director General of Y"
    re.compile(
        rf"^,\s+(?:the\s+)?(?:(?:then|former|current)\s+)?(?P<mods>{MODS})(?P<title>{TITLE})\s+of\s+(?:the\s+)?«A(?P<a>\d+)»",
        re.I,
    ),
    # "X, appointed to lead Y", "X, recently named Y's acting chief"
    re.compile(
        rf"^,\s+(?:who\s+was\s+)?(?:recently\s+|newly\s+)?(?:appointed|named|nominated|chosen|picked)\s+"
        rf"(?:to\s+(?P<lead>lead|head|run)\s+«A(?P<a>\d+)»|(?:as\s+)?«A(?P<a2>\d+)»['’]s\s+(?P<mods>{MODS})(?P<title>{TITLE}))",
        re.I,
    ),
    # "X was named as Y administrator"
    re.compile(
        rf"^\s+(?:had been|has been|was|is|will be)\s+(?:re)?(?:nominated|named|appointed|confirmed|sworn in)\s+as\s+"
        rf"(?:the\s+)?(?:«A(?P<a>\d+)»['’]?s?\s+)?(?P<mods>{MODS})(?P<title>{TITLE})",
        re.I,
    ),
]
LED_BY = re.compile(r"«A(?P<a>\d+)»[^«.;]{0,40}?\s(?:led|headed|run)\s+by\s*$", re.I)
# Descriptive references: "the head of Roscosmos", "the heads of NASA and Roscosmos", "NASA's acting chief".
HEADS_OF = re.compile(
    rf"\b(?:the\s+)?(?:{MODS})(?:heads?|chiefs?|leaders?|leadership|administrators?|directors?[- ]general)\s+of\s+"
    r"(?:the\s+)?(?:[\w’'-]+\s+){0,2}?«A(?P<a>\d+)»(?:\s+and\s+(?:of\s+)?«A(?P<b>\d+)»)?",
    re.I,
)
AGENCY_HEAD = re.compile(
    rf"«A(?P<a>\d+)»(?:['’]s)?\s+(?P<mods>{MODS})(?P<title>head|chief|leader|leadership|administrator)\b(?!\s*,?\s*«P)",
    re.I,
)


@dataclass(frozen=True)
class Held:
    person: str
    agency: str
    title: str  # as written
    acting: bool
    past: bool  # "former", "then-"
    wording: str
    at: int = 0  # where the person is named in the sentence
    how: str = "before"  # which pattern: before, after, led_by


def masked(read: Read) -> tuple[str, list]:
    """The sentence with each person and agency named replaced by «P<i>» / «A<i>» (i: index in the list)."""
    items, out, last = [], [], 0
    for m in read.mentions:
        if m.type not in ("person", "agency"):
            continue
        out += [read.text[last : m.start], f"«{m.type[0].upper()}{len(items)}»"]
        items.append(m)
        last = m.end
    out.append(read.text[last:])
    return "".join(out), items


def unmask(text: str, items: list) -> str:
    return re.sub(r"«[PA](\d+)»", lambda m: items[int(m.group(1))].text, text)


def posts_in(read: Read) -> list[Held]:
    text, items = masked(read)
    held: list[Held] = []

    def agency(i):
        return items[int(i)].slug if i is not None and items[int(i)].type == "agency" else ""

    for pm in re.finditer(r"«P(\d+)»", text):
        person = items[int(pm.group(1))].slug
        prefix = text[max(0, pm.start() - 120) : pm.start()]
        for _ in range(2):  # "Y's acting head, Z Secretary X": two posts
            m = BEFORE_PERSON.search(prefix)
            if not m or not m.group("title").strip():
                break
            mods = (m.group("mods") or "") + (m.group("mods2") or "")
            held.append(
                Held(
                    person,
                    agency(m.group("a")) or agency(m.group("a2")),
                    m.group("title"),
                    _acting(mods),
                    _past(mods),
                    unmask(m.group(0), items).strip(" ,"),
                    items[int(pm.group(1))].start,
                )
            )
            prefix = prefix[: m.start()].rstrip()
            if not prefix.endswith(","):
                break
            prefix = prefix[:-1]
        suffix = text[pm.end() : pm.end() + 160]
        for number, pattern in enumerate(AFTER_PERSON):
            m = pattern.search(suffix)
            if m:
                g = m.groupdict()
                title = g.get("title") or ("head" if g.get("lead") else "")
                held.append(
                    Held(
                        person,
                        agency(g.get("a")) or agency(g.get("a2")),
                        title,
                        _acting(g.get("mods") or ""),
                        False,
                        unmask(m.group(0), items).strip(" ,"),
                        items[int(pm.group(1))].start,
                        "before" if number == 0 else "after",
                    )
                )
        m = LED_BY.search(text[max(0, pm.start() - 80) : pm.start()])
        if m:
            held.append(
                Held(
                    person,
                    agency(m.group("a")),
                    "head",
                    False,
                    False,
                    unmask(m.group(0), items),
                    items[int(pm.group(1))].start,
                )
            )
    return held


def _acting(mods: str) -> bool:
    return bool(re.search(r"acting|interim", mods, re.I))


def _past(mods: str) -> bool:
    return bool(re.search(r"then|former", mods, re.I))


def _plain(title: str) -> str:
    return re.sub(r"\b(acting|interim)\b", "", title.lower()).replace("-", " ").strip()


def is_head_title(title: str) -> bool:
    plain = _plain(title)
    return not re.search(r"deputy|vice", plain) and bool(
        re.search(r"director general|administrator|head|chief|leader|president|secretary|minister|chair", plain)
    )


def post_for(context: Context, held: Held, day) -> Post | None:
    """The tenure the words point at: the person's post whose title fits (at the agency named, if one is)."""
    options = context.gazetteer.posts_of(held.person, held.agency)
    plain = _plain(held.title)
    generic = plain.split()[-1] in HEAD_WORDS if plain else True
    scored = []
    for post in options:
        score = 100 if generic and post.is_head else fuzz.token_set_ratio(plain, _plain(post.title))
        if score >= 80:
            scored.append((-(score), post.distance(day) if day else 0, post.slug, post))
    return min(scored)[3] if scored else None


def title_value(held: Held, post: Post | None) -> str:
    """The title to claim: the post's own spelling when the words fit it; none for a bare "head" or "chief"
    (a description, not a title) unless the post is known by no other."""
    plain = _plain(held.title)
    if not plain:
        return ""
    generic = plain.split()[-1] in HEAD_WORDS
    if post is not None:
        if generic:
            return post.title if _plain(post.title) in HEAD_WORDS else ""
        if _acting(held.title + (" acting" if held.acting else "")) != post.is_acting and held.acting:
            return ""
        return post.title
    if generic:
        return "Head" if not held.agency else ""
    title = " ".join(w.capitalize() if w not in ("of", "the") else w for w in plain.split())
    return f"Acting {title}" if held.acting else title


def day_of(read: Read, context: Context):
    """The day a sentence speaks of: its first date that is not a bound ("since 2018"), else the article's."""
    dated = [d for d in usable_dates(read) if d.earliest]
    return dated[0].earliest if dated else context.published


def event_date(context: Context, position: int):
    """The date a sentence's event has: its own first date, or for "That meeting ..." and for the items of a
    list introduced by a colon, the last date of the sentence before."""
    read = context.reads[position]
    if read.dates:
        return read.dates[0], read.tense
    before = context.reads[position - 1] if position else None
    refers_back = re.match(r"(?:That|This|The) (?:meeting|trip|visit|summit|talks|launch)\b", read.text)
    item = re.compile(r"^\s*[-•*–]\s+")
    in_list = before is not None and (
        before.text.rstrip().endswith(":") or bool(item.match(before.text) and item.match(read.text))
    )
    for back in range(position - 1, max(-1, position - 4), -1):
        earlier = context.reads[back]
        if not (refers_back or in_list):
            break
        usable = usable_dates(earlier)
        if usable:
            return usable[-1], earlier.tense
        in_list = in_list and earlier.text.startswith("-") or earlier.text.rstrip().endswith(":")
    return None, ""


def run(context: Context) -> None:
    for position, read in enumerate(context.reads):
        day = day_of(read, context)
        when, when_tense = event_date(context, position)
        for held in posts_in(read):
            post = post_for(context, held, day)
            agency = post.agency if post else held.agency
            if not agency:
                continue
            person = context.record("person", held.person)
            if post:
                subject = Subject("tenure", post.slug)
            else:
                agency_record = context.record("agency", agency)
                title = title_value(held, None) or "Head"
                short = agency_record.short_name or agency_record.name if agency_record else agency
                subject = Subject("tenure", name=f"{person.name if person else held.person} {short} {title}")
            emit = context.emit
            emit(read, subject, "person", held.person, wording=held.wording, confidence=0.8)
            emit(read, subject, "agency", agency, wording=held.wording, confidence=0.8)
            if is_head_title(held.title):
                emit(read, subject, "is_head", "true", wording=held.wording, confidence=0.6)
            if held.acting:
                emit(read, subject, "is_acting", "true", wording=held.wording, confidence=0.7)
            title = title_value(held, post)
            if title:
                emit(read, subject, "title", title, wording=held.title, confidence=0.6)
            _dates(context, read, subject, held, when, when_tense)
            agency_record = context.gazetteer.get("agency", agency)
            if agency_record and agency_record.kind == "government":
                # A minister's or president's post says the body is the government's.
                emit(read, Subject("agency", agency), "kind", "government", wording=held.wording, confidence=0.4)
        read.heads = heads_in(context, read, day)


BOUND = re.compile(r"\b(?:since|until|before|after|by|beyond)\s+(?:the\s+)?$", re.I)


# "Russia's 2022 invasion": a year that qualifies a noun dates that thing, not the sentence's event.
QUALIFIER = re.compile(r"['’]s\s+$")
# "X, appointed to lead Y in February, met Z": that date is the appointment's, told in passing.
APPOSITIVE_APPOINTMENT = re.compile(r",\s+(?:recently\s+|newly\s+)?(?:appointed|named|nominated)\b[^,.;]*$")


def usable_dates(read: Read) -> list:
    """The dates a sentence's own event may have: not a bound ("since 2018", unless "since 2018, when ..."), not a
    year qualifying something else ("Russia's 2022 invasion")."""
    return [
        d
        for d in read.dates
        if (not BOUND.search(read.text[: d.start]) or read.text[d.end : d.end + 7].startswith(", when"))
        and not (QUALIFIER.search(read.text[: d.start]) and re.match(r"\s+[a-z]", read.text[d.end :]))
        and not APPOSITIVE_APPOINTMENT.search(read.text[: d.start])
    ]


def nearest_date(read: Read, at: int):
    """The date closest to a position, the one before it first; "since 2018" bounds something else, unless
    "since 2018, when ..." makes it the event's own."""
    usable = usable_dates(read)
    before = [d for d in usable if d.end <= at]
    if before:
        return before[-1]
    return usable[0] if usable else None


APPOINTED = re.compile(r"\b(?P<recent>recently |newly )?(?:re)?(?:appointed|named|nominated|chosen|picked)\b", re.I)


def _dates(context: Context, read: Read, subject: Subject, held: Held, when, when_tense: str) -> None:
    """What a post's mention says of its span: appointed on a date (or "recently") starts it; held at a past
    event, it had started by then; held at an event to come, it lasts until then."""
    appointed = APPOINTED.search(held.wording)
    if appointed:
        dated = [d for d in read.dates if d.start >= read.text.find(appointed.group(0))]
        if dated:
            context.emit(read, subject, "start", dated[0].edtf, wording=dated[0].wording, confidence=0.6)
        elif appointed.group("recent"):
            p = context.published
            context.emit(
                read, subject, "start", f"{p.year}/{p.year}-{p.month:02d}", wording=appointed.group(0), confidence=0.4
            )
        return
    if held.how != "before":
        return
    if read.dates:
        when = nearest_date(read, held.at)
        if when is not None:  # the tense of the clause from the date to the person's verb
            when_tense = tense(read.text[when.start : held.at + 80]) or when_tense
    if when is None or not when.edtf or "/" in when.edtf and not when.latest:
        return
    if when_tense == "future" and when.earliest:
        context.emit(read, subject, "end", f"{when.earliest.isoformat()}/..", wording=when.wording, confidence=0.3)
    elif when_tense == "past" or held.past:
        context.emit(read, subject, "start", f"../{when.edtf.split('/')[-1]}", wording=when.wording, confidence=0.3)


def heads_in(context: Context, read: Read, day) -> list[tuple[int, int, str, str]]:
    """People a sentence means without naming them: the heads of the agencies it names, on its date."""
    text, items = masked(read)
    found = []
    for pattern in (HEADS_OF, AGENCY_HEAD):
        for m in pattern.finditer(text):
            for key in ("a", "b"):
                index = m.groupdict().get(key)
                if index is None or items[int(index)].type != "agency":
                    continue
                agency = items[int(index)].slug
                acting = "acting" in m.group(0).lower() or "interim" in m.group(0).lower()
                heads = [
                    p for p in context.gazetteer.heads_of(agency, first=day, last=day) if not acting or p.is_acting
                ]
                if heads:
                    found.append((m.start(), m.end(), heads[0].person, agency))
    return found
