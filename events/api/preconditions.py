"""Conditional writes: PUT, PATCH and DELETE honour If-Match with the ETag a GET of the same URL returned.

The ETag is the one ConditionalGetMiddleware gives the GET (a hash of its body), so the check rebuilds that
body: inside the write's transaction, after locking the record, so that two requests holding the same ETag
cannot both pass. A request without If-Match writes as before.
"""

from django.db import router, transaction
from django.utils.cache import parse_etags, set_response_etag
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from events.api.schema import ApiSchema
from events.services.locks import record_lock

CHECKED_METHODS = ("PUT", "PATCH", "DELETE")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The record has changed since the ETag in If-Match was read; nothing was written. "
        "GET it again for its current state and ETag, then retry."
    )
    default_code = "precondition_failed"

    def __init__(self, *, etag: str | None = None):
        super().__init__()
        self.etag = etag  # the current one, so a client can compare and retry without another GET


def if_match_passes(header: str, etag: str | None) -> bool:
    """RFC 9110 If-Match: `*` matches any current representation, a tag only by strong comparison."""
    tags = parse_etags(header)
    if etag is None:
        return False
    if tags == ["*"]:
        return True
    return not etag.startswith("W/") and etag in tags


class PreconditionSchema(ApiSchema):
    """The OpenAPI description of the above: an If-Match header and a 412 answer on checked methods."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method not in CHECKED_METHODS:
            return parameters
        if_match = OpenApiParameter(
            "If-Match",
            str,
            OpenApiParameter.HEADER,
            description="The ETag from a GET of this URL, or `*`. If the record has changed since, "
            "the answer is 412 and nothing is written. Without it, the write is not checked.",
        )
        return [*parameters, if_match]

    def _error_codes(self) -> list[str]:
        codes = super()._error_codes()
        return sorted([*codes, "412"]) if self.method in CHECKED_METHODS else codes


class PreconditionMixin:
    """For a ModelViewSet: lock, check If-Match, then update or destroy, all in one transaction."""

    schema = PreconditionSchema()

    def update(self, request, *args, **kwargs):  # PATCH comes here too, through partial_update
        with transaction.atomic(using=router.db_for_write(self.get_queryset().model)):
            self.check_preconditions(request, *args, **kwargs)
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic(using=router.db_for_write(self.get_queryset().model)):
            self.check_preconditions(request, *args, **kwargs)
            return super().destroy(request, *args, **kwargs)

    def check_preconditions(self, request, *args, **kwargs) -> None:
        lookup = self.lookup_url_kwarg or self.lookup_field
        record_lock(model=self.get_queryset().model, **{self.lookup_field: kwargs[lookup]})
        header = request.META.get("HTTP_IF_MATCH")
        if header is None:
            return
        etag = self.current_etag(request, *args, **kwargs)
        if not if_match_passes(header, etag):
            raise PreconditionFailed(etag=etag)

    def current_etag(self, request, *args, **kwargs) -> str | None:
        """The ETag a GET of this URL would carry now: the same body, hashed as ConditionalGetMiddleware does."""
        action, self.action = self.action, "retrieve"
        try:
            response = self.finalize_response(request, self.retrieve(request, *args, **kwargs), *args, **kwargs)
        finally:
            self.action = action
        response.render()
        set_response_etag(response)
        return response.get("ETag")
