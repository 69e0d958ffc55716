"""Settings, all driven by the environment.

SQLite (db.sqlite3 beside manage.py) unless DATABASE_URL names another database.
DEBUG is off unless DJANGO_DEBUG is set. A secret key must pass Django's deploy check (50+ characters, 5+ distinct,
not a startproject key); without one, only DEBUG runs, with a random key for this server run.
HTTPS settings (redirect, secure cookies, HSTS) follow DJANGO_HTTPS, so plain-HTTP runs (local, compose, the
benchmark) keep working and `check --deploy` flags a production environment that forgot it.
"""

import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
import orjson
from corsheaders import defaults as corsheaders_defaults
from csp.constants import NONE, SELF
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from spacediplo.contentpolicy import style_attribute_hashes, style_block_hashes

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")


def secret_key_unfit(key: str) -> str:
    """Why `key` may not sign anything (empty when it may): the rules of Django's deploy check (security.W009)."""
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"it needs {SECRET_KEY_MIN_LENGTH}+ characters, {SECRET_KEY_MIN_UNIQUE_CHARACTERS}+ of them distinct"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"a key starting {SECRET_KEY_INSECURE_PREFIX!r} is one startproject published"
    return ""


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    # No fixed fallback: a key nobody else knows, for this run. Put in the environment so that runserver's
    # autoreloaded child (started with this environment) signs with the same key and sessions survive a reload.
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(SECRET_KEY_MIN_LENGTH)
if problem := secret_key_unfit(SECRET_KEY):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is unfit: {problem}. Make one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")  # e.g. https://example.org, for the admin's forms

# HTTPS. DJANGO_HTTPS=1 when browsers reach the site over HTTPS (directly or through a TLS-terminating proxy).
HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's plain-HTTP health probe must not be redirected
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# Behind a proxy that terminates TLS, the header it sets to say so (e.g. X-Forwarded-Proto). Only name a header the
# proxy always overwrites: a client could otherwise claim HTTPS. Without it, SSL redirect behind a proxy would loop.
if ssl_header := os.environ.get("DJANGO_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + ssl_header.upper().replace("-", "_"), "https")
# How many proxies append to X-Forwarded-For in front of the app: throttling and login lockouts count the client's
# address, not the proxy's. 0 trusts no such header (a client could forge it).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))

# Security headers (Django's defaults, stated): no sniffing, no framing, no referrer off the site, own browsing group.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Only what the site itself serves: the admin and the API docs (Swagger UI from drf-spectacular-sidecar) need nothing
# else. data: images are Swagger UI's icons. Two inline styles in other packages' templates are allowed by hash: the
# Swagger UI page's stylesheet and the style attribute of simple-history's paginator.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "style-src": [SELF, *style_block_hashes("drf_spectacular", "drf_spectacular/swagger_ui.html")],
        "style-src-attr": [
            "'unsafe-hashes'",
            *style_attribute_hashes("simple_history", "simple_history/object_history_list.html"),
            *style_attribute_hashes("rest_framework", "rest_framework/base.html"),  # the browsable API
        ],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "events",
    "bench.synthetic",  # generate_synthetic: records for the benchmark and the load test
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "spacediplo.malformed.MalformedRequestMiddleware",  # before anything reads the body or the session
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "events.api.middleware.LastModifiedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its response
]

ROOT_URLCONF = "spacediplo.urls"
WSGI_APPLICATION = "spacediplo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "spacediplo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The longest one SQL statement may run, in milliseconds (0: no limit). A request held up by a lock or a runaway
# query is cancelled and answers 503 with Retry-After (events/api/exceptions.py), freeing its worker, where it would
# otherwise wait for gunicorn's timeout (60 s). A wait for a lock counts: writes take their turn on the dataset
# revision's row, and under the load test (8 clients, a fifth of them writing) a write waited up to 7 s for it, so
# the default leaves room for that queue and still ends a runaway statement long before gunicorn would. manage.py's
# commands (migrate, loads, imports, exports, the synthetic generator) work through whole tables and run without
# one. PostgreSQL only: SQLite has no statement timeout.
running_command = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
DATABASE_STATEMENT_TIMEOUT = 0 if running_command else int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "15000"))

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# Read replicas: DATABASE_REPLICA_URLS (comma-separated URLs, like DATABASE_URL) adds the aliases replica1,
# replica2, ... and routes reads to them (spacediplo/dbrouters.py). Unset, there is no router.
# The test runner creates no database for a replica: it reads the default test database (TEST MIRROR).
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = dj_database_url.parse(
        url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
DATABASE_ROUTERS = ["spacediplo.dbrouters.PrimaryReplicaRouter"] if len(DATABASES) > 1 else []
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a health check that needs no round trip on an idle connection (see its module).
        database["ENGINE"] = "spacediplo.postgresql"
    if database["ENGINE"].endswith("postgresql"):
        # PostgreSQL's JIT pays off on long analytical queries; on an API's short ones it adds ~100 ms.
        options = f"-c jit=off -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"
        database.setdefault("OPTIONS", {}).setdefault("options", options)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Page counts are kept per dataset revision (events/api/pagination.py). Each process keeps its own;
# a shared cache (Redis, Memcached) only saves recounting once per process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_ENTRIES", "5000"))},
    }
}

# Failed logins (the admin's form) are limited by django-axes: after AXES_FAILURE_LIMIT failures for one username
# from one address, that pair is locked out for the cool-off time; a successful login clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if PROXY_COUNT else ("REMOTE_ADDR",)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Where api/v1/dump/ keeps the dataset file of the current revision (one file; earlier ones are removed).
DUMP_ROOT = Path(os.environ.get("DJANGO_DUMP_ROOT", Path(tempfile.gettempdir()) / "spacediplo-dumps"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
# So that a browser app on an allowed origin can read what conditional requests and polite retries need, and send
# the preconditions of the README's conditional writes.
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_ALLOW_HEADERS = [*corsheaders_defaults.default_headers, "if-match", "if-none-match"]
# Seconds a shared cache (a CDN) may keep an anonymous API answer (events/api/middleware.py).
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
CORS_URLS_REGEX = r"^/api/.*$"

# Throttling per client address (anonymous) or per user, counted in the default cache: per process with the
# local-memory cache, so N workers allow up to N times the rate unless a shared cache is configured.
# API_THROTTLE=0 turns it off (the benchmark measures the app, not the limiter).
API_THROTTLE = env_bool("API_THROTTLE", True)

REST_FRAMEWORK = {
    # Token first, so an anonymous write gets 401 with a WWW-Authenticate challenge rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "events.api.parameters.StrictFilterBackend",
        "events.api.parameters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "events.api.pagination.PagePagination",
    # JSON (orjson: several times faster, same JSON) unless a browser asks for HTML; `?format=json|api` picks one.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "events.api.browsable.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "events.api.parameters.StrictContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["events.api.parsers.StrictJSONParser"],  # bounded nesting, no NUL
    "DEFAULT_SCHEMA_CLASS": "events.api.schema.ApiSchema",  # problem answers documented on every operation
    "EXCEPTION_HANDLER": "events.api.exceptions.problem_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),  # error details index list items by number
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ]
    if API_THROTTLE
    else [],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
    },
    "NUM_PROXIES": PROXY_COUNT,  # None would take X-Forwarded-For as given, letting a client pick its own address
}

SPECTACULAR_SETTINGS = {
    "TITLE": "spacediplo API",
    "DESCRIPTION": (
        "A source-backed database of space-diplomacy events. Every fact is a claim by a source; where "
        "sources disagree, every version is kept and the preferred one is marked."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "spacediplo.openapi.document_throttling",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "events.models.Agency.Kind",
        "PlaceKindEnum": "events.models.Place.Kind",
        "SourceKindEnum": "events.models.Source.Kind",
        "MeetingKindEnum": "events.models.Meeting.Kind",
        "MeetingStatusEnum": "events.models.Meeting.Status",
        "LaunchStatusEnum": "events.models.Launch.Status",
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
SEED_FIXTURES = ["sources", "reference", "tenures", "events", "claims"]

# Every record goes to stderr once, through the root's handler, at DJANGO_LOG_LEVEL. Django's own defaults also give
# the `django` logger a console handler (with DEBUG), which printed each of its lines twice beside the root's: here
# it has none. runserver's request lines keep their own handler and format, and stop there.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "level": "NOTSET", "propagate": True},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
