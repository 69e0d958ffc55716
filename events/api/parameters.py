"""The rules for a request's query parameters: unknown, repeated or NUL-bearing ones are refused, numbers are
digits, and the filter and ordering backends refuse what they do not understand instead of ignoring it."""

import re

from django.db.models import F
from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.negotiation import DefaultContentNegotiation

from events.api import shaping

PAGING_PARAMS = {"page", "page_size"}
# DRF's URL_FORMAT_OVERRIDE: `?format=json` picks the renderer, on any URL.
FORMAT_PARAM = "format"


def is_number(value: str, *, max_digits: int) -> bool:
    """ASCII digits only (str.isdigit() also accepts '²', which int() refuses), at most `max_digits` of them."""
    return bool(re.fullmatch(rf"[0-9]{{1,{max_digits}}}", value))


def repeatable_filters(filters) -> set[str]:
    return {name for name, flt in filters.items() if isinstance(flt, MultipleChoiceFilter)}


def reject_unknown_params(request, allowed, repeatable=(), *, paged: bool = True, shaped: bool = False) -> None:
    """400 for parameters the view does not know, for single-valued ones given twice, and for NUL bytes.

    `page` and `page_size` are known wherever the answer is paginated (`paged`), `fields` and `omit` where a read's
    fields can be chosen (`shaped`, events.api.shaping), and `format` everywhere.
    """
    repeated = sorted(k for k, values in request.query_params.lists() if len(values) > 1 and k not in repeatable)
    if repeated:
        raise ValidationError({name: ["Give this parameter once."] for name in repeated})
    unusable = sorted({k for k, values in request.query_params.lists() if any("\x00" in v for v in values)})
    if unusable:
        raise ValidationError({name: ["Contains a NUL character."] for name in unusable})
    allowed = set(allowed) | (PAGING_PARAMS if paged else set())
    allowed |= set(shaping.PARAMS) if shaped and request.method in shaping.SAFE_METHODS else set()
    unknown = sorted(set(request.query_params) - allowed - {FORMAT_PARAM})
    if unknown:
        known = f"Known parameters: {', '.join(sorted(allowed))}." if allowed else "This URL takes no parameters."
        raise ValidationError({name: [f"Unknown parameter. {known}"] for name in unknown})


def validated_filters(filterset_class, request, queryset=None, *, paged: bool = True, shaped: bool = False):
    """Run a FilterSet over the query string; a bad value raises a 400 naming the parameter."""
    filterset = filterset_class(request.query_params, queryset=queryset, request=request)
    reject_unknown_params(request, filterset.filters, repeatable_filters(filterset.filters), paged=paged, shaped=shaped)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        shaped = isinstance(view, shaping.FieldSelectionMixin)
        if getattr(view, "detail", False):
            # A record's own URL names it: the list's filters and paging do not apply, so they are unknown there.
            reject_unknown_params(request, (), paged=False, shaped=shaped)
            return queryset
        filters = self._filters(request, queryset, view)
        allowed = set(filters)
        allowed |= {"ordering"} if getattr(view, "ordering", None) else set()
        allowed |= {"facets"} if getattr(view, "facets", None) else set()  # events.api.facets
        reject_unknown_params(request, allowed, repeatable_filters(filters), shaped=shaped)
        return super().filter_queryset(request, queryset, view)

    def _filters(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        return filterset_class.base_filters if filterset_class else {}


class StrictOrderingFilter(BaseFilterBackend):
    """`ordering=date,-title`: names come from the view's `ordering` whitelist, `-` for descending."""

    param = "ordering"

    def filter_queryset(self, request, queryset, view):
        choices = getattr(view, "ordering", None)
        raw = request.query_params.get(self.param)
        if not choices or raw is None:
            return queryset
        columns = []
        for term in (t.strip() for t in raw.split(",")):
            name = term.removeprefix("-")
            if name not in choices:
                raise ValidationError({self.param: [f"Cannot order by {term!r}. Choose from: {', '.join(choices)}."]})
            descending = term.startswith("-")
            for column in choices[name]:
                expression = F(column) if isinstance(column, str) else column
                columns.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return queryset.order_by(*columns, "pk")

    def get_schema_operation_parameters(self, view):
        choices = getattr(view, "ordering", None)
        if not choices:
            return []
        # One parameter whose keys are joined by commas: in OpenAPI, an array in form style, not exploded. Each key
        # is an enum value, so that a client's types know them. No minItems: schemathesis's stateful runs generate
        # inconsistently with it on such an array; the description says that one key at least is needed.
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Sort keys (one at least), `-` before one for descending; several are joined by "
                "commas in this one parameter (`date,-title`), the later ones breaking ties.",
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [k for n in choices for k in (n, f"-{n}")]},
                },
            }
        ]


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` naming a format the URL is not given in is a 400 listing those it is (DRF answers 404); given
    empty, a 400 as any other parameter (DRF ignores it)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.query_params.get(FORMAT_PARAM) == "":
            raise ValidationError({FORMAT_PARAM: ["Give a value, or leave the parameter out."]})
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise ValidationError({FORMAT_PARAM: [f"Unknown format {format!r}. Formats: {known}."]})
        return chosen
