"""Keeping dates' derived bounds (events.datebounds) stored with their records."""

from __future__ import annotations

from events.datebounds import bases_due, derive, neighbourhood, own_bounds
from events.models import Launch, Meeting, Tenure
from events.models.fuzzy import narrowed
from events.services.locks import writing

KEYWORDS = {Meeting: "meetings", Launch: "launches", Tenure: "tenures"}


def date_bounds_refresh_around(record) -> int:
    """date_bounds_refresh for one meeting, launch or tenure and what the rules link it to."""
    return date_bounds_refresh(**{KEYWORDS[type(record)]: [record]})


@writing
def date_bounds_refresh(*, meetings=(), launches=(), tenures=(), everything: bool = False) -> int:
    """Recompute the derived bounds of these records and of those the rules link them to; store what changed
    (the basis and the narrowed earliest/latest days). Returns how many dates changed."""
    if everything:
        meetings, launches, tenures = Meeting.objects.all(), Launch.objects.all(), Tenure.objects.all()
    meetings, launches, tenures = neighbourhood(meetings=meetings, launches=launches, tenures=tenures)
    records = [*meetings, *launches, *tenures]
    by_key = {(type(r), r.pk): r for r in records}
    derivation = derive(meetings=meetings, launches=launches, tenures=tenures)
    changed = 0
    for (model, pk, name), basis in bases_due(derivation, records).items():
        record = by_key[model, pk]
        bounds = narrowed(own_bounds(record, name), basis)
        stored = (
            getattr(record, f"{name}_basis"),
            getattr(record, f"{name}_earliest"),
            getattr(record, f"{name}_latest"),
        )
        if stored != (basis, bounds.earliest, bounds.latest):
            # A derived value: written as is, without a history entry of its own (like a meeting's lineup).
            model.objects.filter(pk=pk).update(
                **{f"{name}_basis": basis, f"{name}_earliest": bounds.earliest, f"{name}_latest": bounds.latest}
            )
            changed += 1
    return changed
