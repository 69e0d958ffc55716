"""Settings for the test suite: the real settings, with a throwaway secret key if none is given."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from spacediplo.settings import *  # noqa: E402, F403

# Tests do not run collectstatic, so there is no manifest of hashed file names to look up.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no STATIC_ROOT is built for tests

# A test database per run, so parallel runs against one PostgreSQL server cannot trip over each other.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_spacediplo_{os.getpid()}"}  # noqa: F405
