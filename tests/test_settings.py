"""Settings come from the environment, and refuse unsafe combinations."""

import ast
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest
from django.conf import settings
from django.db import connection

from tests.test_production_static import fetch, free_port

GOOD_KEY = secrets.token_urlsafe(50)


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


def values(env, *exprs):
    """The settings' values of `exprs` as a tuple, read in a fresh interpreter with exactly `env`."""
    result = run_settings(env, f"repr(({', '.join(exprs)},))")
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout)


def test_debug_is_off_and_a_secret_key_is_required_by_default():
    result = run_settings({}, "s.DEBUG")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_must_be_asked_for():
    assert run_settings({"DJANGO_SECRET_KEY": GOOD_KEY}, "s.DEBUG").stdout.strip() == "False"
    assert run_settings({"DJANGO_DEBUG": "1"}, "s.DEBUG").stdout.strip() == "True"


@pytest.mark.parametrize(
    "key",
    [
        "insecure-local-development-key-only",  # the fixed key DEBUG once fell back to
        "change-me-for-anything-but-a-local-try-out",
        "x" * 60,  # long, but only one distinct character
        "django-insecure-" + secrets.token_urlsafe(50),  # what startproject writes into settings.py
    ],
    ids=["old-fallback", "placeholder", "one-character", "startproject"],  # the same on every xdist worker
)
@pytest.mark.parametrize("debug", ["1", "0"])
def test_a_short_or_published_secret_key_is_refused_even_with_debug(key, debug):
    result = run_settings({"DJANGO_SECRET_KEY": key, "DJANGO_DEBUG": debug}, "s.SECRET_KEY")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is unfit" in result.stderr
    assert key not in result.stdout


def test_debug_without_a_key_signs_with_a_random_key_per_run_shared_with_its_children():
    exprs = ("s.SECRET_KEY", "s.SECRET_KEY == __import__('os').environ['DJANGO_SECRET_KEY']")
    first, exported = values({"DJANGO_DEBUG": "1"}, *exprs)
    second, _ = values({"DJANGO_DEBUG": "1"}, *exprs)
    assert exported  # so runserver's autoreloaded child, started with this environment, signs with the same key
    assert first != second
    assert len(first) >= 50


HTTPS_SETTINGS = ("s.SECURE_SSL_REDIRECT", "s.SESSION_COOKIE_SECURE", "s.CSRF_COOKIE_SECURE", "s.SECURE_HSTS_SECONDS")


def test_https_is_off_by_default_so_plain_http_keeps_working():
    assert values({"DJANGO_SECRET_KEY": GOOD_KEY}, *HTTPS_SETTINGS) == (False, False, False, 0)
    assert values({"DJANGO_DEBUG": "1"}, *HTTPS_SETTINGS) == (False, False, False, 0)


def test_https_settings_come_from_the_environment():
    env = {
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_HTTPS": "1",
        "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://example.org, https://www.example.org",
    }
    hsts = ("s.SECURE_HSTS_INCLUDE_SUBDOMAINS", "s.SECURE_HSTS_PRELOAD")
    assert values(env, *HTTPS_SETTINGS, *hsts) == (True, True, True, 31536000, True, True)
    assert values(env, "s.SECURE_PROXY_SSL_HEADER", "s.CSRF_TRUSTED_ORIGINS") == (
        ("HTTP_X_FORWARDED_PROTO", "https"),
        ["https://example.org", "https://www.example.org"],
    )
    env |= {"DJANGO_HSTS_SECONDS": "3600", "DJANGO_HSTS_PRELOAD": "0", "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "no"}
    assert values(env, "s.SECURE_HSTS_SECONDS", *hsts) == (3600, False, False)


def test_throttling_and_login_limits_come_from_the_environment():
    env = {"DJANGO_SECRET_KEY": GOOD_KEY}
    throttles = ("s.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']", "s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']")
    classes, rates = values(env, *throttles)
    assert [name.rsplit(".", 1)[1] for name in classes] == ["AnonRateThrottle", "UserRateThrottle"]
    assert rates == {"anon": "120/min", "user": "1200/min"}
    env |= {"API_THROTTLE_ANON": "10/second", "API_THROTTLE_USER": "5000/hour"}
    assert values(env, *throttles)[1] == {"anon": "10/second", "user": "5000/hour"}
    assert values(env | {"API_THROTTLE": "0"}, *throttles)[0] == []

    axes = ("s.AXES_FAILURE_LIMIT", "s.AXES_COOLOFF_TIME.total_seconds()", "s.AXES_LOCKOUT_PARAMETERS")
    assert values(env, *axes) == (5, 900.0, [["username", "ip_address"]])
    env |= {"DJANGO_LOGIN_FAILURE_LIMIT": "3", "DJANGO_LOGIN_COOLOFF_MINUTES": "2.5"}
    assert values(env, *axes) == (3, 150.0, [["username", "ip_address"]])


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": os.environ["PATH"], **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_over_https_behind_a_proxy():
    env = {
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DJANGO_HTTPS": "1",
        "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://example.org",
    }
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_production_environment_without_https():
    result = check_deploy({"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


@pytest.mark.slow  # a development server in a process
def test_local_development_serves_plain_http_on_127_0_0_1(tmp_path):
    port = free_port()
    env = {"PATH": os.environ["PATH"], "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, _ = fetch(f"http://127.0.0.1:{port}/admin/login/", timeout=2)
                break
            except OSError:
                assert server.poll() is None, "runserver exited"
                assert time.monotonic() < deadline, "runserver did not answer in 30 s"
                time.sleep(0.2)
        assert status == 200  # no redirect to https
        assert "secure" not in headers.get("set-cookie", "").lower()  # the CSRF cookie works over http
        assert "default-src 'self'" in headers["content-security-policy"]
    finally:
        server.terminate()
        server.wait(timeout=10)


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
    env = {"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "api.example.org, www.example.org"}
    assert run_settings(env, "s.ALLOWED_HOSTS").stdout.strip() == "['api.example.org', 'www.example.org']"


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    """CI runs the suite twice; this makes sure the PostgreSQL run really is on PostgreSQL."""
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


# --- a checkout's local settings: manage.py reads .env when the environment gives no key ------------------------

PRINT_SETTINGS = "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY, s.DATABASES['default']['NAME'])"


def manage_beside(env_file: str | None, directory, env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run the project's manage.py from a copy in `directory`, beside `env_file`'s text as its .env (none if None),
    with exactly `env`: the checkout's own .env, whatever it holds, is not read."""
    shutil.copy(settings.BASE_DIR / "manage.py", directory / "manage.py")
    if env_file is not None:
        (directory / ".env").write_text(env_file)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(settings.BASE_DIR), **env},
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )


def local_env(tmp_path) -> str:
    return f"DJANGO_DEBUG=1\nDJANGO_SECRET_KEY={GOOD_KEY}\nDATABASE_URL=sqlite:///{tmp_path / 'local.sqlite3'}\n"


def test_manage_py_reads_the_local_env_file_when_the_environment_gives_no_key(tmp_path):
    result = manage_beside(local_env(tmp_path), tmp_path, {}, "shell", "-v0", "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", GOOD_KEY, str(tmp_path / "local.sqlite3")]


def test_the_environment_wins_over_the_local_env_file(tmp_path):
    other = str(tmp_path / "other.sqlite3")
    result = manage_beside(
        local_env(tmp_path), tmp_path, {"DATABASE_URL": f"sqlite:///{other}"}, "shell", "-v0", "-c", PRINT_SETTINGS
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", GOOD_KEY, other]


def test_an_environment_with_a_key_is_read_as_it_is_and_the_local_env_file_is_not(tmp_path):
    key = secrets.token_urlsafe(50)
    result = manage_beside(
        local_env(tmp_path), tmp_path, {"DJANGO_SECRET_KEY": key}, "shell", "-v0", "-c", PRINT_SETTINGS
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", key, str(settings.BASE_DIR / "db.sqlite3")]  # no DEBUG from .env


def test_manage_py_without_a_key_or_a_local_env_file_still_refuses(tmp_path):
    result = manage_beside(None, tmp_path, {}, "check")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_the_wsgi_application_never_reads_a_local_env_file(tmp_path):
    """gunicorn imports the WSGI module, not manage.py: without a key in its environment it refuses to start, even
    run from a directory holding a .env."""
    (tmp_path / ".env").write_text(local_env(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import spacediplo.wsgi"],
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(settings.BASE_DIR)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.slow  # a migration and the seed load in processes
def test_the_readmes_commands_run_with_only_the_local_env_file(tmp_path):
    for command in (["migrate", "--no-input"], ["load_seed_data"], ["check_data"]):
        result = manage_beside(local_env(tmp_path), tmp_path, {}, *command)
        assert result.returncode == 0, f"manage.py {' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    with closing(sqlite3.connect(tmp_path / "local.sqlite3")) as local:  # the load went into local.sqlite3
        assert local.execute("SELECT count(*) FROM events_agency").fetchone() == (11,)
