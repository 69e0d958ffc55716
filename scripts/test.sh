#!/usr/bin/env bash
# Install into .venv (with the test tools) and run the whole test suite, one worker per core (pytest-xdist).
# Work stealing: each worker starts with a contiguous share of the tests in pytest-django's order and takes
# over the tail of a busier one, so each runs its tests in that order, the transactional ones (whose flush
# empties the database) after the others, and no worker idles while the long live-server tests finish.
# Extra arguments go to pytest: `-m "not slow"` leaves out the browser, fuzzing, process-killing and live-server
# tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh .venv requirements-dev.txt
# Debian packages some tests run: chromium for the browser tests (Playwright downloads no browser of its own) and
# docker-compose, whose `config` checks docker-compose.yml (tests/test_compose.py; no Docker engine is needed).
debian_package() {  # PACKAGE COMMAND: install PACKAGE unless COMMAND is there
  command -v "$2" >/dev/null && return
  echo "Installing Debian's $1 for the tests..."
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$1" >/dev/null
  else sudo -n apt-get update -qq && sudo -n apt-get install -y -qq "$1" >/dev/null
  fi || echo "Could not install $1; the tests that need $2 will fail until it is installed." >&2
}
debian_package chromium chromium
debian_package docker-compose docker-compose
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist worksteal "$@"
