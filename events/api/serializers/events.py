"""Meetings and launches, with the people in them; and the timeline that merges both."""

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.api.bounded import MAX_ITEMS, BoundedListSerializer, items_checked
from events.api.fields import (
    DetailUrlField,
    FuzzyDateField,
    SummaryRelatedField,
    TenureSummaryField,
    detail_prefix,
    fuzzy_date,
    summary_of,
)
from events.api.serializers.base import ClaimInputSerializer, RecordSerializer
from events.api.serializers.claims import ClaimBriefSerializer, ProvenanceMixin
from events.api.serializers.rows import RowsListSerializer, RowsMixin
from events.api.shaping import trimmed
from events.models import Agency, CrewMember, Launch, Meeting, Participant, Person, Place, Tenure, Topic
from events.selectors import meeting_claims, meeting_participants, meeting_previous, meeting_topics


class ParticipantSerializer(RowsMixin, serializers.ModelSerializer):
    serializer_field_mapping = RecordSerializer.serializer_field_mapping
    person = SummaryRelatedField("person-detail", queryset=Person.objects.all())
    agency = SummaryRelatedField("agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True)
    tenure = TenureSummaryField(
        queryset=Tenure.objects.all(), required=False, allow_null=True, help_text="The post held at the time (its id)."
    )

    class Meta:
        model = Participant
        fields = ["person", "agency", "tenure", "role"]
        list_serializer_class = BoundedListSerializer


class CrewMemberSerializer(serializers.ModelSerializer):
    serializer_field_mapping = RecordSerializer.serializer_field_mapping
    person = SummaryRelatedField("person-detail", queryset=Person.objects.all())
    agency = SummaryRelatedField("agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True)

    class Meta:
        model = CrewMember
        fields = ["person", "agency", "role"]
        list_serializer_class = BoundedListSerializer


class GapSerializer(serializers.Serializer):
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField(allow_null=True, help_text="Null when the later meeting's date is open-ended.")


class PreviousMeetingSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()
    date = FuzzyDateField("date")
    gap = GapSerializer(help_text="Days between the two meetings, from the closest to the furthest their dates allow.")


class MeetingSerializer(RowsMixin, RecordSerializer):
    """Reads render rows (events.selectors.meeting_rows); writes answer with the saved instance."""

    members_field = "participants"
    # What fills these fields on a page of rows, one query each for the page (RowsListSerializer).
    row_reads = {"topics": meeting_topics, "participants": meeting_participants, "previous_meeting": meeting_previous}

    url = DetailUrlField("meeting-detail")
    date = FuzzyDateField("date")
    place = SummaryRelatedField("place-detail", queryset=Place.objects.all(), required=False, allow_null=True)
    topics = SummaryRelatedField("topic-detail", queryset=Topic.objects.all(), many=True, required=False)
    related_launch = SummaryRelatedField(
        "launch-detail", queryset=Launch.objects.all(), required=False, allow_null=True
    )
    participants = ParticipantSerializer(many=True, required=False)
    previous_meeting = serializers.SerializerMethodField(
        help_text="The last held meeting before this one between the same agencies at the same level."
    )

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "url",
            "title",
            "kind",
            "status",
            "format",
            "date",
            "place",
            "topics",
            "related_launch",
            "participants",
            "previous_meeting",
            "summary",
        ]
        list_serializer_class = RowsListSerializer

    @extend_schema_field(PreviousMeetingSerializer(allow_null=True))
    def get_previous_meeting(self, meeting):
        if isinstance(meeting, dict):
            previous = meeting["previous_meeting"]
        else:  # an instance just written: the view gives its previous meeting
            previous = self.context.get("previous_meetings", {}).get(meeting.pk)
        if previous is None:
            return None
        return {
            **summary_of(previous, self.context.get("request"), view_name="meeting-detail"),
            "date": fuzzy_date(previous),
            "gap": previous["gap"],
        }


class LaunchSerializer(RecordSerializer):
    members_field = "crew"

    url = DetailUrlField("launch-detail")
    date = FuzzyDateField("date")
    operator = SummaryRelatedField("agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True)
    site = SummaryRelatedField("place-detail", queryset=Place.objects.all(), required=False, allow_null=True)
    destination = SummaryRelatedField("place-detail", queryset=Place.objects.all(), required=False, allow_null=True)
    crew = CrewMemberSerializer(many=True, required=False)

    class Meta:
        model = Launch
        fields = [
            "slug",
            "url",
            "name",
            "vehicle",
            "spacecraft",
            "operator",
            "site",
            "destination",
            "date",
            "status",
            "crew",
            "summary",
        ]


class ClaimsWithRecordField(serializers.ListField):
    """Reads the record's claims; on write, claims to add about the record in the same transaction."""

    child = ClaimInputSerializer()
    row_serializer = ClaimBriefSerializer

    max_items = MAX_ITEMS

    def to_internal_value(self, data):
        return super().to_internal_value(items_checked(data))

    @cached_property
    def rendering(self):
        """What renders the claims: the fields of its items are the ones a field selection chooses among."""
        return ClaimBriefSerializer(many=True, context=self.context)

    def to_representation(self, claims):
        claims = claims.all() if hasattr(claims, "all") else claims  # a manager, or rows
        return self.rendering.to_representation(claims)


class MeetingDetailSerializer(ProvenanceMixin, MeetingSerializer):
    row_reads = {**MeetingSerializer.row_reads, "claims": meeting_claims}
    claims = ClaimsWithRecordField(required=False)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "sources", "claims"]


class LaunchDetailSerializer(ProvenanceMixin, LaunchSerializer):
    claims = ClaimsWithRecordField(required=False)

    class Meta(LaunchSerializer.Meta):
        fields = [*LaunchSerializer.Meta.fields, "sources", "claims"]


class TimelineItemSerializer(serializers.Serializer):
    """A row of events.selectors.timeline: a meeting or a launch."""

    type = serializers.ChoiceField(choices=["meeting", "launch"])
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()
    status = serializers.CharField()
    date = FuzzyDateField("date")

    def to_representation(self, item):
        request = self.context.get("request")
        built = {
            "type": item["type"],
            "slug": item["item_slug"],
            "name": item["item_name"],
            "url": f"{detail_prefix(request, item['type'] + '-detail')}{item['item_slug']}/",
            "status": item["item_status"],
            "date": fuzzy_date(item, "item"),
        }
        return trimmed(built, self)
