"""Claims written: the one place a claim row is saved or deleted (with what follows from it: its group's
supersession and dispute flags, the dates it bounds, its subject's version, the dataset revision), and curators'
decisions about claims: which version a record holds, and which versions are wrong."""

from django.core.exceptions import ValidationError

from events.claimfields import SUBJECT_TYPES, claim_spec, record_value
from events.models import Claim, Meeting
from events.services.derived import claim_group, claim_groups_refresh, meeting_lineups_refresh, versions_bump
from events.services.locks import writing
from events.services.revision import dataset_touch


def _stored(claim: Claim) -> Claim | None:
    """The claim as the database holds it, before a write that may move it to another subject or field."""
    if claim.pk is None:
        return None
    return Claim.objects.filter(pk=claim.pk).select_related(*SUBJECT_TYPES).first()


def claims_changed(*claims: Claim | None) -> None:
    """What follows from these claims being written, once for all of them: each group of one subject and field they
    touch is refreshed once, so writing n claims costs time in proportion to n."""
    claims = [c for c in claims if c is not None]
    claim_groups_refresh(groups=[claim_group(c) for c in claims])
    versions_bump(records=[c.subject for c in claims])  # a record's claims are part of what it is
    dataset_touch()


def claim_store(*, claim: Claim) -> Claim:
    """Save `claim` (validated already), and what follows from it."""
    before = _stored(claim)
    claim.save()
    claims_changed(before, claim)
    return claim


def claim_row_save(*, claim: Claim) -> Claim:
    """Save a new claim's row (validated already) and nothing more: for a batch, which ends with claims_changed()."""
    if claim.pk is not None:
        raise ValueError("claim_row_save() adds claims; use claim_store() to change one.")
    claim.save()
    return claim


def claim_remove(*, claim: Claim) -> None:
    """Delete `claim` (checked already: see claim_still_needed_check), and what follows from it."""
    before = _stored(claim) or claim
    claim.delete()
    claims_changed(before)


@writing
def claim_mark_preferred(*, claim: Claim, reason: str = "") -> Claim:
    """Rank `claim` preferred and make its value the record's own, in one transaction.

    Other preferred claims on the same record and field with a different value drop to normal.
    """
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    record = type(claim.subject).objects.select_for_update().get(pk=claim.subject.pk)
    spec = claim_spec(claim.subject_type, claim.field)
    spec.apply(record, claim.value)
    if not spec.after_save:
        record.full_clean()
        record._change_reason = f"claim {claim.pk} marked preferred"
        record.save()
    else:  # links (topics, participants) are set on the record as it stands: it changed all the same
        versions_bump(records=[record])
        if isinstance(record, Meeting):
            meeting_lineups_refresh(meetings=[record.pk])
        dataset_touch()
    return claim_rank_preferred(claim=claim, reason=reason)


@writing
def claim_rank_preferred(*, claim: Claim, reason: str = "") -> Claim:
    """Rank `claim` preferred, for a value its record already holds; preferred claims of other values drop to normal."""
    # One save per demoted claim (not a bulk update), so each change is in the history.
    for other in (
        Claim.objects.about(claim.subject)
        .filter(field=claim.field, rank=Claim.Rank.PREFERRED)
        .exclude(value=claim.value)
        .exclude(pk=claim.pk)
    ):
        other.rank = Claim.Rank.NORMAL
        claim_store(claim=other)
    if claim.pk and claim.rank == Claim.Rank.PREFERRED and not reason:
        return claim  # saved as preferred already: nothing to write
    claim.rank = Claim.Rank.PREFERRED
    if reason:
        claim.note = f"{claim.note}\n{reason}".strip()
    claim.full_clean()
    claim_store(claim=claim)
    return claim


@writing
def claim_deprecate(*, claim: Claim, reason: str) -> Claim:
    """Rank `claim` deprecated, saying why. The record keeps its value."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"note": "Say why the claim is judged wrong."})
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim_still_needed_check(claim=claim)
    claim.rank = Claim.Rank.DEPRECATED
    claim.note = f"{claim.note}\n{reason}".strip() if claim.note else reason
    claim.full_clean()
    claim_store(claim=claim)
    return claim


def claim_still_needed_check(*, claim: Claim) -> None:
    """Refuse to take away the last standing claim that gives its record's current value."""
    record = claim.subject
    if record is None or claim.rank == Claim.Rank.DEPRECATED or record_value(record, claim.field) != claim.value:
        return
    others = Claim.objects.about(record).current().filter(field=claim.field, value=claim.value).exclude(pk=claim.pk)
    if not others.exists():
        raise ValidationError(
            f"This is the only claim still giving the {claim.subject_type}'s {claim.field} ({claim.value!r}). "
            "Give the record another value (with its source) first."
        )


def record_demote_outdated_claims(*, record) -> int:
    """After a direct edit, preferred claims the record no longer agrees with drop to normal.

    The edit is the curator's decision; the claims stay, so the disagreement remains visible.
    """
    demoted = 0
    for claim in Claim.objects.about(record).filter(rank=Claim.Rank.PREFERRED):
        if record_value(record, claim.field) != claim.value:
            claim.rank = Claim.Rank.NORMAL
            claim_store(claim=claim)
            demoted += 1
    return demoted
