"""Claims: what one source says about one field of one record."""

import contextlib
import copy
import re
from collections.abc import Iterator
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from events.claimcourse import speaks_for
from events.claimfields import CLAIM_FIELDS, DATE_FIELDS, MANY_FIELDS, SUBJECT_TYPES, claim_normalize, claim_spec
from events.models.common import version_field, version_positive

# The subject is one of several nullable foreign keys (an exclusive arc), so the
# database keeps claims attached to real records and deletes them with their subject.
SUBJECT_ID = Coalesce(*(F(t) for t in SUBJECT_TYPES))
DUPLICATE_MESSAGE = "This source already makes this claim about this record."
LOCATOR = re.compile(r"\A\d+(-\d+)?(,\d+(-\d+)?)*\Z")
LOCATOR_MAX_LENGTH = 60
# A claim points at a few passages (three at most in the seed data); more is a list of the article, not a locator.
LOCATOR_MAX_PARTS = 10
IS_DATE_FIELD = reduce(or_, (Q(subject_type=t, field=f) for t, f in DATE_FIELDS))
IS_MANY_FIELD = reduce(or_, (Q(subject_type=t, field=f) for t, f in MANY_FIELDS))


def _exactly_one_subject() -> Q:
    return reduce(
        or_,
        (
            Q(subject_type=t, **{f"{t}__isnull": False}, **{f"{o}__isnull": True for o in SUBJECT_TYPES if o != t})
            for t in SUBJECT_TYPES
        ),
    )


def locator_parts(locator: str) -> list[tuple[str, int, int]] | None:
    """Each paragraph or range of a locator as (its text, first, last); None for a malformed one, which the field's
    validators report. A range stays two numbers: it may be wide, and is never listed."""
    if len(locator) > LOCATOR_MAX_LENGTH or not LOCATOR.fullmatch(locator):
        return None
    parts = []
    for part in locator.split(","):
        first, _, last = part.partition("-")
        parts.append((part, int(first), int(last or first)))
    return parts


def claim_value_bounds(claim):
    """The days a date claim's value can mean; None for a claim about anything but a date."""
    spec = CLAIM_FIELDS.get(claim.subject_type, {}).get(claim.field)
    return spec.bounds(claim.value) if spec is not None and spec.is_date else None


class ClaimValueField(models.CharField):
    """A claim's value as canonical text. For a date, the earliest and latest days it can mean follow from it and
    are worked out as the claim is written (as `auto_now` is), so no writer stores other bounds; a row inserted
    with its bounds (a dataset import's copy) keeps them."""

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        copied = add and (model_instance.value_earliest is not None or model_instance.value_latest is not None)
        if isinstance(model_instance, Claim) and not copied:  # a history row copies the claim's as they are
            model_instance._sync_value_bounds()
        return value


RANKS_BEST_FIRST = ("preferred", "normal", "deprecated")


def rank_position(rank: str) -> int:
    """Where a rank stands, best first: a sort key for claims in Python."""
    return RANKS_BEST_FIRST.index(rank)


class ClaimQuerySet(models.QuerySet):
    def best_first(self):
        """Preferred claims, then normal, then deprecated; the oldest first within a rank."""
        position = Case(*(When(rank=r, then=Value(i)) for i, r in enumerate(RANKS_BEST_FIRST)))
        return self.order_by(position, "pk")

    def best(self):
        """The best rank, as Wikidata's clients read it: for each subject and field, its preferred claims if it
        has any, else its normal ones; never deprecated or superseded claims."""
        preferred_peer = (
            Claim.objects.filter(
                superseded_by__isnull=True,
                rank=Claim.Rank.PREFERRED,
                subject_type=OuterRef("subject_type"),
                field=OuterRef("field"),
            )
            .annotate(subject_id=SUBJECT_ID)
            .filter(subject_id=OuterRef("subject_id"))
        )
        return (
            self.filter(superseded_by__isnull=True)
            .annotate(subject_id=SUBJECT_ID)
            .filter(Q(rank=Claim.Rank.PREFERRED) | (Q(rank=Claim.Rank.NORMAL) & ~Exists(preferred_peer)))
        )

    def current(self):
        """Claims not judged wrong."""
        return self.exclude(rank=Claim.Rank.DEPRECATED)

    def about(self, record):
        """Claims whose subject is `record`; none for a source, which makes claims but is never their subject."""
        subject_type = record._meta.model_name
        if subject_type not in SUBJECT_TYPES:
            return self.none()
        return self.filter(**{subject_type: record})

    def conflicting(self, *, include_deprecated: bool = False, among=None):
        """Claims that another source contradicts on the same subject and field.

        Two values disagree when they differ, except for dates, which disagree only
        when their ranges cannot overlap ("2025-07" and "2025-07-31" agree).
        Without `include_deprecated`, versions already judged wrong are left out on
        both sides, so what remains are the disagreements still open. `among` narrows
        the claims looked at for contradictions (by default, every claim).
        """
        # A superseded claim was right for its day: it contradicts nothing, whatever its rank.
        peers = (Claim.objects.all() if among is None else among).filter(superseded_by__isnull=True)
        peers = peers if include_deprecated else peers.current()
        disjoint_dates = Q(value_latest__lt=OuterRef("value_earliest")) | Q(value_earliest__gt=OuterRef("value_latest"))
        others = (
            peers.annotate(subject_id=SUBJECT_ID)
            .filter(subject_type=OuterRef("subject_type"), subject_id=OuterRef("subject_id"), field=OuterRef("field"))
            .exclude(source=OuterRef("source"))
            .filter((IS_DATE_FIELD & disjoint_dates) | (~IS_DATE_FIELD & ~Q(value=OuterRef("value"))))
        )
        # A claim of a field of many values (an alias) gives one of them: it contradicts no other.
        qs = self.filter(superseded_by__isnull=True).exclude(IS_MANY_FIELD)
        qs = qs if include_deprecated else qs.current()
        return qs.annotate(subject_id=SUBJECT_ID).filter(Exists(others))

    def disputes_open(self):
        """conflicting() read through the in_dispute flags: a contradicting pair is always flagged both sides."""
        in_dispute = Claim.objects.filter(in_dispute=True)
        return self.filter(in_dispute=True).conflicting(among=in_dispute)

    def same_subject_and_field(self, *, subject_type: str, subject_id: int, field: str):
        return self.annotate(subject_id=SUBJECT_ID).filter(
            subject_type=subject_type, subject_id=subject_id, field=field
        )


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_by_natural_key(self, source, subject_type, subject, field, value):
        with contextlib.suppress(ValidationError):  # fixtures may spell a value unlike its stored form
            value, _ = claim_normalize(subject_type, field, value)
        return self.get(
            source__slug=source,
            subject_type=subject_type,
            **{f"{subject_type}__slug": subject},
            field=field,
            value=value,
        )


class Claim(models.Model):
    class Rank(models.TextChoices):
        PREFERRED = "preferred", "preferred"
        NORMAL = "normal", "normal"
        DEPRECATED = "deprecated", "deprecated"

    SubjectType = models.TextChoices("SubjectType", [(t, t) for t in SUBJECT_TYPES])

    source = models.ForeignKey("events.Source", on_delete=models.PROTECT, related_name="claims")
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices)
    agency = models.ForeignKey("events.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    person = models.ForeignKey("events.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    place = models.ForeignKey("events.Place", null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    topic = models.ForeignKey("events.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    tenure = models.ForeignKey("events.Tenure", null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    meeting = models.ForeignKey(
        "events.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    launch = models.ForeignKey("events.Launch", null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    field = models.CharField(max_length=40)
    value = ClaimValueField(
        max_length=500,
        help_text="Canonical text: a slug for a link, sorted comma-separated slugs for a set, EDTF for a date.",
    )
    value_earliest = models.DateField(null=True, blank=True, editable=False)
    value_latest = models.DateField(null=True, blank=True, editable=False)
    rank = models.CharField(max_length=12, choices=Rank.choices, default=Rank.NORMAL, db_index=True)
    locator = models.CharField(
        max_length=LOCATOR_MAX_LENGTH,
        blank=True,
        validators=[RegexValidator(LOCATOR, "Paragraph numbers, e.g. 14 or 46-48 or 14,73.")],
        help_text="Paragraph numbers in the article (its non-blank lines, counted from 1); "
        "none for curators' judgement.",
    )
    note = models.TextField(blank=True, help_text="In our own words; for a deprecated claim, why it was judged wrong.")
    as_of = models.DateField(
        "speaks for",
        null=True,
        blank=True,
        help_text="The day the claim speaks for. Empty: its source's publication date.",
    )
    # Derived: a later claim that moves this one's value forward along its natural course (a meeting
    # planned, then held). A superseded claim was right when made and takes no part in disputes.
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="supersedes"
    )
    # Derived: another source's claim on the same subject and field contradicts this one, deprecated
    # ones included (ClaimQuerySet.conflicting). Kept current by the services that write claims, so listing
    # disputes is an index scan rather than a self-join over every claim.
    in_dispute = models.BooleanField(default=False, editable=False)
    version = version_field()

    objects = ClaimManager()
    history = HistoricalRecords(excluded_fields=["in_dispute", "superseded_by"])

    class Meta:
        ordering = ["subject_type", "field", "source__slug", "pk"]
        indexes = [
            models.Index(F("subject_type"), SUBJECT_ID, F("field"), name="claim_subject_field_idx"),
            models.Index(
                F("subject_type"), SUBJECT_ID, F("field"), condition=Q(in_dispute=True), name="claim_in_dispute_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=_exactly_one_subject(), name="claim_exactly_one_subject"),
            models.UniqueConstraint(
                F("source"),
                F("subject_type"),
                SUBJECT_ID,
                F("field"),
                F("value"),
                name="claim_once_per_source_subject_field_value",
                violation_error_message=DUPLICATE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(rank="deprecated") | ~Q(note=""),
                name="claim_deprecated_has_reason",
                violation_error_message="A deprecated claim needs a note saying why it was judged wrong.",
            ),
            models.CheckConstraint(condition=Q(rank__in=list(RANKS_BEST_FIRST)), name="claim_rank_valid"),
            models.CheckConstraint(
                condition=~(IS_MANY_FIELD & Q(rank="preferred")),
                name="claim_of_many_values_not_preferred",
                violation_error_message="An alias is one name of several: rank it normal (or deprecated), "
                "never preferred.",
            ),
            version_positive("claim"),
        ]

    def __str__(self):
        return f"{self.source_id and self.source.slug}: {self.subject_type} {self.subject} {self.field} = {self.value}"

    def get_constraints(self):
        # Uniqueness is checked in clean(), where the subject is resolved; the database's expression-based
        # constraint cannot be evaluated from Python for a claim without a subject on PostgreSQL.
        return [
            (model, [c for c in constraints if c.name != "claim_once_per_source_subject_field_value"])
            for model, constraints in super().get_constraints()
        ]

    def natural_key(self):
        return (self.source.slug, self.subject_type, self.subject.slug, self.field, self.value)

    natural_key.dependencies = ["events.source", *(f"events.{t}" for t in SUBJECT_TYPES)]

    @property
    def speaks_for(self):
        """The day the claim speaks for: its own `as_of`, or its source's publication date."""
        return speaks_for(self)

    @property
    def subject(self):
        return getattr(self, self.subject_type, None) if self.subject_type else None

    @property
    def subject_pk(self):
        return getattr(self, f"{self.subject_type}_id", None) if self.subject_type in SUBJECT_TYPES else None

    def paragraph_numbers(self) -> Iterator[int]:
        """The paragraphs the locator points at, one at a time."""
        for _, first, last in locator_parts(self.locator or "") or ():
            yield from range(first, last + 1)

    def _subjects_set(self) -> list[str]:
        # The related object, not just its id: an admin inline's parent may not be saved yet.
        return [t for t in SUBJECT_TYPES if getattr(self, f"{t}_id") or getattr(self, t, None) is not None]

    def _sync_value_bounds(self) -> None:
        bounds = claim_value_bounds(self)
        self.value_earliest, self.value_latest = (bounds.earliest, bounds.latest) if bounds else (None, None)

    def _clean_support(self) -> None:
        """An article's claim points at its paragraphs; a curator's judgement has none, but says why."""
        if self.source.is_judgement:
            if self.locator:
                raise ValidationError({"locator": "A curator's judgement has no paragraphs to point at."})
            if not self.note.strip():
                raise ValidationError({"note": "Say why: a curator's judgement needs a note."})
        elif not self.locator:
            raise ValidationError({"locator": "Say where the source says it (paragraph numbers)."})

    def _clean_locator(self) -> None:
        """Few parts, each a paragraph of the source or a range of them in order; the error names the first part
        at fault, so it stays short however wide the range."""
        parts = locator_parts(self.locator or "")
        if not parts:
            return
        if len(parts) > LOCATOR_MAX_PARTS:
            raise ValidationError({"locator": f"At most {LOCATOR_MAX_PARTS} paragraphs or ranges, e.g. 14,46-48."})
        paragraphs = self.source.paragraphs
        for text, first, last in parts:
            if first > last:
                raise ValidationError({"locator": f"{text} runs backwards; write a range first to last, e.g. 46-48."})
            if paragraphs and not 1 <= first <= last <= paragraphs:
                raise ValidationError({"locator": f"{self.source.slug} has paragraphs 1-{paragraphs}; not {text}."})

    def clean(self):
        super().clean()
        subjects = self._subjects_set()
        if not self.subject_type and len(subjects) == 1:
            self.subject_type = subjects[0]
        if subjects != [self.subject_type]:
            raise ValidationError("A claim is about exactly one record, of its subject type.")
        if self.field:
            self.value, _ = claim_normalize(self.subject_type, self.field, self.value)
            self._sync_value_bounds()
        if self.source_id:
            self._clean_support()
        if self.source_id:
            self._clean_locator()
        subject = self.subject
        if self.source_id and subject is not None and subject.pk is not None:
            # Checked here as well as in the database, so forms that leave out the subject columns see it.
            duplicate = Claim.objects.about(subject).filter(
                source_id=self.source_id, field=self.field, value=self.value
            )
            if duplicate.exclude(pk=self.pk).exists():
                raise ValidationError(DUPLICATE_MESSAGE)
        if self.rank == self.Rank.PREFERRED and (self.subject_type, self.field) in MANY_FIELDS:
            raise ValidationError({"rank": "An alias is one name of several: rank it normal, never preferred."})
        if self.rank == self.Rank.PREFERRED and self.field and subject is not None:
            self._clean_value_fits(subject)

    def _clean_value_fits(self, subject) -> None:
        """A preferred claim's value becomes its record's: refuse one the record cannot hold (too long, not a
        country code, ...), here rather than when the record takes it."""
        spec = claim_spec(self.subject_type, self.field)
        if spec.after_save:  # links (topics, participants): checked as values already
            return
        record = copy.copy(subject)  # the subject itself stays as it is
        spec.apply(record, self.value)
        try:
            record.clean_fields()
        except ValidationError as exc:
            problems = [
                m for name, messages in exc.message_dict.items() if name.startswith(spec.attr) for m in messages
            ]
            if problems:
                raise ValidationError(
                    {"value": f"The {self.subject_type}'s {self.field} cannot be this value: {' '.join(problems)}"}
                ) from exc
