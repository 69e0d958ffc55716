"""Date phrases to EDTF: absolute ones, and relative ones resolved against the publication date or the date the
sentence (or the one before it) speaks of. Day-level phrases go through dateparser; the rest are rules, because
EDTF's seasons, quarters and parts of months are not dateparser's business."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import dateparser

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
}
MONTHS["sept"] = 9
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"  # noqa: E501
# EDTF level-1 seasons (northern hemisphere) and quarters.
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}
PARTS_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
PARTS_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
WEEKDAYS = [calendar.day_name[i].lower() for i in range(7)]
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
YEAR = r"(?:19[5-9]\d|20\d\d|2100)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"

FUTURE = re.compile(
    r"\b(?:will|shall|to be|is to|are to|scheduled|set for|set to|plans?|planning|planned|upcoming|next|expected|"
    r"slated|poised|preparing|prepare|intends?|would|anticipated|aims?)\b",
    re.IGNORECASE,
)
PAST = re.compile(
    r"\b(?:met|was|were|had|did|took place|traveled|travelled|attended|flew|said|told|invited|appointed|named|"
    r"launched|landed|suffered|visited|held|ago|last|former|then-)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    wording: str
    edtf: str
    earliest: dt.date | None
    latest: dt.date | None
    relative: bool = False  # resolved against another date rather than read as it stands
    open_side: str = ""  # "before"/"after" for a "since/until" bound


def tense(text: str) -> str:
    """'future', 'past' or '' for a sentence: which way a year-less date should be read."""
    future, past = FUTURE.search(text), PAST.search(text)
    if future and not past:
        return "future"
    if past and not future:
        return "past"
    if future and past:
        return "future" if future.start() < past.start() else "past"
    return ""


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def day_span(day: dt.date) -> tuple[str, dt.date, dt.date]:
    return day.isoformat(), day, day


def month_span(year: int, month: int) -> tuple[str, dt.date, dt.date]:
    return f"{year:04d}-{month:02d}", dt.date(year, month, 1), month_end(year, month)


def months_span(year: int, first: int, last: int) -> tuple[str, dt.date, dt.date]:
    if first == last:
        return month_span(year, first)
    return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}", dt.date(year, first, 1), month_end(year, last)


def year_span(year: int) -> tuple[str, dt.date, dt.date]:
    return f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31)


def season_span(year: int, code: int) -> tuple[str, dt.date, dt.date]:
    if code in SEASON_MONTHS:
        first, last = SEASON_MONTHS[code]
        end = month_end(year + 1, last) if last < first else month_end(year, last)
        return f"{year:04d}-{code}", dt.date(year, first, 1), end
    quarter = code - 32  # 33..36
    first = 3 * quarter - 2
    return f"{year:04d}-{code}", dt.date(year, first, 1), month_end(year, first + 2)


def pick_year(month: int, day: int | None, *, published: dt.date, direction: str) -> int:
    """The year a month (and day) without one most likely means, seen from the publication date."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            when = dt.date(year, month, day or 1)
        except ValueError:
            continue
        candidates.append((year, when))
    month_start = published.replace(day=1)
    if direction == "past":
        fitting = [y for y, when in candidates if when <= published or (not day and when <= month_start)]
        return max(fitting) if fitting else published.year
    if direction == "future":
        fitting = [y for y, when in candidates if when >= published or (not day and when >= month_start)]
        return min(fitting) if fitting else published.year
    return min(candidates, key=lambda c: abs((c[1] - published).days))[0]


def parse_day(phrase: str, *, published: dt.date, direction: str) -> dt.date | None:
    """A day-level phrase ("Feb. 11", "Aug 25, 2025") read by dateparser; the year, when missing, by tense."""
    settings = {"RELATIVE_BASE": dt.datetime.combine(published, dt.time()), "REQUIRE_PARTS": ["day", "month"]}
    if direction in ("past", "future"):
        settings["PREFER_DATES_FROM"] = direction
    try:
        parsed = dateparser.parse(phrase.replace(".", " "), languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a phrase it cannot read is no date
        return None
    return parsed.date() if parsed else None


PATTERNS = [
    ("iso", rf"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
    ("range_years", rf"\b[Ff]rom (?P<y1>{YEAR}) (?:to|until|through) (?P<y2>{YEAR})\b"),
    ("mdy", rf"\b(?P<mon>{MONTH})\.? (?P<d>{DAY}),? (?P<y>{YEAR})\b"),
    ("dmy", rf"\b(?P<d>{DAY}) (?P<mon>{MONTH})\.?,? (?P<y>{YEAR})\b"),
    ("part_month", rf"\b(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[- ](?P<mon>{MONTH})(?:,? (?P<y>{YEAR}))?\b"),
    ("md", rf"\b(?P<mon>{MONTH})\.? (?P<d>{DAY})\b(?!,? ?\d)"),
    ("dm", rf"\b(?P<d>{DAY}) (?P<mon>{MONTH})\b(?!\.? ?,? ?\d)"),
    ("my", rf"\b(?P<mon>{MONTH})\.?,? (?P<y>{YEAR})\b"),
    ("quarter", rf"\b(?:Q(?P<q>[1-4])|(?P<qw>first|second|third|fourth) quarter(?: of)?),? (?P<y>{YEAR})\b"),
    ("season", rf"\b(?P<s>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?: of)? (?P<y>{YEAR})\b"),
    ("rel_season", r"\b(?P<rel>this|next|last|coming)(?: coming)? (?P<s>spring|summer|autumn|fall|winter)\b"),
    ("part_year", rf"\b(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[- ](?P<y>{YEAR})\b"),
    ("rel_month", rf"\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Tt]he (?:same|previous|following)) (?P<mon>{MONTH})\b"),
    ("later_year", rf"\b(?P<rel>later|earlier) (?:in|this) (?:the )?(?:year|(?P<y>{YEAR}))\b"),
    ("rel_year", r"\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext) year\b"),
    (
        "days_offset",
        r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten) days? "
        r"(?P<dir>after|before|later|earlier)\b",
    ),
    ("weekday", r"\b(?P<rel>last |this |next |on )?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    ("month_adj", rf"\b(?P<art>[Tt]he|[Tt]his|[Ll]ast|[Nn]ext) (?P<mon>{MONTH}) (?=meeting|talks|trip|visit|launch)"),
    ("month_alone", rf"\b(?P<prep>in|since|by|until|from|through|during|of|the) (?P<mon>{MONTH})\b(?! \d)"),
    ("year", rf"(?<![\d-])(?P<y>{YEAR})(?![\d-])"),
    ("today", r"\b(?P<rel>today|yesterday|tomorrow)\b"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in PATTERNS]
SINCE = re.compile(r"\b(?:since|after)\s*$", re.IGNORECASE)
UNTIL = re.compile(r"\b(?:until|before|by)\s*$", re.IGNORECASE)


def dates_in(
    text: str, *, published: dt.date, context: DateMention | None = None, direction: str | None = None
) -> list[DateMention]:
    """Every date phrase in `text`, left to right, none overlapping; relative ones resolved against the date
    mentioned just before them (in this text, else `context`), else the publication date."""
    direction = tense(text) if direction is None else direction
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, re.Match]] = []
    for name, pattern in COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append((start, end, name, match))
    found.sort()
    mentions: list[DateMention] = []
    for position, (start, end, name, match) in enumerate(found):
        anchor = mentions[-1] if mentions else context
        if name == "days_offset" and not mentions and position + 1 < len(found):
            # "two days after X met Y on Feb. 11": the date it counts from comes after it.
            following = found[position + 1]
            try:
                later = _resolve(following[2], following[3], published=published, direction=direction, anchor=None)
            except (ValueError, OverflowError):
                later = None
            if later:
                anchor = DateMention(following[0], following[1], following[3].group(0), *later[:3])
        try:
            span = _resolve(name, match, published=published, direction=direction, anchor=anchor)
        except (ValueError, OverflowError):  # an impossible day ("31 February") is no date
            span = None
        if span is None:
            continue
        edtf, earliest, latest, relative = span
        mentions.append(DateMention(start, end, match.group(0).strip(), edtf, earliest, latest, relative))
    return mentions


def _resolve(name, m, *, published, direction, anchor):  # noqa: C901  (one branch per phrase form)
    g = m.groupdict()
    mon = MONTHS.get((g.get("mon") or "").lower().rstrip("."))
    if name == "iso":
        return (*day_span(dt.date(int(g["y"]), int(g["m"]), int(g["d"]))), False)
    if name == "range_years":
        y1, y2 = int(g["y1"]), int(g["y2"])
        return (f"{y1}/{y2}", dt.date(y1, 1, 1), dt.date(y2, 12, 31), False) if y1 < y2 else None
    if name in ("mdy", "dmy"):
        day = int(re.match(r"\d+", g["d"]).group())
        return (*day_span(dt.date(int(g["y"]), mon, day)), False)
    if name in ("md", "dm"):
        day = int(re.match(r"\d+", g["d"]).group())
        parsed = parse_day(m.group(0), published=published, direction=direction)
        if parsed is None:
            year = pick_year(mon, day, published=published, direction=direction)
            parsed = dt.date(year, mon, day)
        return (*day_span(parsed), True)
    if name == "part_month":
        first, last = PARTS_OF_MONTH[g["part"].lower()]
        year = int(g["y"]) if g["y"] else pick_year(mon, None, published=published, direction=direction)
        last = min(last, month_end(year, mon).day)
        a, b = dt.date(year, mon, first), dt.date(year, mon, last)
        return f"{a.isoformat()}/{b.isoformat()}", a, b, not g["y"]
    if name == "my":
        return (*month_span(int(g["y"]), mon), False)
    if name == "quarter":
        quarter = int(g["q"]) if g["q"] else ["first", "second", "third", "fourth"].index(g["qw"].lower()) + 1
        return (*season_span(int(g["y"]), 32 + quarter), False)
    if name == "season":
        return (*season_span(int(g["y"]), SEASONS[g["s"].lower()]), False)
    if name == "rel_season":
        code, rel = SEASONS[g["s"].lower()], g["rel"].lower()
        year = published.year + (1 if rel == "next" else -1 if rel == "last" else 0)
        return (*season_span(year, code), True)
    if name == "part_year":
        first, last = PARTS_OF_YEAR[g["part"].lower()]
        return (*months_span(int(g["y"]), first, last), False)
    if name == "rel_month":
        rel = g["rel"].lower()
        if rel.startswith("the"):
            base = anchor.earliest if anchor and anchor.earliest else published
            return (*month_span(pick_year(mon, None, published=base, direction=""), mon), True)
        if rel == "last":
            year = published.year if mon < published.month else published.year - 1
        elif rel == "next":
            year = published.year if mon > published.month else published.year + 1
        else:
            year = published.year
        return (*month_span(year, mon), True)
    if name == "later_year":
        base = anchor.latest if anchor and anchor.latest and not g["y"] else None
        year = int(g["y"]) if g["y"] else (base or published).year
        ref = base if base and base.year == year else (published if published.year == year else None)
        if g["rel"] == "later":
            first = ref.month + 1 if ref else 1
            return (*months_span(year, first, 12), True) if first <= 12 else None
        last = ref.month - 1 if ref else 12
        return (*months_span(year, 1, last), True) if last >= 1 else None
    if name == "rel_year":
        rel = g["rel"].lower()
        return (*year_span(published.year + {"last": -1, "this": 0, "next": 1}[rel]), True)
    if name == "days_offset":
        if not anchor or anchor.earliest is None or anchor.earliest != anchor.latest:
            return None
        n = NUMBERS.get(g["n"].lower()) or int(g["n"])
        sign = 1 if g["dir"] in ("after", "later") else -1
        return (*day_span(anchor.earliest + dt.timedelta(days=sign * n)), True)
    if name == "weekday":
        target = WEEKDAYS.index(g["wd"].lower())
        rel = (g["rel"] or "").strip().lower()
        if not rel:
            return None
        back = (published.weekday() - target) % 7
        if rel == "last" or (rel == "on" and direction != "future"):
            day = published - dt.timedelta(days=back or 7)
        else:
            day = published + dt.timedelta(days=(target - published.weekday()) % 7 or 7)
        return (*day_span(day), True)
    if name in ("month_alone", "month_adj"):
        if name == "month_alone" and g["prep"] == "the":
            return None
        article = (g.get("art") or "").lower()
        how = "past" if article == "last" else "future" if article == "next" else direction
        base = published  # "the July meeting": the July the sentence's tense points to, seen from publication
        return (*month_span(pick_year(mon, None, published=base, direction=how), mon), True)
    if name == "year":
        return (*year_span(int(g["y"])), False)
    if name == "today":
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
        return (*day_span(published + dt.timedelta(days=shift)), True)
    return None


PUBLISHED_LINE = re.compile(
    rf"^(?:(?:date|dated|published|posted|updated)[:\s]+)?(?P<date>{YEAR}-\d\d-\d\d|{DAY} {MONTH}\.?,? {YEAR}|"
    rf"{MONTH}\.? {DAY},? {YEAR})",
    re.IGNORECASE,
)


def published_in(paragraphs) -> tuple[dt.date | None, str]:
    """The date an article gives itself: a full date opening one of its first lines."""
    for paragraph in paragraphs:
        match = PUBLISHED_LINE.match(paragraph[:200])
        if not match:
            continue
        mentions = dates_in(match.group("date"), published=dt.date(2000, 1, 1), direction="")
        if mentions and mentions[0].earliest and mentions[0].earliest == mentions[0].latest:
            return mentions[0].earliest, match.group(0).strip()
    return None, ""
