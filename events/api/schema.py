"""OpenAPI descriptions for the API's own field types (drf-spectacular extensions)."""

import django_filters as df
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_array_type, build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions

from events.api.downloads import CSVRenderer, NDJSONRenderer
from events.api.filtertypes import takes_empty

STRING = build_basic_type(OpenApiTypes.STR)
URI = build_basic_type(OpenApiTypes.URI)


def _nullable(schema, field):
    return {**schema, "nullable": True} if getattr(field, "allow_null", False) else schema


class FuzzyDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "events.api.fields.FuzzyDateField"

    def map_serializer_field(self, auto_schema, direction):
        date = {**build_basic_type(OpenApiTypes.DATE), "nullable": True}
        if direction == "response":
            schema = build_object_type(
                properties={"edtf": STRING, "earliest": date, "latest": date, "text": STRING},
                required=["edtf", "earliest", "latest", "text"],
                description="A fuzzy date: EDTF text, the earliest and latest day it can mean (null: open), "
                "and the source's wording. Null when unknown.",
            )
        else:
            text = {**STRING, "maxLength": 120}
            schema = {
                "oneOf": [
                    build_object_type(properties={"edtf": STRING, "text": text}, required=["edtf"]),
                    {**STRING, "description": "The EDTF text alone, with no wording."},
                ],
                "description": "EDTF, e.g. 2025-07-31, 2025-02, 2026-22 (summer), 2026-33 (Q1), 2025-08-21/2025-08-31.",
            }
        return _nullable(schema, self.target)


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


class StrictFilterExtension(DjangoFilterExtension):
    """The filter parameters as drf-spectacular's django-filter extension builds them, with their minLength."""

    target_class = "events.api.parameters.StrictFilterBackend"
    priority = 1  # before django-filter's own extension, which matches the backend's subclasses too

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            _filter_schema(parameter["schema"], filter_field)
        return parameters


def filterset_parameters(filterset_class) -> list[OpenApiParameter]:
    """Query parameters for views that run a FilterSet themselves rather than through a filter backend."""
    types = {df.DateFilter: OpenApiTypes.DATE, df.BooleanFilter: OpenApiTypes.BOOL}
    parameters = []
    for name, flt in filterset_class.base_filters.items():
        schema = build_basic_type(next((t for cls, t in types.items() if isinstance(flt, cls)), OpenApiTypes.STR))
        if isinstance(flt, df.MultipleChoiceFilter):
            schema = build_array_type(schema)
        enum = [c for c, _ in flt.extra["choices"]] if isinstance(flt, df.ChoiceFilter) else None
        parameters.append(
            OpenApiParameter(
                name, _filter_schema(schema, flt), description=flt.extra.get("help_text", ""), enum=enum, explode=True
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


PROBLEM = build_object_type(
    properties={
        "type": STRING,
        "title": STRING,
        "status": build_basic_type(OpenApiTypes.INT),
        "detail": STRING,
        "instance": STRING,
        "errors": {
            "type": "object",
            "description": "Per field or parameter, its messages (validation errors only).",
            "additionalProperties": True,
        },
    },
    required=["type", "title", "status", "detail"],
    description="An RFC 9457 problem document.",
)
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


class ApiSchema(AutoSchema):
    """Every operation documents the problem responses it can give, and reads are open to anyone."""

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
        problem = ResolvedComponent(name="Problem", type=ResolvedComponent.SCHEMA, object="Problem", schema=PROBLEM)
        self.registry.register_on_missing(problem)
        for code in self._error_codes():
            response = {"description": ERRORS[code], "content": {"application/problem+json": {"schema": problem.ref}}}
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
