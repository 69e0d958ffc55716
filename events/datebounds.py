"""Bounds that claims set on dates besides the dates' own text.

- Reported as past: a standing claim that an event was held (or launched, or flew) speaks for a day by which the
  event had happened, so the event's latest day is at most that day.
- Before, on the day of, after its launch: a meeting's `launch_relation` bounds its date by its related launch's,
  and the launch's by the meeting's.
- Took over from: a tenure's `predecessor` ended by the time the tenure began, and the tenure began no earlier
  than its predecessor did (nor than the predecessor's end is known to be).

Each bound names its rule and the claims it rests on; see fuzzy_date's `_basis` for how bounds are stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from events.claimcourse import speaks_for
from events.fuzzydates import Bounds, edtf_bounds
from events.models import Claim, Launch, Meeting, Tenure
from events.models.fuzzy import narrowed

# Statuses that report the event as having happened.
PAST = {"meeting": {"held"}, "launch": {"launched", "success", "partial_failure", "failure", "aborted_crew_safe"}}
MEETING_TIMING = {"before": "before", "same_day": "on the day of", "after": "after"}
LAUNCH_TIMING = {"before": "after", "same_day": "on the day of", "after": "before"}
DERIVED_DATES = {Meeting: ("date",), Launch: ("date",), Tenure: ("start", "end")}


@dataclass
class Bound:
    day: dt.date
    rule: str
    claims: set[int] = field(default_factory=set)

    def as_json(self) -> dict:
        return {"day": self.day.isoformat(), "rule": self.rule, "claims": sorted(self.claims)}


def own_bounds(record, name: str) -> Bounds:
    """What the date's own EDTF text means (unbounded when unknown, or when the text is no date: check_data's
    stale_date_bounds reports that)."""
    text = getattr(record, f"{name}_edtf")
    try:
        return edtf_bounds(text) if text else Bounds(None, None)
    except ValidationError:
        return Bounds(None, None)


class Derivation:
    """Bounds derived for a set of records, worked out together (a rule reads its neighbours' bounds)."""

    def __init__(self):
        self.bases: dict[tuple[type, int, str], dict[str, Bound]] = defaultdict(dict)
        self.bounds: dict[tuple[type, int, str], Bounds] = {}

    def current(self, record, name: str) -> Bounds:
        key = (type(record), record.pk, name)
        if key not in self.bounds:
            self.bounds[key] = own_bounds(record, name)
        return self.bounds[key]

    def narrow(self, record, name: str, side: str, bound: Bound) -> bool:
        """Record `bound` if it is tighter than what is known; True when it changed anything."""
        known = self.current(record, name)
        now = getattr(known, side)
        tighter = now is None or (bound.day > now if side == "earliest" else bound.day < now)
        if not tighter:
            return False
        basis = self.bases[type(record), record.pk, name]
        trial = narrowed(known, {side: {"day": bound.day.isoformat()}})
        if trial == known:  # it would empty the range: the claims contradict the date; check_data says so
            return False
        basis[side] = bound
        self.bounds[type(record), record.pk, name] = trial
        return True


def _standing(claims, subject_type: str, pk: int, field_name: str, value: str) -> set[int]:
    return {c.pk for c in claims.get((subject_type, pk, field_name), []) if c.value == value}


def derive(*, meetings, launches, tenures) -> Derivation:
    """Work out the derived bounds of these records (model instances; their neighbours must be among them)."""
    derivation = Derivation()
    records = {"meeting": list(meetings), "launch": list(launches), "tenure": list(tenures)}
    by_pk = {t: {r.pk: r for r in rs} for t, rs in records.items()}
    claims = defaultdict(list)
    wanted = Claim.objects.current().select_related("source")
    for subject_type, rows in records.items():
        for claim in wanted.filter(subject_type=subject_type, **{f"{subject_type}__in": [r.pk for r in rows]}):
            claims[subject_type, claim.subject_pk, claim.field].append(claim)

    for subject_type in ("meeting", "launch"):
        for record in records[subject_type]:
            past = [c for c in claims[subject_type, record.pk, "status"] if c.value in PAST[subject_type]]
            days = [(speaks_for(c), c.pk) for c in past if speaks_for(c)]
            if days:
                day = min(days)[0]
                bound = Bound(day, "reported as past", {pk for d, pk in days if d == day})
                derivation.narrow(record, "date", "latest", bound)

    for _ in range(3):  # neighbours' bounds feed each other; a few rounds settle them
        changed = False
        for meeting in records["meeting"]:
            launch = by_pk["launch"].get(meeting.related_launch_id)
            if launch is None or not meeting.launch_relation:
                continue
            rests_on = _standing(claims, "meeting", meeting.pk, "launch_relation", meeting.launch_relation)
            rests_on |= _standing(claims, "meeting", meeting.pk, "related_launch", launch.slug)
            m, la = derivation.current(meeting, "date"), derivation.current(launch, "date")
            rule = f"held {MEETING_TIMING[meeting.launch_relation]} launch {launch.slug}"
            back = f"flew {LAUNCH_TIMING[meeting.launch_relation]} meeting {meeting.slug}"
            if meeting.launch_relation in ("before", "same_day") and la.latest:
                changed |= derivation.narrow(meeting, "date", "latest", Bound(la.latest, rule, rests_on))
            if meeting.launch_relation in ("after", "same_day") and la.earliest:
                changed |= derivation.narrow(meeting, "date", "earliest", Bound(la.earliest, rule, rests_on))
            if meeting.launch_relation in ("before", "same_day") and m.earliest:
                changed |= derivation.narrow(launch, "date", "earliest", Bound(m.earliest, back, rests_on))
            if meeting.launch_relation in ("after", "same_day") and m.latest:
                changed |= derivation.narrow(launch, "date", "latest", Bound(m.latest, back, rests_on))
        for tenure in records["tenure"]:
            before = by_pk["tenure"].get(tenure.predecessor_id)
            if before is None:
                continue
            rests_on = _standing(claims, "tenure", tenure.pk, "predecessor", before.slug)
            start, before_start = derivation.current(tenure, "start"), derivation.current(before, "start")
            before_end = derivation.current(before, "end")
            if start.latest:
                rule = f"ended by the start of its successor ({tenure.slug})"
                changed |= derivation.narrow(before, "end", "latest", Bound(start.latest, rule, rests_on))
            floor = before_end.earliest or before_start.earliest
            if floor:
                rule = f"began no earlier than its predecessor ({before.slug}) could have left"
                changed |= derivation.narrow(tenure, "start", "earliest", Bound(floor, rule, rests_on))
        if not changed:
            break
    return derivation


def neighbourhood(*, meetings=(), launches=(), tenures=()) -> tuple[list, list, list]:
    """These records with every record a rule links them to (related launches and their meetings, predecessors
    and successors), so a derivation over them is complete."""
    meeting_ids = {m.pk for m in meetings}
    launch_ids = {la.pk for la in launches} | {m.related_launch_id for m in meetings if m.related_launch_id}
    meeting_ids |= set(Meeting.objects.filter(related_launch__in=launch_ids).values_list("pk", flat=True))
    tenure_ids = {t.pk for t in tenures}
    for _ in range(10):  # chains of succession are short
        grown = tenure_ids | set(
            Tenure.objects.filter(pk__in=tenure_ids, predecessor__isnull=False).values_list("predecessor", flat=True)
        )
        grown |= set(Tenure.objects.filter(predecessor__in=tenure_ids).values_list("pk", flat=True))
        if grown == tenure_ids:
            break
        tenure_ids = grown
    return (
        list(Meeting.objects.filter(pk__in=meeting_ids)),
        list(Launch.objects.filter(pk__in=launch_ids)),
        list(Tenure.objects.filter(pk__in=tenure_ids)),
    )


def bases_due(derivation: Derivation, records) -> dict[tuple[type, int, str], dict]:
    """{(model, pk, date name): basis as it should be stored} for these records."""
    due = {}
    for record in records:
        for name in DERIVED_DATES[type(record)]:
            basis = derivation.bases.get((type(record), record.pk, name), {})
            due[type(record), record.pk, name] = {side: bound.as_json() for side, bound in basis.items()}
    return due


@dataclass(frozen=True)
class DateAudit:
    record: str  # "<type> <slug>"
    name: str  # which date
    edtf: str
    before: Bounds  # what the text alone means
    after: Bounds  # as stored, with derived bounds
    grounds: list[str]  # each derived bound: side, rule and the claims (with their sources) it rests on


def date_audit() -> list[DateAudit]:
    """Every meeting's, launch's and tenure's dates: their own meaning, their stored bounds, and why they differ."""
    claims = {c.pk: c for c in Claim.objects.select_related("source").filter(pk__in=_basis_claim_ids())}
    rows = []
    for model, names in DERIVED_DATES.items():
        for record in model.objects.order_by("pk"):
            for name in names:
                basis = getattr(record, f"{name}_basis")
                grounds = [
                    f"{side} {bound['day']}: {bound['rule']} ("
                    + ", ".join(f"claim {pk} of {claims[pk].source.slug}" for pk in bound["claims"] if pk in claims)
                    + ")"
                    for side, bound in sorted(basis.items())
                ]
                rows.append(
                    DateAudit(
                        f"{model._meta.model_name} {record.slug}",
                        name,
                        getattr(record, f"{name}_edtf"),
                        own_bounds(record, name),
                        Bounds(getattr(record, f"{name}_earliest"), getattr(record, f"{name}_latest")),
                        grounds,
                    )
                )
    return rows


def _basis_claim_ids() -> set[int]:
    ids = set()
    for model, names in DERIVED_DATES.items():
        for name in names:
            for basis in model.objects.exclude(**{f"{name}_basis": {}}).values_list(f"{name}_basis", flat=True):
                ids |= {pk for bound in basis.values() for pk in bound["claims"]}
    return ids
