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

from events.api.pagination import PagePagination

PARAM = "facets"
LIMIT = 100  # values per facet, the most frequent first


class Facet:
    """The values of `column` (a path such as `participants__agency__slug`), with the related record's name from
    `name` where it has one. `own`: the filters it leaves out (by default, the one of its own name)."""

    def __init__(self, column: str, *, name: str | None = None, own: tuple[str, ...] | None = None):
        self.column, self.name, self.own = column, name, own

    def expression(self):
        return F(self.column)

    def counts(self, queryset, *, limit: int | None = LIMIT) -> list[dict]:
        # Aliased: a model may have fields called `name` or `value`.
        columns = {"facet_value": self.expression(), **({"facet_name": F(self.name)} if self.name else {})}
        rows = (
            queryset.order_by()
            .filter(**{f"{self.column}__isnull": False})
            .values(**columns)
            .annotate(facet_count=Count("pk", distinct=True))  # a record joined to a value twice counts once
            .order_by("-facet_count", "facet_value")
        )
        found = (_renamed(row) for row in rows)
        found = [self.shown(row) for row in found if row["value"] != ""]  # blank text: no value
        return found[:limit] if limit else found

    def shown(self, row: dict) -> dict:
        return row


def _renamed(row: dict) -> dict:
    return {name.removeprefix("facet_"): value for name, value in row.items()}


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


class EitherFacet(Facet):
    """A record counted once for a related record that fills either of two roles (a launch's operator, or an
    agency with crew on board): each role counted, less the records where one value fills both."""

    def __init__(self, column: str, other: str, *, name: str, other_name: str):
        super().__init__(column, name=name)
        self.first, self.other = Facet(column, name=name), Facet(other, name=other_name)

    def counts(self, queryset, *, limit: int | None = LIMIT) -> list[dict]:
        names, total = {}, Counter()
        both = queryset.filter(**{self.other.column: F(self.column)})
        for facet, rows, sign in ((self.first, queryset, 1), (self.other, queryset, 1), (self.first, both, -1)):
            for row in facet.counts(rows, limit=None):
                total[row["value"]] += sign * row["count"]
                names.setdefault(row["value"], row["name"])
        found = sorted((-count, value) for value, count in total.items() if count > 0)[:limit]
        return [{"value": value, "name": names[value], "count": -count} for count, value in found]


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
    """The counts of the view's facet `name` under the request's filters, less the facet's own."""
    facet = view.facets[name]
    data = request.query_params.copy()
    for param in facet.own or (name,):
        data.pop(param, None)
    return facet.counts(view.filterset_class(data, queryset=view.get_queryset(), request=request).qs)


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
