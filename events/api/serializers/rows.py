"""Rendering rows (dicts from events.selectors) rather than model instances, for the reads of many records.

A serializer declares the shape once; for rows, RowsMixin turns its fields into a plan, once per class: which
column each field reads and how its value becomes JSON. DRF builds every field anew for each serializer (deep
copies of querysets included) and renders each value through generic lookups, which costs more than the rest
of a detail answer; the plan renders the same JSON from the same declarations. Instances (the answers to
writes) take DRF's own path.
"""

from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from events.api.fields import LinksMixin, detail_prefix
from events.api.shaping import parts

# Fields whose value in a row is already its JSON form (a row's columns come converted by the database backend).
AS_STORED = (serializers.CharField, serializers.ChoiceField, serializers.IntegerField, serializers.BooleanField)


def with_row_reads(serializer_class, rows: list[dict], wanted=None) -> list[dict]:
    """Fill each field the serializer reads separately (its `row_reads`: field name to a selector giving the
    value per row's pk), with one call per field for all `rows`; only the fields in `wanted`, if given."""
    for name, read in serializer_class.row_reads.items():
        users = (name, *serializer_class.row_read_users.get(name, ()))
        if wanted is not None and not any(user in wanted for user in users):
            continue
        found = read(rows)
        for row in rows:
            row[name] = found[row["pk"]]
    return rows


class Links:
    """The detail-route prefixes of one request (see events.api.fields.detail_prefix)."""

    def __init__(self, request):
        self.request, self.found = request, {}

    def __getitem__(self, view_name: str) -> str:
        found = self.found.get(view_name)
        if found is None:
            found = self.found[view_name] = detail_prefix(self.request, view_name)
        return found


class RowsMixin:
    row_reads: dict = {}
    row_read_users: dict = {}  # a row read's name to the other fields that render from it

    def to_representation(self, instance):
        if not isinstance(instance, dict):
            return super().to_representation(instance)
        return render_row(type(self), self, instance, Links(self.context.get("request")), self.fields)


def render_row(cls, serializer, row: dict, links: Links, fields=None) -> dict:
    """`row` as `cls` declares it; `serializer` (the one rendering, with the context) answers method fields.
    `fields`: the fields to render (those a field selection left, see events.api.shaping), or None for all."""
    found = {}
    for name, column, render in _plan(cls):
        if fields is not None and name not in fields:
            continue
        value = row if column is None else row[column]
        if value is None or render is None:
            found[name] = value
        else:
            found[name] = render(serializer, value, links, None if fields is None else parts(fields[name]))
    return found


def _plan(cls) -> list[tuple]:
    plan = cls.__dict__.get("_row_plan")
    if plan is None:
        plan = cls._row_plan = [_step(field) for field in cls().fields.values() if not field.write_only]
    return plan


def _step(field) -> tuple:
    """(name, column or None for the whole row, render(serializer, value, links) or None to take it as is)."""
    name = field.field_name
    column = getattr(field, "row_column", None) or (None if field.source == "*" else field.source)
    if isinstance(field, serializers.SerializerMethodField):
        method = field.method_name
        return name, None, lambda serializer, row, links, fields: getattr(serializer, method)(row)
    child = getattr(field, "row_serializer", None)  # a list field that renders its items with a serializer
    if isinstance(field, serializers.ListSerializer) and isinstance(field.child, RowsMixin):
        child = type(field.child)
    if child is not None:
        return (
            name,
            column,
            lambda serializer, rows, links, fields: [render_row(child, serializer, r, links, fields) for r in rows],
        )
    if isinstance(field, ManyRelatedField) and isinstance(field.child_relation, LinksMixin):
        link = field.child_relation.row_link
        return name, column, lambda serializer, values, links, fields: [link(v, links) for v in values]
    if isinstance(field, LinksMixin):
        return name, column, lambda serializer, value, links, fields: field.row_link(value, links)
    if isinstance(field, AS_STORED) and not isinstance(field, serializers.MultipleChoiceField) and column:
        return name, column, None
    if column is not None and "." in column:
        raise TypeError(f"{name}: a row has no nested columns")
    convert = field.to_representation  # needs nothing of the request: shared by every rendering
    return name, column, lambda serializer, value, links, fields: convert(value)


class RowsListSerializer(serializers.ListSerializer):
    """A page of rows, completed by the child serializer's `row_reads` before each row is rendered."""

    def to_representation(self, data):
        rows = list(data)
        if not rows or not isinstance(rows[0], dict):
            return super().to_representation(rows)
        fields = self.child.fields
        with_row_reads(type(self.child), rows, fields)
        links = Links(self.context.get("request"))
        return [render_row(type(self.child), self.child, row, links, fields) for row in rows]
