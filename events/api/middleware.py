import re

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from events.models.revision import dataset_changed_at

# Answers that change without the data changing: heads (default day: today) and the API's own description.
DATED_BY_OTHER_THINGS = re.compile(r"/heads/$|/api/v1/(schema|docs)/$")


class LastModifiedMiddleware:
    """Caching headers on successful API reads.

    Last-Modified is the time the dataset last changed (with the ETag, it lets a client or a CDN
    revalidate cheaply). Cache-Control lets shared caches keep anonymous answers for
    API_CACHE_MAX_AGE seconds; answers to signed-in users stay private. Listed after
    ConditionalGetMiddleware, so that one sees Last-Modified and can answer 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/api/") or response.status_code != 200:
            return response
        dated = not DATED_BY_OTHER_THINGS.search(request.path) and not response.has_header("Last-Modified")
        if dated and (changed_at := dataset_changed_at(request)):
            response["Last-Modified"] = http_date(changed_at.timestamp())
        signed_in = "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES
        if signed_in:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=getattr(settings, "API_CACHE_MAX_AGE", 60))
        return response
