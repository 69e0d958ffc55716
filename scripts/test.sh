#!/usr/bin/env bash
# Install into .venv (with the test tools) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
