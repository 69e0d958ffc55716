"""OpenAPI descriptions for the API's own field types (drf-spectacular extensions)."""

import django_filters as df
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

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
            schema = build_object_type(
                properties={"edtf": STRING, "text": STRING},
                required=["edtf"],
                description="EDTF, e.g. 2025-07-31, 2025-02, 2026-22 (summer), 2026-33 (Q1), 2025-08-21/2025-08-31.",
            )
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


def filterset_parameters(filterset_class) -> list[OpenApiParameter]:
    """Query parameters for views that run a FilterSet themselves rather than through a filter backend."""
    types = {df.DateFilter: OpenApiTypes.DATE, df.BooleanFilter: OpenApiTypes.BOOL}
    parameters = []
    for name, flt in filterset_class.base_filters.items():
        kind = next((t for cls, t in types.items() if isinstance(flt, cls)), OpenApiTypes.STR)
        enum = [c for c, _ in flt.extra["choices"]] if isinstance(flt, df.ChoiceFilter) else None
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                description=flt.extra.get("help_text", ""),
                enum=enum,
                many=isinstance(flt, df.MultipleChoiceFilter),
                explode=True,
            )
        )
    return parameters
