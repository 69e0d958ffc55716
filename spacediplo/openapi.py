"""The site's OpenAPI document: additions that come from the site's settings rather than from any one view, and the
view that serves it."""

import hashlib
import threading
from typing import ClassVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.http import quote_etag
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from events.api.schema import PROBLEM_COMPONENTS


def document_throttling(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may answer 429, with the seconds to wait in Retry-After.

    Documented whether or not throttling is on (API_THROTTLE): clients must be ready for it wherever the API runs.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in PROBLEM_COMPONENTS.items():  # events.api.schema registers them for the other problem answers
        schemas.setdefault(name, schema)
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    too_many = {
        "description": (
            f"Too many requests: the rate limit ({rates.get('anon')} anonymous, {rates.get('user')} per user) "
            "is spent; retry after the seconds in Retry-After."
        ),
        "headers": {
            "Retry-After": {"schema": {"type": "integer", "minimum": 0}, "description": "Seconds to wait."},
        },
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", too_many)
    return result


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, built once per process and rendered once per format (YAML, JSON): each rendering is
    kept with its ETag, and ConditionalGetMiddleware answers a matching If-None-Match with 304.

    The document follows from the code and the settings alone. It is built without the request, as the
    `spectacular` command builds it, so no client's headers or credentials shape what the next one gets; and
    drf-spectacular's `lang` and `version` variants are not offered (the API has one language and one version).
    """

    _built: ClassVar[dict] = {}  # renderer class -> (content, ETag); the document itself under None
    _lock = threading.Lock()

    @extend_schema(exclude=True)  # the document does not describe itself (SERVE_INCLUDE_SCHEMA is off)
    def get(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        content, etag = self.rendering(renderer)
        charset = f"; charset={renderer.charset}" if renderer.charset else ""
        response = HttpResponse(content, content_type=f"{renderer.media_type}{charset}")
        response["ETag"] = etag
        response["Content-Disposition"] = f'inline; filename="{self._get_filename(request, None)}"'
        return response

    def rendering(self, renderer) -> tuple[bytes, str]:
        found = self._built.get(type(renderer))
        if found is None:
            with self._lock:  # one build, however many requests arrive while it runs
                found = self._built.get(type(renderer)) or self._render(renderer)
        return found

    def _render(self, renderer) -> tuple[bytes, str]:
        if None not in self._built:
            with patched_settings(self.custom_settings):
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=self.api_version, patterns=self.patterns
                )
                self._built[None] = generator.get_schema(request=None, public=self.serve_public)
        content = renderer.render(self._built[None], renderer.media_type, {})
        found = self._built[type(renderer)] = (
            content,
            quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest()),
        )
        return found

    @classmethod
    def forget(cls) -> None:
        cls._built.clear()


# Settings the document cannot depend on: the hosts a server answers to (changed around every live-server test).
UNDESCRIBED_SETTINGS = {"ALLOWED_HOSTS"}


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting not in UNDESCRIBED_SETTINGS:
        SchemaView.forget()  # the document describes the settings too (throttle rates, pagination)
