"""The API's one request parser: JSON, bounded in nesting, holding no text PostgreSQL cannot store."""

import json

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

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
    """Walk `data` without recursion, refusing deep nesting and NUL characters."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise exceptions.ParseError("JSON strings may not hold the NUL character (\\u0000).")
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise exceptions.ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
