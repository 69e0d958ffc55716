"""The change feed as Atom (Django's syndication framework), for feed readers: the latest changes, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from events.api.exceptions import error_response
from events.api.fields import detail_url
from events.changes import FEED_TYPES, changes_latest

LATEST = 50  # entries in the feed; a reader that needs more follows changes/


class ChangesAtomFeed(Feed):
    feed_type = Atom1Feed
    title = "spacediplo: changes"
    subtitle = "Records of the space-diplomacy database created, updated or deleted, newest first."

    def __call__(self, request, *args, **kwargs):
        unknown = sorted(set(request.GET) - {"type"})
        bad_types = sorted(set(request.GET.getlist("type")) - set(FEED_TYPES))
        if unknown or bad_types:
            detail = (
                f"Unknown parameter: {', '.join(unknown)}." if unknown else f"Unknown type: {', '.join(bad_types)}."
            )
            return error_response(request, 400, f"{detail} This feed takes `type` ({', '.join(sorted(FEED_TYPES))}).")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request  # the items need it: their types, and the URLs of their records

    def link(self, request):
        return reverse("changes")

    def items(self, request):
        return changes_latest(types=sorted(set(request.GET.getlist("type"))), limit=LATEST)

    def item_title(self, change):
        return f"{change['type']} {change['key']} {change['kind']}"

    def item_description(self, change):
        renamed = f" (its slug was {change['previous_key']})" if change["previous_key"] else ""
        return f"The {change['type']} {change['key']} was {change['kind']}{renamed}."

    def item_link(self, change):
        return detail_url(None, f"{change['type']}-detail", change["key"])  # made absolute by the framework

    def item_guid(self, change):
        return f"tag:spacediplo,2026:change/{change['cursor'].token()}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change["when"]

    def item_pubdate(self, change):
        return change["when"]
