"""Claims read in time: a later claim that moves a status forward along its natural course supersedes an
earlier one (a meeting reported planned, then reported held), rather than contradicting it.

Each claim speaks for a day: its `as_of`, or else its source's publication date (the earliest day it can mean).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

# For each status field, the values each value can move on to, later in time.
_MEETING_OUTCOMES = {"held", "cancelled", "postponed"}
_LAUNCH_OUTCOMES = {"success", "partial_failure", "failure", "aborted_crew_safe"}
COURSES: dict[tuple[str, str], dict[str, set[str]]] = {
    ("meeting", "status"): {
        "proposed": {"planned", *_MEETING_OUTCOMES},
        "planned": _MEETING_OUTCOMES,
        "postponed": {"planned", "held", "cancelled"},
    },
    ("launch", "status"): {
        "planned": {"launched", "cancelled", *_LAUNCH_OUTCOMES},
        "launched": _LAUNCH_OUTCOMES,
    },
}


def onward(subject_type: str, field: str, value: str) -> set[str]:
    """The values a claim of `value` can move on to, later in time (none for fields without a course)."""
    return COURSES.get((subject_type, field), {}).get(value, set())


def speaks_for(claim) -> dt.date | None:
    """The day `claim` speaks for."""
    return claim.as_of or claim.source.published_earliest


def superseding(claims: Iterable) -> dict[int, int | None]:
    """{claim pk: pk of the claim that supersedes it, or None} for the claims of one subject and field.

    A claim is superseded by the latest-speaking standing (not deprecated) claim that speaks for a later day
    and whose value its own can move on to. The latest-speaking standing claim of each value is found once, so a
    group costs time in proportion to its size.
    """
    claims = list(claims)
    latest_of_value = {}  # value: (day, pk) of its latest-speaking standing claim
    for claim in claims:
        if claim.rank != "deprecated" and (day := speaks_for(claim)) is not None:
            latest_of_value[claim.value] = max(latest_of_value.get(claim.value, (day, claim.pk)), (day, claim.pk))
    found = {}
    for claim in claims:
        day = speaks_for(claim)
        later = [
            latest
            for value in onward(claim.subject_type, claim.field, claim.value)
            if (latest := latest_of_value.get(value)) is not None and day is not None and latest[0] > day
        ]
        found[claim.pk] = max(later)[1] if later else None
    return found


def supersession_due(claims: Iterable) -> dict[int, tuple[int | None, int | None]]:
    """{claim pk: (stored superseded_by, the one superseding() gives)} for these claims, grouped by subject and
    field (pass whole groups: a claim's depends on its peers)."""
    groups = defaultdict(list)
    for claim in claims:
        groups[claim.subject_type, claim.subject_pk, claim.field].append(claim)
    due = {}
    for group in groups.values():
        wanted = superseding(group)
        due |= {claim.pk: (claim.superseded_by_id, wanted[claim.pk]) for claim in group}
    return due
