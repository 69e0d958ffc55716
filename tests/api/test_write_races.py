"""Writes racing on rows that refer to each other (PostgreSQL): a record deleted while a meeting that refers to it is
being created. The race ends in the create's success, then the delete's refusal (a place or person in use) or
success (a topic, which its meetings lose), never a deadlock or a 500.

The moment that deadlocked: the create has written everything, the dataset revision included, and is about to
commit, when the delete comes in. Foreign keys are checked as a transaction commits, so the create then needs the
row the delete holds, while the delete waits for the revision the create holds.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from events.api.serializers import base
from events.models import Meeting, Person, Place, Topic
from tests.api.test_preconditions import API, SUPPORT, editor
from tests.api.test_preconditions_concurrent import lock_waiters
from tests.api.test_writes import meeting_body

pytestmark = [
    pytest.mark.slow,  # threads racing on committed data
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
]

KINDS = {"place": ("places", Place), "topic": ("topics", Topic), "person": ("people", Person)}


def referred(kind, client):
    """A new record of `kind`, and the body of a new meeting that refers to it."""
    slug = f"race-{kind}"
    record = {"slug": slug, "name": "Race", "support": SUPPORT} | ({"kind": "city"} if kind == "place" else {})
    made = client.post(f"{API}/{KINDS[kind][0]}/", record, format="json")
    assert made.status_code == 201, made.content
    body = meeting_body(slug=f"race-meeting-{kind}", claims=[])
    if kind == "place":
        body["place"] = slug
    elif kind == "topic":
        body["topics"] = [slug]
    else:
        body["participants"] = [{"person": slug, "role": "guest"}]
    return slug, body


@pytest.fixture
def create_pauses_before_commit(monkeypatch):
    """The creating thread's write, done but not committed, says so and waits until another session waits for a
    lock (at most 5 s)."""
    written = threading.Event()
    save = base.record_save

    def save_then_pause(**kwargs):
        with transaction.atomic():
            record = save(**kwargs)
            if threading.current_thread().name == "creator":
                written.set()
                deadline = time.monotonic() + 5
                while lock_waiters() < 1 and time.monotonic() < deadline:
                    time.sleep(0.01)
        return record

    monkeypatch.setattr(base, "record_save", save_then_pause)
    return written


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_deleted_while_a_meeting_that_refers_to_it_commits_waits_for_the_meeting(
    seed_committed, create_pauses_before_commit, kind
):
    slug, body = referred(kind, editor("setup"))
    answers = {}

    def call(name, request):
        try:
            answers[name] = request()
        finally:
            connections.close_all()

    creator, deleter = editor("creator"), editor("deleter")
    threads = [
        threading.Thread(
            target=call, name="creator", args=("create", lambda: creator.post(f"{API}/meetings/", body, format="json"))
        ),
        threading.Thread(target=call, args=("delete", lambda: deleter.delete(f"{API}/{KINDS[kind][0]}/{slug}/"))),
    ]
    threads[0].start()
    assert create_pauses_before_commit.wait(30)
    threads[1].start()
    for thread in threads:
        thread.join(30)
    assert answers["create"].status_code == 201, answers["create"].content
    meeting = Meeting.objects.get(slug=body["slug"])
    if kind == "topic":  # a topic may go: the meetings it was on lose it
        assert answers["delete"].status_code == 204, answers["delete"].content
        assert not meeting.topics.exists()
    else:  # a place or a person a meeting refers to stays
        assert answers["delete"].status_code == 409, answers["delete"].content
        assert KINDS[kind][1].objects.filter(slug=slug).exists()
