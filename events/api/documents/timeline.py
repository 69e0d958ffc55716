"""Timeline documents: the stream's rows (events.selectors.timeline) as TimelineItemSerializer declares them."""

from events.api.documents.common import Links, fuzzy_date


def timeline_documents(rows, request) -> list[dict]:
    links = Links(request)
    prefixes = {kind: links.prefix(f"{kind}-detail") for kind in ("meeting", "launch")}
    return [
        {
            "type": row["type"],
            "slug": row["item_slug"],
            "name": row["item_name"],
            "url": f"{prefixes[row['type']]}{row['item_slug']}/",
            "status": row["item_status"],
            "date": fuzzy_date(row, "item"),
        }
        for row in rows
    ]
