"""Django's PostgreSQL backend with a cheaper health check for persistent connections (CONN_HEALTH_CHECKS).

Django checks a kept connection at the first query of each request with `SELECT 1`: one more round trip
per request. Between requests the connection is idle, and the server sends nothing on an idle connection
unless it is ending it (shutdown, restart, pg_terminate_backend: an error message, then end of file) or
has a notice to give. So a socket with nothing to read is in use as it was left; only when something is
waiting does the check ask the server, with Django's own `SELECT 1`.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            # poll, not select: select refuses descriptors past 1024, which a busy process can reach.
            poller = select.poll()
            poller.register(self.connection.fileno(), select.POLLIN)
            waiting = poller.poll(0)
        except (AttributeError, OSError, ValueError):  # no poll on this platform, or no socket: ask the server
            waiting = True
        return not waiting or super().is_usable()
