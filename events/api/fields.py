"""Serializer fields for the API's shared shapes: fuzzy dates and compact related records."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField
from rest_framework.reverse import reverse

from events.api.filterfields import is_id
from events.fuzzydates import edtf_bounds


class FuzzyDateField(serializers.Field):
    """`{edtf, earliest, latest, text}` over a model's four `<prefix>_*` columns; null when unknown.

    Clients write `{"edtf": ..., "text": ...}`; the bounds are always computed from the EDTF text.
    """

    def __init__(self, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("source", "*")
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        edtf = getattr(instance, f"{self.prefix}_edtf")
        if not edtf:
            return None
        earliest, latest = getattr(instance, f"{self.prefix}_earliest"), getattr(instance, f"{self.prefix}_latest")
        return {
            "edtf": edtf,
            "earliest": earliest.isoformat() if earliest else None,
            "latest": latest.isoformat() if latest else None,
            "text": getattr(instance, f"{self.prefix}_text"),
        }

    def to_internal_value(self, data):
        if data is None:
            return {f"{self.prefix}_edtf": "", f"{self.prefix}_text": ""}
        if isinstance(data, str):
            data = {"edtf": data}
        if not isinstance(data, dict) or not isinstance(data.get("edtf"), str):
            raise serializers.ValidationError('Give a date as {"edtf": "2025-07-31", "text": "31 July 2025"}.')
        try:
            edtf_bounds(data["edtf"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        text = data.get("text", "")
        if not isinstance(text, str) or len(text) > 120 or "\x00" in text:
            raise serializers.ValidationError("text must be a string of at most 120 characters, without NUL.")
        return {f"{self.prefix}_edtf": data["edtf"].strip(), f"{self.prefix}_text": text}


def summary_of(obj, request, *, view_name: str, lookup: str = "slug") -> dict:
    """The compact form of a related record: `{slug, name, url}` (or `{id, name, url}` for id-addressed ones)."""
    key = getattr(obj, lookup)
    name = getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)
    return {lookup: key, "name": name, "url": reverse(view_name, kwargs={lookup: key}, request=request)}


class ListOnlyManyRelatedField(ManyRelatedField):
    """A JSON array of related records, as documented; DRF alone also takes an object as an empty list."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class SummaryRelatedField(serializers.SlugRelatedField):
    """Reads as `{slug, name, url}`; writes as the related record's slug."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        options = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return ListOnlyManyRelatedField(child_relation=cls(*args, **kwargs), **options)

    def to_internal_value(self, data):
        # Checked before the lookup: PostgreSQL refuses NUL in a query, and a slug is never long.
        if not isinstance(data, str) or len(data) > 200 or "\x00" in data:
            raise serializers.ValidationError("Give the related record's slug: a string without NUL.")
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return summary_of(obj, self.context.get("request"), view_name=self.view_name)


class TenureSummaryField(serializers.PrimaryKeyRelatedField):
    """Tenures have no slug in URLs: reads as `{id, name, url}`, writes as the tenure id."""

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        if isinstance(data, bool) or not is_id(str(data)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return summary_of(obj, self.context.get("request"), view_name="tenure-detail", lookup="id")


class JsonTypeMixin:
    """Take only the JSON type the schema documents: DRF alone would read 0 as "0", "1.5" as 1.5, "1" as true."""

    json_types: tuple[type, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, bool) is not (bool in self.json_types) or not isinstance(data, self.json_types):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(JsonTypeMixin, serializers.CharField):
    json_types = (str,)


class StrictSlugField(JsonTypeMixin, serializers.SlugField):
    json_types = (str,)


class StrictURLField(JsonTypeMixin, serializers.URLField):
    json_types = (str,)


class StrictIntegerField(JsonTypeMixin, serializers.IntegerField):
    json_types = (int,)


class StrictDecimalField(JsonTypeMixin, serializers.DecimalField):
    json_types = (int, float)


class StrictBooleanField(JsonTypeMixin, serializers.BooleanField):
    json_types = (bool,)


def strict_field_mapping(mapping: dict) -> dict:
    """A ModelSerializer's field mapping with each JSON scalar taken strictly."""
    strict = {
        serializers.CharField: StrictCharField,
        serializers.SlugField: StrictSlugField,
        serializers.URLField: StrictURLField,
        serializers.IntegerField: StrictIntegerField,
        serializers.DecimalField: StrictDecimalField,
        serializers.BooleanField: StrictBooleanField,
    }
    return {model_field: strict.get(field, field) for model_field, field in mapping.items()}
