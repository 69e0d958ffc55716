"""Serializer fields for the API's shared shapes: fuzzy dates, links and compact related records.

Fields read a model instance or a row (a dict) alike: reads of many records take rows (events.selectors),
writes answer with the instance they saved.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from events.api.bounded import MAX_ITEMS, items_checked
from events.api.ids import is_id
from events.fuzzydates import edtf_bounds
from events.models.common import shown_name


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
        return fuzzy_date(instance, self.prefix)

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


def value_of(obj, name: str):
    """A column of a row, or an attribute of an instance."""
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def fuzzy_date(obj, prefix: str = "date") -> dict | None:
    """`{edtf, earliest, latest, text}` from the four `<prefix>_*` columns; None when the date is unknown."""
    edtf = value_of(obj, f"{prefix}_edtf")
    if not edtf:
        return None
    earliest, latest = value_of(obj, f"{prefix}_earliest"), value_of(obj, f"{prefix}_latest")
    return {
        "edtf": edtf,
        "earliest": earliest.isoformat() if earliest else None,
        "latest": latest.isoformat() if latest else None,
        "text": value_of(obj, f"{prefix}_text"),
    }


ID_LOOKUPS = {"tenure-detail": "id", "claim-detail": "id"}  # the rest are addressed by slug


def detail_prefix(request, view_name: str) -> str:
    """A detail route's URL up to its key (`https://host/api/v1/meetings/`), reversed once per request.

    A page links hundreds of records through a few routes: reversing each link would cost more than the rest
    of its rendering.
    """
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    prefixes = getattr(request, "_detail_prefixes", None)
    if prefixes is None:
        prefixes = {}
        if request is not None:
            request._detail_prefixes = prefixes
    found = prefixes.get(view_name)
    if found is None:
        path = reverse(view_name, kwargs={ID_LOOKUPS.get(view_name, "slug"): "0"}).removesuffix("0/")
        found = prefixes[view_name] = request.build_absolute_uri(path) if request is not None else path
    return found


def detail_url(request, view_name: str, key) -> str:
    return f"{detail_prefix(request, view_name)}{key}/"


def summary_of(obj, request, *, view_name: str, lookup: str = "slug") -> dict:
    """The compact form of a related record: `{slug, name, url}` (or `{id, name, url}` for id-addressed ones)."""
    key = value_of(obj, lookup)
    return {lookup: key, "name": shown_name(obj), "url": detail_url(request, view_name, key)}


class LinksMixin:
    """For a field linking to `view_name`: the route's prefix, found once per field (one field per response)."""

    view_name: str

    @property
    def prefix(self) -> str:
        found = self.__dict__.get("_prefix")
        if found is None:
            found = self.__dict__["_prefix"] = detail_prefix(self.context.get("request"), self.view_name)
        return found

    def summary(self, obj, lookup: str = "slug") -> dict:
        key = value_of(obj, lookup)
        return {lookup: key, "name": shown_name(obj), "url": f"{self.prefix}{key}/"}

    def row_link(self, value, links) -> dict | str:
        """What the field gives for a row's value, with the request's prefixes (events.api.serializers.rows)."""
        raise NotImplementedError


class DetailUrlField(LinksMixin, serializers.HyperlinkedIdentityField):
    """The record's own URL, from the request's prefix for the route and the record's key."""

    def __init__(self, view_name: str, **kwargs):
        kwargs.setdefault("lookup_field", ID_LOOKUPS.get(view_name, "slug"))
        super().__init__(view_name=view_name, **kwargs)

    def to_representation(self, value):
        return f"{self.prefix}{value_of(value, self.lookup_field)}/"

    def row_link(self, row, links) -> str:
        return f"{links[self.view_name]}{row[self.lookup_field]}/"


class LinkedKeyField(LinksMixin, serializers.HyperlinkedRelatedField):
    """A related record's URL from its key alone (`superseded_by_id`), without reading the record."""

    def __init__(self, view_name: str, key: str, **kwargs):
        self.key = self.row_column = key
        super().__init__(view_name=view_name, lookup_field=ID_LOOKUPS.get(view_name, "slug"), **kwargs)

    def get_attribute(self, instance):
        return value_of(instance, self.key)

    def to_representation(self, value):
        return f"{self.prefix}{value}/"

    def row_link(self, key, links) -> str:
        return f"{links[self.view_name]}{key}/"


class ListOnlyManyRelatedField(ManyRelatedField):
    """A JSON array of related records, as documented (DRF alone also takes an object as an empty list), of at most
    MAX_ITEMS."""

    max_items = MAX_ITEMS

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(items_checked(data))


class SummaryRelatedField(LinksMixin, serializers.SlugRelatedField):
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
        return self.summary(obj)

    def row_link(self, row, links) -> dict:
        return {"slug": row["slug"], "name": shown_name(row), "url": f"{links[self.view_name]}{row['slug']}/"}


class TenureSummaryField(LinksMixin, serializers.PrimaryKeyRelatedField):
    """Tenures have no slug in URLs: reads as `{id, name, url}`, writes as the tenure id."""

    view_name = "tenure-detail"

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        if isinstance(data, bool) or not is_id(str(data)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return self.summary(obj, lookup="id")

    def row_link(self, row, links) -> dict:
        return {"id": row["id"], "name": shown_name(row), "url": f"{links[self.view_name]}{row['id']}/"}


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
