"""Model constraints, validation and query helpers of the events app."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from events.models import Claim, CrewMember, Participant, Place, Source, Tenure
from tests.factories import (
    AgencyFactory,
    ClaimFactory,
    CrewMemberFactory,
    LaunchFactory,
    MeetingFactory,
    ParticipantFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    TenureFactory,
    TopicFactory,
)

D = dt.date
pytestmark = pytest.mark.django_db


@contextmanager
def violates(name, *, sqlite=None):
    """Expect the database to reject the block's write because of constraint `name`.

    SQLite names a UNIQUE constraint on plain columns by its columns, not its name:
    pass that text as `sqlite`.
    """
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    expected = sqlite if (sqlite and connection.vendor == "sqlite") else name
    assert expected in str(excinfo.value)


# --- database constraints, bypassing Python validation ------------------------------


def test_tenure_starts_before_it_ends_on_create():
    with violates("tenure_starts_before_it_ends"):
        TenureFactory(start_edtf="2025-06", end_edtf="2025-02")


def test_tenure_starts_before_it_ends_on_update():
    tenure = TenureFactory(start_edtf="2025-01", end_edtf="2025-12")
    with violates("tenure_starts_before_it_ends"):
        Tenure.objects.filter(pk=tenure.pk).update(start_earliest=D(2026, 1, 1), start_latest=D(2026, 1, 31))


@pytest.mark.parametrize(
    ("factory", "model_name", "date"),
    [
        (MeetingFactory, "meeting", "date"),
        (LaunchFactory, "launch", "date"),
        (SourceFactory, "source", "published"),
        (TenureFactory, "tenure", "start"),
        (TenureFactory, "tenure", "end"),
    ],
)
def test_fuzzy_date_bounds_ordered(factory, model_name, date):
    record = factory(**{f"{date}_edtf": "2025-03"})
    model = factory._meta.model
    with violates(f"{model_name}_{date}_bounds_ordered"):
        model.objects.filter(pk=record.pk).update(**{f"{date}_earliest": D(2025, 4, 1)})
    # Open on either side, or a single day, is fine.
    model.objects.filter(pk=record.pk).update(**{f"{date}_earliest": None})
    model.objects.filter(pk=record.pk).update(**{f"{date}_earliest": D(2025, 3, 31), f"{date}_latest": D(2025, 3, 31)})
    assert model.objects.filter(**{f"{date}_earliest": F(f"{date}_latest")}).count() == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [("2025-02-15", "2025-02"), ("2025", "../2025-02"), ("../2018-10", "2025"), ("2025-02", "2025-08/")],
)
def test_tenure_starts_before_it_ends_allows_touching_and_open_bounds(start, end):
    TenureFactory(start_edtf=start, end_edtf=end)
    assert Tenure.objects.filter(start_edtf=start, end_edtf=end).count() == 1


@pytest.mark.parametrize(
    ("factory", "model_name"),
    [
        (SourceFactory, "source"),
        (AgencyFactory, "agency"),
        (PersonFactory, "person"),
        (PlaceFactory, "place"),
        (TopicFactory, "topic"),
        (TenureFactory, "tenure"),
        (MeetingFactory, "meeting"),
        (LaunchFactory, "launch"),
    ],
)
def test_slug_unique(factory, model_name):
    factory(slug="same-slug")
    with violates(f"{model_name}_slug_unique", sqlite=f"events_{model_name}.slug"):
        factory(slug="same-slug")
    factory(slug="other-slug")
    assert factory._meta.model.objects.count() == 2


def test_participant_once_per_meeting():
    first = ParticipantFactory()
    with violates("participant_once_per_meeting", sqlite="events_participant.meeting_id, events_participant.person_id"):
        Participant.objects.create(meeting=first.meeting, person=first.person, role="again")
    ParticipantFactory(meeting=first.meeting)  # another person at the same meeting is fine
    ParticipantFactory(person=first.person)  # the same person at another meeting is fine
    assert Participant.objects.count() == 3


def test_crew_member_once_per_launch():
    first = CrewMemberFactory()
    with violates("crew_member_once_per_launch", sqlite="events_crewmember.launch_id, events_crewmember.person_id"):
        CrewMember.objects.create(launch=first.launch, person=first.person, role="again")
    CrewMemberFactory(launch=first.launch)
    CrewMemberFactory(person=first.person)
    assert CrewMember.objects.count() == 3


def test_claim_exactly_one_subject_rejects_two_subjects():
    with violates("claim_exactly_one_subject"):
        ClaimFactory(launch=LaunchFactory())


def test_claim_exactly_one_subject_rejects_no_subject():
    with violates("claim_exactly_one_subject"):
        ClaimFactory(meeting=None)


def test_claim_exactly_one_subject_rejects_a_subject_type_that_mismatches_the_fk():
    with violates("claim_exactly_one_subject"):
        ClaimFactory(subject_type="launch", field="name")


def test_claim_exactly_one_subject_on_update():
    claim = ClaimFactory()
    with violates("claim_exactly_one_subject"):
        Claim.objects.filter(pk=claim.pk).update(subject_type="launch")
    with violates("claim_exactly_one_subject"):
        Claim.objects.filter(pk=claim.pk).update(launch=LaunchFactory())


def test_claim_exactly_one_subject_accepts_each_subject_type():
    ClaimFactory(subject_type="launch", meeting=None, launch=LaunchFactory(), field="name")
    ClaimFactory(subject_type="agency", meeting=None, agency=AgencyFactory(), field="name")
    ClaimFactory(subject_type="tenure", meeting=None, tenure=TenureFactory(), field="title")
    assert Claim.objects.count() == 3


def test_claim_once_per_source_subject_field_value():
    claim = ClaimFactory(value="Talks in Moscow")
    with violates(
        "claim_once_per_source_subject_field_value", sqlite="index 'claim_once_per_source_subject_field_value'"
    ):
        ClaimFactory(source=claim.source, meeting=claim.meeting, value="Talks in Moscow", locator="2")
    # Another source, another subject or another value are all separate claims.
    ClaimFactory(meeting=claim.meeting, value="Talks in Moscow")
    ClaimFactory(source=claim.source, value="Talks in Moscow")
    ClaimFactory(source=claim.source, meeting=claim.meeting, value="Talks in Baikonur")
    assert Claim.objects.count() == 4


def test_claim_once_per_source_subject_field_value_tells_subject_types_apart():
    # A meeting and a launch with the same id share the coalesced subject id.
    source = SourceFactory()
    meeting = MeetingFactory(id=9001)
    launch = LaunchFactory(id=9001)
    ClaimFactory(source=source, meeting=meeting, field="date", value="2025-07-31")
    ClaimFactory(source=source, subject_type="launch", meeting=None, launch=launch, field="date", value="2025-07-31")
    assert Claim.objects.count() == 2


def test_claim_deprecated_has_reason():
    with violates("claim_deprecated_has_reason"):
        ClaimFactory(rank=Claim.Rank.DEPRECATED, note="")
    ClaimFactory(rank=Claim.Rank.DEPRECATED, note="Contradicted by the agency's own statement.")
    assert Claim.objects.count() == 1


def test_claim_deprecated_has_reason_on_update():
    claim = ClaimFactory(rank=Claim.Rank.DEPRECATED, note="Wrong year.")
    with violates("claim_deprecated_has_reason"):
        Claim.objects.filter(pk=claim.pk).update(note="")


def test_claim_rank_valid():
    with violates("claim_rank_valid"):
        ClaimFactory(rank="certain")


@pytest.mark.parametrize(
    "sha256",
    [
        "A" * 64,  # upper case
        "a" * 63,  # too short
        "g" * 64,  # not hex
        "",
    ],
)
def test_source_sha256_hex(sha256):
    with violates("source_article_hash_or_curator"):
        SourceFactory(sha256=sha256)


def test_source_sha256_hex_on_update():
    source = SourceFactory()
    with violates("source_article_hash_or_curator"):
        Source.objects.filter(pk=source.pk).update(sha256=source.sha256.upper())
    Source.objects.filter(pk=source.pk).update(sha256="0123456789abcdef" * 4)
    source.refresh_from_db()
    assert source.sha256 == "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        pytest.param(Decimal("45.9"), None, id="latitude-only"),
        pytest.param(None, Decimal("63.3"), id="longitude-only"),
        (Decimal("90.00001"), Decimal("0")),
        (Decimal("-90.5"), Decimal("0")),
        (Decimal("0"), Decimal("180.5")),
        (Decimal("0"), Decimal("-181")),
    ],
)
def test_place_coordinates_both_and_in_range(latitude, longitude):
    with violates("place_coordinates_both_and_in_range"):
        PlaceFactory(latitude=latitude, longitude=longitude)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(None, None), (Decimal("45.96500"), Decimal("63.30500")), (Decimal("-90"), Decimal("180")), (90, -180)],
)
def test_place_coordinates_accepted(latitude, longitude):
    place = PlaceFactory(latitude=latitude, longitude=longitude)
    place.refresh_from_db()
    assert (place.latitude, place.longitude) == (
        None if latitude is None else Decimal(latitude),
        None if longitude is None else Decimal(longitude),
    )


def test_place_coordinates_out_of_range_on_update():
    place = PlaceFactory(latitude=Decimal("45.9"), longitude=Decimal("63.3"))
    with violates("place_coordinates_both_and_in_range"):
        Place.objects.filter(pk=place.pk).update(longitude=Decimal("200"))


def test_place_coordinates_dropping_one_on_update():
    place = PlaceFactory(latitude=Decimal("45.9"), longitude=Decimal("63.3"))
    with violates("place_coordinates_both_and_in_range"):
        Place.objects.filter(pk=place.pk).update(longitude=None)


def test_place_full_clean_rejects_one_coordinate_without_the_other():
    place = PlaceFactory.build(latitude=Decimal("45.9"), longitude=None)
    with pytest.raises(ValidationError):
        place.full_clean()


def test_place_full_clean_rejects_out_of_range_coordinates():
    place = PlaceFactory.build(latitude=Decimal("91"), longitude=Decimal("0"))
    with pytest.raises(ValidationError) as excinfo:
        place.full_clean()
    assert "latitude" in excinfo.value.message_dict


def test_place_not_own_parent():
    place = PlaceFactory()
    with violates("place_not_own_parent"):
        Place.objects.filter(pk=place.pk).update(parent=F("pk"))


# --- full_clean()-level validation of tenures ---------------------------------------


def test_tenure_ending_before_it_starts_is_rejected_naming_both_dates():
    tenure = TenureFactory.build(
        person=PersonFactory(), agency=AgencyFactory(), start_edtf="2025-06", end_edtf="2025-02"
    )
    with pytest.raises(ValidationError) as excinfo:
        tenure.full_clean()
    messages = " ".join(excinfo.value.message_dict["end_edtf"])
    assert "2025-06" in messages
    assert "2025-02" in messages
    assert not Tenure.objects.exists()


@pytest.fixture
def agency():
    return AgencyFactory(name="Roscosmos")


@pytest.fixture
def confirmed_head(agency):
    return TenureFactory(
        agency=agency,
        person=PersonFactory(name="Dmitry Bakanov"),
        title="Director General",
        is_head=True,
        start_edtf="2025-02",
        end_edtf="",
    )


def test_two_head_tenures_that_certainly_overlap_are_rejected_naming_the_other_person(agency, confirmed_head):
    acting = TenureFactory.build(
        agency=agency,
        person=PersonFactory(name="Acting Person"),
        title="Acting Director General",
        is_head=True,
        is_acting=True,
        start_edtf="2025-06",
        end_edtf="2025-09",
    )
    with pytest.raises(ValidationError) as excinfo:
        acting.full_clean()
    message = " ".join(excinfo.value.messages)
    assert "Dmitry Bakanov" in message
    assert "Acting Person" not in message
    assert "one head at a time" in message


def test_head_overlap_is_found_whichever_tenure_is_checked(agency, confirmed_head):
    TenureFactory(
        agency=agency,
        person=PersonFactory(name="Acting Person"),
        is_head=True,
        is_acting=True,
        start_edtf="2025-06",
        end_edtf="2025-09",
    )
    with pytest.raises(ValidationError) as excinfo:
        confirmed_head.full_clean()
    assert "Acting Person" in " ".join(excinfo.value.messages)


def test_a_head_tenure_does_not_clash_with_itself(confirmed_head):
    confirmed_head.full_clean()


def test_head_tenures_that_only_possibly_overlap_are_accepted(agency):
    outgoing = TenureFactory(
        agency=agency, person=PersonFactory(), is_head=True, start_edtf="2018", end_edtf="../2025-02"
    )
    incoming = TenureFactory.build(
        agency=agency, person=PersonFactory(), is_head=True, start_edtf="2025-02", end_edtf=""
    )
    incoming.full_clean()
    incoming.save()
    outgoing.full_clean()


def test_head_tenures_with_a_fuzzy_handover_month_are_accepted(agency):
    # Both ranges include February 2025, but no single day is certainly in both.
    TenureFactory(agency=agency, person=PersonFactory(), is_head=True, start_edtf="2018-05", end_edtf="2025-02")
    incoming = TenureFactory.build(
        agency=agency, person=PersonFactory(), is_head=True, start_edtf="2025-02", end_edtf=""
    )
    incoming.full_clean()


def test_non_head_tenures_may_overlap(agency, confirmed_head):
    deputy = TenureFactory.build(
        agency=agency, person=PersonFactory(), title="Deputy", is_head=False, start_edtf="2025-06", end_edtf=""
    )
    deputy.full_clean()
    deputy.save()
    another_deputy = TenureFactory.build(
        agency=agency, person=PersonFactory(), title="Deputy", is_head=False, start_edtf="2025-06", end_edtf=""
    )
    another_deputy.full_clean()


def test_head_tenures_of_different_agencies_may_overlap(confirmed_head):
    other = TenureFactory.build(
        agency=AgencyFactory(), person=PersonFactory(), is_head=True, start_edtf="2025-06", end_edtf=""
    )
    other.full_clean()


# --- TenureQuerySet.active_on --------------------------------------------------------


@pytest.fixture
def fuzzy_tenure():
    # Started some day in February 2025, ended some day in September 2025.
    return TenureFactory(start_edtf="2025-02", end_edtf="2025-09")


@pytest.mark.parametrize(
    ("day", "possible", "certain"),
    [
        (D(2025, 1, 31), False, False),
        (D(2025, 2, 1), True, False),
        (D(2025, 2, 27), True, False),
        (D(2025, 2, 28), True, True),
        (D(2025, 5, 1), True, True),
        (D(2025, 9, 1), True, True),
        (D(2025, 9, 2), True, False),
        (D(2025, 9, 30), True, False),
        (D(2025, 10, 1), False, False),
    ],
)
def test_active_on_possible_and_certain(fuzzy_tenure, day, possible, certain):
    assert Tenure.objects.active_on(day).filter(pk=fuzzy_tenure.pk).exists() is possible
    assert Tenure.objects.active_on(day, certain=True).filter(pk=fuzzy_tenure.pk).exists() is certain


def test_active_on_open_end_means_current():
    current = TenureFactory(start_edtf="2025-02-10", end_edtf="")
    today = D(2026, 6, 1)
    assert list(Tenure.objects.active_on(D(2030, 1, 1))) == [current]
    assert list(Tenure.objects.active_on(D(2026, 6, 1), certain=True, today=today)) == [current]
    assert list(Tenure.objects.active_on(D(2025, 2, 10), certain=True, today=today)) == [current]
    assert not Tenure.objects.active_on(D(2026, 6, 2), certain=True, today=today).exists()
    assert not Tenure.objects.active_on(D(2025, 2, 9)).exists()


def test_active_on_unknown_end_is_possible_for_ever_but_certain_only_until_its_earliest_day():
    tenure = TenureFactory(start_edtf="2025-02", end_edtf="2025-08/")
    assert Tenure.objects.active_on(D(2040, 1, 1)).get() == tenure
    assert Tenure.objects.active_on(D(2025, 8, 1), certain=True).get() == tenure
    assert not Tenure.objects.active_on(D(2025, 8, 2), certain=True).exists()


def test_active_on_open_start_and_unknown_start():
    open_start = TenureFactory(start_edtf="../2018-10", end_edtf="2020")
    unknown_start = TenureFactory(start_edtf="", end_edtf="2020")
    assert set(Tenure.objects.active_on(D(1990, 1, 1))) == {open_start, unknown_start}
    assert list(Tenure.objects.active_on(D(2018, 10, 31), certain=True)) == [open_start]
    assert not Tenure.objects.active_on(D(2018, 10, 30), certain=True).exists()


def test_active_on_end_known_only_as_on_or_before_is_never_certain():
    TenureFactory(start_edtf="2018", end_edtf="../2025-02")
    assert Tenure.objects.active_on(D(2020, 1, 1)).exists()
    assert not Tenure.objects.active_on(D(2020, 1, 1), certain=True).exists()
    assert not Tenure.objects.active_on(D(2025, 3, 1)).exists()


# --- Claim.clean() -------------------------------------------------------------------


@pytest.fixture
def source():
    return SourceFactory(slug="tass-2025-07-31", paragraphs=10)


@pytest.fixture
def meeting():
    return MeetingFactory(slug="bakanov-isaacman-houston")


def claim_about(subject, source, field, value, **kwargs):
    """An unsaved claim with stale date bounds, so clean() must set them."""
    subject_type = subject._meta.model_name
    subjects = {"meeting": None, subject_type: subject}
    return ClaimFactory.build(
        source=source,
        subject_type=subject_type,
        **subjects,
        field=field,
        value=value,
        value_earliest=D(1900, 1, 1),
        value_latest=D(1900, 1, 1),
        **kwargs,
    )


def test_claim_clean_accepts_a_plain_value(source, meeting):
    claim = claim_about(meeting, source, "title", "  Talks in Houston ")
    claim.full_clean()
    assert claim.value == "Talks in Houston"
    assert (claim.value_earliest, claim.value_latest) == (None, None)


@pytest.mark.parametrize(("subject_factory", "field"), [(MeetingFactory, "name"), (LaunchFactory, "title")])
def test_claim_clean_rejects_an_unknown_field_naming_the_claimable_ones(source, subject_factory, field):
    claim = claim_about(subject_factory(), source, field, "x")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    message = " ".join(excinfo.value.message_dict["field"])
    assert repr(field) in message
    if subject_factory is MeetingFactory:
        assert (
            "title, kind, status, format, date, place, related_launch, launch_relation, topics, participants" in message
        )
    else:
        assert "name, vehicle, spacecraft, operator, site, destination, date, status, crew" in message


def test_claim_clean_rejects_an_empty_value(source, meeting):
    claim = claim_about(meeting, source, "title", "   ")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "value" in excinfo.value.message_dict


def test_claim_clean_checks_choices(source, meeting):
    claim = claim_about(meeting, source, "status", "rumoured")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "held" in " ".join(excinfo.value.message_dict["value"])
    claim_about(meeting, source, "status", "postponed").full_clean()


def test_claim_clean_normalises_flags(source):
    claim = claim_about(TenureFactory(), source, "is_head", " TRUE ")
    claim.full_clean()
    assert claim.value == "true"
    with pytest.raises(ValidationError):
        claim_about(TenureFactory(), source, "is_acting", "yes").full_clean()


def test_claim_clean_ref_must_be_an_existing_slug(source, meeting):
    PlaceFactory(slug="houston")
    claim_about(meeting, source, "place", "houston").full_clean()

    claim = claim_about(meeting, source, "place", "baikonur")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "'baikonur'" in " ".join(excinfo.value.message_dict["value"])


def test_claim_clean_ref_looks_in_the_right_model(source, meeting):
    PersonFactory(slug="houston")  # a person, not a place
    with pytest.raises(ValidationError) as excinfo:
        claim_about(meeting, source, "place", "houston").full_clean()
    assert "value" in excinfo.value.message_dict


def test_claim_clean_refs_are_normalised_to_sorted_comma_separated_slugs(source, meeting):
    TopicFactory(slug="iss-extension")
    TopicFactory(slug="crew-exchange")
    claim = claim_about(meeting, source, "topics", " iss-extension, crew-exchange,iss-extension,")
    claim.full_clean()
    assert claim.value == "crew-exchange,iss-extension"


def test_claim_clean_refs_through_rows_use_person_slugs(source, meeting):
    PersonFactory(slug="jared-isaacman")
    PersonFactory(slug="dmitry-bakanov")
    claim = claim_about(meeting, source, "participants", "jared-isaacman,dmitry-bakanov")
    claim.full_clean()
    assert claim.value == "dmitry-bakanov,jared-isaacman"


def test_claim_clean_refs_reject_unknown_slugs_naming_them(source, meeting):
    TopicFactory(slug="crew-exchange")
    with pytest.raises(ValidationError) as excinfo:
        claim_about(meeting, source, "topics", "crew-exchange,moon-base,lunar-gateway").full_clean()
    message = " ".join(excinfo.value.message_dict["value"])
    assert "lunar-gateway, moon-base" in message
    assert "crew-exchange" not in message


@pytest.mark.parametrize(
    ("subject_factory", "field", "value", "earliest", "latest"),
    [
        (MeetingFactory, "date", "2025-07", D(2025, 7, 1), D(2025, 7, 31)),
        (MeetingFactory, "date", "2026-22", D(2026, 6, 1), D(2026, 8, 31)),
        (LaunchFactory, "date", "2025-08-21/2025-08-31", D(2025, 8, 21), D(2025, 8, 31)),
        (TenureFactory, "end", "../2018-10", None, D(2018, 10, 31)),
        (TenureFactory, "start", "2025-02-10", D(2025, 2, 10), D(2025, 2, 10)),
    ],
)
def test_claim_clean_date_values_get_bounds(source, subject_factory, field, value, earliest, latest):
    claim = claim_about(subject_factory(), source, field, value)
    claim.full_clean()
    assert claim.value == value
    assert (claim.value_earliest, claim.value_latest) == (earliest, latest)


def test_claim_clean_rejects_a_malformed_date_value(source, meeting):
    with pytest.raises(ValidationError) as excinfo:
        claim_about(meeting, source, "date", "2025-13").full_clean()
    assert "2026-22" in " ".join(excinfo.value.message_dict["value"])


@pytest.mark.parametrize("locator", ["1", "10", "9-10", "3,9-10", "1-10"])
def test_claim_clean_accepts_a_locator_inside_the_source(source, meeting, locator):
    claim_about(meeting, source, "title", "Talks", locator=locator).full_clean()


@pytest.mark.parametrize(("locator", "beyond"), [("11", "not 11."), ("0", "not 0."), ("5,9-12", "not 9-12.")])
def test_claim_clean_rejects_a_locator_beyond_the_source(source, meeting, locator, beyond):
    with pytest.raises(ValidationError) as excinfo:
        claim_about(meeting, source, "title", "Talks", locator=locator).full_clean()
    message = " ".join(excinfo.value.message_dict["locator"])
    assert "1-10" in message
    assert beyond in message


def test_claim_clean_does_not_limit_locators_of_a_source_without_a_paragraph_count(meeting):
    claim_about(meeting, SourceFactory(paragraphs=0), "title", "Talks", locator="400").full_clean()


@pytest.mark.parametrize("locator", ["abc", "1,,2", "-3"])
def test_claim_full_clean_reports_a_malformed_locator_as_a_validation_error(source, meeting, locator):
    claim = claim_about(meeting, source, "title", "Talks", locator=locator)
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "locator" in excinfo.value.message_dict


def test_claim_clean_needs_a_subject(source):
    claim = ClaimFactory.build(source=source, meeting=None, field="title", value="Talks")
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "exactly one record" in " ".join(excinfo.value.messages)


def test_claim_clean_infers_the_subject_type_from_the_only_subject(source):
    launch = LaunchFactory()
    claim = ClaimFactory.build(source=source, subject_type="", meeting=None, launch=launch, field="name", value="x")
    claim.clean()
    assert claim.subject_type == "launch"
    assert claim.subject == launch


# --- ClaimQuerySet.conflicting() ----------------------------------------------------


def conflicting_ids(**kwargs):
    return set(Claim.objects.conflicting(**kwargs).values_list("pk", flat=True))


def test_two_sources_with_different_values_conflict(meeting):
    a = ClaimFactory(meeting=meeting, value="Talks in Houston")
    b = ClaimFactory(meeting=meeting, value="Talks in Moscow")
    unrelated = ClaimFactory(value="Something else")
    assert conflicting_ids() == {a.pk, b.pk}
    assert unrelated.pk not in conflicting_ids()


def test_two_sources_with_the_same_value_do_not_conflict(meeting):
    ClaimFactory(meeting=meeting, value="Talks in Houston")
    ClaimFactory(meeting=meeting, value="Talks in Houston")
    assert conflicting_ids() == set()


def test_the_same_source_twice_does_not_conflict(source, meeting):
    ClaimFactory(source=source, meeting=meeting, value="Talks in Houston")
    ClaimFactory(source=source, meeting=meeting, value="Talks in Moscow", locator="2")
    assert conflicting_ids() == set()


def test_different_subjects_or_fields_do_not_conflict(meeting):
    ClaimFactory(meeting=meeting, field="title", value="Talks")
    ClaimFactory(meeting=meeting, field="kind", value="bilateral")
    ClaimFactory(meeting=MeetingFactory(), field="title", value="Other talks")
    assert conflicting_ids() == set()


def test_different_subject_types_with_the_same_id_do_not_conflict():
    meeting = MeetingFactory(id=9002)
    launch = LaunchFactory(id=9002)
    ClaimFactory(meeting=meeting, field="date", value="2025-07-31")
    ClaimFactory(subject_type="launch", meeting=None, launch=launch, field="date", value="2025-08-25")
    assert conflicting_ids() == set()


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ("2025-07", "2025-07-31", False),
        ("2025-07-31", "2025-08-25", True),
        ("2025", "2025-08-25", False),
        ("2026-22", "2026-09", True),
        ("2026-22", "2026-08-31", False),
        ("2025-08-21/2025-08-31", "2025-08-25", False),
        ("../2025-07", "2025-08-25", True),
        ("2025-08/", "2030-01-01", False),
    ],
)
def test_date_claims_conflict_only_when_their_ranges_cannot_overlap(meeting, first, second, conflict):
    a = ClaimFactory(meeting=meeting, field="date", value=first)
    b = ClaimFactory(meeting=meeting, field="date", value=second)
    assert conflicting_ids() == ({a.pk, b.pk} if conflict else set())


def test_a_deprecated_claim_is_excluded_unless_asked_for(meeting):
    a = ClaimFactory(meeting=meeting, value="Talks in Houston")
    b = ClaimFactory(meeting=meeting, value="Talks in Moscow", rank=Claim.Rank.DEPRECATED, note="Misread.")
    assert conflicting_ids() == set()
    assert conflicting_ids(include_deprecated=True) == {a.pk, b.pk}


def test_a_deprecated_claim_leaves_the_other_disagreement_open(meeting):
    a = ClaimFactory(meeting=meeting, value="Talks in Houston")
    b = ClaimFactory(meeting=meeting, value="Talks in Moscow")
    ClaimFactory(meeting=meeting, value="Talks in Baikonur", rank=Claim.Rank.DEPRECATED, note="Misread.")
    assert conflicting_ids() == {a.pk, b.pk}


def test_conflicting_can_be_narrowed_first(meeting):
    a = ClaimFactory(meeting=meeting, value="Talks in Houston")
    ClaimFactory(meeting=meeting, value="Talks in Moscow")
    narrowed = Claim.objects.filter(source=a.source).conflicting()
    assert list(narrowed) == [a]


# --- natural keys --------------------------------------------------------------------


def test_claim_natural_key_round_trip(source, meeting):
    claim = ClaimFactory(source=source, meeting=meeting, field="title", value="Talks in Houston")
    key = claim.natural_key()
    assert key == ("tass-2025-07-31", "meeting", "bakanov-isaacman-houston", "title", "Talks in Houston")
    assert Claim.objects.get_by_natural_key(*key) == claim


def test_claim_natural_key_round_trip_for_another_subject_type(source):
    launch = LaunchFactory(slug="soyuz-ms-28", id=9003)
    namesake = MeetingFactory(slug="soyuz-ms-28", id=9003)  # same slug and id, other type
    claim = ClaimFactory(
        source=source, subject_type="launch", meeting=None, launch=launch, field="date", value="2025-11-27"
    )
    other = ClaimFactory(source=source, meeting=namesake, field="date", value="2025-11-27")
    assert claim.natural_key() == ("tass-2025-07-31", "launch", "soyuz-ms-28", "date", "2025-11-27")
    assert Claim.objects.get_by_natural_key(*claim.natural_key()) == claim
    assert Claim.objects.get_by_natural_key(*other.natural_key()) == other


def test_participant_natural_key_round_trip():
    participant = ParticipantFactory(meeting__slug="houston-talks", person__slug="jared-isaacman")
    ParticipantFactory(meeting=participant.meeting)
    assert participant.natural_key() == ("houston-talks", "jared-isaacman")
    assert Participant.objects.get_by_natural_key(*participant.natural_key()) == participant


def test_crew_member_natural_key_round_trip():
    crew = CrewMemberFactory(launch__slug="soyuz-ms-28", person__slug="sergey-kud-sverchkov")
    CrewMemberFactory(launch=crew.launch)
    assert crew.natural_key() == ("soyuz-ms-28", "sergey-kud-sverchkov")
    assert CrewMember.objects.get_by_natural_key(*crew.natural_key()) == crew


def test_tenure_natural_key_round_trip():
    tenure = TenureFactory(slug="bakanov-roscosmos")
    TenureFactory()
    assert tenure.natural_key() == ("bakanov-roscosmos",)
    assert Tenure.objects.get_by_natural_key(*tenure.natural_key()) == tenure


# --- Participant.clean() -------------------------------------------------------------


def test_participant_clean_rejects_a_tenure_of_another_person():
    meeting = MeetingFactory()
    someone = PersonFactory(name="Jared Isaacman")
    other_tenure = TenureFactory(person=PersonFactory(name="Dmitry Bakanov"))
    participant = ParticipantFactory.build(meeting=meeting, person=someone, tenure=other_tenure)
    with pytest.raises(ValidationError) as excinfo:
        participant.full_clean()
    message = " ".join(excinfo.value.message_dict["tenure"])
    assert "Dmitry Bakanov" in message
    assert "Jared Isaacman" in message


def test_participant_clean_accepts_the_person_s_own_tenure():
    tenure = TenureFactory()
    participant = ParticipantFactory.build(
        meeting=MeetingFactory(), person=tenure.person, agency=tenure.agency, tenure=tenure
    )
    participant.full_clean()


def test_participant_clean_rejects_a_tenure_at_another_agency():
    tenure = TenureFactory()
    participant = ParticipantFactory.build(
        meeting=MeetingFactory(), person=tenure.person, agency=AgencyFactory(), tenure=tenure
    )
    with pytest.raises(ValidationError) as excinfo:
        participant.full_clean()
    assert "tenure" in excinfo.value.message_dict
