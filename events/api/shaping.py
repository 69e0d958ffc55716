"""Field selection: `fields=` and `omit=` trim a response to the fields a client names, nested ones by dotted path
(`fields=slug,participants.person`, `omit=summary`).

A selection is checked against the view's serializer, then applied by removing the fields left out from the
serializer before it renders: nothing is rendered to be thrown away, and the view skips the reads (prefetches,
row reads) that only those fields need.
"""

from functools import cache

from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

PARAMS = ("fields", "omit")
SAFE_METHODS = ("GET", "HEAD")
MAX_LENGTH = 1000  # characters in one parameter
MAX_PATHS = 60
MAX_DEPTH = 3


def parts(field):
    """The fields a nested serializer field (one record or a list of them) renders, or None for a plain value. A
    field rendered by a serializer of its own names it as its `rendering`."""
    field = getattr(field, "rendering", field)
    if isinstance(field, serializers.ListSerializer):
        field = field.child
    return field.fields if isinstance(field, serializers.Serializer) else None


@cache
def field_tree(serializer_class) -> dict:
    """Every field the serializer renders, as {name: subtree, or None for a plain value}: what may be named."""

    def tree(fields):
        return {name: (None if parts(f) is None else tree(parts(f))) for name, f in fields.items() if not f.write_only}

    return tree(serializer_class().fields)


def parse(param: str, raw: str, known: dict) -> dict:
    """`a,b.c` as {a: None, b: {c: None}} (None: the whole field), each path checked against `known`."""
    if len(raw) > MAX_LENGTH:
        raise ValidationError({param: [f"At most {MAX_LENGTH} characters."]})
    paths = [p.strip() for p in raw.split(",")]
    if len(paths) > MAX_PATHS:
        raise ValidationError({param: [f"At most {MAX_PATHS} field names."]})
    selected: dict = {}
    for path in paths:
        names = path.split(".")
        if not path or "" in names:
            raise ValidationError({param: [f"{path!r} is not a field name: give names joined by commas."]})
        if len(names) > MAX_DEPTH:
            raise ValidationError({param: [f"{path!r}: at most {MAX_DEPTH} levels."]})
        level, node = known, selected
        for depth, name in enumerate(names):
            if level is None:
                whole = ".".join(names[:depth])
                raise ValidationError({param: [f"{path!r}: {whole} has no fields of its own to choose."]})
            if name not in level:
                where = f" of {'.'.join(names[:depth])}" if depth else ""
                raise ValidationError(
                    {param: [f"Unknown field {'.'.join(names[: depth + 1])!r}. Fields{where}: {', '.join(level)}."]}
                )
            last = depth == len(names) - 1
            if last or node.get(name, {}) is None:
                node[name] = None  # the whole field, whatever else names parts of it
                break
            node = node.setdefault(name, {})
            level = level[name]
    return selected


class Selection:
    """What to render of one serializer's fields: `only` (None: every field) less `omitted`."""

    def __init__(self, only: dict | None = None, omitted: dict | None = None):
        self.only, self.omitted = only, omitted or {}

    def wants(self, name: str) -> bool:
        if self.only is not None and name not in self.only:
            return False
        return not (name in self.omitted and self.omitted[name] is None)

    def at(self, name: str) -> "Selection":
        return Selection(None if self.only is None else self.only[name], self.omitted.get(name))

    @property
    def everything(self) -> bool:
        return self.only is None and not self.omitted


EVERYTHING = Selection()


def selection_from(request, serializer_class) -> Selection:
    params = request.query_params
    if request.method not in SAFE_METHODS or not any(p in params for p in PARAMS):
        return EVERYTHING
    known = field_tree(serializer_class)
    chosen = {p: parse(p, params[p], known) for p in PARAMS if p in params}
    return Selection(chosen.get("fields"), chosen.get("omit"))


def prune(serializer, selection: Selection):
    """Remove the fields `selection` leaves out from `serializer` (a list serializer: from its child), nested
    serializers included. Returns the serializer."""
    if selection.everything:
        return serializer
    fields = parts(serializer)
    for name in list(fields):
        if not selection.wants(name):
            del fields[name]
        elif parts(fields[name]) is not None:
            prune(fields[name], selection.at(name))
    return serializer


def trimmed(data: dict, serializer) -> dict:
    """A representation built by hand, cut down to the fields left in `serializer` (see `prune`)."""
    fields = parts(serializer)
    found = {}
    for name, value in data.items():
        if name not in fields:
            continue
        if parts(fields[name]) is not None and value is not None:
            value = (
                [trimmed(v, fields[name]) for v in value] if isinstance(value, list) else trimmed(value, fields[name])
            )
        found[name] = value
    return found


class FieldSelectionMixin:
    """`fields` and `omit` for a view's reads: checked against the serializer it renders with, applied to every
    serializer it makes. `wants(name)` tells the view whether to read what a top-level field needs."""

    @cached_property
    def selection(self) -> Selection:
        return selection_from(self.request, self.get_serializer_class())

    def wants(self, name: str) -> bool:
        return self.selection.wants(name)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.selection  # checked before any work: a download renders after its answer has started  # noqa: B018

    def get_serializer(self, *args, **kwargs):
        return prune(super().get_serializer(*args, **kwargs), self.selection)


def schema_parameters() -> list[OpenApiParameter]:
    """`fields` and `omit` as the OpenAPI document describes them, for each read that takes them."""
    paths = "Comma-separated field names; a nested field's own fields by dotted path (`participants.person`)"
    text = {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH}
    return [
        OpenApiParameter(
            "fields", text, description=f"Only these fields. {paths}; at most {MAX_PATHS}, {MAX_DEPTH} levels deep."
        ),
        OpenApiParameter("omit", text, description=f"Every field but these. {paths}. Applied after `fields`."),
    ]
