"""Agencies, people, places, topics, sources and tenures."""

from rest_framework import serializers

from events.api.fields import DetailUrlField, FuzzyDateField, SummaryRelatedField
from events.api.serializers.base import RecordSerializer
from events.api.serializers.claims import ClaimBriefSerializer, ProvenanceMixin
from events.models import Agency, Person, Place, Source, Tenure, Topic
from events.selectors import head_grounds


class AgencySerializer(RecordSerializer):
    url = DetailUrlField("agency-detail")

    class Meta:
        model = Agency
        fields = ["slug", "url", "name", "short_name", "kind", "country"]


class PersonSerializer(RecordSerializer):
    url = DetailUrlField("person-detail")

    class Meta:
        model = Person
        fields = ["slug", "url", "name", "native_name", "nationality"]


# Place.clean and the place_coordinates_both_and_in_range constraint hold a place to it.
COORDINATES = "A place has both coordinates or neither."


class PlaceSerializer(RecordSerializer):
    url = DetailUrlField("place-detail")
    parent = SummaryRelatedField("place-detail", queryset=Place.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Place
        fields = ["slug", "url", "name", "kind", "country", "parent", "latitude", "longitude"]
        extra_kwargs = {
            "latitude": {"help_text": f"Degrees north (south below 0). {COORDINATES}"},
            "longitude": {"help_text": f"Degrees east (west below 0). {COORDINATES}"},
        }


class TopicSerializer(RecordSerializer):
    url = DetailUrlField("topic-detail")

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "description"]


class SourceSerializer(RecordSerializer):
    url = DetailUrlField("source-detail")
    published = FuzzyDateField("published")

    class Meta:
        model = Source
        fields = [
            "slug",
            "url",
            "title",
            "outlet",
            "kind",
            "published",
            "reliability",
            "reliability_note",
            "summary",
            "sha256",
            "paragraphs",
        ]


class TenureSerializer(RecordSerializer):
    url = DetailUrlField("tenure-detail")
    person = SummaryRelatedField("person-detail", queryset=Person.objects.all())
    agency = SummaryRelatedField("agency-detail", queryset=Agency.objects.all())
    start = FuzzyDateField("start")
    end = FuzzyDateField("end", help_text="Null while the post is held.")

    class Meta:
        model = Tenure
        fields = ["id", "url", "slug", "person", "agency", "title", "is_head", "is_acting", "start", "end"]
        read_only_fields = ["id"]


class AgencyDetailSerializer(ProvenanceMixin, AgencySerializer):
    class Meta(AgencySerializer.Meta):
        fields = [*AgencySerializer.Meta.fields, "sources", "claims"]


class PersonDetailSerializer(ProvenanceMixin, PersonSerializer):
    tenures = TenureSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "tenures", "sources", "claims"]


class PlaceDetailSerializer(ProvenanceMixin, PlaceSerializer):
    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "sources", "claims"]


class TopicDetailSerializer(ProvenanceMixin, TopicSerializer):
    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "sources", "claims"]


class TenureDetailSerializer(ProvenanceMixin, TenureSerializer):
    class Meta(TenureSerializer.Meta):
        fields = [*TenureSerializer.Meta.fields, "sources", "claims"]


class SourceDetailSerializer(SourceSerializer):
    """A source's own claims are the ones it makes."""

    claims = ClaimBriefSerializer(many=True, read_only=True)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "claims"]


class HeadSerializer(serializers.Serializer):
    """One answer to "who led this agency on that day"."""

    certainty = serializers.ChoiceField(
        choices=["certain", "possible"],
        help_text="certain: the tenure's bounds surely cover the day; possible: only its fuzzy bounds allow it. "
        "Certain answers come first, then possible ones, best supported first.",
    )
    support = serializers.IntegerField(help_text="How many articles make a standing claim about the tenure.")
    grounds = serializers.CharField(help_text="What the answer's certainty rests on: the tenure's bounds and support.")
    person = SummaryRelatedField("person-detail", read_only=True)
    tenure = TenureSerializer(read_only=True)

    def to_representation(self, head):
        t = head.tenure
        grounds = head_grounds(
            day=self.context["day"],
            certain=head.certainty == "certain",
            start=(t.start_edtf, t.start_earliest, t.start_latest),
            end=(t.end_edtf, t.end_earliest, t.end_latest),
            support=t.support,
        )
        return super().to_representation(
            {"certainty": head.certainty, "support": t.support, "grounds": grounds, "person": t.person, "tenure": t}
        )
