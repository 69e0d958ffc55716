"""Reads that answer questions across records: heads on a day, previous meetings, timeline, conflicts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connections
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When

from events.claimfields import CLAIM_FIELDS, SUBJECT_TYPES, record_value
from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Tenure
from events.models.claim import SUBJECT_ID, rank_position
from events.models.fuzzy import chronological, fuzzy_end, fuzzy_span, fuzzy_start
from events.prepared import Prepared


@dataclass(frozen=True)
class Head:
    tenure: Tenure
    certainty: str  # "certain" or "possible"


def agency_head_tenures(*, agency, day: dt.date, today: dt.date | None = None) -> QuerySet:
    """The agency's head tenures possibly held on `day`, each annotated `certain` (surely held that day) and
    `support` (how many articles make a standing claim about the tenure)."""
    certain = Tenure.objects.filter(pk=OuterRef("pk")).active_on(day, certain=True, today=today)
    articles = Q(claims__rank__in=[Claim.Rank.PREFERRED, Claim.Rank.NORMAL]) & ~Q(claims__source__kind="judgement")
    return (
        Tenure.objects.heads()
        .filter(agency=agency)
        .active_on(day)
        .annotate(certain=Exists(certain), support=Count("claims__source", filter=articles, distinct=True))
    )


def heads_narrowed(heads: list, *, certain, start, support) -> list:
    """An agency has one head at a time: once a head is certain for the day, the merely possible ones
    are ruled out. The possible ones come best supported first, then by start (`certain(head)`, `start(head)`,
    `support(head)` read a head, whatever its form)."""
    if any(certain(head) for head in heads):
        heads = [head for head in heads if certain(head)]
    return sorted(heads, key=lambda head: (not certain(head), -support(head), start(head) or dt.date.min))


def head_grounds(*, day: dt.date, certain: bool, start: tuple, end: tuple, support: int) -> str:
    """In words, what a head answer rests on: `start` and `end` are (EDTF, earliest, latest) of the tenure."""
    start_edtf, start_earliest, start_latest = start
    end_edtf, end_earliest, end_latest = end
    began = f"began by {start_latest}" if start_latest else "start unknown"
    ended = "still in office" if not end_edtf else (f"ended no earlier than {end_earliest}" if end_earliest else "")
    if certain:
        return f"{began} and {ended}: the day lies within the span held for certain; {support} article(s) back it."
    doubts = []
    if not start_latest or start_latest > day:
        doubts.append(f"start {start_edtf or 'unknown'}" + (f" (earliest {start_earliest})" if start_earliest else ""))
    if end_edtf and (not end_earliest or end_earliest < day):
        doubts.append(f"end {end_edtf}")
    return f"the day is possible but not certain ({'; '.join(doubts) or 'fuzzy bounds'}); {support} article(s) back it."


def agency_heads_on(*, agency: Agency, day: dt.date) -> list[Head]:
    """Who led `agency` on `day`, each answer certain or possible, by start."""
    tenures = agency_head_tenures(agency=agency, day=day).select_related("person", "agency")
    heads = [Head(t, "certain" if t.certain else "possible") for t in tenures]
    return heads_narrowed(
        heads,
        certain=lambda h: h.certainty == "certain",
        start=lambda h: h.tenure.start_earliest,
        support=lambda h: h.tenure.support,
    )


DATE_COLUMNS = ("date_edtf", "date_earliest", "date_latest", "date_text")
MEETING_COLUMNS = (
    "pk", "version", "slug", "title", "kind", "status", "format", *DATE_COLUMNS, "summary", "previous_id",
    "place__slug", "place__name", "related_launch__slug", "related_launch__name",
)  # fmt: skip


def _nested(row: dict, name: str) -> dict | None:
    """`place__slug` and `place__name` of a row as `{slug, name}`, or None where there is no related record."""
    slug, title = row.pop(f"{name}__slug"), row.pop(f"{name}__name")
    return None if slug is None else {"slug": slug, "name": title}


def meeting_rows(queryset: QuerySet, *, previous: bool = True) -> QuerySet:
    """Meetings as rows (no instances): own columns, `place` and `related_launch`, and `previous_id` unless
    `previous` is False (a subquery per row, for `previous_meeting` only)."""
    if not previous:
        return queryset.values(*(c for c in MEETING_COLUMNS if c != "previous_id"))
    return queryset.with_previous().values(*MEETING_COLUMNS)


def _shaped(row: dict) -> dict:
    row["place"], row["related_launch"] = _nested(row, "place"), _nested(row, "related_launch")
    return row


# The API's busiest reads: the same few queries with new keys on every request (see events.prepared).
MEETING_BY_SLUG = Prepared(Meeting, lambda slug: meeting_rows(Meeting.objects.filter(slug=slug)))
MEETINGS_BY_ID = Prepared(Meeting, lambda ids: meeting_rows(Meeting.objects.filter(pk__in=ids)))
# The same, without the previous meeting's subquery: for reads that leave `previous_meeting` out.
MEETING_BY_SLUG_ALONE = Prepared(Meeting, lambda slug: meeting_rows(Meeting.objects.filter(slug=slug), previous=False))
MEETINGS_BY_ID_ALONE = Prepared(Meeting, lambda ids: meeting_rows(Meeting.objects.filter(pk__in=ids), previous=False))
PARTICIPANTS = Prepared(
    Participant,
    lambda ids: (
        Participant.objects.filter(meeting_id__in=ids)
        .order_by("meeting_id", "person__name", "pk")
        .values("meeting_id", "person__slug", "person__name", "agency__slug", "agency__name", "tenure_id",
                "tenure__title", "role")
    ),
)  # fmt: skip
TOPICS = Prepared(
    Meeting.topics.through,
    lambda ids: (
        Meeting.topics.through.objects.filter(meeting_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values("meeting_id", "topic__slug", "topic__name")
    ),
)
EARLIER = Prepared(Meeting, lambda ids: Meeting.objects.filter(pk__in=ids).values("pk", "slug", "title", *DATE_COLUMNS))
CLAIMS = Prepared(
    Claim,
    lambda pk: (
        Claim.objects.filter(meeting_id=pk)
        .order_by("subject_type", "field", "source__slug", "pk")
        .values("pk", "field", "value", "rank", "locator", "note", "as_of", "superseded_by_id", "source__slug",
                "source__title", "source__reliability", "source__published_earliest")
    ),
)  # fmt: skip


def meeting_by_slug(slug: str, *, previous: bool = True) -> dict | None:
    rows = (MEETING_BY_SLUG if previous else MEETING_BY_SLUG_ALONE)(slug)
    return _shaped(rows[0]) if rows else None


def meetings_by_id(ids: list[int], *, previous: bool = True) -> list[dict]:
    """Rows of a page of meeting ids, in the order of the ids; with `previous_id` unless `previous` is False."""
    found = {row["pk"]: row for row in (MEETINGS_BY_ID if previous else MEETINGS_BY_ID_ALONE)(ids)}
    return [_shaped(found[pk]) for pk in ids]


def meeting_participants(rows: list[dict]) -> dict[int, list[dict]]:
    """Per meeting row, its participants: `person`, `agency`, `tenure` (`{id, title}`) and `role`."""
    found = {row["pk"]: [] for row in rows}
    for row in PARTICIPANTS(list(found)):
        tenure = None if row["tenure_id"] is None else {"id": row["tenure_id"], "title": row["tenure__title"]}
        person, agency = _nested(row, "person"), _nested(row, "agency")
        found[row["meeting_id"]].append({"person": person, "agency": agency, "tenure": tenure, "role": row["role"]})
    return found


def meeting_topics(rows: list[dict]) -> dict[int, list[dict]]:
    """Per meeting row, its topics as `{slug, name}`, by name."""
    found = {row["pk"]: [] for row in rows}
    for row in TOPICS(list(found)):
        found[row["meeting_id"]].append({"slug": row["topic__slug"], "name": row["topic__name"]})
    return found


def meeting_previous(rows: list) -> dict[int, dict | None]:
    """For each meeting (a row with `previous_id`, or an instance), the latest earlier *held* meeting of the same
    lineup (agencies and level): its `slug`, `title` and date, and the `gap` in days. Computed on every read."""
    rows = [row if isinstance(row, dict) else _previous_of(row) for row in rows]
    wanted = {row["pk"]: row for row in rows if row["date_earliest"] and row["previous_id"]}
    found = {row["pk"]: None for row in rows}
    earlier = {r["pk"]: r for r in EARLIER(sorted({row["previous_id"] for row in wanted.values()}))}
    for pk, row in wanted.items():
        before = earlier[row["previous_id"]]
        least, most = meeting_gap(
            later=(row["date_earliest"], row["date_latest"]), earlier=(before["date_earliest"], before["date_latest"])
        )
        found[pk] = {**before, "gap": {"min_days": least, "max_days": most}}
    return found


def _previous_of(meeting: Meeting) -> dict:
    # Lineups are read from the database, not the instance: fresher after a write.
    previous = Meeting.objects.filter(pk=meeting.pk).with_previous().values_list("previous_id", flat=True).first()
    return {"pk": meeting.pk, "date_earliest": meeting.date_earliest, "date_latest": meeting.date_latest,
            "previous_id": previous}  # fmt: skip


def meeting_claims(rows: list[dict]) -> dict[int, list[dict]]:
    """Per meeting row (for a detail, one), its claims as rows: `source` as `{slug, title, reliability}`, and
    `speaks_for` (the claim's `as_of`, or else its source's publication date)."""
    found = {}
    for meeting in rows:
        claims = found[meeting["pk"]] = CLAIMS(meeting["pk"])
        for row in claims:
            row["id"] = row.pop("pk")
            row["speaks_for"] = row.pop("as_of") or row["source__published_earliest"]
            row["source"] = {
                "slug": row.pop("source__slug"),
                "title": row.pop("source__title"),
                "reliability": row.pop("source__reliability"),
            }
            del row["source__published_earliest"]
    return found


def meeting_gap(*, later: tuple, earlier: tuple) -> tuple[int, int | None]:
    """Days between two meetings' (earliest, latest) dates: the fewest and the most they allow."""
    least = (later[0] - earlier[1]).days
    most = (later[1] - earlier[0]).days if later[1] else None
    return least, most


def overlapping(qs: QuerySet, *, prefix: str = "date", after: dt.date | None = None, before: dt.date | None = None):
    """Records whose fuzzy date can fall within [after, before]; undated records never match a bound.

    On PostgreSQL one range overlap (`&&`, GiST-indexed); elsewhere the two open-ended bounds, each
    indexed. Either way the database starts from the requested days, not from the earliest record.
    """
    if after is None and before is None:
        return qs
    qs = qs.exclude(**{f"{prefix}_edtf": ""})
    # An inverted window (after > before) is no range; the bounds below still answer it as they always have.
    inverted = after is not None and before is not None and after > before
    if connections[qs.db].vendor == "postgresql" and not inverted:
        return qs.alias(_span=fuzzy_span(prefix)).filter(_span__overlap=DateRange(after, before, "[]"))
    if after:
        qs = qs.alias(_ends=fuzzy_end(prefix)).filter(_ends__gte=after)
    if before:
        qs = qs.alias(_starts=fuzzy_start(prefix)).filter(_starts__lte=before)
    return qs


def _timeline_rows(qs: QuerySet, *, kind: str, name: str) -> QuerySet:
    # Every column is an annotation with the same alias in both halves, so the UNION lines up.
    columns = {
        "type": Value(kind),
        "item_slug": F("slug"),
        "item_name": F(name),
        "item_status": F("status"),
        "item_edtf": F("date_edtf"),
        "item_earliest": F("date_earliest"),
        "item_latest": F("date_latest"),
        "item_text": F("date_text"),
        "item_when": chronological(),
    }
    return qs.order_by().annotate(**columns).values(*columns)


def timeline(
    *, after: dt.date | None = None, before: dt.date | None = None, agencies=(), people=(), statuses=()
) -> QuerySet:
    """Meetings and launches as one chronological stream of `.values()` rows (undated ones last); with `statuses`,
    only those in one of them."""
    meetings = overlapping(Meeting.objects.all(), after=after, before=before)
    launches = overlapping(Launch.objects.all(), after=after, before=before)
    if statuses:
        meetings, launches = meetings.filter(status__in=statuses), launches.filter(status__in=statuses)
    for agency in agencies:
        meetings = meetings.filter(Exists(Participant.objects.filter(meeting=OuterRef("pk"), agency=agency)))
        launches = launches.filter(Q(operator=agency) | Q(crew__agency=agency))
    for person in people:
        meetings = meetings.filter(Exists(Participant.objects.filter(meeting=OuterRef("pk"), person=person)))
        launches = launches.filter(crew__person=person)
    meetings = _timeline_rows(meetings, kind="meeting", name="title")
    launches = _timeline_rows(launches.distinct(), kind="launch", name="name")
    return meetings.union(launches, all=True).order_by(F("item_when").asc(nulls_last=True), "type", "item_slug")


@dataclass
class Conflict:
    subject_type: str
    subject: object
    field: str
    resolved: bool
    values: dict[str, list[Claim]]
    kind: str = "disagreement"  # or "superseded": see conflict_keys


def conflict_keys(*, resolved: bool | None = None, subject_type: str | None = None, field: str | None = None):
    """One row per subject and field on which sources differ (`subject_type`, `subject_id`, `field`, `open`,
    `kind`): where they disagree (`disagreement`), or where only a later claim superseded an earlier one
    (`superseded`; never open)."""
    keys = Claim.objects.filter(Q(in_dispute=True) | Q(superseded_by__isnull=False)).annotate(subject_id=SUBJECT_ID)
    if subject_type:
        keys = keys.filter(subject_type=subject_type)
    if field:
        keys = keys.filter(field=field)
    still_open = Claim.objects.disputes_open().filter(
        subject_type=OuterRef("subject_type"), subject_id=OuterRef("subject_id"), field=OuterRef("field")
    )
    disputed = Claim.objects.filter(in_dispute=True).same_subject_and_field(
        subject_type=OuterRef("subject_type"), subject_id=OuterRef("subject_id"), field=OuterRef("field")
    )
    kind = Case(When(Exists(disputed), then=Value("disagreement")), default=Value("superseded"))
    keys = keys.values("subject_type", "subject_id", "field").annotate(open=Exists(still_open), kind=kind).distinct()
    if resolved is not None:
        keys = keys.filter(open=not resolved)
    return keys.order_by("subject_type", "subject_id", "field")


def conflict_claims(keys: list[dict]) -> QuerySet:
    """Every claim on the subjects and fields of these conflict keys (`subject_id` annotated), by value and source."""
    match = Q()
    for key in keys:
        match |= Q(subject_type=key["subject_type"], subject_id=key["subject_id"], field=key["field"])
    return Claim.objects.annotate(subject_id=SUBJECT_ID).filter(match).order_by("value", "source__slug")


def conflict_entries(keys) -> list[Conflict]:
    """Expand a page of conflict keys into entries with every value and the claims behind it."""
    keys = list(keys)
    if not keys:
        return []
    claims = conflict_claims(keys).select_related("source", *SUBJECT_TYPES)
    grouped = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        grouped[(claim.subject_type, claim.subject_id, claim.field)][claim.value].append(claim)
    entries = []
    for key in keys:
        values = grouped[(key["subject_type"], key["subject_id"], key["field"])]
        ordered = dict(sorted(values.items(), key=lambda kv: (min(rank_position(c.rank) for c in kv[1]), kv[0])))
        subject = next(iter(ordered.values()))[0].subject
        entries.append(Conflict(key["subject_type"], subject, key["field"], not key["open"], ordered, key["kind"]))
    return entries


# What rendering each subject type's claimed values reads besides the record's own columns. People are joined,
# not prefetched: a prefetch through participants names every person in one condition, which SQLite refuses past
# about a thousand.
CLAIM_PREFETCHES = {
    "place": ("parent",),
    "tenure": ("person", "agency", "predecessor"),
    "meeting": (
        "place",
        "related_launch",
        "topics",
        Prefetch("participants", queryset=Participant.objects.select_related("person")),
    ),
    "launch": (
        "operator",
        "site",
        "destination",
        Prefetch("crew", queryset=CrewMember.objects.select_related("person")),
    ),
}
BATCH = 2000  # records read at a time: memory stays flat on a large database


def unsupported_values(*, subject_type: str, records=None) -> list[tuple[object, str, str]]:
    """(record, field, value) for every claimed value of these records (default: all of the type) that no
    claim still standing gives: every stored value rests on a claim. Unset values (unknown) need none."""
    model = Claim._meta.get_field(subject_type).related_model
    records = (model.objects.all() if records is None else records).order_by("pk")
    found = []
    pks = list(records.values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        batch = model.objects.filter(pk__in=pks[start : start + BATCH]).order_by("pk")
        batch = batch.prefetch_related(*CLAIM_PREFETCHES.get(subject_type, ()))
        claimed = set(
            Claim.objects.current()
            .filter(subject_type=subject_type, **{f"{subject_type}__in": pks[start : start + BATCH]})
            .annotate(subject_id=SUBJECT_ID)
            .values_list("subject_id", "field", "value")
        )
        for record in batch:
            for field, spec in CLAIM_FIELDS[subject_type].items():
                value = spec.render(record)
                if spec.is_set(value) and (record.pk, field, value) not in claimed:
                    found.append((record, field, value))
    return found


def claims_backing(record) -> dict[str, list[Claim]]:
    """Per claimed field of `record`, the claims still standing that give its current value (best rank first)."""
    claims = Claim.objects.about(record).current().select_related("source")
    backing = {field: [] for field in CLAIM_FIELDS.get(record._meta.model_name, {})}
    for claim in sorted(claims, key=lambda c: (rank_position(c.rank), c.source.slug)):
        if claim.field in backing and record_value(record, claim.field) == claim.value:
            backing[claim.field].append(claim)
    return backing


def preferred_claim_mismatches() -> list[tuple[Claim, str]]:
    """Preferred claims whose value is not the record's own: the record should hold the preferred value."""
    claims = Claim.objects.filter(rank=Claim.Rank.PREFERRED).select_related(*SUBJECT_TYPES)
    claims = claims.prefetch_related("meeting__topics", "meeting__participants__person", "launch__crew__person")
    # A claim whose subject is gone has nothing to compare with: check_data reports it as an orphan.
    return [
        (c, current)
        for c in claims
        if c.subject is not None and (current := record_value(c.subject, c.field)) != c.value
    ]


__all__ = [
    "Head",
    "agency_head_tenures",
    "agency_heads_on",
    "heads_narrowed",
    "conflict_claims",
    "conflict_entries",
    "conflict_keys",
    "meeting_previous",
    "overlapping",
    "timeline",
]


def records_resting_on_low_sources() -> dict[str, list]:
    """Per subject type, the records every one of whose claims comes from a source rated low."""
    from events.models import Source

    # A curator's judgement is no article: it adds no outside support.
    stronger = Source.objects.articles().exclude(reliability=Source.Reliability.LOW)
    found = {}
    for subject_type in SUBJECT_TYPES:
        model = Claim._meta.get_field(subject_type).related_model
        records = model.objects.filter(claims__isnull=False).exclude(claims__source__in=stronger).distinct()
        found[subject_type] = list(records)
    return found
