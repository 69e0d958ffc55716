"""Records an article names that the database does not hold: proposed people, agencies, places and launches.

Each is found where the words around a capitalised name say what it is:

- a person: a name after a post title or an occupation ("Chairman A. B", "astronaut A B"), before one in
  apposition ("A B, the agency's director"), or as the subject or object of a meeting verb ("A B met ...");
- an agency: an unknown acronym standing as an organisation (before a post title, "the X agency", "X's chief"),
  a long name ending in an organisation's word ("... Space Research Organisation", "Ministry of ..."), with its
  acronym in brackets after it; its kind from the words of its name or of the sentence, its country from the
  name ("Indian ...") or from "X, <Country>'s space agency";
- a place: "in <Name>" after a verb of meeting, signing, visiting or launching, or "at/from the <Name> Space
  Center/Cosmodrome/Spaceport"; a city unless its name says otherwise; its country from "<Name>, <Country>";
- a launch: a named mission or flight ("the X-7 mission", "the launch of X-7"), planned or launched by its tense.

Variants are one record: a surname alone after the full name, initials for given names, an acronym for the long
name it was bracketed with. Each proposal becomes a mention like a known record's, under the slug it would get,
so the other rules (posts, meetings, launches, places) read it as they read the gazetteer's; the candidates they
emit about it go to the proposed record (see Context.emit)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from events.extraction.context import Context, Read
from events.extraction.countries import BY_NAME
from events.extraction.found import Subject, proposed_slug
from events.extraction.gazetteer import STOPWORDS, Record
from events.extraction.mentions import Mention
from events.extraction.names import OCCUPATION
from events.extraction.posts import TITLE, usable_dates


def _words(text: str) -> set[str]:
    return set(text.split())


MONTH_WORDS = {calendar.month_name[i] for i in range(1, 13)} | {calendar.month_abbr[i] for i in range(1, 13)}
WEEKDAY_WORDS = {calendar.day_name[i] for i in range(7)}
COUNTRY_WORDS = set(BY_NAME) | {w for name in BY_NAME for w in name.split()}
# Capitalised words that begin sentences or stand for groups: never part of a person's or place's name.
COMMON = _words(
    "The A An This That These Those Both Each Every All Some Many Most Few Several Other Another Its Their His Her"
    " Our Your My We They He She It I You After Before During While When Where As At In On Of For From To By With"
    " And But Or If Then Than Also Yet Still Now Today Tomorrow Yesterday Tonight Last Next First Second Third New"
    " Meanwhile However Moreover Furthermore Additionally Separately Earlier Later Instead Nevertheless Elsewhere"
    " Recently Finally Eventually Prof"
    " Former Acting Interim Current Mr Mrs Ms Dr Sir Madam Officials Official Leaders Leader Delegates Delegation"
    " Delegations Representatives Heads Head Chiefs Chief Engineers Scientists Astronauts Cosmonauts Experts Agency"
    " Agencies Space Station Stations Ministry Minister Government Administration Organisation Organization"
    " Corporation Authority Office Department Council Commission Institute Center Centre Program Programme Mission"
    " Missions Launch Launches Flight Program Project Earth Moon Mars Lunar Venus Jupiter Sun Orbit Orbital Europe"
    " Asia Africa America Americas Antarctica Arctic Pacific Atlantic Western Eastern Northern Southern Western"
    " Central National International Joint Global World Summit Talks Meeting Agreement Deal Memorandum Treaty"
    " Accords Conference Forum Week Day Year Month Morning Evening Capital City Republic Kingdom States Union"
    " Federation Prime General Director Secretary President Chairman Chairwoman Chair Administrator Commander"
)
COMMON |= MONTH_WORDS | WEEKDAY_WORDS | COUNTRY_WORDS
# Acronyms that are not organisations (or are countries, posts, orbits, things).
NOT_ORGS = _words(
    "CEO CFO COO CTO VP PM HQ TV AI ID PR OK UN US UK USA EU UAE USSR ISS LEO GEO MEO GPS AM PM DC BC AD CC BY SA"
    " II III IV VI VII VIII IX XI XII NB FAQ FAQS PDF"
)

INITIAL = r"[A-Z]\.\s?"
WORD = r"[A-Z][a-z][\w’'-]*"
HONORIFIC = r"(?:(?:Dr|Prof|Mr|Mrs|Ms|Sir)\.?\s+)?"
PERSON = rf"{HONORIFIC}(?:(?:{INITIAL}){{1,3}}{WORD}|{WORD}(?:\s+(?:{INITIAL})?{WORD}){{1,3}})"
OCCUPATIONS = OCCUPATION[3:-1] + "|spokesperson|spokesman|spokeswoman|envoy|ambassador|researcher|astronomer"
POST_OR_OCCUPATION = rf"(?i:{TITLE}|{OCCUPATIONS})"
AFTER_TITLE = re.compile(rf"(?<![\w-]){POST_OR_OCCUPATION}\s+(?P<name>{PERSON})")
APPOSITION = re.compile(
    rf"(?P<name>{PERSON}),\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w’'-]+\s+){{0,3}}?{POST_OR_OCCUPATION}\b"
)
MEETING_VERBS = (
    r"(?:met|meets|meet|meeting|visited|visits|signed|signs|hosted|hosts|received|invited|invites|toured|"
    r"held talks|holds talks|talked|spoke|sat down)"
)
SUBJECT_OF = re.compile(
    rf"(?P<name>{PERSON})\s+(?:(?:will|would|is to|was to|plans to|is set to|also|later|then|has|had)\s+)*"
    rf"{MEETING_VERBS}\b"
)
# "will carry A, B and C": a crew's names, each possibly after its occupation.
CREW_OF = re.compile(r"\b(?:will carry|carries|carried|crewed by|will fly|flew with|crew of)\s+")
CREW_ITEM = re.compile(
    rf"(?:,\s*(?:and\s+)?|\s+and\s+)?(?:(?:[A-Z][\w-]*\s+)?(?i:astronauts?|cosmonauts?|taikonauts?|pilots?)\s+)?"
    rf"(?P<name>{PERSON})"
)
OBJECT_OF = re.compile(rf"\b(?:met|meet|meets|meeting|invited|hosted|received)\s+(?:with\s+)?(?P<name>{PERSON})")

ACRONYM = r"[A-Z][A-Z0-9&]{1,7}"
ACRONYM_BEFORE_TITLE = re.compile(
    rf"(?<![\w«-])(?P<acr>{ACRONYM})(?:['’]s)?\s+(?:(?i:then|former|acting|interim|new|current)[- ]+)?"
    rf"(?i:{TITLE}|delegation|officials?|team|spokes(?:person|man|woman))\b"
)
THE_AGENCY = re.compile(rf"\bthe\s+(?P<acr>{ACRONYM})\s+(?:space\s+)?agency\b")
COUNTRY = "|".join(re.escape(n) for n in sorted(BY_NAME, key=len, reverse=True))
NAMED_AGENCY = [  # "Xland's space agency, ABC", "ABC, Xland's space agency"
    re.compile(
        rf"(?:{COUNTRY})(?:['’]s)?\s+(?:national\s+)?space\s+agency,?\s+(?:the\s+)?(?P<acr>{ACRONYM}|[A-Z][a-z]\w+)"
    ),
    re.compile(
        rf"(?P<acr>{ACRONYM}|[A-Z][a-z]\w+),\s+(?:the\s+)?(?:{COUNTRY})(?:['’]s)?\s+(?:national\s+)?space\s+agency"
    ),
]
ORG_NAME = re.compile(r"[A-Z][\w’'&-]*(?:\s+(?:(?:of|for|and|the|de)\s+){0,2}[A-Z][\w’'&-]*)*")
ORG_ENDS = {
    "Agency",
    "Organisation",
    "Organization",
    "Administration",
    "Corporation",
    "Authority",
    "Commission",
    "Ministry",
    "Department",
    "Office",
    "Institute",
    "Council",
    "Company",
    "Inc",
    "Ltd",
    "Corp",
    "LLC",
    "Group",
    "Industries",
    "Technologies",
    "Systems",
}
ORG_STARTS = {"Ministry", "Department"}
SPACE_WORDS = {"Space", "Aerospace", "Aeronautics", "Astronautics", "Cosmos", "Spaceflight"}
GOVERNMENT_WORDS = {"Ministry", "Department", "Government", "Council", "Commission", "Office"}
COMPANY_WORDS = {"Company", "Inc", "Ltd", "Corp", "LLC", "Group", "Industries", "Technologies", "Systems"}
BRACKETED = re.compile(rf"^\s*\((?P<acr>{ACRONYM}|[A-Z][a-z]*[A-Z][A-Za-z]*)\)")

PLACE_NAME = rf"{WORD}(?:\s+(?:(?:de|da|do|del|la|le|am|upon)\s+)?{WORD}){{0,3}}"
PLACE_VERBS = (
    r"(?:met|meet|meets|meeting|talks|summit|signed|sign|signs|signing|visit|visited|visits|visiting|tour|toured|"
    r"hosted|hosts|held|hold|gathered|gather|launch|launched|launches|lifted off|lift off|arrived|traveled|"
    r"travelled|travel|conference|ceremony|invited|invites|invite)"
)
IN_PLACE = re.compile(
    rf"\b{PLACE_VERBS}\b(?:[^.;:!?]|(?<=\b[A-Z])\.|(?<=Dr|Mr|Ms|St)\.|(?<=Mrs)\.|(?<=Prof)\.){{0,120}}?\b(?:in|to)\s+(?:the\s+(?=\S+\s+(?:Space|Cosmodrome|Spaceport)))?"
    rf"(?P<name>{PLACE_NAME})",
)
SITE_WORDS = {
    "Cosmodrome": "spaceport",
    "Spaceport": "spaceport",
    "Launch Site": "spaceport",
    "Launch Complex": "spaceport",
    "Space Center": "facility",
    "Space Centre": "facility",
    "Space Flight Center": "facility",
    "Research Center": "facility",
    "Research Centre": "facility",
    "Facility": "facility",
    "Laboratory": "facility",
    "Station": "station",
    "Space Station": "station",
}
SITE_END = "|".join(re.escape(w) for w in sorted(SITE_WORDS, key=len, reverse=True))
AT_SITE = re.compile(
    rf"\b(?:at|from|to|in|near|visit(?:ed)?|tour(?:ed)?)\s+(?:the\s+)?(?P<name>(?:{WORD}\s+){{1,3}}?(?:{SITE_END}))\b"
)
COUNTRY_AFTER = re.compile(rf"^,\s+(?:the\s+)?(?P<c>{COUNTRY})\b")

LAUNCH_NAME = r"[A-Z][A-Za-z]*\d*(?:[- ](?:[A-Z][A-Za-z]*\d*|\d+[A-Za-z]?|[IVX]+))*"
NAMED_MISSION = [
    re.compile(rf"(?<![\w«’'-])(?P<name>{LAUNCH_NAME})\s+(?:crewed\s+|uncrewed\s+)?(?:mission|flight|launch)\b"),
    re.compile(rf"\b(?:launch|flight)\s+of\s+(?:the\s+)?(?P<name>{LAUNCH_NAME})\b"),
    re.compile(rf"\bmission,\s+(?P<name>{LAUNCH_NAME}),"),
]
BODIES = {"Moon", "Mars", "Lunar", "Venus", "Mercury", "Jupiter", "Saturn", "Sun", "Solar", "Earth", "Asteroid"}
FUTURE = re.compile(r"\b(?:will|is to|are to|scheduled|planned|upcoming|set for|slated|due|next|poised)\b", re.I)
PAST = re.compile(r"\b(?:launched|lifted off|flew|landed|returned|docked|was launched|took off|blasted off)\b", re.I)

CONFIDENCE = 0.5  # of a proposal's own fields (scaled down again as a proposal, see Context.emit)


@dataclass
class Found:
    type: str
    name: str
    read: Read
    start: int
    end: int
    short_name: str = ""
    kind: str = ""
    kind_confidence: float = CONFIDENCE
    country: str = ""
    wording: str = ""
    variants: set[str] = field(default_factory=set)


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s]+", name) if t]


def _trim(name: str, start: int) -> tuple[str, int]:
    """A name without the common words at either end ("On Monday Hiroshi Yamakawa" → "Hiroshi Yamakawa")."""
    name = re.sub(r"['’]s$", "", name)
    tokens = _tokens(name)
    while tokens and (tokens[0].rstrip(".") in COMMON or len(tokens) >= 3 and tokens[0].endswith("ly")):
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
    while tokens and tokens[-1] in COMMON:
        tokens = tokens[:-1]
    return " ".join(tokens), start


def _person_name(name: str) -> bool:
    tokens = _tokens(name)
    if len(tokens) < 2 or all(re.fullmatch(r"[A-Z]\.", t) for t in tokens):
        return False
    return not any(t.rstrip(".") in COMMON or t.isupper() and len(t) > 2 for t in tokens)


def _free(read: Read, start: int, end: int) -> bool:
    return not any(start < m.end and m.start < end for m in read.mentions)


def people_in(read: Read) -> list[Found]:
    found = []
    for pattern in (AFTER_TITLE, APPOSITION, SUBJECT_OF, OBJECT_OF):
        for m in pattern.finditer(read.text):
            name, start = _trim(m.group("name"), m.start("name"))
            if not _person_name(name) or not _free(read, start, start + len(name)):
                continue
            found.append(Found("person", name, read, start, start + len(name), wording=m.group(0)))
    for m in CREW_OF.finditer(read.text):
        at = m.end()
        while item := CREW_ITEM.match(read.text, at):
            name, start = _trim(item.group("name"), item.start("name"))
            if _person_name(name) and _free(read, start, start + len(name)):
                found.append(
                    Found("person", name, read, start, start + len(name), wording=read.text[m.start() : item.end()])
                )
            at = item.end()
    return found


def _org_kind(tokens: list[str], sentence: str) -> tuple[str, float]:
    words = set(tokens)
    if words & COMPANY_WORDS or re.search(r"\b(?:company|firm|startup|start-up|CEO|chief executive)\b", sentence):
        return "company", CONFIDENCE
    if words & SPACE_WORDS and not words & GOVERNMENT_WORDS:
        return "space_agency", CONFIDENCE
    if words & GOVERNMENT_WORDS or re.search(r"\b(?:ministry|minister|government|department)\b", sentence, re.I):
        return "government", CONFIDENCE
    if re.search(r"\bspace agenc(?:y|ies)\b|\bagenc(?:y|ies)\b", sentence, re.I):
        return "space_agency", CONFIDENCE * 0.8
    return "", 0.0


def _country_of(tokens: list[str]) -> str:
    for size in (3, 2, 1):
        for i in range(len(tokens) - size + 1):
            code = BY_NAME.get(" ".join(tokens[i : i + size]))
            if code:
                return code
    return ""


def agencies_in(read: Read) -> list[Found]:
    text, found = read.text, []

    def acronym(m, how):
        acr = m.group("acr")
        start = m.start("acr")
        if acr in NOT_ORGS or acr in BY_NAME or acr in COMMON or not _free(read, start, start + len(acr)):
            return
        kind, confidence = _org_kind([], text)
        found.append(Found("agency", acr, read, start, start + len(acr), acr, kind, confidence, wording=how))

    for pattern in (ACRONYM_BEFORE_TITLE, THE_AGENCY):
        for m in pattern.finditer(text):
            acronym(m, m.group(0))
    for pattern in NAMED_AGENCY:
        for m in pattern.finditer(text):
            acr, start = m.group("acr"), m.start("acr")
            if acr in COMMON or acr in NOT_ORGS or not _free(read, start, start + len(acr)):
                continue
            short = acr if acr.isupper() else ""
            found.append(Found("agency", acr, read, start, start + len(acr), short, "space_agency", wording=m.group(0)))
    for m in ORG_NAME.finditer(text):
        tokens = _tokens(m.group(0))
        while tokens and (tokens[0] in {"The", "A", "An"} or tokens[0] in COMMON - ORG_STARTS - SPACE_WORDS):
            if tokens[0] in COUNTRY_WORDS or tokens[0] in {"National", "State", "Federal", "International"}:
                break
            tokens = tokens[1:]
        end_at = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i] in ORG_ENDS), None)
        if end_at is None and not (tokens and tokens[0] in ORG_STARTS and len(tokens) >= 3):
            continue
        if end_at is not None and not (tokens[0] in ORG_STARTS and end_at == 0):
            tokens = tokens[: end_at + 1]
        while tokens and tokens[-1] in {"of", "for", "and", "the", "de"}:
            tokens = tokens[:-1]
        name = " ".join(tokens)
        specific = [t for t in tokens if t not in COMMON and t not in STOPWORDS or t in COUNTRY_WORDS]
        if len(tokens) < 2 or not specific:
            continue
        start = text.find(name, m.start())
        if start < 0 or not _free(read, start, start + len(name)):
            continue
        bracket = BRACKETED.match(text[start + len(name) :])
        short = bracket.group("acr") if bracket and bracket.group("acr") not in NOT_ORGS else ""
        kind, confidence = _org_kind(tokens, "")
        item = Found("agency", name, read, start, start + len(name), short, kind or "government", confidence or 0.3)
        item.country, item.wording = _country_of(tokens), name
        found.append(item)
    return found


def places_in(read: Read) -> list[Found]:
    text, found = read.text, []
    for m in AT_SITE.finditer(text):
        name, start = _trim_place(m.group("name"), m.start("name"))
        ending = next((w for w in sorted(SITE_WORDS, key=len, reverse=True) if name.endswith(w)), "")
        if not ending or len(_tokens(name)) <= len(_tokens(ending)) or not _free(read, start, start + len(name)):
            continue
        found.append(Found("place", name, read, start, start + len(name), kind=SITE_WORDS[ending], wording=m.group(0)))
    for m in IN_PLACE.finditer(text):
        name, start = _trim_place(m.group("name"), m.start("name"))
        if not name or not _free(read, start, start + len(name)) or set(_tokens(name)) & ORG_ENDS:
            continue
        if any(start < f.end and f.start < start + len(name) for f in found):
            continue
        ending = next((w for w in sorted(SITE_WORDS, key=len, reverse=True) if name.endswith(w)), "")
        item = Found("place", name, read, start, start + len(name), kind=SITE_WORDS.get(ending, "city"))
        item.wording = m.group(0)[-120:]
        country = COUNTRY_AFTER.match(text[start + len(name) :])
        item.country = BY_NAME[country.group("c")] if country else ""
        found.append(item)
    return found


def _trim_place(name: str, start: int) -> tuple[str, int]:
    tokens = _tokens(re.sub(r"['’]s$", "", name))
    while tokens and tokens[0] in {"The", "A", "An"}:
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
    keep = []
    for i, t in enumerate(tokens):  # "Tokyo On Monday": a name stops at the first common word
        opening = t in {"New", "Port", "Saint", "San", "Santa"} and i + 1 < len(tokens)  # "New Delhi"
        if t in COMMON and not opening and not (keep and t in {"Space", "Station", "Center", "Centre"}):
            break
        keep.append(t)
    while keep and keep[-1] in {"de", "da", "do", "del", "la", "le", "am", "upon"}:
        keep.pop()
    return " ".join(keep), start


def launches_in(read: Read) -> list[Found]:
    found = []
    for pattern in NAMED_MISSION:
        for m in pattern.finditer(read.text):
            name, start = m.group("name"), m.start("name")
            tokens = _tokens(name.replace("-", " "))
            while tokens and tokens[0] in COMMON and tokens[0] not in BODIES:
                start += len(tokens[0]) + 1
                tokens = tokens[1:]
                name = name[name.find(" ") + 1 :] if " " in name else ""
            if not name or not tokens or set(tokens) & (BODIES | COUNTRY_WORDS | MONTH_WORDS | WEEKDAY_WORDS):
                continue
            if all(t in COMMON for t in tokens) or name in NOT_ORGS or not _free(read, start, start + len(name)):
                continue
            if not re.search(r"\d|[A-Z].*[A-Z]|[a-z]{3}", name):
                continue
            found.append(Found("launch", name, read, start, start + len(name), wording=m.group(0)))
    return found


def _same_person(a: str, b: str) -> bool:
    """ "V. Narayanan" and "Venkat Narayanan", "Hiroshi Yamakawa" and "Hiroshi Yamakava": one person."""
    ta, tb = _tokens(a), _tokens(b)
    if ta[-1] == tb[-1]:
        fa, fb = ta[0].rstrip("."), tb[0].rstrip(".")
        return fa[0] == fb[0] and (len(fa) == 1 or len(fb) == 1 or fa == fb)
    return fuzz.ratio(a.lower(), b.lower()) >= 88


def _initials(name: str) -> str:
    return "".join(t[0] for t in _tokens(name) if t not in STOPWORDS).upper()


def _cluster(items: list[Found]) -> list[list[Found]]:
    groups: list[list[Found]] = []
    for item in items:
        for group in groups:
            head = group[0]
            if head.type != item.type:
                continue
            if item.type == "person" and _same_person(head.name, item.name):
                break
            if item.type == "agency" and _same_agency(group, item):
                break
            if item.type in ("place", "launch") and head.name.lower() == item.name.lower():
                break
        else:
            groups.append([item])
            continue
        group.append(item)
    return groups


def _same_agency(group: list[Found], item: Found) -> bool:
    names = {f.name for f in group} | {f.short_name for f in group if f.short_name}
    if item.name in names or item.short_name and item.short_name in names:
        return True
    if item.short_name and any(" " in f.name and f.short_name for f in group):
        return False  # two long names, each with its own acronym: two agencies
    theirs = {item.name, item.short_name} - {""}
    return any(_initials(n) in theirs for n in names if " " in n) or any(
        _initials(n) in names for n in theirs if " " in n
    )


def _canonical(group: list[Found]) -> Record:
    head = group[0]
    if head.type == "person":
        name = max((f.name for f in group), key=lambda n: (len(_tokens(n)), len(n.replace(".", ""))))
        return Record("person", "", name)
    if head.type == "agency":
        long_names = [f.name for f in group if " " in f.name]
        short = next((f.short_name for f in group if f.short_name), "") or next(
            (f.name for f in group if f.name.isupper()), ""
        )
        kinds = sorted(((f.kind_confidence, f.kind) for f in group if f.kind), reverse=True)
        country = next((f.country for f in group if f.country), "")
        return Record(
            "agency",
            "",
            long_names[0] if long_names else head.name,
            short,
            kind=kinds[0][1] if kinds else "",
            country=country,
        )
    if head.type == "place":
        return Record("place", "", head.name, kind=head.kind, country=next((f.country for f in group if f.country), ""))
    return Record("launch", "", head.name)


def run(context: Context) -> None:
    items: list[Found] = []
    for read in context.reads:  # agencies first: their acronyms stand before the titles that precede people
        for finder in (agencies_in, places_in, launches_in, people_in):
            for item in finder(read):
                if not any(item.start < f.end and f.start < item.end for f in items if f.read is read):
                    items.append(item)
    known_surnames = {r.name.split()[-1] for r in context.gazetteer.of_type("person") if " " in r.name}
    for group in _cluster(items):
        record = _canonical(group)
        slug = proposed_slug(Subject(record.type, name=record.name))
        if (
            not slug
            or context.gazetteer.get(record.type, slug)
            or any(p.type == record.type and p.slug == slug for p in context.proposed.values())
        ):
            continue
        known = _known_as(context, record)
        if known is not None:  # a shorter or variant name of a record the database holds: that record
            if record.type in ("person", "place", "agency"):
                for f in group:
                    f.read.mentions.append(Mention(f.start, f.end, f.name, record.type, known, "variant", 0.7))
                    f.read.mentions.sort(key=lambda x: x.start)
            continue
        record = Record(record.type, slug, record.name, record.short_name, kind=record.kind, country=record.country)
        context.proposed[(record.type, slug)] = record
        variants = {f.name for f in group} | {record.name}
        if record.short_name:
            variants.add(record.short_name)
        surname = record.name.split()[-1]
        if record.type == "person" and surname not in known_surnames and len(surname) >= 3:
            variants.add(surname)
        context.proposed_names[(record.type, slug)] = variants
        _emit_own(context, group, record)
    _mention_everywhere(context)


def _known_as(context: Context, record: Record) -> str | None:
    """The known record a proposal is a variant of: a person under a close spelling ("D. Petrov" for "Dmitri
    Petrov"), a place or agency by the first words of its name ("Springfield" for "Springfield, Illinois"), a
    launch by its rocket's name ("Arrow" for the known "Arrow 7"). None if it is new."""
    for known in context.gazetteer.of_type(record.type):
        if record.type == "person":
            if len(_tokens(known.name)) >= 2 and _same_person(record.name, known.name):
                return known.slug
            continue
        names = [known.name, known.short_name, *known.aliases, known.vehicle]
        if any(n and re.match(rf"{re.escape(record.name)}(?:[ ,]|$)", n) for n in names):
            return known.slug
    return None


def _emit_own(context: Context, group: list[Found], record: Record) -> None:
    first = group[0]
    subject = Subject(record.type, record.slug)
    emit = context.emit
    emit(first.read, subject, "name", record.name, wording=first.wording or record.name, confidence=CONFIDENCE)
    if record.type == "agency":
        if record.short_name:
            emit(first.read, subject, "short_name", record.short_name, wording=record.short_name, confidence=CONFIDENCE)
        kinds = sorted(((f.kind_confidence, f.kind, id(f)) for f in group if f.kind), key=lambda k: -k[0])
        kind, confidence = (kinds[0][1], kinds[0][0]) if kinds else _article_kind(context)
        emit(first.read, subject, "kind", kind, wording=first.wording, confidence=confidence)
        if record.country:
            emit(first.read, subject, "country", record.country, wording=record.name, confidence=CONFIDENCE * 0.8)
    elif record.type == "place":
        emit(first.read, subject, "kind", record.kind, wording=first.wording, confidence=CONFIDENCE * 0.8)
        if record.country:
            emit(first.read, subject, "country", record.country, wording=first.wording, confidence=CONFIDENCE * 0.8)
    elif record.type == "launch":
        for f in group:
            status = _launch_status(context, f.read)
            if status:
                emit(f.read, subject, "status", status, wording=f.wording, confidence=CONFIDENCE * 0.8)
                dated = [d for d in usable_dates(f.read) if d.start >= f.end and d.edtf]
                if dated:  # "the X-7 mission will lift off ... in June 2027"
                    emit(f.read, subject, "date", dated[0].edtf, wording=dated[0].wording, confidence=0.4)
                break
        else:
            emit(first.read, subject, "status", "planned", wording=first.wording, confidence=0.2)


def _article_kind(context: Context) -> tuple[str, float]:
    """An organisation named only by its acronym: what the article calls such bodies (agencies, companies)."""
    text = " ".join(r.text for r in context.reads)
    kind, confidence = _org_kind([], text)
    return (kind, confidence * 0.6) if kind else ("space_agency", 0.2)


def _launch_status(context: Context, read: Read) -> str:
    future, past = FUTURE.search(read.text), PAST.search(read.text)
    if future and not past:
        return "planned"
    if past and not future:
        return "launched"
    dated = [d for d in read.dates if d.earliest and d.latest]
    if dated and dated[0].earliest > context.published:
        return "planned"
    if dated and dated[0].latest < context.published:
        return "launched"
    return ""


def _mention_everywhere(context: Context) -> None:
    """Each proposed record mentioned wherever the article names it (by any of its variants), as known ones are."""
    if not context.proposed_names:
        return
    by_text = {}
    for key, variants in context.proposed_names.items():
        for v in variants:
            by_text.setdefault(v, key)
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in sorted(by_text, key=len, reverse=True)) + r")(?![\w]|-\w)"
    )
    for read in context.reads:
        added = False
        for m in pattern.finditer(read.text):
            if not _free(read, m.start(), m.end()):
                continue
            type_, slug = by_text[m.group(0)]
            read.mentions.append(Mention(m.start(), m.end(), m.group(0), type_, slug, "proposed", 0.8))
            added = True
        if added:
            read.mentions.sort(key=lambda x: x.start)
