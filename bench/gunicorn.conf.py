"""gunicorn settings shared by the app and the limit app, so both are served the same way.

BENCH_WORKER_CLASS: gthread (default: keeps connections alive, BENCH_THREADS threads per worker) or sync
(one request at a time per worker, a new connection for each). The bind address is given on the command line.
"""

import os

workers = int(os.environ.get("BENCH_WORKERS", "2"))
worker_class = os.environ.get("BENCH_WORKER_CLASS", "gthread")
threads = int(os.environ.get("BENCH_THREADS", "4")) if worker_class == "gthread" else 1
keepalive = 30  # seconds an idle client connection stays open (gthread only; sync closes after each response)
backlog = 128
timeout = 60
accesslog = None
loglevel = "warning"
