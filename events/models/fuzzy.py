"""Abstract models that add one fuzzy date (four columns) to a model."""

import datetime as dt

from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func, Q, Value
from django.db.models.functions import Coalesce

from events.fuzzydates import EDTF_MAX_LENGTH, Bounds, edtf_bounds


def fuzzy_date(name: str, *, label: str = "", derivable: bool = False):
    """Return an abstract model adding `<name>_edtf/_earliest/_latest/_text`.

    `_earliest` and `_latest` are derived from `_edtf` whenever the row is written (EdtfField);
    NULL there with a non-empty `_edtf` means the interval is open on that side.
    With `derivable`, also `<name>_basis`: bounds that other claims set on the date (a source reporting
    the event as past, a successor's start), each with its rule and claims; they narrow `_earliest`/`_latest`.
    """
    label = label or name
    attrs = {
        "__module__": __name__,
        f"{name}_edtf": EdtfField(
            f"{label} (EDTF)",
            date=name,
            max_length=EDTF_MAX_LENGTH,
            blank=True,
            help_text="Extended Date/Time Format, e.g. 2025-07-31, 2025-02, 2026-22 (summer), 2026-33 (Q1), "
            "2025-08-21/2025-08-31, ../2018-10 (on or before October 2018). Empty: unknown.",
        ),
        f"{name}_earliest": models.DateField(f"{label}: earliest day", null=True, blank=True, db_index=True),
        f"{name}_latest": models.DateField(f"{label}: latest day", null=True, blank=True, db_index=True),
        f"{name}_text": models.CharField(f"{label} as the source words it", max_length=120, blank=True),
        "Meta": type("Meta", (), {"abstract": True}),
    }
    if derivable:
        attrs[f"{name}_basis"] = models.JSONField(
            f"{label}: bounds derived from claims",
            default=dict,
            blank=True,
            editable=False,
            help_text='{"earliest"|"latest": {"day": "YYYY-MM-DD", "rule": ..., "claims": [claim ids]}}',
        )
    return type(f"FuzzyDate_{name}", (models.Model,), attrs)


class EdtfField(models.CharField):
    """A fuzzy date's EDTF text. Its earliest and latest days follow from it (narrowed by the date's derived bounds)
    and are worked out as the row is written, as `auto_now` is, so no writer can store other bounds. A row inserted
    with its bounds (a dataset import's copy) and a raw load (loaddata) keep them as they come."""

    def __init__(self, *args, date: str = "date", **kwargs):
        self.date = date
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "date": self.date}

    def pre_save(self, model_instance, add):
        if isinstance(model_instance, FuzzyDatedMixin):  # a history row copies the record's as they are
            names = model_instance.fuzzy_date_names
            bounds = [getattr(model_instance, f"{n}_{side}") for n in names for side in ("earliest", "latest")]
            copied = add and any(day is not None for day in bounds)
            if self.date == names[0] and not copied:  # the first date's field works out every date of the row
                errors = model_instance.sync_fuzzy_dates()
                if errors:
                    raise ValidationError(errors)
        return super().pre_save(model_instance, add)


def fuzzy_start(name: str = "date") -> Coalesce:
    """The earliest day, with an open start as the first day there is: comparable, and indexable."""
    return Coalesce(f"{name}_earliest", Value(dt.date.min, output_field=models.DateField()))


def fuzzy_end(name: str = "date") -> Coalesce:
    """The latest day, with an open end as the last day there is: comparable, and indexable."""
    return Coalesce(f"{name}_latest", Value(dt.date.max, output_field=models.DateField()))


def fuzzy_span(name: str = "date") -> Func:
    """PostgreSQL: the days a fuzzy date can mean as one closed range, so `&&` answers an overlap in one
    GiST probe with a row estimate the planner can trust (two separate bounds make it guess far too many)."""
    return Func(fuzzy_start(name), fuzzy_end(name), Value("[]"), function="daterange", output_field=DateRangeField())


def fuzzy_span_index(name: str, *, index_name: str) -> GistIndex:
    """The GiST index `fuzzy_span` needs; PostgreSQL only, so migrations add it there and nowhere else."""
    return GistIndex(fuzzy_span(name), name=index_name)


def bounds_ordered(name: str, *, model: str) -> models.CheckConstraint:
    """A fuzzy date's earliest day never falls after its latest (a range of them could not be built)."""
    return models.CheckConstraint(
        condition=Q(**{f"{name}_earliest__isnull": True})
        | Q(**{f"{name}_latest__isnull": True})
        | Q(**{f"{name}_earliest__lte": models.F(f"{name}_latest")}),
        name=f"{model}_{name}_bounds_ordered",
    )


def chronological(name: str = "date") -> Coalesce:
    """Sort key for a fuzzy date: its earliest day, or its latest when it is open at the start."""
    return Coalesce(f"{name}_earliest", f"{name}_latest")


def narrowed(bounds: Bounds, basis: dict | None) -> Bounds:
    """`bounds` narrowed by derived ones (see fuzzy_date's `_basis`); a basis that would empty the range is ignored
    (check_data reports it)."""
    if not basis:
        return bounds
    earliest, latest = bounds.earliest, bounds.latest
    if "earliest" in basis:
        day = dt.date.fromisoformat(basis["earliest"]["day"])
        earliest = max(earliest, day) if earliest else day
    if "latest" in basis:
        day = dt.date.fromisoformat(basis["latest"]["day"])
        latest = min(latest, day) if latest else day
    if earliest and latest and earliest > latest:
        return bounds
    return Bounds(earliest, latest)


class FuzzyDatedMixin:
    """Shared behaviour for models built with one or more `fuzzy_date()` bases."""

    fuzzy_date_names: tuple[str, ...] = ()

    def fuzzy_bounds(self, name: str) -> Bounds | None:
        """The stored bounds, or None when the date is unknown."""
        if not getattr(self, f"{name}_edtf"):
            return None
        return Bounds(getattr(self, f"{name}_earliest"), getattr(self, f"{name}_latest"))

    def sync_fuzzy_dates(self) -> dict[str, list[str]]:
        """Recompute bounds from the EDTF text; return {field: [messages]} for bad ones."""
        errors = {}
        for name in self.fuzzy_date_names:
            text = getattr(self, f"{name}_edtf").strip()
            setattr(self, f"{name}_edtf", text)
            bounds = Bounds(None, None)
            if text:
                try:
                    bounds = edtf_bounds(text)
                except ValidationError as exc:
                    errors[f"{name}_edtf"] = exc.messages
            bounds = narrowed(bounds, getattr(self, f"{name}_basis", None))
            setattr(self, f"{name}_earliest", bounds.earliest)
            setattr(self, f"{name}_latest", bounds.latest)
        return errors

    def clean_fields(self, exclude=None):
        errors = self.sync_fuzzy_dates()
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = {**exc.message_dict, **errors}
        if errors:
            raise ValidationError(errors)
