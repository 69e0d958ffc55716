"""Meeting documents: the list page and the detail, from a handful of `.values()` queries."""

from collections import defaultdict

from events.api.documents.common import DATE_COLUMNS, Links, fuzzy_date
from events.api.documents.prepared import Prepared
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


MEETING_BY_SLUG = Prepared(Meeting, lambda slug: meeting_rows(Meeting.objects.filter(slug=slug)))
MEETINGS_BY_ID = Prepared(Meeting, lambda ids: meeting_rows(Meeting.objects.filter(pk__in=ids)))
PARTICIPANTS = Prepared(
    Participant,
    lambda ids: (
        Participant.objects.filter(meeting_id__in=ids)
        .order_by("meeting_id", "person__name", "pk")
        .values(
            "meeting_id",
            "person__slug",
            "person__name",
            "agency__slug",
            "agency__name",
            "tenure_id",
            "tenure__title",
            "role",
        )
    ),
)
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
        .values(
            "pk",
            "source__slug",
            "source__title",
            "source__reliability",
            "source__published_earliest",
            "field",
            "value",
            "rank",
            "locator",
            "note",
            "as_of",
            "superseded_by",
        )
    ),
)


def meeting_row(slug: str) -> dict | None:
    rows = MEETING_BY_SLUG(slug)
    return rows[0] if rows else None


def meeting_rows_in_order(ids: list[int]) -> list[dict]:
    """Rows for a page of ids found by a narrow query first (filters and ordering on the meeting table only)."""
    rows = {row["pk"]: row for row in MEETINGS_BY_ID(ids)}
    return [rows[pk] for pk in ids]


def _participants(ids, links: Links) -> dict[int, list]:
    person, agency = links.summarizer("person-detail"), links.summarizer("agency-detail")
    tenure = links.summarizer("tenure-detail")
    found = defaultdict(list)
    for row in PARTICIPANTS(ids):
        found[row["meeting_id"]].append(
            {
                "person": person(row["person__slug"], row["person__name"]),
                "agency": agency(row["agency__slug"], row["agency__name"]),
                "tenure": tenure(row["tenure_id"], row["tenure__title"]),
                "role": row["role"],
            }
        )
    return found


def _topics(ids, links: Links) -> dict[int, list]:
    topic = links.summarizer("topic-detail")
    found = defaultdict(list)
    for row in TOPICS(ids):
        found[row["meeting_id"]].append(topic(row["topic__slug"], row["topic__name"]))
    return found


def _previous(rows: list[dict], links: Links) -> dict[int, dict]:
    ids = sorted({row["previous_id"] for row in rows if row["previous_id"]})
    earlier = {r["pk"]: r for r in EARLIER(ids)}
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
    meeting, place = links.prefix("meeting-detail"), links.summarizer("place-detail")
    launch = links.summarizer("launch-detail")
    return [
        {
            "slug": row["slug"],
            "url": f"{meeting}{row['slug']}/",
            "title": row["title"],
            "kind": row["kind"],
            "status": row["status"],
            "format": row["format"],
            "date": fuzzy_date(row),
            "place": place(row["place__slug"], row["place__name"]),
            "topics": topics.get(row["pk"], []),
            "related_launch": launch(row["related_launch__slug"], row["related_launch__name"]),
            "participants": participants.get(row["pk"], []),
            "previous_meeting": previous.get(row["pk"]),
            "summary": row["summary"],
        }
        for row in rows
    ]


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def provenance(rows: list[dict], links: Links) -> dict:
    """`sources` and `claims` of a detail document, from the record's claim rows (see CLAIMS)."""
    claims, sources = [], {}
    claim, summarize = links.prefix("claim-detail"), links.summarizer("source-detail")
    for row in rows:
        source = row["source__slug"]
        claims.append(
            {
                "id": row["pk"],
                "url": f"{claim}{row['pk']}/",
                "source": summarize(source, row["source__title"]),
                "field": row["field"],
                "value": row["value"],
                "rank": row["rank"],
                "locator": row["locator"],
                "note": row["note"],
                "speaks_for": _iso(row["as_of"] or row["source__published_earliest"]),
                "superseded_by": f"{claim}{row['superseded_by']}/" if row["superseded_by"] else None,
            }
        )
        sources[source] = {
            **summarize(source, row["source__title"]),
            "reliability": row["source__reliability"],
        }
    return {"sources": [sources[s] for s in sorted(sources)], "claims": claims}


def meeting_document(row: dict, request) -> dict:
    """One meeting with its `sources` and `claims`."""
    links = Links(request)
    document = meeting_documents([row], request, links)[0]
    return {**document, **provenance(CLAIMS(row["pk"]), links)}
