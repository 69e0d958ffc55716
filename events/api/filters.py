"""One FilterSet per resource; related records are filtered by slug. Invalid values are 400s."""

import django_filters as df
from django.db.models import Exists, OuterRef, Q

from events.api.filtertypes import (
    IsoDateFilter,
    MomentFilter,
    SlugFilter,
    SlugsFilter,
    StrictBooleanFilter,
    StrictFilterSet,
    search,
)
from events.api.ids import is_id
from events.changes import FEED_TYPES
from events.claimfields import SUBJECT_TYPES
from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Person, Place, Source, Tenure, Topic
from events.selectors import overlapping


def by_slug(model, field_name, **kwargs):
    return SlugFilter(model, field_name=field_name, **kwargs)


class DateRangeFilterSet(StrictFilterSet):
    """`date_after`/`date_before` with overlap semantics on the fuzzy date's [earliest, latest]."""

    date_after = IsoDateFilter(method="both_dates", help_text="Could have happened on or after this day.")
    date_before = IsoDateFilter(method="both_dates", help_text="Could have happened on or before this day.")

    def both_dates(self, queryset, name, value):
        return queryset  # applied together in filter_queryset: one window, not two half-open ones

    def filter_queryset(self, queryset):
        dates = self.form.cleaned_data
        queryset = overlapping(queryset, after=dates.get("date_after"), before=dates.get("date_before"))
        return super().filter_queryset(queryset)


class RecordFilterSet(StrictFilterSet):
    """What every resource's list takes besides its own filters."""

    updated_since = MomentFilter(
        method="filter_updated_since",
        help_text="Records created or changed at or after this moment (ISO 8601); deletions are in `changes/`.",
    )

    def filter_updated_since(self, queryset, name, value):
        history = queryset.model.history.model.objects.filter(id=OuterRef("pk"), history_date__gte=value)
        return queryset.filter(Exists(history))


class AgencyFilter(RecordFilterSet):
    q = search()

    class Meta:
        model = Agency
        fields = ["q", "kind", "country"]


class PersonFilter(RecordFilterSet):
    q = search()
    agency = SlugFilter(
        Agency,
        method="filter_agency",
        help_text="People who held a post at, met for, or flew for this agency.",
    )

    class Meta:
        model = Person
        fields = ["q", "agency"]

    def filter_agency(self, queryset, name, agency):
        return queryset.filter(
            Q(tenures__agency=agency) | Q(participations__agency=agency) | Q(flights__agency=agency)
        ).distinct()


class TenureFilter(RecordFilterSet):
    q = search()
    person = by_slug(Person, "person")
    agency = by_slug(Agency, "agency")
    active_on = IsoDateFilter(method="filter_active_on", help_text="Possibly in office on this day.")

    class Meta:
        model = Tenure
        fields = ["q", "person", "agency", "is_head", "is_acting", "active_on"]

    def filter_active_on(self, queryset, name, day):
        return queryset.active_on(day)


class PlaceFilter(RecordFilterSet):
    q = search()

    class Meta:
        model = Place
        fields = ["q", "country", "kind"]


class TopicFilter(RecordFilterSet):
    q = search()

    class Meta:
        model = Topic
        fields = ["q"]


class SourceFilter(RecordFilterSet):
    q = search()

    class Meta:
        model = Source
        fields = ["q", "kind", "reliability"]


def _each_takes_part(queryset, values, lookup):
    for value in values:
        queryset = queryset.filter(Exists(Participant.objects.filter(meeting=OuterRef("pk"), **lookup(value))))
    return queryset


class MeetingFilter(DateRangeFilterSet, RecordFilterSet):
    q = search()
    status = df.MultipleChoiceFilter(
        choices=Meeting.Status.choices, distinct=False, help_text="Repeatable: any of these."
    )
    agency = SlugsFilter(
        Agency,
        method="filter_agency",
        help_text="Repeatable: every named agency took part.",
    )
    person = SlugsFilter(
        Person,
        method="filter_person",
        help_text="Repeatable: every named person took part.",
    )
    head_of = SlugsFilter(
        Agency,
        method="filter_head_of",
        help_text="Repeatable: the head of each named agency took part (by the tenure recorded for the meeting).",
    )
    place = by_slug(Place, "place", method="filter_place", help_text="At this place or at a place within it.")
    topic = by_slug(Topic, "topics")
    # Not `format`, which picks the response's format (`?format=json`) on every URL.
    attendance = df.ChoiceFilter(
        field_name="format", choices=Meeting.Format.choices, help_text="How it was held: the meeting's `format`."
    )

    class Meta:
        model = Meeting
        fields = ["q", "status", "kind", "attendance", "agency", "person", "head_of", "place", "topic"]

    def filter_agency(self, queryset, name, agencies):
        return _each_takes_part(queryset, agencies, lookup=lambda a: {"agency": a})

    def filter_person(self, queryset, name, people):
        return _each_takes_part(queryset, people, lookup=lambda p: {"person": p})

    def filter_head_of(self, queryset, name, agencies):
        return _each_takes_part(queryset, agencies, lookup=lambda a: {"tenure__agency": a, "tenure__is_head": True})

    def filter_place(self, queryset, name, place):
        return queryset.filter(place__in=place.with_descendants())


class LaunchFilter(DateRangeFilterSet, RecordFilterSet):
    q = search()
    status = df.MultipleChoiceFilter(
        choices=Launch.Status.choices, distinct=False, help_text="Repeatable: any of these."
    )
    agency = by_slug(Agency, "operator", method="filter_agency", help_text="Operated it, or had crew on it.")
    person = by_slug(Person, "crew__person", help_text="Flew on it.")
    site = by_slug(Place, "site")

    class Meta:
        model = Launch
        fields = ["q", "status", "agency", "person", "site"]

    def filter_agency(self, queryset, name, agency):
        crewed = CrewMember.objects.filter(launch=OuterRef("pk"), agency=agency)
        return queryset.filter(Q(operator=agency) | Exists(crewed))


class ClaimFilter(RecordFilterSet):
    q = search()
    source = by_slug(Source, "source")
    subject_type = df.ChoiceFilter(choices=[(t, t) for t in SUBJECT_TYPES])
    subject = df.CharFilter(method="filter_subject", help_text="Slug of the subject record (id, for a tenure).")
    conflicting = StrictBooleanFilter(method="filter_conflicting", help_text="true: claims another source contradicts.")
    rank = df.ChoiceFilter(
        choices=[*Claim.Rank.choices, ("best", "Best")],
        method="filter_rank",
        help_text="`best`: for each subject and field, its preferred claims if any, else its normal ones (never "
        "deprecated or superseded ones), as Wikidata's clients read ranks.",
    )

    class Meta:
        model = Claim
        fields = ["q", "source", "subject_type", "subject", "field", "rank", "conflicting"]

    def filter_subject(self, queryset, name, value):
        match = Q()
        for subject_type in SUBJECT_TYPES:
            if subject_type == "tenure":
                match |= Q(tenure__slug=value) | (Q(tenure_id=int(value)) if is_id(value) else Q())
            else:
                match |= Q(**{f"{subject_type}__slug": value})
        return queryset.filter(match)

    def filter_rank(self, queryset, name, value):
        return queryset.best() if value == "best" else queryset.filter(rank=value)

    def filter_conflicting(self, queryset, name, value):
        conflicting = Claim.objects.disputes_open().values("pk")
        return queryset.filter(pk__in=conflicting) if value else queryset.exclude(pk__in=conflicting)


class TookPartFilter(StrictFilterSet):
    """Meetings and launches by who took part, for the views answered by the timeline selector."""

    agency = SlugsFilter(Agency, method="noop", help_text="Repeatable: all took part.")
    person = SlugsFilter(Person, method="noop", help_text="Repeatable: all took part.")

    def noop(self, queryset, name, value):
        return queryset  # applied by the timeline selector, which filters meetings and launches separately


class TimelineFilter(DateRangeFilterSet, TookPartFilter):
    pass


class ConflictFilter(StrictFilterSet):
    subject_type = df.ChoiceFilter(choices=[(t, t) for t in SUBJECT_TYPES], method="noop")
    field = df.CharFilter(method="noop", help_text="The field the sources disagree on (`title`, `date`, ...).")
    resolved = StrictBooleanFilter(method="noop", help_text="true: every version but one was judged wrong.")

    def noop(self, queryset, name, value):
        return queryset  # applied by the conflicts selector


class ChangeFilter(StrictFilterSet):
    """The change feed's parameters: applied by the events.changes selector, not to a queryset."""

    type = df.MultipleChoiceFilter(
        choices=[(t, t) for t in sorted(FEED_TYPES)], method="noop", help_text="Repeatable: any of these types."
    )
    updated_since = MomentFilter(method="noop", help_text="Changes made at or after this moment (ISO 8601).")
    cursor = df.CharFilter(method="noop", help_text="Where to resume: the `next` link of the page before carries it.")
    page_size = df.CharFilter(method="noop", help_text="Changes per page: 1 to 200 (default 50).")

    def noop(self, queryset, name, value):
        return queryset
