#!/usr/bin/env bash
# Install into .venv-serve, migrate, load the seed data and serve http://127.0.0.1:8000 (SQLite unless DATABASE_URL is
# set). Its own virtual environment: test.sh's installs into .venv would otherwise reload the running server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh .venv-serve requirements.txt
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
manage() { .venv-serve/bin/python manage.py "$@"; }
manage migrate --no-input
manage load_seed_data
# A first local login for the admin, so the dataset can be browsed straight away.
if ! manage shell -v0 -c "from django.contrib.auth.models import User; raise SystemExit(not User.objects.exists())"; then
  password=$(.venv-serve/bin/python -c "import secrets; print(secrets.token_urlsafe(12))")
  DJANGO_SUPERUSER_PASSWORD=$password manage createsuperuser --no-input --username admin --email admin@localhost
  echo "Admin login for http://127.0.0.1:8000/admin/: admin / $password (shown once)"
fi
exec .venv-serve/bin/python manage.py runserver 127.0.0.1:8000
