"""Meetings and launches, with the people in them; and the timeline that merges both."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.api.fields import FuzzyDateField, SummaryRelatedField, TenureSummaryField, summary_of
from events.api.serializers.base import ClaimInputSerializer, RecordSerializer
from events.api.serializers.claims import ClaimBriefSerializer, ProvenanceMixin
from events.models import Agency, CrewMember, Launch, Meeting, Participant, Person, Place, Tenure, Topic


class ParticipantSerializer(serializers.ModelSerializer):
    serializer_field_mapping = RecordSerializer.serializer_field_mapping
    person = SummaryRelatedField("person-detail", queryset=Person.objects.all())
    agency = SummaryRelatedField("agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True)
    tenure = TenureSummaryField(
        queryset=Tenure.objects.all(), required=False, allow_null=True, help_text="The post held at the time (its id)."
    )

    class Meta:
        model = Participant
        fields = ["person", "agency", "tenure", "role"]


class CrewMemberSerializer(serializers.ModelSerializer):
    serializer_field_mapping = RecordSerializer.serializer_field_mapping
    person = SummaryRelatedField("person-detail", queryset=Person.objects.all())
    agency = SummaryRelatedField("agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True)

    class Meta:
        model = CrewMember
        fields = ["person", "agency", "role"]


class GapSerializer(serializers.Serializer):
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField(allow_null=True, help_text="Null when the later meeting's date is open-ended.")


class PreviousMeetingSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()
    date = serializers.JSONField()
    gap = GapSerializer(help_text="Days between the two meetings, from the closest to the furthest their dates allow.")


class MeetingSerializer(RecordSerializer):
    members_field = "participants"

    url = serializers.HyperlinkedIdentityField(view_name="meeting-detail", lookup_field="slug")
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

    @extend_schema_field(PreviousMeetingSerializer(allow_null=True))
    def get_previous_meeting(self, meeting):
        previous = self.context.get("previous_meetings", {}).get(meeting.pk)
        if previous is None:
            return None
        request = self.context.get("request")
        return {
            **summary_of(previous.meeting, request, view_name="meeting-detail"),
            "date": FuzzyDateField("date").to_representation(previous.meeting),
            "gap": {"min_days": previous.min_days, "max_days": previous.max_days},
        }


class LaunchSerializer(RecordSerializer):
    members_field = "crew"

    url = serializers.HyperlinkedIdentityField(view_name="launch-detail", lookup_field="slug")
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

    def to_representation(self, claims):
        return ClaimBriefSerializer(claims.all(), many=True, context=self.context).data


@extend_schema_field(ClaimBriefSerializer(many=True))
class _ClaimsSchema(ClaimsWithRecordField):
    pass


class MeetingDetailSerializer(ProvenanceMixin, MeetingSerializer):
    claims = _ClaimsSchema(required=False)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "sources", "claims"]


class LaunchDetailSerializer(ProvenanceMixin, LaunchSerializer):
    claims = _ClaimsSchema(required=False)

    class Meta(LaunchSerializer.Meta):
        fields = [*LaunchSerializer.Meta.fields, "sources", "claims"]


class TimelineItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["meeting", "launch"])
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()
    status = serializers.CharField()
    date = FuzzyDateField("date")

    def to_representation(self, item):
        row = _Row(
            slug=item["item_slug"],
            name=item["item_name"],
            date_edtf=item["item_edtf"],
            date_earliest=item["item_earliest"],
            date_latest=item["item_latest"],
            date_text=item["item_text"],
        )
        return {
            "type": item["type"],
            **summary_of(row, self.context.get("request"), view_name=f"{item['type']}-detail"),
            "status": item["item_status"],
            "date": FuzzyDateField("date").to_representation(row),
        }


class _Row:
    """Attribute access over a timeline row, for the shared summary and date helpers."""

    def __init__(self, **columns):
        self.__dict__.update(columns)
