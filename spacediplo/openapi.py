"""OpenAPI additions that come from the site's settings rather than from any one view."""

from django.conf import settings

from events.api.schema import PROBLEM


def document_throttling(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may answer 429, with the seconds to wait in Retry-After.

    Documented whether or not throttling is on (API_THROTTLE): clients must be ready for it wherever the API runs.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM)  # events.api.schema registers it for the other problem answers
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    too_many = {
        "description": (
            f"Too many requests: the rate limit ({rates.get('anon')} anonymous, {rates.get('user')} per user) "
            "is spent; retry after the seconds in Retry-After."
        ),
        "headers": {
            "Retry-After": {"schema": {"type": "integer", "minimum": 0}, "description": "Seconds to wait."},
        },
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", too_many)
    return result
