"""Every API error as RFC 9457 problem details (`application/problem+json`)."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from events.services.records import RecordInUse, RecordInvalid

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger(__name__)

TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Permission denied",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(status_code: int, detail: str, *, instance: str = "", errors: dict | None = None) -> dict:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return body


def problem_exception_handler(exc, context):
    """DRF's handler, reshaped into problem details; service-layer errors mapped to 400/409."""
    if isinstance(exc, RecordInvalid):
        exc = exceptions.ValidationError(exc.errors)
    elif isinstance(exc, RecordInUse):
        exc = exceptions.APIException(str(exc))
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, IntegrityError):
        # A constraint caught what validation could not (e.g. a concurrent write): the request conflicts.
        logger.info("integrity error answered with 409: %s", exc)
        exc = exceptions.APIException("The change conflicts with the current data; reload and try again.")
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's handler500 answers, without details
    request = context.get("request")
    instance = request.path if request else ""
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        names = ", ".join(errors)
        body = problem(400, f"Check these fields or parameters: {names}.", instance=instance, errors=errors)
    else:
        body = problem(response.status_code, str(getattr(exc, "detail", exc)), instance=instance)
    headers = {k: v for k, v in response.items() if k in ("Allow", "Retry-After", "WWW-Authenticate")}
    if getattr(exc, "etag", None):  # a failed If-Match answers with the record's current ETag
        headers["ETag"] = exc.etag
    return Response(body, status=response.status_code, headers=headers, content_type=PROBLEM_JSON)


def server_error(request, *args, **kwargs):
    """handler500: for the API, a problem document with no trace of what failed inside."""
    if not request.path.startswith("/api/"):
        return defaults.server_error(request, *args, **kwargs)
    return JsonResponse(
        problem(500, "The server failed to answer this request.", instance=request.path),
        status=500,
        content_type=PROBLEM_JSON,
    )


def not_found(request, exception=None, *args, **kwargs):
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception, *args, **kwargs)
    return JsonResponse(problem(404, "No such path.", instance=request.path), status=404, content_type=PROBLEM_JSON)
