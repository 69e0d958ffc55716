#!/usr/bin/env bash
# Install into .venv (with the test tools) and run the whole test suite, one worker per core (pytest-xdist).
# Work stealing: each worker starts with a contiguous share of the tests in pytest-django's order and takes
# over the tail of a busier one, so each runs its tests in that order, the transactional ones (whose flush
# empties the database) after the others, and no worker idles while the long live-server tests finish.
# Extra arguments go to pytest: `-m "not slow"` leaves out the browser, fuzzing, process-killing and live-server
# tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements-dev.txt
# Browser tests drive Debian's chromium (Playwright downloads no browser of its own).
if ! command -v chromium >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo -n apt-get update -qq && sudo -n apt-get install -y -qq chromium >/dev/null
  fi || echo "Could not install chromium; the browser tests will fail until it is installed." >&2
fi
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist worksteal "$@"
