import re

from django.utils.http import http_date

from events.models import DatasetRevision

# Answers that change without the data changing: heads (default day: today) and the API's own description.
DATED_BY_OTHER_THINGS = re.compile(r"/heads/$|/api/v1/(schema|docs)/$")


def dataset_changed_at(request):
    """When the dataset last changed, read at most once per request (pagination and headers share it)."""
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    if not hasattr(request, "dataset_changed_at"):
        request.dataset_changed_at = DatasetRevision.objects.values_list("changed_at", flat=True).first()
    return request.dataset_changed_at


class LastModifiedMiddleware:
    """Last-Modified on successful API reads: the time the dataset last changed.

    Listed after ConditionalGetMiddleware, so that one sees the header and can answer 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and request.path.startswith("/api/")
            and not DATED_BY_OTHER_THINGS.search(request.path)
            and response.status_code == 200
            and not response.has_header("Last-Modified")
        ) and (changed_at := dataset_changed_at(request)):
            response["Last-Modified"] = http_date(changed_at.timestamp())
        return response
