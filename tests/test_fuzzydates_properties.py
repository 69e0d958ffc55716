"""Properties of the fuzzy-date parser over generated EDTF text, in every form the project accepts."""

import calendar
import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from edtf import parse_edtf
from hypothesis import assume, example, given
from hypothesis import strategies as st

from bench.synthetic import vocab
from events.fuzzydates import Bounds, edtf_bounds

D = dt.date
# 21-24 seasons, 25-32 hemisphere seasons, 33-36 quarters, 37-39 quadrimesters, 40-41 semesters:
# (first month, last month, whether it ends in the next year).
SPANS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2), 25: (3, 5), 26: (6, 8), 27: (9, 11), 28: (12, 2)}
SPANS |= {29: (9, 11), 30: (12, 2), 31: (3, 5), 32: (6, 8), 33: (1, 3), 34: (4, 6), 35: (7, 9), 36: (10, 12)}
SPANS |= {37: (1, 4), 38: (5, 8), 39: (9, 12), 40: (1, 6), 41: (7, 12)}
# EDTF (and its parser) allows only the four plain seasons as an end of an interval, not 25-41.
INTERVAL_SEASONS = (21, 22, 23, 24)
# Year 0 has no Python date; the last year stops short of a winter that would end in year 10000.
years = st.integers(min_value=1, max_value=9998)


def last_day(year: int, month: int) -> D:
    return D(year, month, calendar.monthrange(year, month)[1])


@st.composite
def single_dates(draw, codes=tuple(SPANS)):
    """(EDTF text, the bounds it must have) for a day, a month, a year or a season/quarter-like span."""
    year = draw(years)
    form = draw(st.sampled_from(["day", "month", "year", "span"]))
    if form == "day":
        day = draw(st.dates(min_value=D(year, 1, 1), max_value=D(year, 12, 31)))
        return day.isoformat(), Bounds(day, day)
    if form == "month":
        month = draw(st.integers(1, 12))
        return f"{year:04d}-{month:02d}", Bounds(D(year, month, 1), last_day(year, month))
    if form == "year":
        return f"{year:04d}", Bounds(D(year, 1, 1), D(year, 12, 31))
    code = draw(st.sampled_from(codes))
    first, last = SPANS[code]
    end_year = year + 1 if last < first else year
    return f"{year:04d}-{code}", Bounds(D(year, first, 1), last_day(end_year, last))


@st.composite
def intervals(draw):
    """(EDTF text, expected bounds or None when it ends before it starts) for closed, open and unknown ends."""
    start, start_bounds = draw(single_dates(codes=INTERVAL_SEASONS))
    end, end_bounds = draw(single_dates(codes=INTERVAL_SEASONS))
    shape = draw(st.sampled_from(["closed", "open-start", "unknown-start", "open-end", "unknown-end", "open-both"]))
    if shape == "closed":
        reversed_ = start_bounds.earliest > end_bounds.latest
        return f"{start}/{end}", None if reversed_ else Bounds(start_bounds.earliest, end_bounds.latest)
    return {
        "open-start": (f"../{end}", Bounds(None, end_bounds.latest)),  # on or before
        "unknown-start": (f"/{end}", Bounds(None, end_bounds.latest)),
        "open-end": (f"{start}/..", Bounds(start_bounds.earliest, None)),
        "unknown-end": (f"{start}/", Bounds(start_bounds.earliest, None)),
        "open-both": ("../..", Bounds(None, None)),
    }[shape]


edtf_texts = st.one_of(single_dates(), intervals())


@given(edtf_texts)
@example(("2024-02", Bounds(D(2024, 2, 1), D(2024, 2, 29))))
@example(("9998-24", Bounds(D(9998, 12, 1), D(9999, 2, 28))))
@example(("2025-24/2025-24", Bounds(D(2025, 12, 1), D(2026, 2, 28))))
def test_bounds_are_the_ones_the_text_means_and_ordered(case):
    text, expected = case
    if expected is None:
        with pytest.raises(ValidationError, match="ends before it starts"):
            edtf_bounds(text)
        return
    bounds = edtf_bounds(text)
    assert bounds == expected
    if bounds.earliest and bounds.latest:
        assert bounds.earliest <= bounds.latest


@given(edtf_texts)
def test_text_round_trips_through_the_parser(case):
    text, expected = case
    assume(expected is not None)
    written = str(parse_edtf(text))
    assert str(parse_edtf(written)) == written
    assert edtf_bounds(written) == edtf_bounds(text)


@given(years, st.integers(25, 41), st.booleans())
def test_a_quarter_or_other_level_2_span_cannot_end_an_interval(year, code, at_start):
    text = f"{year:04d}-{code}"
    interval = f"{text}/.." if at_start else f"../{text}"
    with pytest.raises(ValidationError) as excinfo:
        edtf_bounds(interval)
    assert excinfo.value.code == "invalid_edtf"
    assert repr(interval) in excinfo.value.messages[0]


@given(st.tuples(single_dates(), st.text(alphabet=" \t\n", max_size=3), st.text(alphabet=" \t\n", max_size=3)))
def test_surrounding_whitespace_does_not_change_the_bounds(case):
    (text, expected), before, after = case
    assert edtf_bounds(f"{before}{text}{after}") == expected


@given(st.integers(min_value=0, max_value=2**32), st.dates(min_value=vocab.FIRST_DAY, max_value=vocab.LAST_DAY))
def test_synthetic_fast_bounds_agree_with_the_parser(seed, day):
    text, earliest, latest, _phrase = vocab.fuzzy(random.Random(seed), day)
    assert edtf_bounds(text) == Bounds(earliest, latest)
    assert earliest <= day <= latest


def assert_valid_or_clearly_rejected(text: str) -> None:
    """A date with ordered bounds, or a ValidationError that names the value; never anything else."""
    try:
        bounds, error = edtf_bounds(text), None
    except ValidationError as exc:
        bounds, error = None, exc
    if error is None:
        assert not (bounds.earliest and bounds.latest) or bounds.earliest <= bounds.latest
        return
    message = " ".join(error.messages)
    assert "2025-07-31" in message  # every rejection shows an example that works
    if text.strip():
        assert error.code == "invalid_edtf"
        assert repr(text.strip()) in message


@given(st.text(max_size=40))
def test_arbitrary_text_is_a_date_or_a_clear_error(text):
    assert_valid_or_clearly_rejected(text)


@st.composite
def near_misses(draw):
    """Text shaped like EDTF with one part out of range or malformed."""
    year = draw(st.integers(0, 99999))
    return draw(
        st.sampled_from(
            [
                f"{year:04d}-{draw(st.integers(0, 99)):02d}",  # months 13-20 and seasons past 41 do not exist
                f"{year:04d}-{draw(st.integers(0, 99)):02d}-{draw(st.integers(0, 99)):02d}",
                f"{year:04d}-{draw(st.integers(13, 99))}/{year:04d}",
                f"{year}/{draw(st.integers(0, 99999))}",
                f"{year:04d}-02-{draw(st.integers(29, 31))}",
                f"../{year:04d}/..",
                f"{year:04d}--{draw(st.integers(1, 12))}",
            ]
        )
    )


@given(near_misses())
@example("2025-13")
@example("2025-42")
@example("2025-02-29")
@example("0000")
@example("9999-24")
@example("2025/2024")
def test_near_misses_are_dates_or_clear_errors(text):
    assert_valid_or_clearly_rejected(text)
