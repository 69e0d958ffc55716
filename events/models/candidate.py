"""Candidate claims: what an ingested article seems to say, waiting for a curator to accept, edit or reject it."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from events.claimfields import SUBJECT_TYPES
from events.models.claim import LOCATOR, LOCATOR_MAX_LENGTH


class CandidateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Candidate.Status.PENDING)

    def of_record(self, *, subject_type: str, subject_slug: str):
        """The candidates about one record, known or proposed: the review queue's group."""
        return self.filter(subject_type=subject_type, subject_slug=subject_slug)


class Candidate(models.Model):
    class Relation(models.TextChoices):
        AGREES = "agrees", "agrees with a claim we have"
        ADDS = "adds", "adds a value"
        CONTRADICTS = "contradicts", "contradicts a claim we have"

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for review"
        ACCEPTED = "accepted", "accepted"
        REJECTED = "rejected", "rejected"

    SubjectType = models.TextChoices("SubjectType", [(t, t) for t in SUBJECT_TYPES])

    source = models.ForeignKey("events.Source", on_delete=models.CASCADE, related_name="candidates")
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices)
    subject_slug = models.SlugField(
        max_length=120, help_text="The record's slug; for a record not in the database, the slug it would get."
    )
    subject_name = models.CharField(max_length=300, help_text="The record's name, as the article gives it.")
    is_new = models.BooleanField(
        "new record", default=False, help_text="The article names a record the database does not hold yet."
    )
    field = models.CharField(max_length=40)
    value = models.CharField(max_length=500, help_text="Canonical text, as a claim's value.")
    wording = models.CharField(max_length=500, blank=True, help_text="The article's own words for the value.")
    locator = models.CharField(
        max_length=LOCATOR_MAX_LENGTH, validators=[RegexValidator(LOCATOR, "Paragraph numbers, e.g. 14 or 46-48.")]
    )
    sentence = models.TextField(help_text="The sentence of the article the candidate rests on.")
    confidence = models.FloatField(help_text="How sure the extraction is, from 0 to 1.")
    relation = models.CharField(
        max_length=12, choices=Relation.choices, help_text="Against the claims held when found."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    claim = models.OneToOneField(
        "events.Claim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
        help_text="The claim accepting it made.",
    )
    note = models.TextField(blank=True, help_text="The reviewer's: why it was rejected, or what was changed.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = CandidateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "subject_type", "subject_slug", "field", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_slug"], name="candidate_record_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "subject_type", "subject_slug", "field", "value"], name="candidate_once_per_source"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1), name="candidate_confidence_in_range"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_at__isnull=False), name="candidate_reviewed_when_decided"
            ),
        ]

    def __str__(self):
        return f"{self.subject_type} {self.subject_name}: {self.field} = {self.value}"
