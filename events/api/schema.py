"""The OpenAPI document's rules: the API's own field types (drf-spectacular extensions), filter parameters,
problem documents, and what every operation says of itself."""

import django_filters as df
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import get_override, has_override
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import (
    ResolvedComponent,
    build_array_type,
    build_basic_type,
    build_choice_description_list,
    build_object_type,
    force_instance,
    is_basic_type,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers
from rest_framework.fields import empty
from rest_framework.pagination import PageNumberPagination

from events.api.downloads import CSVRenderer, NDJSONRenderer
from events.api.filtertypes import takes_empty
from events.api.shaping import FieldSelectionMixin
from events.api.shaping import schema_parameters as shaping_parameters

STRING = build_basic_type(OpenApiTypes.STR)
URI = build_basic_type(OpenApiTypes.URI)


def _nullable(schema, field):
    return {**schema, "nullable": True} if getattr(field, "allow_null", False) else schema


DATE_OR_OPEN = {**build_basic_type(OpenApiTypes.DATE), "nullable": True}
FUZZY_DATE = build_object_type(
    properties={"edtf": STRING, "earliest": DATE_OR_OPEN, "latest": DATE_OR_OPEN, "text": STRING},
    required=["edtf", "earliest", "latest", "text"],
    description="A fuzzy date: EDTF text, the earliest and latest day it can mean (null: open), and the source's "
    "wording.",
)
FUZZY_DATE_REQUEST = {
    "oneOf": [
        build_object_type(properties={"edtf": STRING, "text": {**STRING, "maxLength": 120}}, required=["edtf"]),
        {**STRING, "description": "The EDTF text alone, with no wording."},
    ],
    "description": "EDTF, e.g. 2025-07-31, 2025-02, 2026-22 (summer), 2026-33 (Q1), 2025-08-21/2025-08-31.",
}


class FuzzyDateFieldExtension(OpenApiSerializerFieldExtension):
    """One named component for each direction (`FuzzyDate`, `FuzzyDateRequest`), so that clients share one type;
    a field that may be unknown refers to it as nullable."""

    target_class = "events.api.fields.FuzzyDateField"

    def map_serializer_field(self, auto_schema, direction):
        self.direction = direction  # get_name() is asked right after, for this field and direction
        return FUZZY_DATE if direction == "response" else FUZZY_DATE_REQUEST

    def get_name(self):
        return "FuzzyDate" if self.direction == "response" else "FuzzyDateRequest"


class SummaryRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "events.api.fields.SummaryRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            schema = build_object_type(
                properties={"slug": STRING, "name": STRING, "url": URI}, required=["slug", "name", "url"]
            )
        else:
            schema = {**STRING, "description": "The related record's slug."}
        return _nullable(schema, self.target)


class TenureSummaryFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "events.api.fields.TenureSummaryField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            integer = build_basic_type(OpenApiTypes.INT)
            schema = build_object_type(
                properties={"id": integer, "name": STRING, "url": URI}, required=["id", "name", "url"]
            )
        else:
            schema = {**build_basic_type(OpenApiTypes.INT), "description": "The tenure's id."}
        return _nullable(schema, self.target)


class ClaimsWithRecordFieldExtension(OpenApiSerializerFieldExtension):
    """A record's `claims`: read as the claims listed under it, written as new claims about it (each naming its
    source)."""

    target_class = "events.api.serializers.events.ClaimsWithRecordField"

    def map_serializer_field(self, auto_schema, direction):
        serializer = self.target.row_serializer if direction == "response" else self.target.child
        return build_array_type(auto_schema.resolve_serializer(serializer, direction).ref)


def _filter_schema(schema: dict, flt) -> dict:
    """A filter parameter's schema, saying what StrictFilterSet refuses: an empty value, but for free text."""
    if not takes_empty(flt):
        values = schema["items"] if schema.get("type") == "array" else schema
        if values.get("type") == "string":
            values["minLength"] = 1
    return schema


def filter_description(flt) -> str:
    """What a filter parameter keeps: its help text, or else what its type says (a filter that does more than its
    type tells, through a method, needs a help text)."""
    text = str(flt.extra.get("help_text") or "")
    field = f"`{flt.field_name.replace('__', '.')}`"
    if text:
        pass
    elif isinstance(flt, df.ModelMultipleChoiceFilter):
        text = f"Repeatable: slugs of {flt.queryset.model._meta.verbose_name_plural}; those linked by {field} to all."
    elif isinstance(flt, df.ModelChoiceFilter):
        text = f"Slug of {_a(flt.queryset.model._meta.verbose_name)}: those linked to it by {field}."
    elif isinstance(flt, df.BooleanFilter):
        text = f"`true`: those whose {field} is true; `false`: those whose {field} is false."
    elif isinstance(flt, df.MultipleChoiceFilter):
        text = f"Repeatable: those whose {field} is any of these."
    elif isinstance(flt, df.ChoiceFilter):
        text = f"Those whose {field} is this value."
    elif isinstance(flt, df.CharFilter) and flt.method is None and flt.lookup_expr == "exact":
        text = f"Those whose {field} is exactly this value."
    if flt.extra.get("choices"):
        text += "\n\n" + build_choice_description_list(flt.extra["choices"])
    return text


class StrictFilterExtension(DjangoFilterExtension):
    """The filter parameters as drf-spectacular's django-filter extension builds them, with their minLength and
    their descriptions (filter_description)."""

    target_class = "events.api.parameters.StrictFilterBackend"
    priority = 1  # before django-filter's own extension, which matches the backend's subclasses too

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            _filter_schema(parameter["schema"], filter_field)
            parameter["description"] = filter_description(filter_field)
        return parameters


def filterset_parameters(filterset_class) -> list[OpenApiParameter]:
    """Query parameters for views that run a FilterSet themselves rather than through a filter backend."""
    types = {df.DateFilter: OpenApiTypes.DATE, df.BooleanFilter: OpenApiTypes.BOOL}
    parameters = []
    for name, flt in filterset_class.base_filters.items():
        annotation = get_override(flt, "field") if has_override(flt, "field") else None
        if annotation is None or not is_basic_type(annotation):
            annotation = next((t for cls, t in types.items() if isinstance(flt, cls)), OpenApiTypes.STR)
        schema = build_basic_type(annotation)
        if isinstance(flt, df.MultipleChoiceFilter):
            schema = build_array_type(schema)
        choices = flt.extra.get("choices")  # a model filter's are its queryset's slugs: not listed
        parameters.append(
            OpenApiParameter(
                name,
                _filter_schema(schema, flt),
                description=filter_description(flt),
                enum=[c for c, _ in choices] if choices else None,
                explode=True,
            )
        )
    return parameters


class SubjectFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "events.api.serializers.claims.SubjectField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {**STRING, "description": self.target.help_text}
        from events.api.serializers.claims import SubjectSummarySerializer

        return auto_schema.resolve_serializer(SubjectSummarySerializer, direction).ref


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


# What events.api.exceptions writes: `errors` is DRF's ValidationError detail (or the services' RecordInvalid
# errors, of the same shape), on validation errors only.
PROBLEM_COMPONENTS = {
    "Problem": build_object_type(
        properties={
            "type": STRING,
            "title": STRING,
            "status": build_basic_type(OpenApiTypes.INT),
            "detail": STRING,
            "instance": {**STRING, "description": "The path the request was made to."},
            "errors": _ref("ProblemErrors"),
        },
        required=["type", "title", "status", "detail", "instance"],
        description="An RFC 9457 problem document. `errors` comes with validation errors (400) only.",
    ),
    "ProblemErrors": {
        "type": "object",
        "description": "Each field or parameter that was wrong, with its errors; `non_field_errors` for what concerns "
        "the whole record.",
        "additionalProperties": _ref("ProblemErrorsEntry"),
    },
    "ProblemErrorsEntry": {
        "description": "A field's or parameter's messages; for a nested record, its own fields' errors; for a list "
        "of records or values, either each wrong item's errors under its index, or one entry per item in order "
        "(empty for an item without errors).",
        "anyOf": [
            build_array_type(STRING),
            _ref("ProblemErrors"),
            build_array_type(_ref("ProblemErrors")),
        ],
    },
}
ERRORS = {
    "400": "Invalid body or parameters; `errors` names each.",
    "401": "Credentials missing or wrong.",
    "403": "Not allowed to make this change.",
    "404": "No such record (or page).",
    "406": "Only JSON can be answered.",
    "409": "The change conflicts with the current data, e.g. a record others still refer to.",
    "411": "A body sent in chunks needs its Content-Length; nothing was written.",
    "412": "If-Match did not match the record's current ETag; nothing was written.",
    "413": "The body is larger than the server takes; nothing was written.",
    "415": "The body must be JSON.",
    "503": "The database is unavailable or the request took too long; retry after the seconds in Retry-After.",
}


def _may_be_left_out(serializer, field) -> bool:
    """Whether a response may lack the field. DRF leaves a field out only when the object it renders lacks the
    value and the field is optional, with no default, and not nullable (Field.get_attribute). A model serializer
    renders a model instance, or a row with every column (events.api.serializers.rows), which lacks no field; other
    serializers render dicts, which may lack one declared optional (a subject's `slug` or `id`). drf-spectacular
    requires only what is required or read-only, so that a client would have to check the rest."""
    if isinstance(force_instance(serializer), serializers.ModelSerializer) or field.read_only:
        return False
    return not field.required and field.default is empty and not field.allow_null


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


# A viewset's standard actions: (summary, description) for its resource.
ACTIONS = {
    "list": ("List {plural}", "The {plural} that match every filter given, a page at a time."),
    "create": ("Create {a_name}", "Saves a new {name} and answers with it as saved, with its ETag."),
    "retrieve": (
        "Get {a_name}",
        "One {name}{extra}. Its ETag stands for the record's version: send it in If-Match to write.",
    ),
    "update": ("Replace {a_name}", "Writes the {name} from the fields sent, its required ones included."),
    "partial_update": ("Change fields of {a_name}", "Writes the fields sent and leaves the others as they are."),
    "destroy": ("Delete {a_name}", "Deletes the {name}."),
}
PAGE_KEYS = ("count", "next", "previous", "results")
IF_MATCH = " With If-Match, nothing is written if the record has changed since that ETag (412)."


def _first_sentence(doc: str) -> str:
    return " ".join(doc.split()).split(";")[0].split(". ")[0].rstrip(".")


class ApiSchema(AutoSchema):
    """Every operation has its own summary and documents the problem responses it can give; reads are open to
    anyone; a response lists as required what it always holds."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            fields = force_instance(serializer).fields
            schema["required"] = [n for n in schema["properties"] if not _may_be_left_out(serializer, fields[n])]
        return schema

    def _get_paginator(self):
        paginator = super()._get_paginator()
        if isinstance(paginator, PageNumberPagination):
            documented = paginator.get_paginated_response_schema

            def with_page_keys_required(schema):
                # DRF's page always holds these four (`next` and `previous` null at the ends); its schema requires
                # two. Keys a page adds only when asked (`facets`) stay optional.
                page = documented(schema)
                return {**page, "required": [k for k in page["properties"] if k in PAGE_KEYS or k in page["required"]]}

            paginator.get_paginated_response_schema = with_page_keys_required
        return paginator

    def _get_format_parameters(self):
        # `format`, as every other parameter: described, and never empty.
        return [
            {
                **parameter,
                "description": "The response's format, in place of the Accept header.",
                "schema": {**parameter["schema"], "minLength": 1},
            }
            for parameter in super()._get_format_parameters()
        ]

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if isinstance(self.view, FieldSelectionMixin) and self.method == "GET":
            parameters = [*parameters, *shaping_parameters()]  # a read's fields can be chosen
        return parameters

    def get_summary(self):
        action, model = getattr(self.view, "action", None), getattr(getattr(self.view, "queryset", None), "model", None)
        if action in ACTIONS and model is not None:
            return ACTIONS[action][0].format(**self._resource_names(model))
        return _first_sentence(super().get_description())

    def get_description(self):
        action, model = getattr(self.view, "action", None), getattr(getattr(self.view, "queryset", None), "model", None)
        if action not in ACTIONS or model is None:
            return super().get_description()
        # The viewset's docstring is shared by every resource: each action says what it does instead.
        description = ACTIONS[action][1].format(**self._resource_names(model), extra=self._detail_extra())
        return description + (IF_MATCH if action in ("update", "partial_update", "destroy") else "")

    @staticmethod
    def _resource_names(model) -> dict:
        name = str(model._meta.verbose_name)
        return {"name": name, "plural": str(model._meta.verbose_name_plural), "a_name": _a(name)}

    def _detail_extra(self) -> str:
        listed, detail = (
            getattr(self.view, "serializer_class", None),
            getattr(self.view, "detail_serializer_class", None),
        )
        if listed is None or detail is None:
            return ""
        extra = [
            name for name in detail().fields if name not in listed().fields and not detail().fields[name].write_only
        ]
        return ", with what the list leaves out: " + ", ".join(f"`{name}`" for name in extra) if extra else ""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A write's lists are bounded (events.api.bounded); what a read returns is not.
        if direction == "request" and schema is not None and getattr(field, "max_items", None):
            schema = {**schema, "maxItems": field.max_items}
        return schema

    def get_auth(self):
        auths = super().get_auth()
        public_read = permissions.DjangoModelPermissionsOrAnonReadOnly in {type(p) for p in self.view.get_permissions()}
        if public_read and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        if NDJSONRenderer.media_type in content:  # a list's downloads (events.api.downloads): every row, no page
            serializer = self._get_serializer()
            item = self.resolve_serializer(getattr(serializer, "child", serializer), direction)
            content[NDJSONRenderer.media_type] = {"schema": item.ref}
            content[CSVRenderer.media_type] = {"schema": {"type": "string"}}
            responses["200"]["description"] = (
                "A page of results as JSON; or, by the Accept header, every matching row: as NDJSON (one object "
                "per line, each as in `results`) or as CSV (a header, then a row per record)."
            )
        for name, schema in PROBLEM_COMPONENTS.items():
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            self.registry.register_on_missing(component)
        for code in self._error_codes():
            content = {"application/problem+json": {"schema": _ref("Problem")}}
            response = {"description": ERRORS[code], "content": content}
            if code == "503":
                seconds = {"schema": {"type": "integer", "minimum": 0}, "description": "Seconds to wait."}
                response["headers"] = {"Retry-After": seconds}
            responses.setdefault(code, response)
        return responses

    def _error_codes(self) -> list[str]:
        # 401 everywhere: a wrong token is refused even where no token is needed.
        codes = ["400", "401", "406", "503"]
        if self.method not in permissions.SAFE_METHODS:
            codes += ["403", "409"]
            if self.method != "DELETE":
                codes += ["411", "413", "415"]
        if self.method != "POST":
            codes.append("404")  # a detail that does not exist, or a page past the last
        return sorted(codes)
