"""Writes to records: always validated in full (model rules and database constraints), always atomic."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction

from events.models import Claim, Launch, Meeting, Tenure
from events.services.claims import claim_mark_preferred, claim_still_needed_check, record_demote_outdated_claims
from events.services.dates import date_bounds_refresh_around
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


def _save_children(children: list[models.Model], *, name: str) -> None:
    """Save each valid child as it comes, so later ones are checked against earlier ones; report all errors."""
    errors = []
    for child in children:
        try:
            child.full_clean()
        except ValidationError as exc:
            errors.append(_errors(exc))
        else:
            errors.append({})
            child.save()
    if any(errors):
        raise RecordInvalid({name: errors})


@transaction.atomic
def record_save(
    *,
    instance: models.Model,
    m2m: dict[str, list] | None = None,
    members: list[dict] | None = None,
    claims: list[dict] | None = None,
    support: Support | None = None,
    user=None,
) -> models.Model:
    """Validate and save a record with, optionally, its many-to-many links, members and claims.

    `members` (participants of a meeting, crew of a launch) and `m2m` replace what the record had;
    `claims` are added about the record. Each value the write sets rests on a claim: one that gives it
    already, one of `claims`, or one made from `support` (see services.support). Nothing is written unless
    everything is valid.
    """
    stored = type(instance)._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    before = claimed_values(stored) if stored is not None else None
    _clean(instance)
    if isinstance(stored, Claim) and _claim_gives(stored) != _claim_gives(instance):
        try:
            claim_still_needed_check(claim=stored)  # the claim is about to stop giving its record's value
        except ValidationError as exc:
            raise RecordInvalid({"non_field_errors": exc.messages}) from exc
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    if isinstance(instance, Claim) and instance.rank == Claim.Rank.PREFERRED:
        claim_mark_preferred(claim=instance)  # the record takes the preferred value
    if members is not None:
        relation = {"meeting": "participants", "launch": "crew"}[instance._meta.model_name]
        manager = getattr(instance, relation)
        manager.all().delete()
        fk = manager.field.name
        _save_children([manager.model(**{fk: instance}, **m) for m in members], name=relation)
    if claims:
        subject_type = instance._meta.model_name
        rows = [Claim(subject_type=subject_type, **{subject_type: instance}, **c) for c in claims]
        _save_children(rows, name="claims")
        for row in rows:
            if row.rank == Claim.Rank.PREFERRED:
                claim_mark_preferred(claim=row)
    if not isinstance(instance, Claim):
        try:
            record_values_support(record=instance, before=before, support=support, user=user)
        except Unsupported as exc:
            raise RecordInvalid(exc.errors) from exc
        record_demote_outdated_claims(record=instance)  # "the record holds the preferred value" stays true
    if isinstance(instance, Meeting | Launch | Tenure):  # its dates and its neighbours' bound each other
        date_bounds_refresh_around(instance)
    return instance


def _claim_gives(claim: Claim) -> tuple | None:
    """What a claim gives while it stands: its subject, field and value."""
    if claim.rank == Claim.Rank.DEPRECATED:
        return None
    return (claim.subject_type, claim.subject_pk, claim.field, claim.value)


@transaction.atomic
def record_delete(*, instance: models.Model) -> None:
    if isinstance(instance, Claim):
        try:
            claim_still_needed_check(claim=instance)
        except ValidationError as exc:
            raise RecordInUse(" ".join(exc.messages)) from exc
    try:
        instance.delete()
    except models.ProtectedError as exc:
        names = sorted({f"{o._meta.verbose_name} {o}" for o in exc.protected_objects})[:5]
        raise RecordInUse(f"Still referred to by: {', '.join(names)}.") from exc
