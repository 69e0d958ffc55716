"""EDTF parsing into earliest/latest days, and the fuzzy-date columns on models."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from events.fuzzydates import Bounds, edtf_bounds
from events.models import Meeting, Tenure
from tests.factories import MeetingFactory, TenureFactory

D = dt.date


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        pytest.param("2025-07-31", D(2025, 7, 31), D(2025, 7, 31), id="day"),
        pytest.param("2025-02", D(2025, 2, 1), D(2025, 2, 28), id="month"),
        pytest.param("2024-02", D(2024, 2, 1), D(2024, 2, 29), id="leap-month"),
        pytest.param("2025", D(2025, 1, 1), D(2025, 12, 31), id="year"),
        pytest.param("2026-21", D(2026, 3, 1), D(2026, 5, 31), id="spring"),
        pytest.param("2026-22", D(2026, 6, 1), D(2026, 8, 31), id="summer"),
        pytest.param("2026-23", D(2026, 9, 1), D(2026, 11, 30), id="autumn"),
        pytest.param("2026-33", D(2026, 1, 1), D(2026, 3, 31), id="q1"),
        pytest.param("2026-34", D(2026, 4, 1), D(2026, 6, 30), id="q2"),
        pytest.param("2026-36", D(2026, 10, 1), D(2026, 12, 31), id="q4"),
        pytest.param("2025-08-21/2025-08-31", D(2025, 8, 21), D(2025, 8, 31), id="interval"),
        pytest.param("2025-02/2025-06", D(2025, 2, 1), D(2025, 6, 30), id="month-interval"),
        pytest.param("../2018-10", None, D(2018, 10, 31), id="open-start"),
        pytest.param("2025-08-25/..", D(2025, 8, 25), None, id="open-end"),
        pytest.param("2025-08/", D(2025, 8, 1), None, id="unknown-end"),
        pytest.param("  2025-07-31 ", D(2025, 7, 31), D(2025, 7, 31), id="surrounding-space"),
    ],
)
def test_edtf_bounds(text, earliest, latest):
    assert edtf_bounds(text) == Bounds(earliest, latest)


@pytest.mark.parametrize(
    "text",
    [
        "bogus",
        "2025-13",
        "",
        "   ",
        "2025-02-30",
        "2025-02-29",
        pytest.param("2025/2024", id="reversed-interval"),
    ],
)
def test_malformed_edtf_raises_validation_error_with_an_example(text):
    with pytest.raises(ValidationError) as excinfo:
        edtf_bounds(text)
    message = " ".join(excinfo.value.messages)
    assert "2025-07-31" in message
    assert "2026-22" in message


def test_reversed_interval_is_rejected():
    with pytest.raises(ValidationError, match="ends before it starts"):
        edtf_bounds("2025/2024")


def test_malformed_edtf_message_names_the_value():
    with pytest.raises(ValidationError) as excinfo:
        edtf_bounds("2025-13")
    assert "'2025-13'" in excinfo.value.messages[0]
    assert excinfo.value.code == "invalid_edtf"


# --- FuzzyDatedMixin on real models -------------------------------------------------


@pytest.mark.django_db
def test_meeting_season_bounds_are_stored_and_round_trip():
    meeting = MeetingFactory(date_edtf="2026-22")
    assert (meeting.date_earliest, meeting.date_latest) == (D(2026, 6, 1), D(2026, 8, 31))

    meeting.refresh_from_db()
    assert meeting.date_edtf == "2026-22"
    assert meeting.date_earliest == D(2026, 6, 1)
    assert meeting.date_latest == D(2026, 8, 31)
    assert meeting.fuzzy_bounds("date") == Bounds(D(2026, 6, 1), D(2026, 8, 31))


@pytest.mark.django_db
def test_meeting_quarter_bounds_are_stored():
    meeting = MeetingFactory(date_edtf="2026-36")
    meeting.refresh_from_db()
    assert (meeting.date_earliest, meeting.date_latest) == (D(2026, 10, 1), D(2026, 12, 31))


@pytest.mark.django_db
def test_bounds_follow_the_edtf_text_on_every_save():
    meeting = MeetingFactory(date_edtf="2025-07-31")
    meeting.date_edtf = " 2025-08 "
    meeting.date_earliest = D(1999, 1, 1)  # stale derived data must not survive a save
    meeting.save()
    meeting.refresh_from_db()
    assert meeting.date_edtf == "2025-08"
    assert (meeting.date_earliest, meeting.date_latest) == (D(2025, 8, 1), D(2025, 8, 31))

    meeting.date_edtf = ""
    meeting.save()
    meeting.refresh_from_db()
    assert (meeting.date_earliest, meeting.date_latest) == (None, None)
    assert meeting.fuzzy_bounds("date") is None


@pytest.mark.django_db
def test_open_interval_is_stored_with_a_null_side():
    tenure = TenureFactory(start_edtf="../2018-10", end_edtf="2025-08/")
    tenure.refresh_from_db()
    assert (tenure.start_earliest, tenure.start_latest) == (None, D(2018, 10, 31))
    assert (tenure.end_earliest, tenure.end_latest) == (D(2025, 8, 1), None)


@pytest.mark.django_db
def test_full_clean_with_malformed_edtf_reports_it_on_the_field():
    meeting = MeetingFactory.build(date_edtf="2025-13")
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    errors = excinfo.value.message_dict
    assert list(errors) == ["date_edtf"]
    assert "2025-13" in errors["date_edtf"][0]
    assert "2026-22" in errors["date_edtf"][0]


@pytest.mark.django_db
def test_full_clean_keeps_other_field_errors_alongside_the_date_error():
    meeting = MeetingFactory.build(date_edtf="bogus", status="nonsense")
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert set(excinfo.value.message_dict) == {"date_edtf", "status"}


@pytest.mark.django_db
def test_full_clean_sets_bounds_from_a_valid_edtf():
    meeting = MeetingFactory.build(date_edtf="2026-33")
    meeting.full_clean()
    assert (meeting.date_earliest, meeting.date_latest) == (D(2026, 1, 1), D(2026, 3, 31))


@pytest.mark.django_db
def test_save_with_malformed_edtf_raises_and_writes_nothing():
    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        MeetingFactory(date_edtf="2025-02-30")
    assert "date_edtf" in excinfo.value.message_dict
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_save_of_existing_row_with_malformed_edtf_leaves_the_row_unchanged():
    meeting = MeetingFactory(date_edtf="2025-07-31", title="Before")
    meeting.title = "After"
    meeting.date_edtf = "bogus"
    with pytest.raises(ValidationError), transaction.atomic():
        meeting.save()
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.title == "Before"
    assert (stored.date_edtf, stored.date_earliest, stored.date_latest) == (
        "2025-07-31",
        D(2025, 7, 31),
        D(2025, 7, 31),
    )


@pytest.mark.django_db
def test_save_reports_each_bad_date_of_a_model_with_two():
    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        TenureFactory(start_edtf="bogus", end_edtf="2025-13")
    assert set(excinfo.value.message_dict) == {"start_edtf", "end_edtf"}
    assert not Tenure.objects.exists()


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2026-24", "2026-12-01", "2027-02-28"),
        ("2027-24", "2027-12-01", "2028-02-29"),
        ("2026-28", "2026-12-01", "2027-02-28"),
        ("2025-21/2025-24", "2025-03-01", "2026-02-28"),
        ("2026-36", "2026-10-01", "2026-12-31"),
    ],
)
def test_winter_runs_from_december_to_the_end_of_february(text, earliest, latest):
    assert edtf_bounds(text) == Bounds(dt.date.fromisoformat(earliest), dt.date.fromisoformat(latest))
