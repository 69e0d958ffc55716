"""Facets: `facets=status,year` on a list adds, for each facet named, how many of the listed records have each
value. Each facet's counts are taken under all the request's filters but its own, as faceted search does, so they
say what choosing another value would give.

A view declares its facets (`facets = {"status": Facet("status"), ...}`) next to its filters and ordering, and
pages with FacetedPagination.
"""

from collections import Counter

from django.db.models import Count, F
from django.db.models.functions import ExtractYear, TruncMonth
from rest_framework.exceptions import ValidationError

from events.api.pagination import PagePagination, kept_per_revision, question_of
from events.api.parameters import FORMAT_PARAM, PAGING_PARAMS
from events.api.shaping import PARAMS as SHAPING_PARAMS
from events.models.revision import dataset_changed_at

PARAM = "facets"
LIMIT = 100  # values per facet, the most frequent first
# Parameters that change a page but not what its facets count.
NOT_FILTERS = {*PAGING_PARAMS, *SHAPING_PARAMS, FORMAT_PARAM, PARAM, "ordering"}


class Facet:
    """The values of `column`, a field or a path through relations (`participants__role`). `own`: the filters it
    leaves out (by default, the one of its own name)."""

    def __init__(self, column: str, *, own: tuple[str, ...] | None = None):
        self.column, self.own = column, own

    def expression(self):
        return F(self.column)

    def counts(self, queryset, *, limit: int | None = LIMIT) -> list[dict]:
        return [self.shown(row) for row in self.grouped(queryset, limit=limit)]

    def grouped(self, queryset, *, limit: int | None) -> list[dict]:
        """[{value, count}], the most frequent first, in one GROUP BY. Records are counted distinct only where a
        record can meet one value more than once (a path through a to-many relation, or joins a filter made):
        COUNT(DISTINCT) costs about twice a plain count."""
        first = queryset.model._meta.get_field(self.column.split("__")[0])
        repeats = first.many_to_many or first.one_to_many or len(queryset.query.alias_map) > 1
        rows = (
            queryset.order_by()
            .filter(**{f"{self.column}__isnull": False})
            .values(facet_value=self.expression())  # aliased: a model may have a field called `value`
            .annotate(facet_count=Count("pk", distinct=repeats))
            .order_by("-facet_count", "facet_value")
        )
        found = [{"value": r["facet_value"], "count": r["facet_count"]} for r in rows if r["facet_value"] != ""]
        return found[:limit] if limit else found  # blank text is no value

    def shown(self, row: dict) -> dict:
        return row


class RecordFacet(Facet):
    """Related records, counted by id (a foreign key path such as `participants__agency`: no join to their table)
    and shown by slug, with their `name` (or the field given) read for the ones listed."""

    def __init__(self, column: str, model, *, name: str = "name"):
        super().__init__(column)
        self.model, self.name = model, name

    def counts(self, queryset, *, limit: int | None = LIMIT) -> list[dict]:
        return self.named(self.grouped(queryset, limit=limit))

    def named(self, rows: list[dict]) -> list[dict]:
        records = self.model.objects.filter(pk__in=[row["value"] for row in rows]).values("pk", "slug", self.name)
        found = {record["pk"]: record for record in records}
        return [
            {"value": found[row["value"]]["slug"], "name": found[row["value"]][self.name], "count": row["count"]}
            for row in rows
        ]


class YearFacet(Facet):
    """The year of a fuzzy date: the first year it could fall in. Leaves out the date window (`date_after`,
    `date_before`), which choosing a year sets."""

    def __init__(self, column: str):
        super().__init__(column, own=("date_after", "date_before"))

    def expression(self):
        return ExtractYear(self.column)


class MonthFacet(YearFacet):
    """`YYYY-MM`: the first month a fuzzy date could fall in."""

    def expression(self):
        return TruncMonth(self.column)

    def shown(self, row: dict) -> dict:
        return {**row, "value": row["value"].strftime("%Y-%m")}


class EitherFacet(RecordFacet):
    """A record counted once for a related record that fills either of two roles (a launch's operator, or an
    agency with crew on board): each role counted, less the records where one value fills both."""

    def __init__(self, column: str, other: str, model):
        super().__init__(column, model)
        self.other = Facet(other)

    def counts(self, queryset, *, limit: int | None = LIMIT) -> list[dict]:
        total = Counter()
        both = queryset.filter(**{self.other.column: F(self.column)})
        for facet, rows, sign in ((self, queryset, 1), (self.other, queryset, 1), (self, both, -1)):
            for row in facet.grouped(rows, limit=None):
                total[row["value"]] += sign * row["count"]
        found = sorted((-count, value) for value, count in total.items() if count > 0)[:limit]
        return self.named([{"value": value, "count": -count} for count, value in found])


def facets_asked(view, request) -> list[str]:
    """The facets `request` names, each known to `view` (else a 400), in the order given."""
    raw = request.query_params.get(PARAM)
    if raw is None:
        return []
    names = [n.strip() for n in raw.split(",")]
    unknown = [n for n in names if n not in view.facets]
    if unknown:
        shown = ", ".join(repr(n) for n in unknown)
        raise ValidationError({PARAM: [f"Unknown facet: {shown}. Facets: {', '.join(view.facets)}."]})
    if len(set(names)) < len(names):  # each at most once, so the work stays bounded by the facets declared
        raise ValidationError({PARAM: ["Name each facet once."]})
    return names


def facet_counts(view, request, name: str) -> list[dict]:
    """The counts of the view's facet `name` under the request's filters, less the facet's own: kept per question
    and dataset revision, as a page's count is, so paging through a faceted list counts its facets once."""
    facet = view.facets[name]
    data = request.query_params.copy()
    for param in facet.own or (name,):
        data.pop(param, None)
    question = (name, question_of(request, leaving_out=NOT_FILTERS | set(facet.own or (name,))))
    return kept_per_revision(
        "facets",
        dataset_changed_at(request),
        question,
        lambda: facet.counts(view.filterset_class(data, queryset=view.get_queryset(), request=request).qs),
    )


class FacetedPagination(PagePagination):
    """Pages of a list with `facets` declared on its view: a page adds `facets` when the request names some."""

    def paginate_queryset(self, queryset, request, view=None):
        self.facets = {name: None for name in facets_asked(view, request)}  # checked before any other work
        page = super().paginate_queryset(queryset, request, view)
        for name in self.facets:
            self.facets[name] = facet_counts(view, request, name)
        return page

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.facets:
            response.data[PARAM] = self.facets
        return response

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page["properties"][PARAM] = FACETS_SCHEMA
        return page

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": PARAM,
                "required": False,
                "in": "query",
                "description": "Comma-separated facets to count, each under the other filters (not its own): "
                f"{', '.join(view.facets)}. Each lists up to {LIMIT} values, the most frequent first.",
                "schema": {"type": "array", "items": {"type": "string", "enum": list(view.facets)}},
                "style": "form",
                "explode": False,
            },
        ]


FACETS_SCHEMA = {
    "type": "object",
    "description": "Only when `facets` is given: per facet, its values with how many records have each.",
    "additionalProperties": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "value": {"description": "The value (a slug for a related record; `YYYY-MM` for a month)."},
                "name": {"type": "string", "description": "The related record's name, for a facet of records."},
                "count": {"type": "integer", "minimum": 1},
            },
            "required": ["value", "count"],
        },
    },
}
