"""Claim.in_dispute follows ClaimQuerySet.conflicting (deprecated versions included) through every write."""

from events.models import Claim
from events.services.claims import claim_remove, claim_store
from tests.factories import ClaimFactory, MeetingFactory, SourceFactory


def claim(**fields) -> Claim:
    """A claim written as the services write one."""
    fields.setdefault("source", SourceFactory())
    return claim_store(claim=ClaimFactory.build(**fields))


def flagged(**about):
    return set(Claim.objects.filter(in_dispute=True, **about).values_list("pk", flat=True))


def by_definition(**about):
    return set(Claim.objects.filter(**about).conflicting(include_deprecated=True).values_list("pk", flat=True))


def test_the_seed_flags_exactly_the_claims_in_dispute(seeded):
    assert flagged() == by_definition()
    assert flagged()  # the seed's sources disagree on several things


def test_a_contradicting_claim_puts_both_in_dispute_and_deleting_it_ends_that(db):
    meeting = MeetingFactory()
    first = claim(meeting=meeting, field="status", value="held")
    assert flagged(meeting=meeting) == set()
    second = claim(meeting=meeting, field="status", value="cancelled")
    assert flagged(meeting=meeting) == {first.pk, second.pk} == by_definition(meeting=meeting)
    claim_remove(claim=second)
    assert flagged(meeting=meeting) == set()


def test_agreeing_sources_and_one_source_alone_are_no_dispute(db):
    meeting = MeetingFactory()
    claim(meeting=meeting, field="status", value="held")
    claim(meeting=meeting, field="status", value="held")
    claim(meeting=meeting, field="date", value="2025-07-31")
    claim(meeting=meeting, field="date", value="2025-07")  # overlapping dates agree
    source = SourceFactory()
    claim(meeting=meeting, source=source, field="place", value="a")
    assert flagged(meeting=meeting) == set() == by_definition(meeting=meeting)


def test_a_deprecated_version_stays_in_dispute(db):
    meeting = MeetingFactory()
    right = claim(meeting=meeting, field="status", value="held")
    wrong = claim(meeting=meeting, field="status", value="cancelled")
    wrong.rank, wrong.note = Claim.Rank.DEPRECATED, "Later reports say it took place."
    claim_store(claim=wrong)
    assert flagged(meeting=meeting) == {right.pk, wrong.pk}
    assert not Claim.objects.filter(meeting=meeting).conflicting().exists()  # no longer open


def test_editing_a_claim_onto_another_field_refreshes_both_groups(db):
    meeting = MeetingFactory()
    held = claim(meeting=meeting, field="status", value="held")
    moved = claim(meeting=meeting, field="status", value="cancelled")
    moved.field, moved.value = "title", "Talks"
    claim_store(claim=moved)
    assert flagged(meeting=meeting) == set() == by_definition(meeting=meeting)
    assert held.pk not in flagged(meeting=meeting)


def test_open_disputes_read_through_the_flags_are_the_open_conflicts(seeded):
    def open_ones(queryset):
        return set(queryset.values_list("pk", flat=True))

    assert open_ones(Claim.objects.disputes_open()) == open_ones(Claim.objects.conflicting())
    meeting = MeetingFactory()
    claim(meeting=meeting, field="status", value="held")
    wrong = claim(meeting=meeting, field="status", value="cancelled")
    assert open_ones(Claim.objects.disputes_open()) == open_ones(Claim.objects.conflicting())
    wrong.rank, wrong.note = Claim.Rank.DEPRECATED, "Judged wrong."
    claim_store(claim=wrong)
    assert open_ones(Claim.objects.disputes_open()) == open_ones(Claim.objects.conflicting())
