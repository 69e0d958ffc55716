"""As deployed: gunicorn, DEBUG off, collected static files served by whitenoise under hashed names."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

VENV_BIN = Path(sys.executable).parent
HASHED = re.compile(r"\.[0-9a-f]{12}\.(?:css|js)$")
LONG_LIVED = re.compile(r"max-age=(\d+)")
TEN_YEARS = 315360000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 10) -> tuple[int, dict, str]:
    """Status, headers (lower-cased names) and body; an HTTP error is an answer, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()


@pytest.fixture
def production_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "spacediplo.settings",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SECRET_KEY": "production-like-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    return env


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture
def gunicorn(production_env, tmp_path):
    """The collected, migrated site under gunicorn; yields its base URL, and always stops it."""
    manage(production_env, "collectstatic", "--no-input")
    manage(production_env, "migrate", "--no-input")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "spacediplo.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                # No control socket in ~/.gunicorn, which runs side by side would share.
                "--no-control-socket",
            ],
            cwd=settings.BASE_DIR,
            env=production_env | {"DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                assert server.poll() is None, f"gunicorn exited with {server.returncode}:\n{log_path.read_text()}"
                try:
                    fetch(f"{base}/healthz", timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"gunicorn did not answer in 20 s:\n{log_path.read_text()}"
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            print(f"gunicorn log: {log_path}")


def assert_served_forever(base: str, href: str, content_type: str) -> None:
    status, headers, _ = fetch(f"{base}{href}")
    assert status == 200, href
    assert headers["content-type"].startswith(content_type), (href, headers["content-type"])
    cache = headers.get("cache-control", "")
    max_age = LONG_LIVED.search(cache)
    assert "immutable" in cache or (max_age and int(max_age.group(1)) >= TEN_YEARS), (href, cache)


def test_the_admin_and_the_api_docs_are_styled_under_gunicorn_with_debug_off(gunicorn, tmp_path):
    base = gunicorn
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed_names = {f"/static/{name}" for name in manifest.values()}
    status, _, login = fetch(f"{base}/admin/login/")
    assert status == 200
    stylesheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', login)
    assert any("admin/css/base." in href for href in stylesheets), stylesheets
    assert any("admin/css/login." in href for href in stylesheets), stylesheets
    for href in stylesheets:
        assert href.startswith("/static/"), href
        assert HASHED.search(href), f"{href} is not a hashed name"
        assert href in hashed_names, f"{href} is not in the manifest"
        assert_served_forever(base, href, "text/css")

    status, _, docs = fetch(f"{base}/api/v1/docs/")
    assert status == 200
    css = re.findall(r'href="(/static/[^"]*swagger-ui[^"]*\.css)"', docs)
    scripts = re.findall(r'src="(/static/[^"]*swagger-ui[^"]*\.js)"', docs)
    assert css, docs
    assert any("swagger-ui-bundle" in src for src in scripts), docs
    for href in css + scripts:
        assert href in hashed_names, f"{href} is not a hashed name from the manifest"
    for href in css:
        assert_served_forever(base, href, "text/css")
    for src in scripts:
        assert_served_forever(base, src, "text/javascript")

    status, _, missing = fetch(f"{base}/does-not-exist/")
    assert status == 404
    assert "Not Found" in missing
    for leak in ("Traceback", "DEBUG = True", "Using the URLconf"):
        assert leak not in missing
