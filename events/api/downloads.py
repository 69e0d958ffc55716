"""Whole lists as downloads: every matching row, streamed, as NDJSON (`Accept: application/x-ndjson`) or CSV
(`Accept: text/csv`), with the same filters and order as the JSON pages.

A download is a list's pagination of another kind: rows are read in chunks of CHUNK, each chunk rendered as a
page would be (its prefetches, its row reads) and written out before the next is read, so the memory a download
takes does not grow with the rows it sends.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice

import orjson
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination

from events.api.fields import FuzzyDateField
from events.services.dataset import csv_text

CHUNK = 1000


class Chunks:
    """The rows of a queryset (or any iterable), read CHUNK at a time; `map` reads each chunk on through `read`."""

    def __init__(self, rows: Iterable, read=None):
        self.rows, self.read = rows, read

    def map(self, read) -> "Chunks":
        return Chunks(self.rows, read)

    def __iter__(self) -> Iterator[list]:
        rows = self.rows.iterator(chunk_size=CHUNK) if isinstance(self.rows, QuerySet) else iter(self.rows)
        while chunk := list(islice(rows, CHUNK)):
            yield self.read(chunk) if self.read else chunk


class DownloadRenderer(renderers.BaseRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        return b"".join(self.stream(data, view))

    def stream(self, items: Iterable[dict], view) -> Iterator[bytes]:
        raise NotImplementedError


class NDJSONRenderer(DownloadRenderer):
    """One JSON object per line, each as the list's `results` show it."""

    media_type = "application/x-ndjson"
    format = "ndjson"

    def stream(self, items, view):
        for item in items:
            yield orjson.dumps(item) + b"\n"


class CSVRenderer(DownloadRenderer):
    """A header, then a row per record: a linked record by its slug (or id), a fuzzy date in four columns (EDTF,
    earliest, latest, wording), a list of linked records as slugs joined by `;`, anything else nested as JSON.
    Text that a spreadsheet would run as a formula is written with a leading `'` (as export_dataset's CSVs)."""

    media_type = "text/csv"
    format = "csv"

    def stream(self, items, view):
        columns = csv_columns(view.get_serializer().fields)  # the fields a selection left (fields/omit)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([name for name, _ in columns])
        for number, item in enumerate(items):
            writer.writerow([csv_text(cell(item)) for _, cell in columns])
            if number % 100 == 99:
                yield _drained(buffer)
        yield _drained(buffer)


def _drained(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


def csv_columns(fields) -> list[tuple[str, object]]:
    """(header, cell(item)) for each field a list shows."""
    columns = []
    for name, field in fields.items():
        if field.write_only:
            continue
        if isinstance(field, FuzzyDateField):
            for part, header in (
                ("edtf", name),
                ("earliest", f"{name}_earliest"),
                ("latest", f"{name}_latest"),
                ("text", f"{name}_text"),
            ):
                columns.append((header, lambda item, name=name, part=part: (item[name] or {}).get(part)))
        else:
            columns.append((name, lambda item, name=name: flat(item[name])))
    return columns


def flat(value):
    """A linked record as its key; a list of them as keys joined by `;`; other values as they are."""
    if isinstance(value, dict) and "url" in value:
        return value.get("slug", value.get("id"))
    if isinstance(value, list) and all(isinstance(v, dict) and "url" in v for v in value):
        return ";".join(str(flat(v)) for v in value)
    return value


def downloading(request) -> bool:
    return isinstance(getattr(request, "accepted_renderer", None), DownloadRenderer)


class DownloadPagination(BasePagination):
    """Every row, in chunks (see the module's docstring), answered as a stream in the negotiated format."""

    def paginate_queryset(self, queryset, request, view=None):
        paging = sorted(set(request.query_params) & {"page", "page_size", "facets"})
        if paging:
            raise ValidationError(
                {
                    name: ["A download holds every matching row: pages (and their facets) do not apply."]
                    for name in paging
                }
            )
        self.request, self.view = request, view
        return Chunks(queryset)

    def get_paginated_response(self, data):
        renderer = self.request.accepted_renderer
        response = StreamingHttpResponse(renderer.stream(data, self.view), content_type=renderer.media_type)
        name = getattr(self.view, "basename", "rows")
        response["Content-Disposition"] = f'attachment; filename="{name}.{renderer.format}"'
        return response


class Streamed:
    """A serializer's answer for a download: `data` renders the rows as they are read."""

    def __init__(self, items: Iterator[dict]):
        self.data = items


class DownloadsMixin:
    """For a list view: NDJSON and CSV besides JSON; answered with DownloadPagination, each chunk rendered by the
    view's own list serializer."""

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", "list") == "list":  # a whole list downloads; a record is one JSON document
            renderers += [NDJSONRenderer(), CSVRenderer()]
        return renderers

    @property
    def paginator(self):
        if downloading(self.request):
            if not isinstance(getattr(self, "_paginator", None), DownloadPagination):
                self._paginator = DownloadPagination()
            return self._paginator
        return super().paginator

    def get_serializer(self, *args, **kwargs):
        if args and isinstance(args[0], Chunks):
            page = super().get_serializer
            return Streamed(item for chunk in args[0] for item in page(chunk, many=True).data)
        return super().get_serializer(*args, **kwargs)
