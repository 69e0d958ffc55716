#!/bin/sh
# The container's command (Dockerfile): migrate, load the seed data into an empty database, serve with gunicorn on
# 0.0.0.0:$PORT (8000).
set -eu
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  # A local try-out without a key: one made at the container's first start and kept in its .env, so that its later
  # starts and the management commands run in it (`docker-compose exec app python manage.py ...`, which reads .env
  # when the environment gives no key) sign with the same one. A new container gets a new key.
  if [ ! -s .env ]; then
    (umask 077 && python -c "import secrets; print('DJANGO_SECRET_KEY=' + secrets.token_urlsafe(50))" >.env)
  fi
  set -a
  . ./.env
  set +a
fi
python manage.py migrate --no-input
python manage.py load_seed_data --if-empty
exec gunicorn -c spacediplo/gunicorn.conf.py spacediplo.wsgi --bind "0.0.0.0:${PORT:-8000}" --access-logfile -
