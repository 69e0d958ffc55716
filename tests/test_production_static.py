"""As deployed: gunicorn, DEBUG off, collected static files served by whitenoise under hashed names; HTTPS behind a
proxy, security headers and rate limits as the environment sets them."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow  # gunicorn in a process

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


def fetch_raw(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """One GET, redirects not followed; header names lower-cased, repeated ones (Set-Cookie) joined by newlines."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        found = {}
        for name, value in response.getheaders():
            found[name.lower()] = f"{found[name.lower()]}\n{value}" if name.lower() in found else value
        return response.status, found, response.read().decode()
    finally:
        connection.close()


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "API_")) and k != "DATABASE_URL"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "spacediplo.settings",
        "DJANGO_SECRET_KEY": "production-like-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    }


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic once for the module's servers (it is the slow part of starting one)."""
    root = tmp_path_factory.mktemp("static")
    manage(base_env() | {"DJANGO_STATIC_ROOT": str(root)}, "collectstatic", "--no-input")
    return root


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory, static_root):
    """A migrated database made once for the module's servers; each server gets a copy."""
    path = tmp_path_factory.mktemp("database") / "migrated.sqlite3"
    manage(base_env() | {"DJANGO_STATIC_ROOT": str(static_root), "DATABASE_URL": f"sqlite:///{path}"}, "migrate")
    return path


@pytest.fixture
def production_env(tmp_path, static_root, migrated_database):
    shutil.copyfile(migrated_database, tmp_path / "db.sqlite3")
    return base_env() | {"DJANGO_STATIC_ROOT": str(static_root), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}


@pytest.fixture
def server_env():
    """More environment for the server; tests parametrize it."""
    return {}


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


@contextmanager
def gunicorn_serving(env: dict, log_path: Path):
    """The site under gunicorn with `env`; yields its base URL once it answers, and always stops it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                # As deployed (the Dockerfile), but with one worker: enough here, and lighter on a test machine.
                "-c",
                "spacediplo/gunicorn.conf.py",
                "spacediplo.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                # No control socket in ~/.gunicorn, which runs side by side would share.
                "--no-control-socket",
            ],
            cwd=settings.BASE_DIR,
            env=env,
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


@pytest.fixture
def gunicorn(production_env, server_env, tmp_path):
    """The collected, migrated site under gunicorn; yields its base URL, and always stops it."""
    with gunicorn_serving(
        production_env | {"DJANGO_ALLOWED_HOSTS": "127.0.0.1"} | server_env, tmp_path / "gunicorn.log"
    ) as base:
        yield base


def assert_served_forever(base: str, href: str, content_type: str) -> None:
    status, headers, _ = fetch(f"{base}{href}")
    assert status == 200, href
    assert headers["content-type"].startswith(content_type), (href, headers["content-type"])
    cache = headers.get("cache-control", "")
    max_age = LONG_LIVED.search(cache)
    assert "immutable" in cache or (max_age and int(max_age.group(1)) >= TEN_YEARS), (href, cache)


def test_the_admin_and_the_api_docs_are_styled_under_gunicorn_with_debug_off(gunicorn, static_root):
    base = gunicorn
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
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


def healthcheck(url: str, env: dict) -> subprocess.CompletedProcess:
    """The container's health check (Dockerfile, docker-compose.yml) against `url`."""
    return subprocess.run(
        [sys.executable, "-m", "spacediplo.healthcheck", url],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_containers_health_check_passes_only_while_the_site_serves(gunicorn, tmp_path):
    assert healthcheck(f"{gunicorn}/healthz", {"DJANGO_ALLOWED_HOSTS": "127.0.0.1"}).returncode == 0
    # It names a host the site serves: the first allowed one (a leading dot allows the domain itself).
    assert healthcheck(f"{gunicorn}/healthz", {"DJANGO_ALLOWED_HOSTS": ".127.0.0.1,example.org"}).returncode == 0
    refused = healthcheck(f"{gunicorn}/healthz", {"DJANGO_ALLOWED_HOSTS": "example.org"})
    assert refused.returncode == 1
    assert "answered 400" in refused.stderr
    down = healthcheck(f"http://127.0.0.1:{free_port()}/healthz", {"DJANGO_ALLOWED_HOSTS": "127.0.0.1"})
    assert down.returncode == 1
    assert "unhealthy" in down.stderr


def test_gunicorn_logs_each_line_once(gunicorn, tmp_path):
    fetch_raw(gunicorn, "/api/v1/topics/", {"Host": "not-served.example"})
    log = tmp_path / "gunicorn.log"
    deadline = time.monotonic() + 10
    while "Invalid HTTP_HOST header" not in log.read_text():
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    # The record's first line (its traceback's last line repeats the message after the exception's name).
    records = [line for line in log.read_text().splitlines() if line.startswith("Invalid HTTP_HOST header")]
    assert len(records) == 1, log.read_text()


BEHIND_AN_HTTPS_PROXY = {
    "DJANGO_HTTPS": "1",
    "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
    "API_THROTTLE_ANON": "5/min",
}
VIA_PROXY = {"X-Forwarded-Proto": "https"}


@pytest.mark.parametrize("server_env", [BEHIND_AN_HTTPS_PROXY])
def test_behind_an_https_proxy_with_the_production_environment(gunicorn):
    base = gunicorn
    # Plain HTTP is sent to HTTPS, except the load balancer's health probe.
    status, headers, _ = fetch_raw(base, "/api/v1/topics/")
    assert status == 301
    assert headers["location"] == f"https://{base.removeprefix('http://')}/api/v1/topics/"
    assert fetch_raw(base, "/healthz")[0] == 200
    assert healthcheck(f"{base}/healthz", {"DJANGO_ALLOWED_HOSTS": "127.0.0.1"}).returncode == 0

    # Over HTTPS (as the proxy says): HSTS, secure cookies, the security headers.
    status, headers, _ = fetch_raw(base, "/admin/login/", VIA_PROXY)
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert "; secure" in headers["set-cookie"].lower()
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"

    # API_THROTTLE_ANON=5/min: the sixth anonymous request in a minute is a 429 problem with Retry-After.
    for _ in range(5):
        assert fetch_raw(base, "/api/v1/topics/", VIA_PROXY)[0] == 200
    status, headers, body = fetch_raw(base, "/api/v1/topics/", VIA_PROXY)
    assert status == 429
    assert headers["content-type"].startswith("application/problem+json")
    assert 0 < int(headers["retry-after"]) <= 60
    assert json.loads(body)["title"] == "Too many requests"


@pytest.mark.parametrize("server_env", [{"API_THROTTLE": "0", "API_THROTTLE_ANON": "1/min"}])
def test_api_throttle_0_turns_rate_limits_off(gunicorn):
    for _ in range(5):
        assert fetch_raw(gunicorn, "/api/v1/topics/")[0] == 200


def test_the_deployed_server_keeps_a_client_connection_open_between_requests(gunicorn):
    host, port = gunicorn.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", "/api/v1/topics/")
        first = conn.getresponse()
        first.read()
        assert first.status == 200
        assert first.getheader("Connection", "").lower() != "close"
        local = conn.sock.getsockname()
        conn.request("GET", "/api/v1/agencies/")
        second = conn.getresponse()
        second.read()
        assert second.status == 200
        assert conn.sock.getsockname() == local  # the same TCP connection answered both
    finally:
        conn.close()


def test_the_containers_start_script_migrates_loads_the_seed_and_serves(production_env, tmp_path):
    """scripts/container-start.sh, the image's command, on this machine: migrate, the seed into the empty
    database, gunicorn with the project's configuration; then the health check passes and the data is served."""
    port = free_port()
    env = production_env | {
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",  # python and gunicorn as the image has them
        "PORT": str(port),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_CMD_ARGS": "--workers 1 --no-control-socket",
    }
    log_path = tmp_path / "container.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            ["sh", "scripts/container-start.sh"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the shell execs gunicorn: one process group to stop
        )
        try:
            deadline = time.monotonic() + 120
            while healthcheck(f"http://127.0.0.1:{port}/healthz", env).returncode != 0:
                assert server.poll() is None, f"the start script exited:\n{log_path.read_text()}"
                assert time.monotonic() < deadline, f"not healthy in 120 s:\n{log_path.read_text()}"
                time.sleep(0.5)
            status, _, body = fetch(f"http://127.0.0.1:{port}/api/v1/agencies/")
            assert status == 200
            assert json.loads(body)["count"] == 11  # the seed's agencies
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    text = log_path.read_text()
    assert "Serving with 1 workers of 2 threads" in text  # the configuration's own line, GUNICORN_CMD_ARGS applied
    assert '"GET /api/v1/agencies/ HTTP/1.1" 200' in text  # the access log, on stdout
