"""The filter types FilterSets are built from: each accepts exactly what the API documents, and refuses the rest
with a 400 naming the parameter."""

import datetime as dt

import django_filters as df
from django import forms
from django.db.models import BooleanField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from events.search import QUERY_MAX_LENGTH, QUERY_MAX_WORDS, QueryError, parse_query, ranked

ISO_DATE = "%Y-%m-%d"


class StrictBooleanField(forms.Field):
    """`true` or `false` (also 1/0); anything else is an error rather than "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError("Use true or false.") from None


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(df.BooleanFilter):
    field_class = StrictBooleanField


class IsoDateField(forms.DateField):
    input_formats = [ISO_DATE]
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}


class IsoDateFilter(df.DateFilter):
    field_class = IsoDateField


def utc_moment(text: str) -> dt.datetime:
    """An ISO 8601 date and time as a moment in UTC (UTC when it names no offset); ValueError if it is none. In
    UTC, because a database takes offsets only up to about 16 hours, and ISO 8601 allows up to 24."""
    try:
        moment = dt.datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except OverflowError as exc:  # a moment at the edge of the calendar, moved past it by its offset
        raise ValueError(text) from exc


class MomentField(forms.Field):
    default_error_messages = {"invalid": "Enter a date and time in ISO 8601, e.g. 2026-01-31T12:00:00Z."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return utc_moment(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentFilter(df.Filter):
    field_class = MomentField


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(df.ModelMultipleChoiceFilter):
    """Repeatable filter naming related records by slug."""

    def __init__(self, model, **kwargs):
        super().__init__(queryset=model.objects.all(), to_field_name="slug", **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(df.ModelChoiceFilter):
    def __init__(self, model, **kwargs):
        super().__init__(queryset=model.objects.all(), to_field_name="slug", **kwargs)


SEARCH_HELP = (
    'Words to search for, in web search syntax: `words` (all of them), `"a phrase"`, `-word` or `-"a phrase"` '
    "(none of it), `this OR that`, `prefix*`. Case and accents do not matter; words match whole words. "
    f"At most {QUERY_MAX_LENGTH} characters and {QUERY_MAX_WORDS} words."
)


class SearchField(forms.CharField):
    """Search text, read into a query (events.search); empty means none."""

    def __init__(self, **kwargs):
        super().__init__(max_length=QUERY_MAX_LENGTH, **kwargs)

    def clean(self, value):
        text = super().clean(value)  # its length checked first
        if not text:
            return None
        try:
            return parse_query(text)
        except QueryError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


@extend_schema_field({"type": "string", "maxLength": QUERY_MAX_LENGTH})
class SearchFilter(df.CharFilter):
    field_class = SearchField


def _ranked(queryset, name, query):
    return ranked(queryset, query)


def search():
    """A `q` filter: the records that match, best first (an `ordering` asked for still wins)."""
    return SearchFilter(method=_ranked, help_text=f"{SEARCH_HELP} Best first, unless `ordering` says otherwise.")


def takes_empty(flt) -> bool:
    """Only free text may be given empty, meaning "no filter"; any other filter given empty is an error."""
    return isinstance(flt, df.CharFilter)


class StrictFilterSet(df.FilterSet):
    """Generated boolean filters are strict too, and only free text may be given empty."""

    FILTER_DEFAULTS = {**df.FilterSet.FILTER_DEFAULTS, BooleanField: {"filter_class": StrictBooleanFilter}}

    def get_form_class(self):
        # The form's fields follow from the declarations alone: one form class per FilterSet class, not per request.
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = type(self)._form_class = super().get_form_class()
        return form_class

    def is_valid(self):
        valid = super().is_valid()
        # `kind=` or `date_after=` names no kind and no day: an error, as the schema says, rather than "no filter".
        for name, flt in self.filters.items():
            given = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            if "" in given and not takes_empty(flt) and name not in self.form.errors:
                self.form.add_error(name, "Give a value, or leave the parameter out.")
        return valid and not self.form.errors
