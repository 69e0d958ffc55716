#!/usr/bin/env python
import os
import sys
from pathlib import Path

# A checkout's own settings: with no DJANGO_SECRET_KEY in the environment, manage.py reads the `.env` beside it
# (scripts/serve.sh and scripts/test.sh write one for local development, the container's start script one holding
# its key), the environment's values winning. An environment that gives a key is configured and read as it is.
# Only manage.py reads it: gunicorn still refuses to start without a key.
ENV_FILE = Path(__file__).resolve().parent / ".env"


def main():
    if not os.environ.get("DJANGO_SECRET_KEY") and ENV_FILE.is_file():
        from dotenv import load_dotenv

        load_dotenv(ENV_FILE, override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spacediplo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
