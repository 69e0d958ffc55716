# Sourced by the other scripts: `source scripts/venv.sh DIR REQUIREMENTS` makes the virtual environment DIR with
# Python 3.11 and installs the requirements file into it. scripts/serve.sh has one of its own (.venv-serve): a
# running development server reloads when a file it imported changes, so test.sh's installs into .venv leave it be.
# Also writes the checkout's local settings, .env, if there is none: local development (DEBUG) and a secret key of
# its own, which manage.py reads whenever the environment gives no key (see manage.py).
python=$(command -v python3.11 || command -v python3)
[ -x "$1/bin/python" ] || "$python" -m venv "$1"
"$1/bin/python" -m pip install --quiet --disable-pip-version-check -r "$2"
if [ ! -e .env ]; then
  (
    umask 077  # the key is a secret: readable by its owner only
    {
      echo "# This checkout's local settings, read by manage.py when the environment has no DJANGO_SECRET_KEY."
      echo "# Not for production: there, give DJANGO_SECRET_KEY and the other settings in the environment."
      echo "DJANGO_DEBUG=1"
      echo "DJANGO_SECRET_KEY=$("$1/bin/python" -c "import secrets; print(secrets.token_urlsafe(50))")"
    } >.env
  )
  echo "Wrote .env: local development settings with a new secret key."
fi
