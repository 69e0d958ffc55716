"""Links, summaries and fuzzy dates for documents built from rows."""

from rest_framework.reverse import reverse

ID_LOOKUPS = {"tenure-detail", "claim-detail"}


class Links:
    """Absolute detail URLs for one request: reversed once per view, then joined per key."""

    def __init__(self, request):
        self.request = request
        self.prefixes = {}

    def __call__(self, view_name: str, key) -> str:
        prefix = self.prefixes.get(view_name)
        if prefix is None:
            lookup = "id" if view_name in ID_LOOKUPS else "slug"
            url = reverse(view_name, kwargs={lookup: "0"}, request=self.request)
            prefix = self.prefixes[view_name] = url.removesuffix("0/")
        return f"{prefix}{key}/"

    def summary(self, view_name: str, key, name: str) -> dict | None:
        """`{slug, name, url}` (`{id, ...}` for tenures), or None when there is no related record."""
        if key is None:
            return None
        lookup = "id" if view_name in ID_LOOKUPS else "slug"
        return {lookup: key, "name": name, "url": self(view_name, key)}


def fuzzy_date(row: dict, prefix: str = "date") -> dict | None:
    edtf = row[f"{prefix}_edtf"]
    if not edtf:
        return None
    earliest, latest = row[f"{prefix}_earliest"], row[f"{prefix}_latest"]
    return {
        "edtf": edtf,
        "earliest": earliest.isoformat() if earliest else None,
        "latest": latest.isoformat() if latest else None,
        "text": row[f"{prefix}_text"],
    }


DATE_COLUMNS = ("date_edtf", "date_earliest", "date_latest", "date_text")
