"""The app's gunicorn settings (spacediplo/gunicorn.conf.py), for the app and the limit app alike, so both are
served the same way, as deployed. The limit's venv cannot import the project, so the file is read by path.

BENCH_WORKERS, BENCH_THREADS and BENCH_WORKER_CLASS (gthread or sync) override the project's choice for a trial.
The bind address is given on the command line.
"""

import os
import runpy
import types
from pathlib import Path

_app = runpy.run_path(str(Path(__file__).resolve().parent.parent / "spacediplo" / "gunicorn.conf.py"))
# Every setting of the project's (gunicorn ignores names that are not settings), then the bench's own.
globals().update({k: v for k, v in _app.items() if not k.startswith("_") and not isinstance(v, types.ModuleType)})
workers = int(os.environ.get("BENCH_WORKERS", _app["workers"]))
worker_class = os.environ.get("BENCH_WORKER_CLASS", _app["worker_class"])
threads = int(os.environ.get("BENCH_THREADS", _app["threads"])) if worker_class == "gthread" else 1
backlog = 128
accesslog = None
loglevel = "warning"
control_socket_disable = True  # the app and the limit run side by side; they would share ~/.gunicorn's socket
