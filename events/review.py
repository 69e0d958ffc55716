"""What the review of candidate claims reads: how a candidate stands against the claims held, and its record."""

from django.apps import apps
from django.core.exceptions import ValidationError

from events.claimfields import claim_spec
from events.models import Candidate, Claim


def candidate_relation(*, subject_type: str, subject_slug: str, field: str, value: str) -> str:
    """Whether a value agrees with a standing claim about the record, adds one, or contradicts one. Dates agree when
    they can mean the same day ("2025-07" and "2025-07-31"), as disputes count them."""
    model = apps.get_model("events", subject_type)
    if not model.objects.filter(slug=subject_slug).exists():
        return Candidate.Relation.ADDS
    standing = (
        Claim.objects.current()
        .filter(subject_type=subject_type, **{f"{subject_type}__slug": subject_slug}, field=field)
        .filter(superseded_by__isnull=True)
        .values_list("value", "value_earliest", "value_latest")
    )
    standing = list(standing)
    if any(held == value for held, _, _ in standing):
        return Candidate.Relation.AGREES
    spec = claim_spec(subject_type, field)
    if not standing or spec.many:
        return Candidate.Relation.ADDS
    if spec.is_date:
        try:
            bounds = spec.bounds(value)
        except ValidationError:  # not a date we can read: it cannot agree with one
            return Candidate.Relation.CONTRADICTS
        if any(
            (latest is None or bounds.earliest is None or bounds.earliest <= latest)
            and (earliest is None or bounds.latest is None or earliest <= bounds.latest)
            for _, earliest, latest in standing
        ):
            return Candidate.Relation.AGREES
    return Candidate.Relation.CONTRADICTS


def candidate_record(candidate: Candidate):
    """The record a candidate is about, or None while it is only proposed."""
    model = apps.get_model("events", candidate.subject_type)
    return model.objects.filter(slug=candidate.subject_slug).first()


def records_named(subject_type: str, slugs) -> dict[str, str]:
    """{slug: the name shown} for these records of one type."""
    model = apps.get_model("events", subject_type)
    return {record.slug: str(record) for record in model.objects.filter(slug__in=set(slugs))}
