import hashlib
from functools import partial

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from events.api.parameters import PAGING_PARAMS, is_number
from events.models.revision import dataset_changed_at


def kept_per_revision(kind: str, revision, question, compute):
    """`compute()`, computed once per question and dataset revision, then kept in the cache.

    Every write moves the revision on, so what is kept is never stale; before the first write there is no
    revision, and nothing is kept. Reads are public, so the same question always means the same rows at one
    revision.
    """
    if revision is None:
        return compute()
    key = f"{kind}:" + hashlib.sha256(repr((revision, question)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found)
    return found


def question_of(request, *, leaving_out=PAGING_PARAMS) -> tuple:
    """What a list request asks, for the cache: its path and its parameters but `leaving_out` (the page's own)."""
    return request.path, sorted(
        (k, v) for k, values in request.query_params.lists() if k not in leaving_out for v in values
    )


class CountOncePerRevision(Paginator):
    """Exact counts, kept per question and dataset revision (`kept_per_revision`): no SQL needs compiling to find
    the count of a question asked before."""

    def __init__(self, *args, revision=None, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.revision, self.question = revision, question

    @cached_property
    def count(self):
        if isinstance(self.object_list, list):
            return len(self.object_list)  # already read; it may also depend on more than the question (a day)
        return kept_per_revision("count", self.revision, self.question, lambda: super(CountOncePerRevision, self).count)


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
        self.django_paginator_class = partial(
            CountOncePerRevision, revision=dataset_changed_at(request), question=question_of(request)
        )
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise NotFound(f"Page {raw} is past the last page.") from exc
