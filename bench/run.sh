#!/usr/bin/env bash
# The benchmark in one command (`make bench`): install what it needs, then bench/run.py does the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ -f scripts/venv.sh ]; then
  source scripts/venv.sh .venv requirements.txt
else
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
# Datasette, the export tools and the limit app's server live apart, so they cannot change the app's pins.
[ -x bench/.venv-ref/bin/python ] || "$(command -v python3.11 || command -v python3)" -m venv bench/.venv-ref
bench/.venv-ref/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt

# Safety net: if run.py dies without stopping its servers, stop the process groups it recorded.
cleanup() {
  [ -f bench/out/pids ] || return 0
  while read -r pid; do kill -- "-$pid" 2>/dev/null || true; done <bench/out/pids
  rm -f bench/out/pids
}
trap cleanup EXIT
.venv/bin/python bench/run.py
# Downloads of the whole meetings list, with one worker's memory watched (bench/download.py).
.venv/bin/python bench/download.py
# Faceted meetings lists at the same size (bench/facets.py).
.venv/bin/python bench/facets.py
# Reading the seed's articles for candidate claims (bench/ingest.py; SQLite, a scratch database of its own).
.venv/bin/python bench/ingest.py
# The validated seed load, into an empty database and again (bench/seed_load.py; SQLite, a scratch database).
.venv/bin/python bench/seed_load.py
