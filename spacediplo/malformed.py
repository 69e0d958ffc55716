"""Requests refused before anything reads them, because what they send cannot be read as it was meant.

- A body sent chunked, without a Content-Length: Django reads a body only as long as Content-Length says, so the
  view would get none (a PATCH would change nothing and answer 200). 411 asks for the length, as HTTP provides
  (RFC 9110, 15.5.12); clients send one for a body they hold.
- A Content-Length that is not a number of bytes: gunicorn refuses it itself, other servers pass it on, and Django
  would read no body or fail reading one.
- An address holding a NUL character: no path or parameter of this site has one, and PostgreSQL's text cannot,
  so a query comparing with it fails (the admin's list filters and autocomplete answered 500).

Each answers as the site answers errors: a problem document under /api/, a plain page elsewhere.
"""

import re
from urllib.parse import unquote

from events.api.exceptions import error_response

BYTES = re.compile(r"[0-9]+")


class MalformedRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH", "")
        if "HTTP_TRANSFER_ENCODING" in request.META and not length:
            detail = "Send the body with a Content-Length: this server does not read chunked request bodies."
            return error_response(request, 411, detail)
        if length and not BYTES.fullmatch(length):
            return error_response(request, 400, "The Content-Length header is not a number of bytes.")
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return error_response(request, 400, "The address holds a NUL character.")
        return self.get_response(request)
