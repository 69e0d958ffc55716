"""The API's request parsers: JSON, bounded in nesting, holding no text PostgreSQL cannot store; and, where a file is
uploaded (an article), forms whose files are bounded in size."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from rest_framework import exceptions
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.utils.json import strict_constant

from events.articles import UPLOAD_MAX_BYTES

# The deepest body a write takes is a record > its claims > a claim > its fields: a few levels. Past this, a body
# is not one of ours; refusing it early spares the work (and the recursion) of looking at it.
MAX_DEPTH = 16


class StrictJSONParser(JSONParser):
    """JSON as DRF parses it (from the request's body, so within DATA_UPLOAD_MAX_MEMORY_SIZE), refused with a 400
    before any view sees it when it is nested deeper than MAX_DEPTH arrays and objects, or holds a NUL character
    in a string or key (PostgreSQL's text cannot store one)."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=strict_constant)
        except RecursionError as exc:
            raise exceptions.ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from exc
        except (ValueError, LookupError) as exc:  # includes UnicodeDecodeError and JSONDecodeError
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
        _check(data)
        return data


def _check(data) -> None:
    """Walk `data` without recursion, refusing deep nesting, and NUL characters by where they are."""
    pending = [(data, ())]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                _refuse_nul(path)
        elif isinstance(value, dict | list):
            if len(path) >= MAX_DEPTH:
                raise exceptions.ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
            if isinstance(value, list):
                pending.extend((item, (*path, index)) for index, item in enumerate(value))
                continue
            for key, item in value.items():
                if "\x00" in key:
                    _refuse_nul(path)
                pending.append((item, (*path, key)))


def _refuse_nul(path: tuple) -> None:
    """A 400 naming the top-level field (as any other invalid value is), and where inside it the NUL is."""
    where = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")
    field = path[0] if path and isinstance(path[0], str) else "non_field_errors"
    raise exceptions.ValidationError(
        {field: [f"{where or 'The body'}: text may not hold the NUL character (\\u0000)."]}
    )


class UploadTooBig(RequestDataTooBig):
    """An uploaded file past its bound, refused as it arrives (a 413, by the API's handler400)."""


class _BoundedUpload(FileUploadHandler):
    """Counts the uploaded files' bytes as they arrive, all files of the request together, and stops the request
    past UPLOAD_MAX_BYTES, before the rest is read or stored; other handlers do the storing."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > UPLOAD_MAX_BYTES:
            raise UploadTooBig(f"Uploaded files are at most {UPLOAD_MAX_BYTES:,} bytes in all.")
        return raw_data

    def file_complete(self, file_size):
        return None


class BoundedMultiPartParser(MultiPartParser):
    """A form with files (an article's .txt or .html), each file refused past UPLOAD_MAX_BYTES as it arrives."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]._request
        request.upload_handlers = [_BoundedUpload(request), *request.upload_handlers]
        return super().parse(stream, media_type, parser_context)
