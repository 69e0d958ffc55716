#!/usr/bin/env bash
# Load test on this machine's PostgreSQL: a fresh database, gunicorn under production settings, readers and curators
# for LOAD_SECONDS (default 60), then check_data. Exits non-zero on any error or finding. Settings: scripts/loadtest.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh .venv requirements.txt
exec .venv/bin/python scripts/loadtest.py "$@"
