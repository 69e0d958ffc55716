"""Every API error as RFC 9457 problem details (`application/problem+json`): DRF's exception handler, and the
site's handlers for errors outside DRF (400, 404, 500, 503), which answer plain pages outside /api/."""

import logging
import sys
from http import HTTPStatus

import psycopg
from django.conf import settings
from django.core.exceptions import DisallowedHost, PermissionDenied, RequestDataTooBig
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from events.api.parsers import UploadTooBig
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
    411: "Length required",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}

# A lost connection is replaced at the next request, and a statement that ran out of time met a busy database:
# a few seconds lets it catch up without keeping clients waiting long.
RETRY_AFTER_SECONDS = 5
# PostgreSQL's SQLSTATEs (or their class) for "no connection to use": class 08, 57P01-57P03 (terminated, crashed,
# starting up), 53300 (too many connections); and 57014, a statement cancelled by statement_timeout.
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300", "57014")


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
        return None  # unexpected (or the database unavailable): Django's handler500 answers, without details
    request = context.get("request")
    if request is not None:
        # A problem document is JSON whatever the view renders otherwise (the docs page HTML, the schema YAML).
        request.accepted_renderer = api_settings.DEFAULT_RENDERER_CLASSES[0]()
        request.accepted_media_type = PROBLEM_JSON
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


def error_response(request, status_code: int, detail: str, *, headers: dict | None = None) -> HttpResponse:
    """An error answered outside DRF: a problem document under /api/, a plain page (as Django's own) elsewhere."""
    if request.path.startswith("/api/"):
        body = problem(status_code, detail, instance=request.path)
        return JsonResponse(body, status=status_code, content_type=PROBLEM_JSON, headers=headers)
    title = f"{HTTPStatus(status_code).phrase} ({status_code})"
    return HttpResponse(
        defaults.ERROR_PAGE_TEMPLATE % {"title": title, "details": ""}, status=status_code, headers=headers
    )


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot answer now, rather than that the request or the code is wrong: the
    connection was lost or could not be made, or the statement ran past the statement timeout (settings.py)."""
    cause = getattr(exc, "__cause__", None)  # Django's error wraps the driver's
    if not isinstance(exc, OperationalError | InterfaceError) or not isinstance(cause, psycopg.OperationalError):
        return False  # SQLite's errors are about the file or the SQL: it has no connection to lose
    if cause.sqlstate is None:
        return True  # raised by the client library itself: no connection, or it broke mid-statement
    return cause.sqlstate.startswith(UNAVAILABLE_SQLSTATES)


def server_error(request, *args, **kwargs):
    """handler500, for whatever a view or a middleware raised: 503 with Retry-After when the database is unavailable
    (the next request gets a new connection), else 500; for the API a problem document, with no trace of what
    failed inside. Django calls it while handling the exception, so sys.exception() is that exception."""
    if database_unavailable(sys.exception()):
        detail = "The database is unavailable for the moment; try again shortly."
        return error_response(request, 503, detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if not request.path.startswith("/api/"):
        return defaults.server_error(request, *args, **kwargs)
    return error_response(request, 500, "The server failed to answer this request.")


def bad_request(request, exception, *args, **kwargs):
    """handler400, for a request Django refused: a Host this site does not serve, a body past
    DATA_UPLOAD_MAX_MEMORY_SIZE (413 for the API), a malformed form."""
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception, *args, **kwargs)
    if isinstance(exception, UploadTooBig):
        return error_response(request, 413, str(exception))
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(request, 413, f"The body is larger than the {limit} bytes this API takes.")
    if isinstance(exception, DisallowedHost):
        return error_response(request, 400, "The Host header names a site this server does not serve.")
    return error_response(request, 400, "The request could not be read.")


def not_found(request, exception=None, *args, **kwargs):
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception, *args, **kwargs)
    return error_response(request, 404, "No such path.")
