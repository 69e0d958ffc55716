"""docker-compose.yml as docker-compose reads it (Debian's docker-compose package; `config` needs no Docker engine):
the app's health check, and the settings passed through from the environment."""

import os
import re
import shutil
import subprocess

import pytest
import yaml
from django.conf import settings

COMPOSE = shutil.which("docker-compose")
# Read by settings.py but deliberately not passed to the container, each with its reason.
NOT_PASSED = {
    "DJANGO_DEBUG": "never in a container",
    "DATABASE_URL": "set by the compose file to its own database",
    "DATABASE_REPLICA_URLS": "the compose file runs no replica",
    "DJANGO_STATIC_ROOT": "collected into the image at build",
    "DJANGO_DUMP_ROOT": "a temporary folder inside the container",
    "DJANGO_CACHE_ENTRIES": "a tuning knob for the benchmark",
}


@pytest.fixture(scope="module")
def compose():
    if COMPOSE is None:
        pytest.fail("docker-compose is not installed: `apt-get install docker-compose` (scripts/test.sh does).")
    return COMPOSE


def config(compose, tmp_path, env: dict) -> dict:
    """The compose file as docker-compose resolves it with exactly `env` (the checkout's .env is not read)."""
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = subprocess.run(
        [compose, "--env-file", str(empty), "--file", "docker-compose.yml", "config"],
        env={"PATH": os.environ["PATH"], **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_the_compose_file_is_valid_and_the_app_waits_for_a_healthy_database(compose, tmp_path):
    services = config(compose, tmp_path, {})["services"]
    assert services["app"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["app"]["environment"]["DATABASE_URL"].startswith("postgres://spacediplo:spacediplo@db:5432/")


def test_the_app_has_a_health_check_on_healthz_as_the_image_does(compose, tmp_path):
    check = config(compose, tmp_path, {})["services"]["app"]["healthcheck"]
    assert check["test"] == ["CMD", "python", "-m", "spacediplo.healthcheck"]
    assert check["start_period"]  # the first start migrates and loads the seed before it serves
    dockerfile = (settings.BASE_DIR / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "spacediplo.healthcheck"]' in dockerfile  # `docker run` checks it the same way


def test_settings_pass_through_from_the_environment(compose, tmp_path):
    given = {
        "CORS_ALLOWED_ORIGINS": "https://app.example.org",
        "API_THROTTLE": "0",
        "API_THROTTLE_ANON": "10/min",
        "DJANGO_HTTPS": "1",
        "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "DJANGO_HSTS_SECONDS": "3600",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://example.org",
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_MAX_CONNECTIONS": "40",
        "GUNICORN_CMD_ARGS": "--workers 3",
        "POSTGRES_MAX_CONNECTIONS": "200",
    }
    resolved = config(compose, tmp_path, given)["services"]
    environment = resolved["app"]["environment"]
    for name, value in given.items():
        if name != "POSTGRES_MAX_CONNECTIONS":
            assert environment[name] == value, name
    assert "max_connections=200" in resolved["db"]["command"]


def test_settings_left_unset_stay_unset_so_the_apps_defaults_hold(compose, tmp_path):
    """An empty value is not unset: API_THROTTLE="" would turn rate limits off."""
    environment = config(compose, tmp_path, {})["services"]["app"]["environment"]
    for name in ("API_THROTTLE", "CORS_ALLOWED_ORIGINS", "DJANGO_HTTPS", "DJANGO_HSTS_SECONDS", "DJANGO_PROXY_COUNT"):
        assert environment[name] is None, name  # null: not set in the container
    assert environment["DJANGO_ALLOWED_HOSTS"] == "localhost,127.0.0.1"


def test_every_setting_the_app_reads_from_the_environment_is_passed_through(compose, tmp_path):
    source = "".join(
        (settings.BASE_DIR / "spacediplo" / name).read_text() for name in ("settings.py", "gunicorn.conf.py")
    )
    read = set(re.findall(r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    assert {"DJANGO_SECRET_KEY", "CORS_ALLOWED_ORIGINS", "API_THROTTLE", "DATABASE_MAX_CONNECTIONS"} <= read
    passed = set(config(compose, tmp_path, {})["services"]["app"]["environment"])
    assert read - passed - set(NOT_PASSED) == set()
