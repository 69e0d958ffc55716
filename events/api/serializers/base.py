"""Writes through the services layer, so every API write gets full model validation in one transaction."""

from rest_framework import serializers

from events.models import Claim, Source
from events.services.records import RecordInvalid, record_save

from ..fields import SummaryRelatedField, strict_field_mapping


class RecordSerializer(serializers.ModelSerializer):
    serializer_field_mapping = strict_field_mapping(serializers.ModelSerializer.serializer_field_mapping)
    members_field = ""  # "participants" or "crew": the nested people saved with the record

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, instance, data):
        m2m = {f.name: data.pop(f.name) for f in instance._meta.many_to_many if f.name in data}
        members = data.pop(self.members_field, None) if self.members_field else None
        claims = data.pop("claims", None)
        for name, value in data.items():
            setattr(instance, name, value)
        try:
            return record_save(instance=instance, m2m=m2m, members=members, claims=claims)
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
