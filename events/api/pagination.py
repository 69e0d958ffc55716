import hashlib
from functools import partial

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from events.api.parameters import PAGING_PARAMS, is_number
from events.models.revision import dataset_changed_at


class CountOncePerRevision(Paginator):
    """Exact counts, computed once per question and dataset revision, then kept in the cache.

    Every write moves the revision on, so a kept count is never stale. The question is the request's
    path and its filters (every parameter but the page's own): reads are public, so the same question
    always means the same rows at one revision, and no SQL needs compiling to find the count again.
    """

    def __init__(self, *args, revision=None, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = None
        if revision is not None and question is not None:
            self.key = "count:" + hashlib.sha256(repr((revision, question)).encode()).hexdigest()

    @cached_property
    def count(self):
        if isinstance(self.object_list, list):
            return len(self.object_list)  # already read; it may also depend on more than the question (a day)
        found = cache.get(self.key) if self.key else None
        if found is None:
            found = self._keep(super().count)
        return found

    def _keep(self, count: int) -> int:
        if self.key:
            cache.set(self.key, count)
        self.__dict__["count"] = count
        return count


class PagePagination(PageNumberPagination):
    """`page` and `page_size` (50 by default, at most 200); a bad value is a 400, not silently replaced."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_schema_operation_parameters(self, view):
        bounds = {
            self.page_query_param: {"minimum": 1, "maximum": 10**9 - 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not is_number(raw, max_digits=3) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({"page_size": [f"Must be a whole number from 1 to {self.max_page_size}."]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not is_number(raw, max_digits=9) or int(raw) < 1:
            raise ValidationError({"page": ["Must be a whole number from 1."]})
        question = (
            request.path,
            sorted((k, v) for k, values in request.query_params.lists() if k not in PAGING_PARAMS for v in values),
        )
        self.django_paginator_class = partial(
            CountOncePerRevision, revision=dataset_changed_at(request), question=question
        )
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise NotFound(f"Page {raw} is past the last page.") from exc
