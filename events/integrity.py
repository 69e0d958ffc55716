"""Reads that find inconsistent data: what `manage.py check_data` reports.

Each check reuses the predicate the models enforce on writes, so it finds what slipped past them:
rows written in bulk, with constraints off, by an older version, or restored from elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

from events.claimcourse import COURSES, supersession_due
from events.claimfields import SUBJECT_TYPES
from events.datebounds import bases_due, derive, own_bounds
from events.fuzzydates import edtf_bounds
from events.models import Claim, Launch, Meeting, Participant, Source, Tenure
from events.models.claim import IS_DATE_FIELD, _exactly_one_subject
from events.models.fuzzy import FuzzyDatedMixin, fuzzy_end, fuzzy_start, narrowed
from events.progress import Progress, no_progress
from events.selectors import preferred_claim_mismatches, unsupported_values


@dataclass(frozen=True)
class Finding:
    check: str
    model: str  # app label and model name, e.g. "events.claim"
    pk: int
    record: str  # how a reader finds the record: its slug, or a short description
    detail: str

    def as_dict(self) -> dict:
        return {"model": self.model, "pk": self.pk, "record": self.record, "detail": self.detail}


def _finding(check: str, instance, detail: str, record: str | None = None) -> Finding:
    name = record or getattr(instance, "slug", None) or f"#{instance.pk}"
    return Finding(check, instance._meta.label_lower, instance.pk, name, detail)


def orphan_claims(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Claims whose source or subject is gone, or that lack exactly one subject of their type."""
    claims = Claim.objects.order_by("pk")
    for claim in claims.exclude(Exists(Source.objects.filter(pk=OuterRef("source_id")))):
        yield _finding("orphan_claims", claim, f"its source (id {claim.source_id}) does not exist")
    for claim in claims.exclude(_exactly_one_subject()):
        yield _finding("orphan_claims", claim, f"it is not about exactly one {claim.subject_type or 'record'}")
    for subject_type in SUBJECT_TYPES:
        model = Claim._meta.get_field(subject_type).related_model
        column = f"{subject_type}_id"
        gone = claims.filter(**{f"{column}__isnull": False}).exclude(Exists(model.objects.filter(pk=OuterRef(column))))
        for claim in gone:
            yield _finding("orphan_claims", claim, f"its {subject_type} (id {getattr(claim, column)}) does not exist")


def overlapping_heads(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Pairs of head tenures of one agency that certainly overlap (the rule Tenure.clean applies)."""
    heads = Tenure.objects.heads()
    rivals = (
        heads.filter(agency=OuterRef("agency"))
        .exclude(pk=OuterRef("pk"))
        .certainly_overlapping((OuterRef("certain_from"), OuterRef("certain_until")), today=today)
    )
    suspects = heads.with_certain_span(today=today).filter(Exists(rivals)).select_related("person", "agency")
    for tenure in suspects.order_by("pk"):
        clashes = (
            heads.filter(agency_id=tenure.agency_id, pk__gt=tenure.pk)  # each pair once
            .certainly_overlapping(tenure.certain_span(today=today), today=today)
            .select_related("person")
        )
        for other in clashes:
            yield _finding(
                "overlapping_heads",
                tenure,
                f"{tenure.agency.slug} head {tenure.person.slug} ({tenure.start_edtf or '?'} to "
                f"{tenure.end_edtf or 'now'}) certainly overlaps {other.person.slug} "
                f"({other.start_edtf or '?'} to {other.end_edtf or 'now'}, tenure {other.slug})",
            )


def unbacked_records(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Records no source makes any claim about."""
    for subject_type in SUBJECT_TYPES:
        model = Claim._meta.get_field(subject_type).related_model
        for record in model.objects.filter(claims__isnull=True).order_by("pk"):
            yield _finding("unbacked_records", record, "no source makes a claim about it")


def unsupported_record_values(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Record values that no claim still standing gives (a value set by hand, or its claims deprecated)."""
    for subject_type in SUBJECT_TYPES:
        for record, field, value in unsupported_values(subject_type=subject_type):
            yield _finding("unsupported_values", record, f"{field} is {value!r}, but no claim standing says so")


def participants_outside_tenure(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Participants whose tenure cannot have been held at any time the meeting's date allows."""
    held = Tenure.objects.filter(pk=OuterRef("tenure_id")).active_during(OuterRef("_first"), OuterRef("_last"))
    participants = (
        Participant.objects.filter(tenure__isnull=False)
        .exclude(meeting__date_edtf="")
        .annotate(_first=fuzzy_start("meeting__date"), _last=fuzzy_end("meeting__date"))
        .exclude(Exists(held))
        .select_related("meeting", "person", "tenure")
        .order_by("pk")
    )
    for p in participants:
        yield _finding(
            "participants_outside_tenure",
            p,
            f"tenure {p.tenure.slug} ({p.tenure.start_edtf or '?'} to {p.tenure.end_edtf or 'now'}) cannot cover "
            f"the meeting date {p.meeting.date_edtf}",
            record=f"{p.meeting.slug}/{p.person.slug}",
        )


def preferred_values_differ(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Records whose own value is not the one their preferred claim gives."""
    for claim, current in preferred_claim_mismatches():
        yield _finding(
            "preferred_values_differ",
            claim.subject,
            f"{claim.field} is {current!r}, but the preferred claim of {claim.source.slug} (claim {claim.pk}) "
            f"says {claim.value!r}",
        )


def stale_lineups(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Meetings whose stored lineup is not the one their participants make."""
    due = Meeting.objects.lineups_due()
    stale = {pk: pair for pk, pair in due.items() if pair[0] != pair[1]}
    for meeting in Meeting.objects.filter(pk__in=stale).order_by("pk"):
        stored, computed = stale[meeting.pk]
        yield _finding("stale_lineups", meeting, f"lineup is {stored!r}; its participants make {computed!r}")


def stale_disputes(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Claims whose in_dispute flag is not what Claim.objects.conflicting() says."""
    disputed = Claim.objects.conflicting(include_deprecated=True).values("pk")
    wrong = Claim.objects.filter((Q(in_dispute=True) & ~Q(pk__in=disputed)) | Q(in_dispute=False, pk__in=disputed))
    for claim in wrong.order_by("pk"):
        state = (
            "flagged as in dispute, but no source contradicts it"
            if claim.in_dispute
            else ("contradicted by another source, but not flagged as in dispute")
        )
        yield _finding("stale_disputes", claim, state)


def stale_supersession(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Claims whose superseded_by is not the later claim that moves their value forward (events.claimcourse)."""
    fields = reduce(or_, (Q(subject_type=t, field=f) for t, f in COURSES), Q(pk__in=[]))
    claims = {c.pk: c for c in Claim.objects.filter(fields).select_related("source")}
    for pk, (stored, wanted) in sorted(supersession_due(claims.values()).items()):
        if stored != wanted:
            yield _finding("stale_supersession", claims[pk], f"superseded_by is {stored}; should be {wanted}")


def stale_date_bounds(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Fuzzy dates whose stored earliest/latest days are not the ones their EDTF text means, narrowed by the
    bounds derived from claims (see derived_bounds_differ) that are stored with them."""
    meanings = {}  # the parser is slow and most dates recur (a meeting's date, and its claims): parse each once
    models = [m for m in apps.get_app_config("events").get_models() if issubclass(m, FuzzyDatedMixin)]
    for model in models:
        for name in model.fuzzy_date_names:
            columns = (f"{name}_edtf", f"{name}_earliest", f"{name}_latest")
            derived = Q(**{f"{name}_basis": {}}) if hasattr(model, f"{name}_basis") else Q()
            plain = model.objects.exclude(**{columns[0]: ""}).filter(derived)
            yield from _stale_bounds(plain, columns, name, meanings)
            if derived:
                yield from _stale_narrowed_bounds(model.objects.exclude(derived), name)
    claims = Claim.objects.filter(IS_DATE_FIELD)
    yield from _stale_bounds(claims, ("value", "value_earliest", "value_latest"), "value", meanings)


def _stale_narrowed_bounds(rows, name: str) -> Iterator[Finding]:
    for record in rows.order_by("pk"):
        text = getattr(record, f"{name}_edtf")
        try:
            own = edtf_bounds(text) if text else own_bounds(record, name)
        except ValidationError:
            yield _finding("stale_date_bounds", record, f"{name} {text!r} is not a valid EDTF date")
            continue
        expected = narrowed(own, getattr(record, f"{name}_basis"))
        stored = (getattr(record, f"{name}_earliest"), getattr(record, f"{name}_latest"))
        if stored != (expected.earliest, expected.latest):
            yield _finding(
                "stale_date_bounds",
                record,
                f"{name} is stored as {stored[0]} to {stored[1]}; with its derived bounds it means "
                f"{expected.earliest} to {expected.latest}",
            )


def derived_bounds_differ(*, today: dt.date | None = None) -> Iterator[Finding]:
    """Dates whose stored derived bounds are not what the claims now give (events.datebounds), or whose claims
    bound them beyond what their own text allows."""
    meetings, launches, tenures = Meeting.objects.all(), Launch.objects.all(), Tenure.objects.all()
    records = {(type(r), r.pk): r for r in (*meetings, *launches, *tenures)}
    derivation = derive(meetings=meetings, launches=launches, tenures=tenures)
    for (model, pk, name), basis in bases_due(derivation, records.values()).items():
        record = records[model, pk]
        if getattr(record, f"{name}_basis") != basis:
            yield _finding("derived_bounds_differ", record, f"{name}'s derived bounds are {basis}, stored otherwise")


def _meaning(text: str, meanings: dict) -> tuple | None:
    """(earliest, latest) the text means, or None when it is no EDTF date."""
    if text not in meanings:
        try:
            bounds = edtf_bounds(text)
            meanings[text] = (bounds.earliest, bounds.latest)
        except ValidationError:
            meanings[text] = None
    return meanings[text]


def _stale_bounds(rows, columns: tuple[str, str, str], name: str, meanings: dict) -> Iterator[Finding]:
    for text, earliest, latest in rows.values_list(*columns).distinct().order_by(*columns):
        expected = _meaning(text, meanings)
        if expected == (earliest, latest):
            continue
        if expected is None:
            problem = f"{name} {text!r} is not a valid EDTF date"
        else:
            problem = f"{name} {text!r} is stored as {earliest} to {latest}; it means {expected[0]} to {expected[1]}"
        same = rows.filter(**dict(zip(columns, (text, earliest, latest), strict=True))).order_by("pk")
        for record in same:
            yield _finding("stale_date_bounds", record, problem)


CHECKS: dict[str, tuple[str, Callable[..., Iterator[Finding]]]] = {
    "orphan_claims": ("Claims without their source or subject", orphan_claims),
    "overlapping_heads": ("Head tenures of one agency that certainly overlap", overlapping_heads),
    "unbacked_records": ("Records no source makes a claim about", unbacked_records),
    "unsupported_values": ("Record values no claim still standing gives", unsupported_record_values),
    "participants_outside_tenure": (
        "Participants whose tenure does not cover the meeting date",
        participants_outside_tenure,
    ),
    "preferred_values_differ": ("Records whose value differs from their preferred claim", preferred_values_differ),
    "stale_lineups": ("Meetings whose stored lineup is out of date", stale_lineups),
    "stale_disputes": ("Claims whose in_dispute flag is out of date", stale_disputes),
    "stale_supersession": ("Claims whose superseding claim is out of date", stale_supersession),
    "stale_date_bounds": ("Fuzzy dates whose stored bounds disagree with their EDTF text", stale_date_bounds),
    "derived_bounds_differ": ("Dates whose bounds derived from claims are out of date", derived_bounds_differ),
}


def data_inconsistencies(
    *, today: dt.date | None = None, skip=(), progress: Progress = no_progress
) -> dict[str, list[Finding]]:
    """Each check's findings, by check name (an empty list: that check found nothing), but those in `skip`.

    `progress` (events.progress) is shown the checks as they run."""
    run = [(name, check) for name, (_, check) in CHECKS.items() if name not in skip]
    return {name: list(check(today=today)) for name, check in progress(run, desc="check_data", unit="checks")}
