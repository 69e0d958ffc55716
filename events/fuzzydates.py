"""Fuzzy dates: EDTF text plus the earliest and latest day it can mean.

Only the `edtf` package's parser is used; its Django field mangles seasons
and quarters, so bounds are computed here and stored in plain DateFields.
An open or unknown end of an interval (`../2018-10`, `2025-08/`) is
unbounded on that side, rather than the package's ten-year guess.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.parser_classes import (
    Interval,
    Level2Season,
    Season,
    UncertainOrApproximate,
    UnspecifiedIntervalSection,
)

# Seasons that start in December (winter; northern winter; southern summer). The parser ends them
# on 31 December; they run to the end of February.
WINTERS = {"24", "28", "30"}
EXAMPLES = "2025-07-31, 2025-02, 2025, 2026-22 (summer), 2026-33 (Q1), 2025-08-21/2025-08-31, ../2018-10"
# Bounded before parsing: the parser spends tens of milliseconds on each member of a set (`[a, b]`, `{a, b}`).
# The seed data's longest date has 21 characters and none is a set; a set of four parses in about 0.1 s.
EDTF_MAX_LENGTH = 64
EDTF_MAX_SET_MEMBERS = 4


@dataclass(frozen=True)
class Bounds:
    """Earliest and latest possible day; None means unbounded on that side."""

    earliest: dt.date | None
    latest: dt.date | None


def _side(section, *, upper: bool) -> dt.date | None:
    if isinstance(section, UnspecifiedIntervalSection):
        return None
    value = section.upper_strict() if upper else section.lower_strict()
    if isinstance(value, float):  # the parser's +/-infinity for open ends
        return None
    day = struct_time_to_date(value)
    inner = section.date if isinstance(section, UncertainOrApproximate) else section
    if upper and isinstance(inner, Season | Level2Season) and str(inner.season) in WINTERS:
        day = dt.date(day.year + 1, 3, 1) - dt.timedelta(days=1)
    return day


def _invalid(text: str, reason: str) -> ValidationError:
    return ValidationError(
        "%(value)r is not a valid EDTF date (%(reason)s). Examples that work: %(examples)s.",
        code="invalid_edtf",
        params={"value": text, "reason": reason, "examples": EXAMPLES},
    )


def edtf_bounds(text: str) -> Bounds:
    """Parse an EDTF string; raise ValidationError with an example when it is not one."""
    text = (text or "").strip()
    if len(text) > EDTF_MAX_LENGTH:  # not echoed: it may be megabytes
        raise ValidationError(
            "EDTF text is at most %(limit)d characters (this has %(length)d).",
            code="edtf_too_long",
            params={"limit": EDTF_MAX_LENGTH, "length": len(text)},
        )
    if text.count(",") >= EDTF_MAX_SET_MEMBERS:  # commas part a set's members and appear nowhere else
        raise _invalid(text, f"a set holds at most {EDTF_MAX_SET_MEMBERS} dates")
    return _edtf_bounds(text)


@functools.lru_cache(maxsize=4096)  # the parser is slow (pyparsing) and the results are immutable
def _edtf_bounds(text: str) -> Bounds:
    if not text:
        raise ValidationError("An EDTF date is required, e.g. %(examples)s.", params={"examples": EXAMPLES})
    try:
        parsed = parse_edtf(text)
        if isinstance(parsed, Interval):
            bounds = Bounds(_side(parsed.lower, upper=False), _side(parsed.upper, upper=True))
        else:
            bounds = Bounds(_side(parsed, upper=False), _side(parsed, upper=True))
    except Exception as exc:  # the parser raises several types, all meaning "not a date we can use"
        raise _invalid(text, type(exc).__name__) from exc
    if bounds.earliest and bounds.latest and bounds.earliest > bounds.latest:
        raise _invalid(text, "it ends before it starts")
    return bounds
