"""The README's two commands, run with a stand-in Python that records what it is asked to do: serve.sh and test.sh
keep separate virtual environments, and the first run writes the checkout's local settings (.env), once."""

import shutil
import stat
import subprocess

import pytest
from django.conf import settings

# Stands in for python3 and, once `-m venv DIR` made it, for DIR/bin/python: records each call, and prints a token
# where a script asks Python for a secret.
FAKE_PYTHON = """#!/bin/sh
echo "$0 $*" >> "$CALLS"
if [ "$1" = -m ] && [ "$2" = venv ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi
case "$*" in *secrets*) echo "token-$$-made-by-the-stand-in-python-0123456789abcdefghijklmnopqrstuvwxyz" ;; esac
exit 0
"""


@pytest.fixture
def checkout(tmp_path):
    """A copy of the scripts in an empty checkout, a PATH whose Python, chromium and docker-compose are stand-ins."""
    root = tmp_path / "checkout"
    shutil.copytree(settings.BASE_DIR / "scripts", root / "scripts")
    tools = tmp_path / "bin"
    tools.mkdir()
    for name, text in {
        "python3.11": FAKE_PYTHON,
        "python3": FAKE_PYTHON,
        "chromium": "#!/bin/sh\n",
        "docker-compose": "#!/bin/sh\n",
    }.items():
        (tools / name).write_text(text)
        (tools / name).chmod(0o755)
    env = {"PATH": f"{tools}:/usr/bin:/bin", "CALLS": str(tmp_path / "calls"), "HOME": str(tmp_path)}
    return root, env, tmp_path / "calls"


def run(checkout, script):
    root, env, calls = checkout
    calls.write_text("")
    result = subprocess.run(
        ["bash", f"scripts/{script}"], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [line.split(" ", 1)[1] for line in calls.read_text().splitlines()], root


def test_serve_sh_and_test_sh_keep_separate_virtual_environments(checkout):
    served, root = run(checkout, "serve.sh")
    assert "-m venv .venv-serve" in served
    assert "manage.py runserver 127.0.0.1:8000" in served
    tested, _ = run(checkout, "test.sh")
    assert "-m venv .venv" in tested
    assert any(call.startswith("-m pytest") for call in tested)
    assert (root / ".venv-serve" / "bin" / "python").exists()
    assert (root / ".venv" / "bin" / "python").exists()
    assert not (root / ".venv-serve" / "bin" / "pytest").exists()  # test.sh installed nothing there
    served_calls = [c for c in run(checkout, "serve.sh")[0] if c.startswith(("-m pip", "manage.py"))]
    assert all("requirements-dev" not in call for call in served_calls)


def test_the_first_run_writes_local_settings_with_a_key_readable_by_its_owner_only(checkout):
    _, root = run(checkout, "test.sh")
    env_file = root / ".env"
    text = env_file.read_text()
    assert "DJANGO_DEBUG=1" in text
    assert "DJANGO_SECRET_KEY=token-" in text
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    run(checkout, "serve.sh")
    assert env_file.read_text() == text  # kept, never overwritten
