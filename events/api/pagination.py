import hashlib
from functools import partial

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.db.models.query import FlatValuesListIterable, ModelIterable
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from events.api.backends import PAGING_PARAMS
from events.api.filterfields import is_number
from events.api.middleware import dataset_changed_at


class CountOncePerRevision(Paginator):
    """Exact counts, computed once per question and dataset revision, then kept in the cache.

    Every write moves the revision on, so a kept count is never stale. The question is the request's
    path and its filters (every parameter but the page's own): reads are public, so the same question
    always means the same rows at one revision, and no SQL needs compiling to find the count again.

    A question not counted yet is counted by its page's own query (`COUNT(*) OVER ()`), where the rows
    allow it: finding the page already reads every matching row to order them, so a separate count
    would read them all a second time.
    """

    def __init__(self, *args, revision=None, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = None
        if revision is not None and question is not None:
            self.key = "count:" + hashlib.sha256(repr((revision, question)).encode()).hexdigest()

    @cached_property
    def count(self):
        found = cache.get(self.key) if self.key else None
        if found is None:
            found = self._keep(super().count)
        return found

    def _keep(self, count: int) -> int:
        if self.key:
            cache.set(self.key, count)
        self.__dict__["count"] = count
        return count

    def page(self, number):
        flat = _counted_alongside(self.object_list)
        if flat is None or not self.key or "count" in self.__dict__ or cache.get(self.key) is not None:
            return super().page(number)
        number, total = int(number), "_page_total"
        counted = self.object_list.annotate(**{total: Window(Count("*"))})
        if flat:
            counted = counted.values_list(*self.object_list.query.values_select, total)
        bottom = (number - 1) * self.per_page
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows:
            return super().page(number)  # nothing there: a plain count tells an empty list from a page too far
        self._keep(rows[0][-1] if flat else getattr(rows[0], total))
        return self._get_page([row[0] for row in rows] if flat else rows, number, self)


def _counted_alongside(object_list) -> bool | None:
    """Whether a page of `object_list` can carry the count: True for a flat list of one column, False for
    model instances, None where a window count would not be the number of rows (DISTINCT, UNION) or
    there is no query."""
    query = getattr(object_list, "query", None)
    if query is None or query.distinct or query.combinator:
        return None
    if object_list._iterable_class is FlatValuesListIterable:
        return True
    return False if object_list._iterable_class is ModelIterable else None


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
