"""Claims, and the `sources`/`claims` every detail response carries."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.api.fields import (
    DetailUrlField,
    LinkedKeyField,
    StrictCharField,
    SummaryRelatedField,
    detail_url,
    summary_of,
    value_of,
)
from events.api.ids import is_id
from events.api.serializers.base import RecordSerializer
from events.api.serializers.rows import RowsMixin
from events.api.shaping import trimmed
from events.claimfields import SUBJECT_TYPES
from events.models import Claim, Source
from events.models.claim import rank_position

SUBJECT_VIEWS = {t: f"{t}-detail" for t in SUBJECT_TYPES}


def subject_summary(subject, subject_type, request):
    lookup = "id" if subject_type == "tenure" else "slug"
    return summary_of(subject, request, view_name=SUBJECT_VIEWS[subject_type], lookup=lookup)


class SubjectSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(required=False)
    id = serializers.IntegerField(required=False)
    name = serializers.CharField()
    url = serializers.URLField()


class SubjectField(StrictCharField):
    """Writes as the slug of the record a claim is about (a tenure's id); reads as that record's summary."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_internal_value(self, data):
        return {"subject": super().to_internal_value(data)}

    def to_representation(self, claim):
        return subject_summary(claim.subject, claim.subject_type, self.context.get("request"))


class ClaimInTimeMixin(serializers.Serializer):
    """The day a claim speaks for, and the later claim that supersedes it (events.claimcourse)."""

    speaks_for = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The day the claim speaks for: `as_of`, or else its source's publication date; null when "
        "neither is known.",
    )
    superseded_by = LinkedKeyField(
        "claim-detail",
        "superseded_by_id",
        read_only=True,
        allow_null=True,
        help_text="A later claim that moves this value forward along its natural course (planned, then held); "
        "null when none does. A superseded claim was right for its day and is in no dispute.",
    )


class ClaimBriefSerializer(RowsMixin, ClaimInTimeMixin, serializers.ModelSerializer):
    """A claim as listed under the record it is about."""

    url = DetailUrlField("claim-detail")
    source = SummaryRelatedField("source-detail", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "url", "source", "field", "value", "rank", "locator", "note", "speaks_for", "superseded_by"]


class SourceBriefSerializer(RowsMixin, serializers.ModelSerializer):
    url = DetailUrlField("source-detail")
    name = serializers.CharField(source="title")

    class Meta:
        model = Source
        fields = ["slug", "name", "url", "reliability"]


class ProvenanceMixin(serializers.Serializer):
    """Adds `sources` and `claims` to a detail response; the view prefetches `claims__source` (or reads the
    claims as rows)."""

    sources = serializers.SerializerMethodField()
    claims = ClaimBriefSerializer(many=True, read_only=True)
    row_read_users = {"claims": ("sources",)}  # the sources are those of the claims

    @extend_schema_field(SourceBriefSerializer(many=True))
    def get_sources(self, obj):
        claims = value_of(obj, "claims")
        claims = claims.all() if hasattr(claims, "all") else claims
        sources = {value_of(source, "slug"): source for source in (value_of(claim, "source") for claim in claims)}
        return SourceBriefSerializer([sources[s] for s in sorted(sources)], many=True, context=self.context).data


class ClaimSerializer(ClaimInTimeMixin, RecordSerializer):
    url = DetailUrlField("claim-detail")
    source = SummaryRelatedField("source-detail", queryset=Source.objects.all())
    subject_type = serializers.ChoiceField(choices=SUBJECT_TYPES)
    subject = SubjectField(help_text="The record the claim is about: written as its slug (a tenure's id).")

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "source",
            "subject_type",
            "subject",
            "field",
            "value",
            "rank",
            "locator",
            "note",
            "as_of",
            "speaks_for",
            "superseded_by",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs):
        subject_type = attrs.get("subject_type") or getattr(self.instance, "subject_type", None)
        key = attrs.pop("subject", None)
        if key is not None:
            model = Claim._meta.get_field(subject_type).related_model
            lookup = {"pk": key} if subject_type == "tenure" and is_id(key) else {"slug": key}
            try:
                subject = model.objects.get(**lookup)
            except ObjectDoesNotExist:
                raise serializers.ValidationError({"subject": f"No {subject_type} {key!r}."}) from None
            attrs.update({t: None for t in SUBJECT_TYPES})
            attrs[subject_type] = subject
        elif self.instance is None:
            raise serializers.ValidationError({"subject": "This field is required."})
        return attrs


class ConflictValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    rank = serializers.ChoiceField(choices=Claim.Rank.choices, help_text="The best rank any source gives this value.")
    superseded = serializers.BooleanField(help_text="Every claim of this value is superseded by a later one.")
    sources = SourceBriefSerializer(many=True)
    claims = serializers.ListField(child=serializers.URLField())


class ConflictSerializer(serializers.Serializer):
    subject_type = serializers.ChoiceField(choices=SUBJECT_TYPES)
    subject = SubjectSummarySerializer()
    field = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["disagreement", "superseded"],
        help_text="`disagreement`: sources give values that cannot all be right. `superseded`: a later source moved "
        "an earlier one's value forward in time (planned, then held); no source was wrong.",
    )
    resolved = serializers.BooleanField(
        help_text="True when every version but one has been judged wrong, and for a `superseded` entry."
    )
    values = ConflictValueSerializer(many=True)

    def to_representation(self, entry):
        request = self.context.get("request")
        values = []
        for value, claims in entry.values.items():
            rank = min((c.rank for c in claims), key=rank_position)
            sources = {c.source.slug: c.source for c in claims}
            values.append(
                {
                    "value": value,
                    "rank": rank,
                    "superseded": all(c.superseded_by_id for c in claims),
                    "sources": SourceBriefSerializer(
                        [sources[s] for s in sorted(sources)], many=True, context=self.context
                    ).data,
                    "claims": [detail_url(request, "claim-detail", c.id) for c in claims],
                }
            )
        built = {
            "subject_type": entry.subject_type,
            "subject": subject_summary(entry.subject, entry.subject_type, request),
            "field": entry.field,
            "kind": entry.kind,
            "resolved": entry.resolved,
            "values": values,
        }
        return trimmed(built, self)
