"""Conditional writes: PUT, PATCH and DELETE honour If-Match with the ETag a GET of the same URL returned.

A record's ETag is its version (raised by every change to it, its claims or its members): strong, and the same on
the detail GET and on a write's answer. The check locks the record first, inside the write's transaction, so that
two requests holding the same ETag cannot both pass. A request without If-Match writes as before.
"""

import hashlib

from django.db import router, transaction
from django.utils.cache import parse_etags
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from events.api.schema import ApiSchema
from events.services.locks import record_lock

CHECKED_METHODS = ("PUT", "PATCH", "DELETE")
ETAGGED_ACTIONS = ("retrieve", "create", "update", "partial_update")


def record_etag(model, pk, version: int) -> str:
    """A strong ETag for one version of one record: opaque, and different for every model, record and version."""
    digest = hashlib.sha256(f"{model._meta.label_lower}:{pk}:{version}".encode()).hexdigest()[:32]
    return f'"{digest}"'


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
        model = self.get_queryset().model
        record_lock(model=model, **{self.lookup_field: kwargs[lookup]})
        header = request.META.get("HTTP_IF_MATCH")
        if header is None:
            return
        row = model._base_manager.filter(**{self.lookup_field: kwargs[lookup]}).values_list("pk", "version").first()
        if row is None:
            return  # no such record: the view answers 404
        etag = record_etag(model, *row)
        if not if_match_passes(header, etag):
            raise PreconditionFailed(etag=etag)

    def get_object(self):
        record = super().get_object()
        self.etag_record = record  # the detail GET's ETag, without reading the row again
        return record

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        self.etag_serializer = serializer  # a write's answer: the record it saved
        return serializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action in ETAGGED_ACTIONS and 200 <= response.status_code < 300:
            etag = self.current_etag(written=request.method != "GET", **kwargs)
            if etag:
                response["ETag"] = etag
        return response

    def current_etag(self, *, written: bool, **kwargs) -> str | None:
        """The record's ETag now: after a write, read again (claims and members raise the version too)."""
        model = self.get_queryset().model
        record = getattr(self, "etag_record", None)
        saved = getattr(getattr(self, "etag_serializer", None), "instance", None)
        if written and isinstance(saved, model) and saved.pk is not None:
            record = saved
        if record is not None and not written and "version" in record.__dict__:
            return record_etag(model, record.pk, record.version)
        if record is not None:
            rows = model._base_manager.filter(pk=record.pk)
        else:
            lookup = self.lookup_url_kwarg or self.lookup_field
            if lookup not in kwargs:
                return None
            rows = model._base_manager.filter(**{self.lookup_field: kwargs[lookup]})
        row = rows.values_list("pk", "version").first()
        return record_etag(model, *row) if row else None
