"""Input that would cost far more to check than to send: paragraph locators with huge ranges, long EDTF text and
big EDTF sets are refused before any work grows with them, with a short error; the admin's date field refuses
what it cannot read in one way instead of guessing."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from events.admin.dates import FuzzyDateFormField, FuzzyDateFormMixin
from events.fuzzydates import EDTF_MAX_LENGTH, EDTF_MAX_SET_MEMBERS, edtf_bounds
from events.models import Claim, Meeting
from events.models.claim import LOCATOR_MAX_PARTS
from tests.api.test_writes import API, assert_problem, claim_body, client_for, meeting_body
from tests.factories import ClaimFactory, MeetingFactory, SourceFactory

pytestmark = pytest.mark.django_db

SHORT = 2000  # bytes: an error names what is wrong, it does not list it


def days(count):
    """A set's members: distinct days, as a client might send them."""
    return [f"{2020 + i // 336:04d}-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}" for i in range(count)]


def one_of(count):
    return "[" + ", ".join(days(count)) + "]"


@pytest.fixture
def claim():
    """An unsaved claim about a meeting, citing a source of ten paragraphs at `locator`."""
    source, meeting = SourceFactory(slug="tass-2025-07-31", paragraphs=10), MeetingFactory()
    return lambda locator: ClaimFactory.build(source=source, meeting=meeting, field="title", value="T", locator=locator)


# --- paragraph locators ---------------------------------------------------------------------------


def test_api_claim_with_a_huge_locator_range_is_a_short_400(seeded):
    before = Claim.objects.count()
    response = client_for("add_claim").post(f"{API}/claims/", claim_body(locator="1-5000000"), format="json")
    body = assert_problem(response, 400, "locator")
    assert len(response.content) < SHORT
    assert body["errors"]["locator"] == ["003_007efc6446bec603 has paragraphs 1-8; not 1-5000000."]
    assert Claim.objects.count() == before


@pytest.mark.parametrize("locator", ["1-5000000", "3,1-" + "9" * 40, "0-2"])
def test_a_locator_range_beyond_the_source_is_named_not_listed(claim, locator):
    with pytest.raises(ValidationError) as excinfo:
        claim(locator).full_clean()
    (message,) = excinfo.value.message_dict["locator"]
    assert message.startswith("tass-2025-07-31 has paragraphs 1-10; not ")
    assert len(message) < 150


def test_a_locator_range_that_runs_backwards_is_refused(claim):
    with pytest.raises(ValidationError) as excinfo:
        claim("2,9-3").full_clean()
    assert excinfo.value.message_dict["locator"] == ["9-3 runs backwards; write a range first to last, e.g. 46-48."]


def test_a_locator_has_a_bounded_number_of_parts(claim):
    claim(",".join(["1"] * LOCATOR_MAX_PARTS)).full_clean()
    with pytest.raises(ValidationError) as excinfo:
        claim(",".join(["1"] * (LOCATOR_MAX_PARTS + 1))).full_clean()
    assert excinfo.value.message_dict["locator"] == [
        f"At most {LOCATOR_MAX_PARTS} paragraphs or ranges, e.g. 14,46-48."
    ]


def test_a_locator_too_long_for_its_column_is_reported_once_without_being_expanded(claim):
    with pytest.raises(ValidationError) as excinfo:
        claim("1-" + "9" * 5000).full_clean()
    (message,) = excinfo.value.message_dict["locator"]
    assert "at most 60 characters" in message


def test_paragraph_numbers_of_a_huge_range_are_not_listed_up_front(claim):
    numbers = claim("3,1-" + "9" * 18).paragraph_numbers()
    assert 4 in numbers


# --- EDTF text and sets -----------------------------------------------------------------------------


def test_api_date_as_a_huge_edtf_set_is_a_short_400_without_parsing(seeded):
    before = Meeting.objects.count()
    body = meeting_body(date={"edtf": one_of(1000)})
    response = client_for("add_meeting").post(f"{API}/meetings/", body, format="json")
    problem = assert_problem(response, 400, "date")
    assert len(response.content) < SHORT
    assert problem["errors"]["date"] == [f"EDTF text is at most {EDTF_MAX_LENGTH} characters (this has 12000)."]
    assert Meeting.objects.count() == before


def test_api_date_claim_with_a_big_edtf_set_is_a_short_400(seeded):
    before = Claim.objects.count()
    value = one_of(EDTF_MAX_SET_MEMBERS + 36)  # within the claim value's column, which is longer than any date
    response = client_for("add_claim").post(f"{API}/claims/", claim_body(field="date", value=value), format="json")
    problem = assert_problem(response, 400, "value")
    assert len(response.content) < SHORT
    assert "at most" in " ".join(problem["errors"]["value"])
    assert Claim.objects.count() == before


def test_edtf_text_longer_than_the_limit_is_refused_without_being_echoed():
    text = one_of(100)
    with pytest.raises(ValidationError) as excinfo:
        edtf_bounds(text)
    assert excinfo.value.code == "edtf_too_long"
    assert excinfo.value.messages == [f"EDTF text is at most {EDTF_MAX_LENGTH} characters (this has {len(text)})."]


def test_surrounding_space_does_not_count_towards_the_length():
    assert (
        edtf_bounds(" " * EDTF_MAX_LENGTH + "2025-07-31" + "\n" * EDTF_MAX_LENGTH).earliest.isoformat() == "2025-07-31"
    )


@pytest.mark.parametrize("brackets", ["[]", "{}"])
def test_an_edtf_set_holds_a_bounded_number_of_dates(brackets):
    members = [str(2020 + i) for i in range(EDTF_MAX_SET_MEMBERS + 1)]
    allowed = brackets[0] + ",".join(members[:-1]) + brackets[1]
    assert edtf_bounds(allowed).latest.year == 2020 + EDTF_MAX_SET_MEMBERS - 1
    with pytest.raises(ValidationError) as excinfo:
        edtf_bounds(brackets[0] + ",".join(members) + brackets[1])
    assert f"a set holds at most {EDTF_MAX_SET_MEMBERS} dates" in excinfo.value.messages[0]


def test_a_fuzzy_date_column_refuses_long_text_with_the_same_short_error():
    meeting = MeetingFactory.build(date_edtf=one_of(100))
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert excinfo.value.message_dict["date_edtf"] == [
        f"EDTF text is at most {EDTF_MAX_LENGTH} characters (this has 1200)."
    ]


# --- the admin's date field -------------------------------------------------------------------------


class DateForm(FuzzyDateFormMixin, forms.Form):
    date_edtf = forms.CharField(required=False, max_length=EDTF_MAX_LENGTH)
    date_text = forms.CharField(required=False)


def date_form_errors(typed):
    form = DateForm(data={"date_edtf": typed, "date_text": ""})
    assert not form.is_valid(), form.cleaned_data
    return " ".join(form.errors["date_edtf"])


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        pytest.param("2025-99", "'2025-99' is not a valid EDTF date", id="month-99"),
        pytest.param("Q5 2025", "a year has four quarters, Q1 to Q4", id="fifth-quarter"),
        pytest.param("1/1/1", "write the year in full", id="short-year"),
        pytest.param("03/04/2025", "could be 3 April or 4 March", id="day-or-month"),
        pytest.param("31/02/2025", "names no day of the calendar", id="no-such-day"),
        pytest.param("sometime in July 2025", "Could not read", id="words-around-a-date"),
        pytest.param("July 2025 or August 2025", "Could not read", id="either-or"),
        pytest.param("December 2025 to July 2025", "ends before it starts", id="backwards"),
    ],
)
def test_the_admin_date_field_refuses_what_it_cannot_read_one_way(typed, problem):
    assert problem in date_form_errors(typed)


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("31/07/2025", "2025-07-31"),
        ("07/31/2025", "2025-07-31"),
        ("3/3/2025", "2025-03-03"),
        ("the 3rd of July 2025", "2025-07-03"),
        ("Sept. 5, 2025", "2025-09-05"),
        ("fall 2025", "2025-23"),
        ("circa July 2025", "2025-07~"),
        ("July 2025?", "2025-07?"),
        ("July 2025 - December 2025", "2025-07/2025-12"),
        ("2025-2026", "2025/2026"),
        ("since July 2025", "2025-07/.."),
    ],
)
def test_the_admin_date_field_still_reads_plain_phrases(typed, edtf):
    form = DateForm(data={"date_edtf": typed, "date_text": ""})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["date_edtf"], form.cleaned_data["date_text"]) == (edtf, typed)


def test_valid_edtf_is_taken_as_typed():
    assert FuzzyDateFormField(required=False).clean("2025-26") == "2025-26"
