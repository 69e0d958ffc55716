"""Writes through the services layer, so every API write gets full model validation in one transaction."""

from rest_framework import serializers

from events.claimfields import SUBJECT_TYPES
from events.models import Claim, Source
from events.services.records import RecordInvalid, record_save
from events.services.support import Support

from ..fields import SummaryRelatedField, strict_field_mapping


class SupportSerializer(serializers.Serializer):
    """What the values a write sets rest on, where no claim gives them yet."""

    source = SummaryRelatedField(
        "source-detail",
        queryset=Source.objects.articles(),
        required=False,
        help_text="The source that says so (its slug). Leave out to give your own judgement instead.",
    )
    locator = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="Where the source says so: paragraph numbers."
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why; required for your own judgement (no source).",
    )

    def validate(self, attrs):
        if attrs.get("source") is None and not attrs.get("note", "").strip():
            raise serializers.ValidationError({"note": "Name a source, or say why in a note (your own judgement)."})
        return attrs


class RecordSerializer(serializers.ModelSerializer):
    serializer_field_mapping = strict_field_mapping(serializers.ModelSerializer.serializer_field_mapping)
    members_field = ""  # "participants" or "crew": the nested people saved with the record

    def get_fields(self):
        fields = super().get_fields()
        if self.Meta.model._meta.model_name in SUBJECT_TYPES:
            fields["support"] = SupportSerializer(
                write_only=True,
                required=False,
                help_text="Needed when the write sets a value no claim gives yet: becomes that value's claim.",
            )
        return fields

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, instance, data):
        m2m = {f.name: data.pop(f.name) for f in instance._meta.many_to_many if f.name in data}
        members = data.pop(self.members_field, None) if self.members_field else None
        claims = data.pop("claims", None)
        support = data.pop("support", None)
        for name, value in data.items():
            setattr(instance, name, value)
        try:
            return record_save(
                instance=instance,
                m2m=m2m,
                members=members,
                claims=claims,
                support=Support(**support) if support is not None else None,
                user=self.context["request"].user,
            )
        except RecordInvalid as exc:
            raise serializers.ValidationError(exc.errors) from exc


class ClaimInputSerializer(serializers.ModelSerializer):
    """A claim submitted together with the record it is about."""

    serializer_field_mapping = RecordSerializer.serializer_field_mapping

    source = SummaryRelatedField("source-detail", queryset=Source.objects.all())

    class Meta:
        model = Claim
        fields = ["source", "field", "value", "rank", "locator", "note"]
        # The subject is the record being written; uniqueness is checked when it is saved.
        validators = []
