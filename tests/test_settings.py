"""Settings come from the environment, and refuse unsafe combinations."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


def run_settings(env, expr):
    """Import the settings in a fresh interpreter with exactly `env` and print `expr`."""
    code = f"import spacediplo.settings as s; print({expr})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": os.environ["PATH"], **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_and_a_secret_key_is_required_by_default():
    result = run_settings({}, "s.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_must_be_asked_for():
    assert run_settings({"DJANGO_SECRET_KEY": "x" * 50}, "s.DEBUG").stdout.strip() == "False"
    assert run_settings({"DJANGO_DEBUG": "1"}, "s.DEBUG").stdout.strip() == "True"


@pytest.mark.parametrize("url", ["", None])
def test_sqlite_is_the_default_database(url):
    env = {"DJANGO_DEBUG": "1"} | ({"DATABASE_URL": url} if url is not None else {})
    out = run_settings(env, "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']").stdout
    assert "sqlite3" in out
    assert "db.sqlite3" in out


def test_database_url_selects_postgresql():
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u:p@db.example:5433/diplo"}
    out = run_settings(env, "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST']").stdout
    assert "postgresql" in out
    assert "db.example" in out


def test_allowed_hosts_and_cors_come_from_the_environment():
    env = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "api.example.org, www.example.org"}
    assert run_settings(env, "s.ALLOWED_HOSTS").stdout.strip() == "['api.example.org', 'www.example.org']"


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    """CI runs the suite twice; this makes sure the PostgreSQL run really is on PostgreSQL."""
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
