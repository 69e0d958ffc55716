"""`search/`: every resource at once, ranked by relevance (events.search)."""

import django_filters as df
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers

from events.api.fields import ID_LOOKUPS, detail_prefix
from events.api.filtertypes import SEARCH_HELP, SearchFilter, StrictFilterSet
from events.api.parameters import validated_filters
from events.api.schema import filterset_parameters
from events.api.shaping import FieldSelectionMixin, trimmed
from events.api.views import MethodFirstMixin
from events.models import Meeting
from events.search import QUERY_MAX_LENGTH, SEARCHED, Hits, hits_shown


class SearchFilterSet(StrictFilterSet):
    q = SearchFilter(
        method="noop",
        required=True,
        help_text=f"{SEARCH_HELP} Hits come best first.",
        error_messages={"required": "Give the text to search for."},
    )
    type = df.MultipleChoiceFilter(
        choices=[(t, t) for t in SEARCHED], method="noop", help_text="Repeatable: hits of these types only."
    )

    def noop(self, queryset, name, value):
        return queryset  # applied by events.search.Hits


def search_parameters():
    """The FilterSet's parameters, `q` documented as required and bounded."""
    parameters = filterset_parameters(SearchFilterSet)
    for parameter in parameters:
        if parameter.name == "q":
            parameter.required = True
            parameter.type = {**parameter.type, "minLength": 1, "maxLength": QUERY_MAX_LENGTH}
    return parameters


class ResourceTypeField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=list(SEARCHED), **kwargs)


class ResourceTypeFieldExtension(OpenApiSerializerFieldExtension):
    """One named enum of the resource types: the change feed's `type` names the same set, and two unnamed sets
    alike would be named by a hash."""

    target_class = ResourceTypeField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="ResourceType",
            type=ResolvedComponent.SCHEMA,
            object="ResourceType",
            schema={"type": "string", "enum": list(SEARCHED)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class SearchHitSerializer(serializers.Serializer):
    type = ResourceTypeField(help_text="The resource the hit is.")
    key = serializers.CharField(help_text="The record's slug (a claim's or tenure's id), as its URL names it.")
    url = serializers.URLField()
    title = serializers.CharField(help_text="The record's name as the API shows it.")
    fragment = serializers.CharField(
        help_text="A short passage of the record's text, as HTML: the text is escaped (`&amp;`, `&lt;`, `&gt;`) "
        "and each matched word is in a `<mark>` element, the only markup. Empty when none of the record's words "
        "can be shown."
    )
    rank = serializers.FloatField(
        help_text="Relevance, higher is better: compares hits of one search, not of two searches or two databases."
    )

    def to_representation(self, hit):
        view_name = f"{hit['type']}-detail"
        key = str(getattr(hit["record"], ID_LOOKUPS.get(view_name, "slug")))
        built = {
            "type": hit["type"],
            "key": key,
            "url": f"{detail_prefix(self.context.get('request'), view_name)}{key}/",
            "title": hit["title"],
            "fragment": hit["fragment"],
            "rank": round(hit["rank"], 6),
        }
        return trimmed(built, self)


class SearchView(MethodFirstMixin, FieldSelectionMixin, generics.GenericAPIView):
    """Search every resource at once. The records that match `q`, best first, each with a fragment of its text."""

    permission_classes = [permissions.AllowAny]
    serializer_class = SearchHitSerializer
    filter_backends = []

    @extend_schema(
        parameters=search_parameters(),
        responses=SearchHitSerializer(many=True),
    )
    def get(self, request):
        params = validated_filters(SearchFilterSet, request, Meeting.objects.none(), shaped=True).form.cleaned_data
        query = params["q"]
        page = self.paginate_queryset(Hits(query, types=params.get("type") or ()))
        return self.get_paginated_response(self.get_serializer(hits_shown(page, query), many=True).data)
