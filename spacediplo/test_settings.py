"""Settings for the test suite: the real settings, with a throwaway secret key if none is given."""

import copy
import os
import secrets

# Set in the environment (not only here) so that the servers and commands tests start in subprocesses share it.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

from spacediplo.settings import *  # noqa: E402, F403

# Tests do not run collectstatic, so there is no manifest of hashed file names to look up.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no STATIC_ROOT is built for tests

# A test database per run, so parallel runs against one PostgreSQL server cannot trip over each other.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_spacediplo_{os.getpid()}"}  # noqa: F405

# Read replicas (DATABASE_REPLICA_URLS) are second connections to the test database: a mirror takes only the
# database's name from "default", and a replica server has no test database. One replica alias is always there,
# and no router: the suite behaves the same with or without replicas, and tests/test_dbrouter.py installs the
# router where it tests it.
for alias in [alias for alias in DATABASES if alias != "default"] or ["replica1"]:  # noqa: F405
    DATABASES[alias] = {**copy.deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
# A live server answers each request on a thread of its own, which would open (and close) a PostgreSQL connection
# per request, for thousands of requests in the fuzzing and browser tests: a pool hands each thread a connection an
# earlier one used. A pooled connection goes back to the pool at a request's end, so none is kept (CONN_MAX_AGE 0).
for database in DATABASES.values():  # noqa: F405
    if database["ENGINE"].endswith("postgresql"):
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"]["pool"] = {"min_size": 1, "max_size": 16}  # room for the racing-writer tests

# The suite makes many requests from one address: no rate limits, except where tests/test_security.py turns them on.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# django-axes needs the request passed to authenticate(), which the test client's login() does not do. Logins
# through the admin's form work either way; tests/test_security.py turns lockouts on where it tests them.
AXES_ENABLED = False
# Password hashing is slow by design (a third of a second a hash here); the suite makes over a hundred users and
# logins, and no test is about the hasher. Production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
