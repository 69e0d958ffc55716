"""Reference records: sources, agencies, people, places and topics."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from events.models.common import (
    SlugManager,
    SlugNaturalKeyMixin,
    country_field,
    unique_slug,
    version_field,
    version_positive,
)
from events.models.fuzzy import FuzzyDatedMixin, bounds_ordered, fuzzy_date


class SourceQuerySet(models.QuerySet):
    def articles(self):
        return self.exclude(kind=Source.Kind.JUDGEMENT)

    def judgements(self):
        return self.filter(kind=Source.Kind.JUDGEMENT)


class Source(SlugNaturalKeyMixin, FuzzyDatedMixin, fuzzy_date("published"), models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "news report"
        REPUBLISHED = "republished", "republished news report"
        AGGREGATOR = "aggregator", "aggregated or rewritten piece"
        ANALYSIS = "analysis", "analysis or feature"
        OFFICIAL = "official", "official statement"
        JUDGEMENT = "judgement", "curator's judgement"

    class Reliability(models.TextChoices):
        HIGH = "high", "high"
        MEDIUM = "medium", "medium"
        LOW = "low", "low"
        UNRATED = "unrated", "not yet rated"

    fuzzy_date_names = ("published",)

    slug = models.SlugField(max_length=80, help_text="The article id (its file name without .txt).")
    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    reliability = models.CharField(max_length=10, choices=Reliability.choices, default=Reliability.UNRATED)
    reliability_note = models.TextField(blank=True, help_text="Why the source has this rating, in our own words.")
    summary = models.TextField(blank=True, help_text="What the article says, in our own words.")
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        validators=[RegexValidator(r"^[0-9a-f]{64}$", "A sha256 is 64 lower-case hex digits.")],
        help_text="Of the article's text; none for a curator's judgement.",
    )
    paragraphs = models.PositiveSmallIntegerField(
        default=0, help_text="Number of non-blank lines in the text; claim locators point into this range."
    )
    url = models.URLField(blank=True)
    curator = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judgement_source",
        help_text="For a curator's judgement: whose it is.",
    )
    version = version_field()

    objects = SlugManager.from_queryset(SourceQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        constraints = [
            unique_slug("source"),
            version_positive("source"),
            bounds_ordered("published", model="source"),
            # An article is identified by its text's hash; a curator's judgement is identified by the curator.
            models.CheckConstraint(
                condition=Q(kind="judgement", curator__isnull=False, sha256="")
                | (~Q(kind="judgement") & Q(curator__isnull=True, sha256__regex=r"^[0-9a-f]{64}$")),
                name="source_article_hash_or_curator",
                violation_error_message="An article has the sha256 of its text; a curator's judgement names "
                "the curator instead.",
            ),
        ]

    @property
    def is_judgement(self) -> bool:
        return self.kind == self.Kind.JUDGEMENT


class Agency(SlugNaturalKeyMixin, models.Model):
    class Kind(models.TextChoices):
        SPACE_AGENCY = "space_agency", "space agency"
        GOVERNMENT = "government", "government body"
        COMPANY = "company", "company"
        INTERGOVERNMENTAL = "intergovernmental", "intergovernmental organisation"

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = country_field()
    version = version_field()

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [unique_slug("agency"), version_positive("agency")]


class Person(SlugNaturalKeyMixin, models.Model):
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    native_name = models.CharField("name in native script", max_length=200, blank=True)
    nationality = country_field()
    version = version_field()

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [unique_slug("person"), version_positive("person")]


class Place(SlugNaturalKeyMixin, models.Model):
    class Kind(models.TextChoices):
        CITY = "city", "city"
        SPACEPORT = "spaceport", "spaceport"
        FACILITY = "facility", "facility"
        STATION = "station", "space station"

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = country_field()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    version = version_field()

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            unique_slug("place"),
            version_positive("place"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="place_coordinates_both_and_in_range",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="place_not_own_parent"),
        ]

    def with_descendants(self) -> list[int]:
        """Ids of this place and every place within it, at any depth."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Place.objects.filter(parent__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True))
            ids += frontier
        return ids

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            # place_coordinates_both_and_in_range would refuse it too, but without naming the fields.
            both = "Give latitude and longitude together, or neither."
            raise ValidationError({"latitude": both, "longitude": both})
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": "A place cannot lie within itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Topic(SlugNaturalKeyMixin, models.Model):
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    version = version_field()

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [unique_slug("topic"), version_positive("topic")]
