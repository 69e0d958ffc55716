"""Writes to records: always validated in full (model rules and database constraints), always atomic."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Tenure
from events.services.claims import (
    claim_mark_preferred,
    claim_remove,
    claim_row_save,
    claim_still_needed_check,
    claim_store,
    claims_changed,
    record_demote_outdated_claims,
)
from events.services.dates import date_bounds_refresh_around
from events.services.derived import meeting_lineups_refresh, versions_bump
from events.services.locks import writing
from events.services.revision import dataset_touch
from events.services.support import Support, Unsupported, claimed_values, record_values_support


class RecordInUse(Exception):
    """The record cannot be deleted while others refer to it."""


class RecordInvalid(Exception):
    """Validation failed; `errors` maps field names (nested lists for members and claims) to messages."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _api_name(field: str) -> str:
    # Fuzzy dates are one field in the API (`date`) and four columns in the model (`date_edtf`, ...).
    for suffix in ("_edtf", "_earliest", "_latest", "_text"):
        if field.endswith(suffix):
            return field.removesuffix(suffix)
    return "non_field_errors" if field == "__all__" else field


def _errors(exc: ValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    errors: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        errors.setdefault(_api_name(field), []).extend(messages)
    return errors


def _clean(instance: models.Model, *, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise RecordInvalid(_errors(exc)) from exc


def _save_children(children: list[models.Model], *, name: str, store=None) -> None:
    """Save each valid child as it comes (with `store`, else record_store), so later ones are checked against earlier
    ones; report all errors."""
    errors = []
    for child in children:
        try:
            child.full_clean()
        except ValidationError as exc:
            errors.append(_errors(exc))
        else:
            errors.append({})
            if store:
                store(child)
            else:
                record_store(instance=child)
    if any(errors):
        raise RecordInvalid({name: errors})


@writing
def record_store(*, instance: models.Model) -> models.Model:
    """Save one row as it is (validated already, or built on purpose as it is, as a test's fixture may be), and
    what follows from it: derived values, versions, the dataset revision. For a row that belongs to a record
    being written (a claim, a member, a tenure on an agency's page), and for rows made without a form."""
    if isinstance(instance, Claim):
        return claim_store(claim=instance)
    if isinstance(instance, Participant | CrewMember):
        return member_store(member=instance)
    instance.save()
    _record_changed(instance, meetings=[instance.pk] if isinstance(instance, Meeting) else [])
    return instance


def _child_remove(child: models.Model) -> None:
    if isinstance(child, Claim):
        claim_still_needed_check(claim=child)
        claim_remove(claim=child)
    elif isinstance(child, Participant | CrewMember):
        member_remove(member=child)
    else:
        record_delete(instance=child)


def _lineups_touched_by(record) -> list[int]:
    """Meetings whose lineup `record` takes part in (a tenure's agency and head flag decide who came as head)."""
    if isinstance(record, Tenure):
        return list(Participant.objects.filter(tenure=record).values_list("meeting_id", flat=True))
    if isinstance(record, Agency):
        rows = Participant.objects.filter(Q(agency=record) | Q(tenure__agency=record))
        return list(rows.values_list("meeting_id", flat=True))
    return []


def _record_changed(record, *, meetings: list[int] = ()) -> None:
    """What follows from a record's own row changing: lineups it takes part in, the dates it and its neighbours
    bound, the dataset revision. (Its version rose as its row was written.)"""
    meeting_lineups_refresh(meetings=[*meetings, *_lineups_touched_by(record)])
    if isinstance(record, Meeting | Launch | Tenure):  # its dates and its neighbours' bound each other
        date_bounds_refresh_around(record)
    dataset_touch()


@writing
def member_store(*, member: Participant | CrewMember) -> Participant | CrewMember:
    """Save a participant of a meeting or a crew member of a launch (validated already): the meeting's lineup and
    the event's version follow, as does the one it left, if it moved."""
    event_field = "meeting" if isinstance(member, Participant) else "launch"
    left = type(member).objects.filter(pk=member.pk).values_list(f"{event_field}_id", flat=True).first()
    member.save()
    events = {getattr(member, f"{event_field}_id"), left} - {None}
    event_model = Meeting if event_field == "meeting" else Launch
    versions_bump(records=list(event_model.objects.filter(pk__in=events)))
    if event_model is Meeting:
        meeting_lineups_refresh(meetings=events)
    dataset_touch()
    return member


@writing
def member_remove(*, member: Participant | CrewMember) -> None:
    event = member.meeting if isinstance(member, Participant) else member.launch
    member.delete()
    versions_bump(records=[event])
    if isinstance(event, Meeting):
        meeting_lineups_refresh(meetings=[event.pk])
    dataset_touch()


@writing
def record_save(
    *,
    instance: models.Model,
    m2m: dict[str, list] | None = None,
    members: list[dict] | None = None,
    claims: list[dict] | None = None,
    rows: list[models.Model] | None = None,
    removed: list[models.Model] | None = None,
    support: Support | None = None,
    user=None,
) -> models.Model:
    """Validate and save a record with, optionally, its many-to-many links, members and claims.

    `members` (participants of a meeting, crew of a launch) and `m2m` replace what the record had;
    `claims` are added about the record. `rows` and `removed` are rows that belong to the record (claims about it,
    its members, tenures of an agency or a person), as an admin page edits them: saved (new or changed, validated
    already) or deleted. Each value the write sets rests on a claim: one that gives it already, one of `claims`
    or `rows`, or one made from `support` (see services.support). Derived values follow in the same transaction.
    Nothing is written unless everything is valid.
    """
    if isinstance(instance, Participant | CrewMember):
        _clean(instance)
        return member_store(member=instance)
    stored = type(instance)._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    before = claimed_values(stored) if stored is not None else None
    _clean(instance)
    if isinstance(stored, Claim) and _claim_gives(stored) != _claim_gives(instance):
        try:
            claim_still_needed_check(claim=stored)  # the claim is about to stop giving its record's value
        except ValidationError as exc:
            raise RecordInvalid({"non_field_errors": exc.messages}) from exc
    if isinstance(instance, Claim):
        claim_store(claim=instance)
    else:
        instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    if isinstance(instance, Claim) and instance.rank == Claim.Rank.PREFERRED:
        _mark_preferred(instance)  # the record takes the preferred value
    if members is not None:
        relation = {"meeting": "participants", "launch": "crew"}[instance._meta.model_name]
        manager = getattr(instance, relation)
        manager.all().delete()
        fk = manager.field.name
        _save_children([manager.model(**{fk: instance}, **m) for m in members], name=relation)
    for row in removed or []:
        try:
            _child_remove(row)
        except (ValidationError, RecordInUse) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise RecordInvalid({"non_field_errors": messages}) from exc
    for row in rows or []:
        record_store(instance=row)
    if claims:
        subject_type = instance._meta.model_name
        new = [Claim(subject_type=subject_type, **{subject_type: instance}, **c) for c in claims]
        _save_children(new, name="claims", store=lambda claim: claim_row_save(claim=claim))
        claims_changed(*new)
        for row in new:
            if row.rank == Claim.Rank.PREFERRED:
                _mark_preferred(row)
    if not isinstance(instance, Claim):
        try:
            record_values_support(record=instance, before=before, support=support, user=user)
        except Unsupported as exc:
            raise RecordInvalid(exc.errors) from exc
        record_demote_outdated_claims(record=instance)  # "the record holds the preferred value" stays true
        _record_changed(instance, meetings=[instance.pk] if isinstance(instance, Meeting) else [])
    instance.refresh_from_db(fields=_derived_columns(instance))  # as the services left them, for the answer
    return instance


def _mark_preferred(claim: Claim) -> None:
    try:
        claim_mark_preferred(claim=claim)
    except ValidationError as exc:  # the record refused the value (its own rules, checked as it takes it)
        raise RecordInvalid(_errors(exc)) from exc


def _derived_columns(record) -> list[str]:
    """The columns of `record` that follow from other rows (a version, a lineup, dates' derived bounds, flags)."""
    return [
        f.attname
        for f in record._meta.concrete_fields
        if not f.primary_key and (not f.editable or f.name.endswith(("_earliest", "_latest")))
    ]


def _claim_gives(claim: Claim) -> tuple | None:
    """What a claim gives while it stands: its subject, field and value."""
    if claim.rank == Claim.Rank.DEPRECATED:
        return None
    return (claim.subject_type, claim.subject_pk, claim.field, claim.value)


@writing
def record_delete(*, instance: models.Model) -> None:
    if isinstance(instance, Claim):
        try:
            claim_still_needed_check(claim=instance)
        except ValidationError as exc:
            raise RecordInUse(" ".join(exc.messages)) from exc
        claim_remove(claim=instance)
        return
    if isinstance(instance, Participant | CrewMember):
        member_remove(member=instance)
        return
    meetings = _lineups_touched_by(instance)
    cleared = _links_cleared_by_deleting(instance)
    try:
        instance.delete()
    except models.ProtectedError as exc:
        names = sorted({f"{o._meta.verbose_name} {o}" for o in exc.protected_objects})[:5]
        raise RecordInUse(f"Still referred to by: {', '.join(names)}.") from exc
    meeting_lineups_refresh(meetings=meetings)
    for record in cleared:  # each lost a link: as after a direct edit, with the dates it bounded
        record.refresh_from_db()
        record_demote_outdated_claims(record=record)
        if isinstance(record, Meeting | Launch | Tenure):
            date_bounds_refresh_around(record)
    versions_bump(records=[*Meeting.objects.filter(pk__in=meetings), *cleared])
    dataset_touch()


def _links_cleared_by_deleting(instance) -> list[models.Model]:
    """Records whose link to `instance` its deletion clears (on_delete SET_NULL: a meeting's related launch, a
    tenure's predecessor). Members (a participant's tenure) are left out: their meeting's lineup covers them."""
    records = []
    for relation in instance._meta.related_objects:
        if relation.on_delete is models.SET_NULL and relation.related_model not in (Participant, CrewMember):
            records += relation.related_model._base_manager.filter(**{relation.field.name: instance})
    return records
