"""Each log line is printed once, read from a real process's stderr: Django's own loggers, the project's, and
runserver's request lines."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.test_production_static import fetch, free_port

GOOD_KEY = "logging-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
EMIT = """
import django, logging
django.setup()
logging.getLogger("django.request").warning("marker-django")
logging.getLogger("django.security.DisallowedHost").error("marker-security")
logging.getLogger("events.api.exceptions").warning("marker-project")
logging.getLogger("events.api.exceptions").info("marker-below-level")
"""


def emitted(env: dict) -> str:
    """What a process with the project's settings and `env` prints on stderr for the lines EMIT logs."""
    result = subprocess.run(
        [sys.executable, "-c", EMIT],
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "spacediplo.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    "env",
    [{"DJANGO_DEBUG": "1"}, {"DJANGO_SECRET_KEY": GOOD_KEY}],
    ids=["debug", "production"],
)
def test_each_line_is_printed_once_with_debug_or_without(env):
    stderr = emitted(env)
    for marker in ("marker-django", "marker-security", "marker-project"):
        assert stderr.count(marker) == 1, stderr


def test_the_level_comes_from_the_environment():
    assert "marker-below-level" not in emitted({"DJANGO_DEBUG": "1"})
    stderr = emitted({"DJANGO_DEBUG": "1", "DJANGO_LOG_LEVEL": "INFO"})
    assert stderr.count("marker-below-level") == 1, stderr
    assert stderr.count("marker-django") == 1, stderr
    assert "marker-project" not in emitted({"DJANGO_DEBUG": "1", "DJANGO_LOG_LEVEL": "ERROR"})


@pytest.mark.slow  # a development server in a process
def test_runserver_prints_a_request_and_its_warning_once(tmp_path):
    port = free_port()
    env = {"PATH": os.environ["PATH"], "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    status = fetch(f"http://127.0.0.1:{port}/no-such-page/", timeout=2)[0]
                    break
                except OSError:
                    assert server.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "runserver did not answer in 30 s"
                    time.sleep(0.2)
            assert status == 404
            deadline = time.monotonic() + 10
            while '"GET /no-such-page/ HTTP/1.1" 404' not in log.read_text():
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert text.count("Not Found: /no-such-page/") == 1, text  # django.request's warning
    assert text.count('"GET /no-such-page/ HTTP/1.1" 404') == 1, text  # runserver's request line
