"""What an article says of a place: its kind, its country and the place it lies in.

- kind, from a common noun the text puts to the name ("the X space station", "Y's facilities", "a city (Z or W)"),
  or from what happens there (a crewed launch "from" a spaceport);
- country, from "X in <Country>", "<Country>'s X" and "<Country> ... its ..., including X";
- parent, from "X in <City>" and "during his stay in <City>, ... tour X and Y".

A place known as "<Owner> <things> in <City>" (a name curators give to sites no one names) is also found where a
sentence speaks of "<Owner>'s <things>" and names the city."""

from __future__ import annotations

import re

from events.extraction.context import Context, Read
from events.extraction.countries import BY_NAME
from events.extraction.found import Subject
from events.extraction.mentions import Mention

COUNTRY = "|".join(re.escape(n) for n in sorted(BY_NAME, key=len, reverse=True))
# Common nouns that say what kind of place a name is (as the place's kind choices spell them).
KIND_NOUNS = {
    "space station": "station",
    "station": "station",
    "cosmodrome": "spaceport",
    "spaceport": "spaceport",
    "launch site": "spaceport",
    "city": "city",
    "capital": "city",
    "facility": "facility",
    "facilities": "facility",
    "plant": "facility",
    "plants": "facility",
    "factory": "facility",
    "factories": "facility",
}
KIND_NOUN = "|".join(re.escape(n) for n in sorted(KIND_NOUNS, key=len, reverse=True))
# "<Owner> <things> in <Where>": a descriptive name of a place.
DESCRIBED = re.compile(
    r"^(?P<owner>[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*) (?P<noun>[a-z]+)(?: (?:in|at|near) (?P<where>.+))?$"
)
PLACE = r"«L(?P<{}>\d+)»"
IN_COUNTRY = re.compile(PLACE.format("p") + rf",?\s+in\s+(?:the\s+)?(?P<c>{COUNTRY})\b")
COUNTRY_S = re.compile(rf"(?<![\w.])(?P<c>{COUNTRY})['’]s\s+(?:[a-z-]+\s+){{0,2}}" + PLACE.format("p"))
COUNTRY_ITS = re.compile(
    rf"(?<![\w.])(?P<c>{COUNTRY})\b[^.;«]{{0,60}}\bits\s+[^.;«]{{0,60}}?,?\s+(?:including|such as|like)\s+(?:the\s+)?"
    + PLACE.format("p")
)
IN_PLACE = re.compile(PLACE.format("p") + r",?\s+in\s+" + PLACE.format("q"))
STAY = re.compile(
    r"^(?:During|On|Throughout)\s+(?:his|her|their|the|a)\s+(?:[\w-]+\s+)?(?:stay|visit|trip)\s+(?:in|to)\s+"
    + PLACE.format("q")
    + r",(?P<rest>.*)$"
)
CITY_LIST = re.compile(
    r"\b(?:city|cities|capital)\s*\((?:(?:reportedly|possibly|probably|either|perhaps)\s+)?(?P<list>«L\d+»"
    r"(?:\s*(?:,|or|and)\s*«L\d+»)*)\s*\)"
)
CITY_OF = re.compile(r"\b(?:city|capital)\s+of\s+" + PLACE.format("p"))


def masked(read: Read) -> tuple[str, list[Mention]]:
    """The sentence with each place named replaced by «L<i>»."""
    items, out, last = [], [], 0
    for m in sorted(read.of_type("place"), key=lambda x: x.start):
        if m.start < last:
            continue
        out += [read.text[last : m.start], f"«L{len(items)}»"]
        items.append(m)
        last = m.end
    out.append(read.text[last:])
    return "".join(out), items


def described_places(context: Context, read: Read) -> None:
    """ "Boeing's facilities" in a sentence that names Houston: the place known as "Boeing facilities in Houston"."""
    named = set(read.slugs("place"))
    for record in context.gazetteer.of_type("place"):
        m = DESCRIBED.match(record.name)
        if not m or record.slug in named:
            continue
        if m.group("where"):
            where = [p for p in read.of_type("place") if p.text.lower() == m.group("where").lower()]
            if not where:
                continue
        pattern = re.compile(rf"\b{re.escape(m.group('owner'))}['’]s\s+{re.escape(m.group('noun'))}\b")
        for hit in pattern.finditer(read.text):
            if any(hit.start() < x.end and x.start < hit.end() for x in read.of_type("place")):
                continue
            read.mentions.append(Mention(hit.start(), hit.end(), hit.group(0), "place", record.slug, "described", 0.8))
            context.emit(read, Subject("place", record.slug), "name", record.name, wording=hit.group(0), confidence=0.5)
    read.mentions.sort(key=lambda x: x.start)


def _kind(context: Context, slug: str) -> str:
    record = context.gazetteer.get("place", slug)
    return record.kind if record else ""


def run(context: Context) -> None:
    for read in context.reads:
        described_places(context, read)
        if not read.of_type("place"):
            continue
        text, items = masked(read)

        def emit(index, field, value, wording, confidence, text=text, items=items, read=read):
            context.emit(
                read, Subject("place", items[int(index)].slug), field, value, wording=wording, confidence=confidence
            )

        # Kind: a common noun written in lower case after the name, or as part of it ("the Tiangong space station").
        for i, m in enumerate(items):
            tail = re.search(rf"(?:^|\s)({KIND_NOUN})$", m.text)
            after = re.match(rf"\s+({KIND_NOUN})\b", read.text[m.end :])
            noun = tail.group(1) if tail else after.group(1) if after else ""
            if noun and noun.islower():
                emit(i, "kind", KIND_NOUNS[noun], noun, 0.5)
        for m in CITY_LIST.finditer(text):
            for index in re.findall(r"«L(\d+)»", m.group("list")):
                emit(index, "kind", "city", m.group(0), 0.5)
        for m in CITY_OF.finditer(text):
            emit(m.group("p"), "kind", "city", m.group(0), 0.5)
        # Country.
        for pattern in (IN_COUNTRY, COUNTRY_S, COUNTRY_ITS):
            for m in pattern.finditer(text):
                if _kind(context, items[int(m.group("p"))].slug) == "city" and pattern is COUNTRY_ITS:
                    continue
                emit(m.group("p"), "country", BY_NAME[m.group("c")], m.group("c"), 0.5)
        # Parent: a site in a city.
        for m in IN_PLACE.finditer(text):
            child, parent = items[int(m.group("p"))].slug, items[int(m.group("q"))].slug
            if _kind(context, parent) == "city" and _kind(context, child) not in ("city", ""):
                emit(m.group("p"), "parent", parent, m.group(0), 0.5)
        stay = STAY.match(text)
        if stay:
            parent = items[int(stay.group("q"))].slug
            for index in re.findall(r"«L(\d+)»", stay.group("rest")):
                child = items[int(index)].slug
                if _kind(context, parent) == "city" and _kind(context, child) not in ("city", "station", ""):
                    emit(index, "parent", parent, stay.group(0)[:120], 0.4)
