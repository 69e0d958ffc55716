"""Posts held: who led (or served in) which agency, and when."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from events.models.common import SlugManager, SlugNaturalKeyMixin, unique_slug, version_field, version_positive
from events.models.fuzzy import FuzzyDatedMixin, bounds_ordered, fuzzy_date


class TenureQuerySet(models.QuerySet):
    def heads(self):
        return self.filter(is_head=True)

    def with_certain_span(self, *, today: dt.date | None = None):
        """Annotate `certain_from`/`certain_until`: the days the post was surely held.

        An open end (no end date) means "still in office", so it is certain up to today.
        """
        today = today or timezone.localdate()
        return self.annotate(
            certain_from=F("start_latest"),
            certain_until=Case(When(end_edtf="", then=Value(today)), default=F("end_earliest")),
        )

    def active_during(self, first: dt.date | None, last: dt.date | None):
        """Tenures that may have been held at some point in [first, last] (None: unbounded)."""
        qs = self
        if last is not None:
            qs = qs.filter(Q(start_earliest__isnull=True) | Q(start_earliest__lte=last))
        if first is not None:
            qs = qs.filter(Q(end_edtf="") | Q(end_latest__isnull=True) | Q(end_latest__gte=first))
        return qs

    def active_on(self, day: dt.date, *, certain: bool = False, today: dt.date | None = None):
        """Tenures that held office on `day`: possibly (default) or certainly."""
        qs = self.active_during(day, day)
        if certain:
            qs = qs.with_certain_span(today=today).filter(certain_from__lte=day, certain_until__gte=day)
        return qs

    def certainly_overlapping(self, span: tuple[dt.date, dt.date] | None, *, today: dt.date | None = None):
        """Tenures whose certain span shares at least one day with `span`."""
        if span is None:
            return self.none()
        start, until = span
        return self.with_certain_span(today=today).filter(
            Q(certain_from__lte=F("certain_until")),
            certain_from__lte=until,
            certain_until__gte=start,
        )


class TenureManager(SlugManager.from_queryset(TenureQuerySet)):
    pass


class Tenure(
    SlugNaturalKeyMixin,
    FuzzyDatedMixin,
    fuzzy_date("start", derivable=True),
    fuzzy_date("end", derivable=True),
    models.Model,
):
    fuzzy_date_names = ("start", "end")

    slug = models.SlugField(max_length=120)
    person = models.ForeignKey("events.Person", on_delete=models.CASCADE, related_name="tenures")
    agency = models.ForeignKey("events.Agency", on_delete=models.CASCADE, related_name="tenures")
    title = models.CharField(max_length=200)
    is_head = models.BooleanField(default=False, help_text="The post leads the agency.")
    is_acting = models.BooleanField(default=False, help_text="Held in an acting or interim capacity.")
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="The tenure this one took over from: it ended by the time this one began.",
    )
    version = version_field()

    objects = TenureManager()
    history = HistoricalRecords(excluded_fields=["start_basis", "end_basis"])

    class Meta:
        ordering = ["agency__name", "start_earliest", "slug"]
        constraints = [
            unique_slug("tenure"),
            version_positive("tenure"),
            bounds_ordered("start", model="tenure"),
            bounds_ordered("end", model="tenure"),
            models.CheckConstraint(condition=~Q(predecessor=F("pk")), name="tenure_not_own_predecessor"),
            models.CheckConstraint(
                condition=Q(start_earliest__isnull=True)
                | Q(end_latest__isnull=True)
                | Q(start_earliest__lte=F("end_latest")),
                name="tenure_starts_before_it_ends",
                violation_error_message="The tenure ends before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.title}, {self.agency}"

    def certain_span(self, *, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
        """The days this post was surely held, or None when no day is sure."""
        start = self.start_latest if self.start_edtf else None
        until = (today or timezone.localdate()) if not self.end_edtf else self.end_earliest
        if start is None or until is None or start > until:
            return None
        return start, until

    def clean(self):
        super().clean()
        if self.start_earliest and self.end_latest and self.start_earliest > self.end_latest:
            raise ValidationError(
                {"end_edtf": f"The tenure ends ({self.end_edtf}) before it starts ({self.start_edtf})."}
            )
        if self.is_head and self.agency_id:
            clash = (
                Tenure.objects.heads()
                .filter(agency_id=self.agency_id)
                .exclude(pk=self.pk)
                .certainly_overlapping(self.certain_span())
                .select_related("person")
                .first()
            )
            if clash:
                raise ValidationError(
                    f"{self.agency} can have one head at a time, but this tenure certainly overlaps "
                    f"{clash.person}'s ({clash.title}, {clash.start_edtf or 'start unknown'} to "
                    f"{clash.end_edtf or 'now'})."
                )
