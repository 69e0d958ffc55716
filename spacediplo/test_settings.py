"""Settings for the test suite: the real settings, with a throwaway secret key if none is given."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from spacediplo.settings import *  # noqa: E402, F403
