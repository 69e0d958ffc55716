"""Heads documents: who led an agency on a day, from one compiled query, as HeadSerializer declares them."""

from operator import itemgetter

from django.utils import timezone

from events.api.documents.common import Links, fuzzy_date
from events.api.documents.prepared import Prepared
from events.models import Agency, Tenure
from events.selectors import agency_head_tenures, head_grounds, heads_narrowed

DATES = tuple(f"{name}_{part}" for name in ("start", "end") for part in ("edtf", "earliest", "latest", "text"))
AGENCY_ID = Prepared(Agency, lambda slug: Agency.objects.filter(slug=slug).values("pk"))
HEAD_TENURES = Prepared(
    Tenure,
    lambda agency, day, today: agency_head_tenures(agency=agency, day=day, today=today).values(
        "pk", "slug", "title", "is_head", "is_acting", "certain", "support", *DATES, "person__slug", "person__name",
        "agency__slug", "agency__name",
    ),
)  # fmt: skip


def agency_id(slug: str) -> int | None:
    rows = AGENCY_ID(slug)
    return rows[0]["pk"] if rows else None


def head_documents(*, agency: int, day, request) -> list[dict]:
    """The agency's heads on `day` (see events.selectors.agency_heads_on), each with its tenure."""
    rows = HEAD_TENURES(agency, day, timezone.localdate())
    rows = heads_narrowed(
        rows, certain=itemgetter("certain"), start=itemgetter("start_earliest"), support=itemgetter("support")
    )
    links = Links(request)
    person, of_agency = links.summarizer("person-detail"), links.summarizer("agency-detail")
    tenure = links.prefix("tenure-detail")
    documents = []
    for row in rows:
        who = person(row["person__slug"], row["person__name"])
        documents.append(
            {
                "certainty": "certain" if row["certain"] else "possible",
                "support": row["support"],
                "grounds": head_grounds(
                    day=day,
                    certain=row["certain"],
                    start=(row["start_edtf"], row["start_earliest"], row["start_latest"]),
                    end=(row["end_edtf"], row["end_earliest"], row["end_latest"]),
                    support=row["support"],
                ),
                "person": who,
                "tenure": {
                    "id": row["pk"],
                    "url": f"{tenure}{row['pk']}/",
                    "slug": row["slug"],
                    "person": who,
                    "agency": of_agency(row["agency__slug"], row["agency__name"]),
                    "title": row["title"],
                    "is_head": row["is_head"],
                    "is_acting": row["is_acting"],
                    "start": fuzzy_date(row, "start"),
                    "end": fuzzy_date(row, "end"),
                },
            }
        )
    return documents
