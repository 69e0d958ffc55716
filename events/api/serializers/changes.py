"""The change feed's entries (events.changes) and its page."""

from rest_framework import serializers

from events.api.fields import detail_prefix
from events.api.shaping import trimmed
from events.changes import FEED_TYPES, KINDS


class ChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=sorted(FEED_TYPES))
    key = serializers.CharField(help_text="The record's slug (a claim's or tenure's id), as its URL names it.")
    previous_key = serializers.CharField(
        allow_null=True, help_text="The slug before this change, when the change renamed it; else null."
    )
    kind = serializers.ChoiceField(choices=sorted(KINDS.values()))
    when = serializers.DateTimeField()
    url = serializers.URLField(help_text="The record's URL (a deleted record's: it answers 404 now).")

    def to_representation(self, change):
        request = self.context.get("request")
        built = {
            "type": change["type"],
            "key": change["key"],
            "previous_key": change["previous_key"],
            "kind": change["kind"],
            "when": serializers.DateTimeField().to_representation(change["when"]),
            "url": f"{detail_prefix(request, change['type'] + '-detail')}{change['key']}/",
        }
        return trimmed(built, self)


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next = serializers.URLField(
        help_text="Where to read on: right after the last change listed; on the last page, the URL to poll for "
        "newer changes. Store it and follow it, and no change is missed or seen twice."
    )
