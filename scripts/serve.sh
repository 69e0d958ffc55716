#!/usr/bin/env bash
# Install into .venv, migrate, load the seed data and serve http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh requirements.txt
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py load_seed_data
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
