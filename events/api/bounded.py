"""How many items one write may carry in each of its lists (a meeting's participants and topics, a launch's crew,
the claims sent with a record): counted before any item is looked at. A bounded field says so by its `max_items`,
which the schema documents as the request's `maxItems` (events.api.schema)."""

from rest_framework import serializers

MAX_ITEMS = 100


def items_checked(data):
    """`data`, if it is a list of at most MAX_ITEMS items; the refusal names the limit."""
    if isinstance(data, list) and len(data) > MAX_ITEMS:
        raise serializers.ValidationError(f"At most {MAX_ITEMS} items in one write; this list has {len(data)}.")
    return data


class BoundedListSerializer(serializers.ListSerializer):
    """A list of nested rows (`many=True` of a serializer whose Meta names this as its list_serializer_class)."""

    max_items = MAX_ITEMS

    def to_internal_value(self, data):
        return super().to_internal_value(items_checked(data))
