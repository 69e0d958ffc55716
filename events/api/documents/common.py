"""Links, summaries and fuzzy dates for documents built from rows."""

from functools import cache

from django.urls import get_script_prefix, get_urlconf, reverse

ID_LOOKUPS = {"tenure-detail", "claim-detail"}


@cache
def _detail_path(view_name: str, script_prefix: str, urlconf) -> str:
    """A detail route's path up to its key, reversed once per process (and script prefix)."""
    lookup = "id" if view_name in ID_LOOKUPS else "slug"
    return reverse(view_name, kwargs={lookup: "0"}, urlconf=urlconf).removesuffix("0/")


class Links:
    """Absolute detail URLs for one request: the request's origin joined to each route's path and key."""

    def __init__(self, request):
        self.request = request
        self.prefixes = {}

    def prefix(self, view_name: str) -> str:
        found = self.prefixes.get(view_name)
        if found is None:
            path = _detail_path(view_name, get_script_prefix(), get_urlconf())
            found = self.prefixes[view_name] = self.request.build_absolute_uri(path)
        return found

    def __call__(self, view_name: str, key) -> str:
        return f"{self.prefix(view_name)}{key}/"

    def summarizer(self, view_name: str):
        """`summarize(key, name)` for one route, for loops over many rows (see `summary`)."""
        prefix, lookup = self.prefix(view_name), "id" if view_name in ID_LOOKUPS else "slug"

        def summarize(key, name: str) -> dict | None:
            return None if key is None else {lookup: key, "name": name, "url": f"{prefix}{key}/"}

        return summarize

    def summary(self, view_name: str, key, name: str) -> dict | None:
        """`{slug, name, url}` (`{id, ...}` for tenures), or None when there is no related record."""
        return self.summarizer(view_name)(key, name)


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
