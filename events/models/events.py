"""Meetings and launches, with who took part and who flew."""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from simple_history.models import HistoricalRecords

from events.models.common import SlugManager, SlugNaturalKeyMixin, unique_slug, version_field, version_positive
from events.models.fuzzy import FuzzyDatedMixin, bounds_ordered, chronological, fuzzy_date, fuzzy_end, fuzzy_start
from events.models.tenure import Tenure


def lineup_key(members: Iterable[tuple[int | None, int | None]]) -> str:
    """Which agencies met and whether every one of them sent its head, as one comparable text.

    `members` holds, per participant, (agency id, id of the agency whose head the person was
    there as, if any). Meetings of fewer than two agencies have no lineup ("").
    """
    members = list(members)
    agencies = sorted({agency for agency, _ in members if agency})
    if len(agencies) < 2:
        return ""
    led = {agency for agency, head_of in members if agency and head_of == agency}
    return ".".join(map(str, agencies)) + ("/heads" if led == set(agencies) else "/mixed")


class MeetingQuerySet(models.QuerySet):
    def with_previous(self):
        """Annotate `previous_id`: the latest earlier *held* meeting of the same lineup, if any."""
        earlier = (
            Meeting.objects.filter(
                lineup=OuterRef("lineup"), status=Meeting.Status.HELD, date_latest__lt=OuterRef("date_earliest")
            )
            .exclude(lineup="")
            .order_by("-date_latest", "-date_earliest", "-pk")
            .values("pk")[:1]
        )
        return self.annotate(previous_id=Subquery(earlier))

    def lineups_due(self) -> dict[int, tuple[str, str]]:
        """{pk: (stored lineup, lineup its participants make)} for these meetings."""
        members = defaultdict(list)
        rows = Participant.objects.filter(meeting__in=self.values("pk")).values_list(
            "meeting_id", "agency_id", "tenure__agency_id", "tenure__is_head"
        )
        for meeting_id, agency_id, tenure_agency_id, is_head in rows:
            members[meeting_id].append((agency_id, tenure_agency_id if is_head else None))
        return {pk: (current, lineup_key(members[pk])) for pk, current in self.values_list("pk", "lineup")}


class Meeting(SlugNaturalKeyMixin, FuzzyDatedMixin, fuzzy_date("date", derivable=True), models.Model):
    class Kind(models.TextChoices):
        BILATERAL = "bilateral", "bilateral talks"
        MULTILATERAL = "multilateral", "multilateral talks"
        SITE_VISIT = "site_visit", "site visit"
        LAUNCH_VISIT = "launch_visit", "launch attendance"
        WORKING_GROUP = "working_group", "working group or review"
        ANNOUNCEMENT = "announcement", "announcement"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "proposed"
        PLANNED = "planned", "planned"
        HELD = "held", "held"
        POSTPONED = "postponed", "postponed"
        CANCELLED = "cancelled", "cancelled or did not take place"
        DISPUTED = "disputed", "disputed"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "in person"
        VIRTUAL = "virtual", "virtual"
        UNKNOWN = "unknown", "not known"

    class LaunchRelation(models.TextChoices):
        BEFORE = "before", "before the launch"
        SAME_DAY = "same_day", "on the day of the launch"
        AFTER = "after", "after the launch"

    fuzzy_date_names = ("date",)

    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BILATERAL)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.UNKNOWN)
    place = models.ForeignKey("events.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    topics = models.ManyToManyField("events.Topic", blank=True, related_name="meetings")
    related_launch = models.ForeignKey(
        "events.Launch", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    launch_relation = models.CharField(
        "when, relative to the related launch",
        max_length=10,
        choices=LaunchRelation.choices,
        blank=True,
        help_text="Before, on the day of, or after the related launch; it bounds the meeting's date by the launch's.",
    )
    summary = models.TextField(blank=True)
    # Derived from the participants (see lineup_key), kept current by the services that change them; it lets
    # the previous meeting of the same lineup be found through an index. The previous meeting itself is not stored.
    lineup = models.TextField(blank=True, editable=False)
    version = version_field()

    objects = SlugManager.from_queryset(MeetingQuerySet)()
    history = HistoricalRecords(m2m_fields=["topics"], excluded_fields=["lineup", "date_basis"])

    class Meta:
        ordering = [chronological().asc(nulls_last=True), "slug"]
        constraints = [unique_slug("meeting"), bounds_ordered("date", model="meeting"), version_positive("meeting")]
        indexes = [
            models.Index(fields=["lineup", "status", "date_latest"], name="meeting_lineup_idx"),
            models.Index(chronological(), "slug", name="meeting_chronological_idx"),  # the default order
            models.Index(fuzzy_start(), name="meeting_date_start_idx"),  # date_before
            models.Index(fuzzy_end(), name="meeting_date_end_idx"),  # date_after
        ]


class EventMemberManager(models.Manager):
    """Natural key (event slug, person slug) for the people attached to a meeting or a launch."""

    event_field = ""

    def get_by_natural_key(self, event_slug, person_slug):
        return self.get(**{f"{self.event_field}__slug": event_slug}, person__slug=person_slug)


class ParticipantManager(EventMemberManager):
    event_field = "meeting"


class CrewMemberManager(EventMemberManager):
    event_field = "launch"


class EventMemberMixin:
    def natural_key(self):
        event = getattr(self, type(self).objects.event_field)
        return (*event.natural_key(), *self.person.natural_key())


class Participant(EventMemberMixin, models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("events.Person", on_delete=models.PROTECT, related_name="participations")
    agency = models.ForeignKey(
        "events.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    tenure = models.ForeignKey(
        "events.Tenure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
        help_text="The post the person held at the time of the meeting.",
    )
    role = models.CharField(max_length=200, blank=True)

    objects = ParticipantManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participant_once_per_meeting"),
        ]
        # The agency filter's EXISTS probe; the unique constraint serves lookups by meeting.
        indexes = [models.Index(fields=["agency", "meeting"], name="participant_agency_meeting_idx")]

    def __str__(self):
        return f"{self.person} at {self.meeting}"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["events.meeting", "events.person"]

    def clean(self):
        super().clean()
        if self.tenure_id:
            if self.tenure.person_id != self.person_id:
                raise ValidationError({"tenure": f"This tenure belongs to {self.tenure.person}, not {self.person}."})
            if self.agency_id and self.tenure.agency_id != self.agency_id:
                raise ValidationError({"tenure": f"This tenure is at {self.tenure.agency}, not {self.agency}."})
            meeting = self.meeting
            held = Tenure.objects.filter(pk=self.tenure_id)
            if meeting.date_edtf and not held.active_during(meeting.date_earliest, meeting.date_latest).exists():
                raise ValidationError(
                    {
                        "tenure": f"This tenure ({self.tenure.start_edtf or '?'} to {self.tenure.end_edtf or 'now'}) "
                        f"cannot cover the meeting date {meeting.date_edtf}."
                    }
                )


class Launch(SlugNaturalKeyMixin, FuzzyDatedMixin, fuzzy_date("date", derivable=True), models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        LAUNCHED = "launched", "launched (outcome not reported)"
        SUCCESS = "success", "success"
        PARTIAL_FAILURE = "partial_failure", "partial failure"
        FAILURE = "failure", "failure"
        ABORTED_CREW_SAFE = "aborted_crew_safe", "aborted, crew safe"
        CANCELLED = "cancelled", "cancelled"

    fuzzy_date_names = ("date",)

    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=200)
    vehicle = models.CharField(max_length=120, blank=True)
    spacecraft = models.CharField(max_length=120, blank=True)
    operator = models.ForeignKey(
        "events.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="launches"
    )
    site = models.ForeignKey(
        "events.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="launches_from"
    )
    destination = models.ForeignKey(
        "events.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="launches_to"
    )
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    summary = models.TextField(blank=True)
    version = version_field()

    objects = SlugManager()
    history = HistoricalRecords(excluded_fields=["date_basis"])

    class Meta:
        ordering = [chronological().asc(nulls_last=True), "slug"]
        verbose_name_plural = "launches"
        constraints = [unique_slug("launch"), bounds_ordered("date", model="launch"), version_positive("launch")]
        indexes = [
            models.Index(chronological(), "slug", name="launch_chronological_idx"),  # the default order
            models.Index(fuzzy_start(), name="launch_date_start_idx"),  # date_before
            models.Index(fuzzy_end(), name="launch_date_end_idx"),  # date_after
        ]


class CrewMember(EventMemberMixin, models.Model):
    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="crew")
    person = models.ForeignKey("events.Person", on_delete=models.PROTECT, related_name="flights")
    agency = models.ForeignKey("events.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="crew")
    role = models.CharField(max_length=120, blank=True)

    objects = CrewMemberManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["launch", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["launch", "person"], name="crew_member_once_per_launch"),
        ]

    def __str__(self):
        return f"{self.person} on {self.launch}"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["events.launch", "events.person"]
