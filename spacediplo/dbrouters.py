"""Reads from PostgreSQL read replicas, writes to the primary.

Installed by settings when DATABASE_REPLICA_URLS names replicas (aliases replica1, replica2, ...).
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS

# Where this request (or, outside requests, this thread) reads from: None until its first read.
_reads_from: ContextVar[str | None] = ContextVar("reads_from", default=None)


def reads_forget(**kwargs) -> None:
    """Start afresh: the next read picks a replica again. Runs at the start and the end of each request."""
    _reads_from.set(None)


request_started.connect(reads_forget, dispatch_uid="spacediplo-dbrouters-request-started")
request_finished.connect(reads_forget, dispatch_uid="spacediplo-dbrouters-request-finished")


class PrimaryReplicaRouter:
    """Writes go to the primary ("default"); reads go to one replica, chosen at random, unless they must not.

    Caveat: replication is asynchronous, so a replica may lag behind the primary. A read right after a
    write may not see it there. Hence reads stay on the primary:

    - inside a transaction on the primary (`connections["default"].in_atomic_block`). Django does not do
      this by itself: a read inside `transaction.atomic()` is routed by `db_for_read` like any other. The
      services write in atomic blocks (and lock with `select_for_update`, a write query), validating
      against rows they have just written; the admin saves inside atomic blocks too;
    - for the rest of a request (or, outside requests, a thread) once it has written, so a response
      built after the write's transaction committed (the 201 body) shows the write;
    - for sessions, so that a login is not lost on the next request.

    A request that only reads may still miss a write another request committed a moment ago.

    Why random: each process picks on its own, with no counter to share between threads or processes,
    and the load spreads evenly over many requests. The pick holds for the whole request: replicas
    replay at their own pace, and a count and the page of ids it goes with (or ids and the rows they
    name) must come from one of them.
    """

    primary_only_apps = {"sessions"}

    def __init__(self):
        self.replicas = [alias for alias in settings.DATABASES if alias.startswith("replica")]

    def db_for_read(self, model, **hints):
        if not self.replicas or model._meta.app_label in self.primary_only_apps or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        alias = _reads_from.get()
        if alias != PRIMARY and alias not in self.replicas:
            alias = random.choice(self.replicas)  # noqa: S311 - spreading load, nothing secret
            _reads_from.set(alias)
        return alias

    def db_for_write(self, model, **hints):
        _reads_from.set(PRIMARY)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        ours = {PRIMARY, *self.replicas}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True  # one database under several names
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # replicas get the schema by replication
