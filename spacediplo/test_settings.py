"""Settings for the test suite: the real settings, with a throwaway secret key if none is given."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from spacediplo.settings import *  # noqa: E402, F403

# Tests do not run collectstatic, so there is no manifest of hashed file names to look up.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no STATIC_ROOT is built for tests
