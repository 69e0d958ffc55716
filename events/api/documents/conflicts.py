"""Conflict documents: a page of disagreements from claim rows and one summary query per subject type."""

from collections import defaultdict

from events.api.documents.common import Links
from events.models import Claim
from events.selectors import conflict_claims

RANKS = tuple(rank.value for rank in (Claim.Rank.PREFERRED, Claim.Rank.NORMAL, Claim.Rank.DEPRECATED))  # best first
CLAIM_COLUMNS = ("pk", "subject_type", "subject_id", "field", "value", "rank", "superseded_by")
SOURCE_COLUMNS = ("source__slug", "source__title", "source__reliability")


def _subjects(keys: list[dict], links: Links) -> dict[tuple, dict]:
    """`{(subject_type, id): summary}`, named as events.api.fields.summary_of names a record."""
    ids = defaultdict(set)
    for key in keys:
        ids[key["subject_type"]].add(key["subject_id"])
    found = {}
    for subject_type, pks in ids.items():
        model = Claim._meta.get_field(subject_type).related_model
        lookup = "id" if subject_type == "tenure" else "slug"
        for record in model.objects.filter(pk__in=pks):
            name = getattr(record, "name", None) or getattr(record, "title", None) or str(record)
            found[subject_type, record.pk] = links.summary(f"{subject_type}-detail", getattr(record, lookup), name)
    return found


def conflict_documents(keys, request) -> list[dict]:
    """A page of conflict keys (events.selectors.conflict_keys) as the documents ConflictSerializer declares."""
    keys = list(keys)
    if not keys:
        return []
    links = Links(request)
    rows = conflict_claims(keys).values(*CLAIM_COLUMNS, *SOURCE_COLUMNS)
    grouped = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[row["subject_type"], row["subject_id"], row["field"]][row["value"]].append(row)
    subjects = _subjects(keys, links)
    return [
        {
            "subject_type": key["subject_type"],
            "subject": subjects[key["subject_type"], key["subject_id"]],
            "field": key["field"],
            "kind": key["kind"],
            "resolved": not key["open"],
            "values": _values(grouped[key["subject_type"], key["subject_id"], key["field"]], links),
        }
        for key in keys
    ]


def _values(by_value: dict[str, list[dict]], links: Links) -> list[dict]:
    values = []
    for value, claims in by_value.items():
        ranks = {claim["rank"] for claim in claims}
        sources = {claim["source__slug"]: claim for claim in claims}
        values.append(
            {
                "value": value,
                "rank": next(rank for rank in RANKS if rank in ranks),
                "superseded": all(claim["superseded_by"] for claim in claims),
                "sources": [
                    {
                        **links.summary("source-detail", slug, sources[slug]["source__title"]),
                        "reliability": sources[slug]["source__reliability"],
                    }
                    for slug in sorted(sources)
                ],
                "claims": [links("claim-detail", claim["pk"]) for claim in claims],
            }
        )
    # Best-supported value first (its best rank), then by value.
    return sorted(values, key=lambda v: (RANKS.index(v["rank"]), v["value"]))
