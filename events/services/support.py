"""Every stored value rests on a claim: a write that sets a value names what supports it.

A value is supported by a standing (not deprecated) claim that gives it. A write whose new value no such claim
gives must name its support: a source and where it says so, or, with no source, the writer's own judgement and
why. Either becomes a claim, preferred, so the record holds its preferred value.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from events.claimfields import CLAIM_FIELDS, record_value
from events.models import Claim, Source
from events.services.claims import claim_rank_preferred, claim_store
from events.services.locks import writing

JUDGEMENT_SLUG = "judgement-{}"


@dataclass(frozen=True)
class Support:
    """What a write rests on: `source` and `locator` (paragraphs), or no source: the writer's judgement,
    which needs a `note` saying why."""

    source: Source | None = None
    locator: str = ""
    note: str = ""


class Unsupported(Exception):
    """A value no standing claim gives, and the write named no support; `errors` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def claimed_values(record) -> dict[str, str]:
    """The record's claimed fields and their current values as claim text ({} for a record claims are not about)."""
    return {field: record_value(record, field) for field in CLAIM_FIELDS.get(record._meta.model_name, {})}


@writing
def judgement_source_for(*, user) -> Source:
    """The source that stands for `user`'s own judgement, made on first use."""
    source = Source.objects.filter(curator=user).first()
    if source is None:
        today = timezone.localdate()
        source = Source(
            slug=JUDGEMENT_SLUG.format(slugify(user.get_username()))[:80],
            title=f"Judgement of {user.get_username()}",
            kind=Source.Kind.JUDGEMENT,
            curator=user,
            published_edtf=today.isoformat(),
            published_text="first used on this day",
            summary="What this curator judged to be so where no article says it; each claim's note says why.",
        )
        source.full_clean()
        source.save()
    return source


@writing
def record_values_support(*, record, before: dict[str, str] | None, support: Support | None = None, user=None):
    """Make every value of `record` that differs from `before` (all of them for a new record, `before` None)
    rest on a standing claim, preferred: the claim that gives it already, or a new one from `support`.

    Raise Unsupported, naming each field, when neither exists.
    """
    errors: dict[str, list[str]] = {}
    subject_type = record._meta.model_name
    for field, value in claimed_values(record).items():
        spec = CLAIM_FIELDS[subject_type][field]
        if not spec.is_set(value) or (before is not None and before.get(field) == value):
            continue
        standing = list(Claim.objects.about(record).current().filter(field=field, value=value).best_first())
        if standing:
            if standing[0].rank != Claim.Rank.PREFERRED:
                claim_rank_preferred(claim=standing[0])
            continue
        if support is None:
            errors[field] = [
                f"No source gives {value!r}. Name the source that does (support.source and support.locator), "
                "or give your own judgement with a note saying why (support.note)."
            ]
            continue
        try:
            claim_rank_preferred(claim=_support_claim(record, field, value, support=support, user=user))
        except ValidationError as exc:
            errors["support"] = exc.messages
    if errors:
        raise Unsupported(errors)


def _support_claim(record, field: str, value: str, *, support: Support, user) -> Claim:
    if support.source is None and user is None:
        raise ValidationError("Only a signed-in user can give a judgement of their own.")
    source = support.source or judgement_source_for(user=user)
    as_of = timezone.localdate() if source.is_judgement else None  # a judgement speaks for the day it is made
    subject_type = record._meta.model_name
    claim = Claim(
        source=source,
        subject_type=subject_type,
        **{subject_type: record},
        field=field,
        value=value,
        locator=support.locator,
        note=support.note,
        as_of=as_of,
        rank=Claim.Rank.PREFERRED,  # saved once, preferred; claim_rank_preferred then demotes the others
    )
    try:
        claim.full_clean()
    except ValidationError as exc:
        raise ValidationError([f"{name}: {' '.join(m)}" for name, m in exc.message_dict.items()]) from exc
    return claim_store(claim=claim)
