"""Meeting documents: the list page and the detail, from a handful of `.values()` queries."""

from collections import defaultdict

from events.api.documents.common import DATE_COLUMNS, Links, fuzzy_date
from events.models import Claim, Meeting, Participant
from events.selectors import meeting_gap

COLUMNS = (
    "pk",
    "slug",
    "title",
    "kind",
    "status",
    "format",
    *DATE_COLUMNS,
    "place__slug",
    "place__name",
    "related_launch__slug",
    "related_launch__name",
    "summary",
    "previous_id",
)


def meeting_rows(queryset):
    """A meeting's own columns, its place and launch, and its previous meeting's id."""
    return queryset.with_previous().values(*COLUMNS)


def meeting_rows_in_order(ids: list[int]) -> list[dict]:
    """Rows for a page of ids found by a narrow query first (filters and ordering on the meeting table only)."""
    rows = {row["pk"]: row for row in meeting_rows(Meeting.objects.filter(pk__in=ids))}
    return [rows[pk] for pk in ids]


def _participants(ids, links: Links) -> dict[int, list]:
    rows = (
        Participant.objects.filter(meeting_id__in=ids)
        .order_by("meeting_id", "person__name", "pk")
        .values_list(
            "meeting_id",
            "person__slug",
            "person__name",
            "agency__slug",
            "agency__name",
            "tenure_id",
            "tenure__title",
            "role",
        )
    )
    found = defaultdict(list)
    for meeting_id, person, person_name, agency, agency_name, tenure, tenure_title, role in rows:
        found[meeting_id].append(
            {
                "person": links.summary("person-detail", person, person_name),
                "agency": links.summary("agency-detail", agency, agency_name),
                "tenure": links.summary("tenure-detail", tenure, tenure_title),
                "role": role,
            }
        )
    return found


def _topics(ids, links: Links) -> dict[int, list]:
    rows = (
        Meeting.topics.through.objects.filter(meeting_id__in=ids)
        .order_by("topic__name", "topic_id")
        .values_list("meeting_id", "topic__slug", "topic__name")
    )
    found = defaultdict(list)
    for meeting_id, slug, name in rows:
        found[meeting_id].append(links.summary("topic-detail", slug, name))
    return found


def _previous(rows: list[dict], links: Links) -> dict[int, dict]:
    ids = {row["previous_id"] for row in rows if row["previous_id"]}
    earlier = {r["pk"]: r for r in Meeting.objects.filter(pk__in=ids).values("pk", "slug", "title", *DATE_COLUMNS)}
    found = {}
    for row in rows:
        if (before := earlier.get(row["previous_id"])) is None:
            continue
        least, most = meeting_gap(
            later=(row["date_earliest"], row["date_latest"]), earlier=(before["date_earliest"], before["date_latest"])
        )
        found[row["pk"]] = {
            **links.summary("meeting-detail", before["slug"], before["title"]),
            "date": fuzzy_date(before),
            "gap": {"min_days": least, "max_days": most},
        }
    return found


def meeting_documents(rows: list[dict], request, links: Links | None = None) -> list[dict]:
    links = links or Links(request)
    ids = [row["pk"] for row in rows]
    participants, topics, previous = _participants(ids, links), _topics(ids, links), _previous(rows, links)
    return [
        {
            "slug": row["slug"],
            "url": links("meeting-detail", row["slug"]),
            "title": row["title"],
            "kind": row["kind"],
            "status": row["status"],
            "format": row["format"],
            "date": fuzzy_date(row),
            "place": links.summary("place-detail", row["place__slug"], row["place__name"]),
            "topics": topics.get(row["pk"], []),
            "related_launch": links.summary("launch-detail", row["related_launch__slug"], row["related_launch__name"]),
            "participants": participants.get(row["pk"], []),
            "previous_meeting": previous.get(row["pk"]),
            "summary": row["summary"],
        }
        for row in rows
    ]


def provenance(claims_of, links: Links) -> dict:
    """`sources` and `claims` of a detail document, from a queryset of the record's claims."""
    rows = claims_of.order_by("subject_type", "field", "source__slug", "pk").values_list(
        "pk", "source__slug", "source__title", "source__reliability", "field", "value", "rank", "locator", "note"
    )
    claims, sources = [], {}
    for pk, source, title, reliability, field, value, rank, locator, note in rows:
        claims.append(
            {
                "id": pk,
                "url": links("claim-detail", pk),
                "source": links.summary("source-detail", source, title),
                "field": field,
                "value": value,
                "rank": rank,
                "locator": locator,
                "note": note,
            }
        )
        sources[source] = {**links.summary("source-detail", source, title), "reliability": reliability}
    return {"sources": [sources[s] for s in sorted(sources)], "claims": claims}


def meeting_document(row: dict, request) -> dict:
    """One meeting with its `sources` and `claims`."""
    links = Links(request)
    document = meeting_documents([row], request, links)[0]
    return {**document, **provenance(Claim.objects.filter(meeting_id=row["pk"]), links)}
