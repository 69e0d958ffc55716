"""How gunicorn serves the app: `gunicorn -c spacediplo/gunicorn.conf.py spacediplo.wsgi` (the Dockerfile, the
benchmark and the load test all do).

Any setting can be changed at start without editing this file, through gunicorn's own GUNICORN_CMD_ARGS,
e.g. GUNICORN_CMD_ARGS="--workers 3 --threads 4".
"""

import os

# gunicorn's own advice: two workers per core, plus one. With fewer, cores sit idle under keep-alive: a worker
# takes clients' connections as they come, often several at once, and keeps them; a worker runs Python on one
# core at a time, so with two workers on two cores one of them can end up serving every client.
# The cores this process may use (a container's share too, where the platform can tell).
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = 2 * cores + 1
worker_class = "gthread"  # keeps client connections alive; `sync` closes each after its answer
threads = 2
keepalive = 30  # seconds an idle client connection stays open
timeout = 60
