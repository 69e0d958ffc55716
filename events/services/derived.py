"""Derived values, kept current by the services that change what they are derived from, in the same transaction:
meeting lineups (from participants and their tenures), claims' supersession and dispute flags (from the claims of
one subject and field), and dates' derived bounds (events.datebounds, through services.dates)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F

from events.claimcourse import supersession_due
from events.claimfields import SUBJECT_TYPES
from events.models import Claim, Launch, Meeting, Tenure
from events.services.dates import date_bounds_refresh, date_bounds_refresh_around

# Claimed fields whose claims bound dates (events.datebounds).
BOUNDING_FIELDS = {
    "meeting": ("status", "launch_relation", "related_launch"),
    "launch": ("status",),
    "tenure": ("predecessor",),
}
DATED = {"meeting": Meeting, "launch": Launch, "tenure": Tenure}
# What superseding() reads of a claim: enough for a migration's data step too, whatever columns come later.
SUPERSESSION_COLUMNS = ("subject_type", *SUBJECT_TYPES, "field", "value", "rank", "as_of", "superseded_by")

UPDATE_BATCH = 500  # ids per UPDATE: within every backend's limit on a statement's parameters
ClaimGroup = tuple[str, int, str]  # subject type, subject id, field


def claim_group(claim: Claim) -> ClaimGroup | None:
    return (claim.subject_type, claim.subject_pk, claim.field) if claim.subject_pk is not None else None


def meeting_lineups_refresh(*, meetings) -> int:
    """Store the lineup each of these meetings' participants make (a queryset or ids); return how many changed."""
    changed = 0
    for pk, (current, key) in Meeting.objects.filter(pk__in=meetings).lineups_due().items():
        if key != current:
            changed += Meeting.objects.filter(pk=pk).update(lineup=key)
    return changed


def claim_supersession_refresh(*, claims) -> None:
    """Store `superseded_by` for these claims (whole groups of one subject and field: each depends on its peers)."""
    rows = claims.select_related("source").only(*SUPERSESSION_COLUMNS, "source__published_earliest")
    for pk, (stored, wanted) in supersession_due(rows).items():
        if stored != wanted:
            Claim.objects.filter(pk=pk).update(superseded_by=wanted)


def claim_disputes_refresh(*, claims) -> None:
    """Store `in_dispute` for these claims (whole groups) from `conflicting()`, the one definition of a dispute."""
    # Within the groups themselves (a claim's peers are its group), against every claim there: no flags used.
    # Read once and write only the flags that change: most writes change none, and then nothing is written.
    disputed = set(claims.conflicting(include_deprecated=True, among=claims).values_list("pk", flat=True))
    flagged = set(claims.filter(in_dispute=True).values_list("pk", flat=True))
    for pks, flag in ((sorted(flagged - disputed), False), (sorted(disputed - flagged), True)):
        for start in range(0, len(pks), UPDATE_BATCH):
            claims.filter(pk__in=pks[start : start + UPDATE_BATCH]).update(in_dispute=flag)


def claim_groups_refresh(*, groups: Iterable[ClaimGroup | None]) -> None:
    """After claims of these groups changed: their supersession and dispute flags, and the dates they bound."""
    groups = {g for g in groups if g is not None}
    for subject_type, subject_id, field in groups:
        claims = Claim.objects.same_subject_and_field(subject_type=subject_type, subject_id=subject_id, field=field)
        claim_supersession_refresh(claims=claims)  # first: a superseded claim takes no part in disputes
        claim_disputes_refresh(claims=claims)
    bounded = {(t, pk) for t, pk, field in groups if field in BOUNDING_FIELDS.get(t, ())}
    for subject_type, pk in sorted(bounded):
        record = DATED[subject_type].objects.filter(pk=pk).first()
        if record is not None:  # gone with the claim: nothing left to bound
            date_bounds_refresh_around(record)


def derived_refresh_all() -> None:
    """Every derived value, from scratch: after a load that wrote many rows at once."""
    meeting_lineups_refresh(meetings=Meeting.objects.values("pk"))
    claim_supersession_refresh(claims=Claim.objects.all())
    claim_disputes_refresh(claims=Claim.objects.all())
    date_bounds_refresh(everything=True)


def versions_bump(*, records: Iterable) -> None:
    """Raise the version of these records (a change to their claims or members changes what they are)."""
    by_model = defaultdict(set)
    for record in records:
        if record is not None and record.pk is not None:
            by_model[type(record)].add(record.pk)
    for model, pks in by_model.items():
        model._base_manager.filter(pk__in=pks).update(version=F("version") + 1)
