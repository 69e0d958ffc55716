"""Fuzzy dates in admin forms: EDTF, or a plain English phrase read strictly.

A phrase is read only when it has one meaning: a month by name or a numeric day and month that cannot be
swapped, a four-digit year, a season, a quarter. Anything else is refused with what is wrong; nothing is guessed.
"""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError

from events.fuzzydates import edtf_bounds

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_NUMBERS = {name[:length]: n for n, name in enumerate(MONTHS, start=1) for length in (3, None)} | {"sept": 9}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}  # EDTF's season codes
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

YEAR = r"(?P<year>\d{4})"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
WORD = r"(?P<word>[a-z]+)\.?"  # a month or a season
MONTH_DAY_YEAR = re.compile(rf"{WORD} {DAY} {YEAR}")
DAY_MONTH_YEAR = re.compile(rf"(?:the )?{DAY}(?: of)? {WORD} {YEAR}")
WORD_YEAR = re.compile(rf"{WORD}(?: of)? {YEAR}")
QUARTER = re.compile(rf"(?:q(?P<number>\d+)|(?P<ordinal>[a-z0-9]+) quarter(?: of)?) {YEAR}")
NUMERIC = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d+)")
ONLY_YEAR = re.compile(YEAR)
APPROXIMATE = re.compile(r"(?:circa|c\.|ca\.|about|around|approximately) ")
SPANS = (
    (re.compile(r"(?P<first>\d{4})-(?P<last>\d{4})"), "{first}/{last}"),
    (re.compile(r"(?:from )?(?P<first>.+?) (?:-|–|—|to|until) (?P<last>.+)"), "{first}/{last}"),
    (re.compile(r"between (?P<first>.+?) and (?P<last>.+)"), "{first}/{last}"),
    (re.compile(r"(?:since|on or after) (?P<first>.+)"), "{first}/.."),
    (re.compile(r"on or before (?P<last>.+)"), "../{last}"),
)
HELP = (
    "EDTF (2025-07-31, 2025-02, 2026-22 for summer 2026, 2026-33 for Q1 2026, 2025-08-21/2025-08-31, ../2018-10) "
    "or a phrase such as 'July 31, 2025', 'February 2025', 'summer 2026', 'Q1 2026' or 'July 2025 to March 2026'."
)


def _day(value: str, year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValidationError(f"{value!r} names no day of the calendar.") from None


def _numeric(value: str, match: re.Match) -> str:
    """A day and month in digits, either way round, when only one way makes a date."""
    a, b, year = int(match["a"]), int(match["b"]), match["year"]
    if len(year) != 4:
        raise ValidationError(f"{value!r}: write the year in full, with four digits.")
    if a <= 12 and b <= 12 and a != b:
        raise ValidationError(
            f"{value!r} could be {a} {MONTHS[b - 1].title()} or {b} {MONTHS[a - 1].title()}: "
            "write the month as a word, e.g. 'July 31, 2025'."
        )
    day, month = (a, b) if a > 12 else (b, a)
    return _day(value, int(year), month, day)


def _single(text: str, value: str) -> str | None:
    """EDTF for one day, month, season, quarter or year; None when `text` is none of those."""
    if match := NUMERIC.fullmatch(text):
        return _numeric(value, match)
    if match := QUARTER.fullmatch(text):
        number = int(match["number"]) if match["number"] else ORDINALS.get(match["ordinal"], 0)
        if not 1 <= number <= 4:
            raise ValidationError(f"{value!r}: a year has four quarters, Q1 to Q4.")
        return f"{match['year']}-{32 + number}"
    for pattern in (MONTH_DAY_YEAR, DAY_MONTH_YEAR):
        if (match := pattern.fullmatch(text)) and match["word"] in MONTH_NUMBERS:
            return _day(value, int(match["year"]), MONTH_NUMBERS[match["word"]], int(match["day"]))
    if match := WORD_YEAR.fullmatch(text):
        if match["word"] in MONTH_NUMBERS:
            return f"{match['year']}-{MONTH_NUMBERS[match['word']]:02d}"
        if match["word"] in SEASONS:
            return f"{match['year']}-{SEASONS[match['word']]}"
    if ONLY_YEAR.fullmatch(text):
        return text
    return None


def _qualified(text: str, value: str) -> str | None:
    """`_single`, approximate after 'circa' or 'about', uncertain with a closing '?'."""
    approximate = APPROXIMATE.match(text)
    text = text[approximate.end() :] if approximate else text
    uncertain = text.endswith("?")
    edtf = _single(text.removesuffix("?").rstrip(), value)
    if edtf is None:
        return None
    return edtf + ("%" if approximate and uncertain else "~" if approximate else "?" if uncertain else "")


def phrase_to_edtf(phrase: str) -> str | None:
    """EDTF for a phrase read in one way only; None for one that is no date phrase at all. A phrase shaped like a
    date but wrong (a fifth quarter, an ambiguous 03/04/2025, a two-digit year) raises ValidationError saying so."""
    text = " ".join(phrase.lower().replace(",", " ").split())
    for pattern, edtf in SPANS:
        if match := pattern.fullmatch(text):
            sides = {name: _qualified(side, phrase) for name, side in match.groupdict().items()}
            return None if None in sides.values() else edtf.format(**sides)
    return _qualified(text, phrase)


class FuzzyDateFormField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs["help_text"] = HELP
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return value
        try:
            edtf_bounds(value)
            return value
        except ValidationError as exc:
            not_edtf = exc
        edtf = phrase_to_edtf(value)
        if edtf is None:
            if not re.search(r"[a-z]", value, re.IGNORECASE):
                raise not_edtf  # EDTF typed wrong ('2025-99'): say so rather than read the digits some other way
            raise ValidationError(f"Could not read {value!r} as a date. Use {HELP}")
        try:
            edtf_bounds(edtf)
        except ValidationError as exc:
            raise ValidationError(f"{value!r} reads as {edtf}, but: {' '.join(exc.messages)}") from exc
        self.phrase = value
        return edtf


class FuzzyDateFormMixin:
    """Lets every `<name>_edtf` field take a phrase; the phrase is kept as `<name>_text` if that is empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if name.endswith("_edtf"):
                self.fields[name] = FuzzyDateFormField(
                    required=field.required, label=field.label, max_length=field.max_length
                )

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            phrase = getattr(field, "phrase", None)
            text_name = name.removesuffix("_edtf") + "_text"
            if phrase and text_name in self.fields and not cleaned.get(text_name):
                cleaned[text_name] = phrase
        return cleaned


class FuzzyDateModelForm(FuzzyDateFormMixin, forms.ModelForm):
    pass
