"""OpenAPI additions that come from the site's settings rather than from any one view."""

from django.conf import settings

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
}


def document_throttling(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may answer 429, with the seconds to wait in Retry-After.

    Documented whether or not throttling is on here (API_THROTTLE), so the schema is the same everywhere it is served.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM_SCHEMA)
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
