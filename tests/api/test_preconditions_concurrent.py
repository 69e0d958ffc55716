"""No lost updates under concurrency (PostgreSQL): writers holding the same ETag, at the same time.

Apart from tests/api/test_preconditions.py because the threads need committed data, which that module's
shared seed (one transaction rolled back at the end) cannot give.
"""

import threading
import time

import pytest
from django.db import connection, connections

from events.api.preconditions import PreconditionMixin
from events.models import Meeting
from tests.api.test_preconditions import MEETING, assert_412, editor, etag_of, supported

pytestmark = [
    pytest.mark.slow,  # threads racing on committed data
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
]


def lock_waiters() -> int:
    """Other sessions of this database waiting for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_concurrent_writes_with_the_same_etag_one_waits_for_the_other_and_gets_412(seed_committed, monkeypatch):
    """Alice passes the check and pauses before writing; Bob, with the same ETag, must wait on her lock, then fail.

    Without the lock, Bob would pass the check while Alice pauses: no session would wait, and both would write.
    """
    alice, bob = editor("alice"), editor("bob")
    opened = etag_of(alice, MEETING)
    alice_checked, alice_may_write = threading.Event(), threading.Event()
    check = PreconditionMixin.check_preconditions

    def check_then_pause_for_alice(self, request, *args, **kwargs):
        check(self, request, *args, **kwargs)
        if threading.current_thread().name == "alice":
            alice_checked.set()
            assert alice_may_write.wait(30)

    monkeypatch.setattr(PreconditionMixin, "check_preconditions", check_then_pause_for_alice)
    results = {}

    def write(name, client, change):
        try:
            results[name] = client.patch(MEETING, change, format="json", HTTP_IF_MATCH=opened)
        finally:
            connections.close_all()

    threads = {
        "alice": threading.Thread(target=write, name="alice", args=("alice", alice, supported({"title": "Alice's"}))),
        "bob": threading.Thread(target=write, name="bob", args=("bob", bob, supported({"title": "Bob's"}))),
    }
    threads["alice"].start()
    assert alice_checked.wait(30)
    threads["bob"].start()
    deadline = time.monotonic() + 30
    while lock_waiters() < 1:
        assert time.monotonic() < deadline, "Bob never waited for Alice's lock"
        assert threads["bob"].is_alive(), f"Bob finished while Alice held the record: {results['bob'].status_code}"
        time.sleep(0.02)
    alice_may_write.set()
    for thread in threads.values():
        thread.join(30)
    assert results["alice"].status_code == 200, results["alice"].content
    assert_412(results["bob"])
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").title == "Alice's"


def test_many_concurrent_writers_with_one_etag_exactly_one_wins(seed_committed):
    """Eight writers released together, all with the same ETag: one 200, seven 412, and the data is the winner's."""
    clients = [editor(f"writer{i}") for i in range(8)]
    opened = etag_of(clients[0], MEETING)
    start = threading.Barrier(len(clients))
    results = {}

    def write(i):
        try:
            start.wait(30)
            change = supported({"title": f"Title {i}"})
            results[i] = clients[i].patch(MEETING, change, format="json", HTTP_IF_MATCH=opened)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [200] + [412] * 7, statuses
    (winner,) = [i for i, r in results.items() if r.status_code == 200]
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").title == f"Title {winner}"
