"""Reads from read replicas, writes to the primary (spacediplo/dbrouters.py, DATABASE_REPLICA_URLS).

The test settings make every replica alias a second connection to the test database (TEST MIRROR), and keep
one, `replica1`, even without DATABASE_REPLICA_URLS. A connection of its own means it only sees what the
primary committed, as a real replica does: tests that read through it are transactional.
"""

import itertools
import json
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from events.models import Meeting, Topic
from spacediplo import dbrouters
from spacediplo.dbrouters import PrimaryReplicaRouter
from tests.factories import MeetingFactory, PlaceFactory

ROUTER = "spacediplo.dbrouters.PrimaryReplicaRouter"
WITH_REPLICA = pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def _reads_forgotten():
    """The test thread is no request: start and end each test with no replica picked and no write seen."""
    dbrouters.reads_forget()
    yield
    dbrouters.reads_forget()


@pytest.fixture
def router():
    router = PrimaryReplicaRouter()
    router.replicas = ["replica1", "replica2"]
    return router


@pytest.fixture
def routed(settings, monkeypatch):
    """The router installed, as settings install it when DATABASE_REPLICA_URLS is set, reading from replica1.

    (The test settings have more replicas when DATABASE_REPLICA_URLS names several.)
    """
    settings.DATABASE_ROUTERS = [ROUTER]
    monkeypatch.setattr(dbrouters.random, "choice", lambda replicas: replicas[0])


def send(signal):
    """Send request_started or request_finished, without closing the test's connections (as the test client)."""
    signal.disconnect(close_old_connections)
    try:
        signal.send(sender=None)
    finally:
        signal.connect(close_old_connections)


def on(db, model=Meeting):
    instance = model()
    instance._state.db = db
    return instance


# --- the router --------------------------------------------------------------------------------


def test_reads_go_to_a_replica_and_writes_to_the_primary(router):
    assert router.db_for_read(Meeting) in {"replica1", "replica2"}
    assert router.db_for_write(Meeting) == "default"


def test_one_request_reads_from_one_replica(router, monkeypatch):
    picks = itertools.cycle(["replica2", "replica1"])
    monkeypatch.setattr(dbrouters.random, "choice", lambda replicas: next(picks))
    send(request_started)
    assert {router.db_for_read(Meeting), router.db_for_read(Topic)} == {"replica2"}
    send(request_finished)
    send(request_started)
    assert {router.db_for_read(Meeting), router.db_for_read(Topic)} == {"replica1"}


def test_after_a_write_the_request_reads_from_the_primary(router):
    send(request_started)
    assert router.db_for_read(Meeting) != "default"
    router.db_for_write(Meeting)
    assert router.db_for_read(Meeting) == "default"
    assert router.db_for_read(Topic) == "default"
    send(request_finished)
    send(request_started)
    assert router.db_for_read(Meeting) != "default"


def test_sessions_are_read_from_the_primary(router):
    assert router.db_for_read(Session) == "default"


def test_without_replicas_everything_is_the_primary():
    router = PrimaryReplicaRouter()
    router.replicas = []
    assert router.db_for_read(Meeting) == "default"


def test_migrations_run_on_the_primary_only(router):
    assert router.allow_migrate("default", "events", model_name="meeting") is True
    assert router.allow_migrate("replica1", "events", model_name="meeting") is False
    assert router.allow_migrate("replica2", "auth") is False


def test_relations_between_the_primary_and_its_replicas_are_allowed(router):
    assert router.allow_relation(on("default"), on("replica1")) is True
    assert router.allow_relation(on("replica2"), on("replica1")) is True
    assert router.allow_relation(on("default"), on("elsewhere")) is None  # not ours to decide


@WITH_REPLICA
def test_reads_inside_a_transaction_on_the_primary_go_to_the_primary(routed):
    """Django routes a read inside transaction.atomic() by db_for_read like any other; the router keeps it on
    the primary, so validation inside a write transaction sees that transaction's own rows."""
    assert Topic.objects.all().db == "replica1"
    with transaction.atomic():
        # Before the transaction has written anything (a write alone would keep the reads on the primary too).
        with CaptureQueriesContext(connections["replica1"]) as replica:
            assert not Topic.objects.filter(slug="new-topic").exists()
        assert replica.captured_queries == []
        assert Topic.objects.all().db == "default"
        Topic.objects.create(slug="new-topic", name="New topic")
        # Not committed yet, so not on the replica (a connection of its own).
        assert Topic.objects.filter(slug="new-topic").exists()
    dbrouters.reads_forget()  # as a new request would
    assert Topic.objects.all().db == "replica1"
    assert Topic.objects.filter(slug="new-topic").exists()  # committed: the replica sees it


# --- through the API -------------------------------------------------------------------------


def editor():
    user = User.objects.create_user("editor")
    codenames = ["add_meeting", "add_claim"]  # add_claim: the meeting's values rest on the editor's judgement
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="events", codename__in=codenames))
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


@contextmanager
def statements():
    """Every statement run on the primary or the replica, in order, as (alias, sql)."""
    log = []

    def logger(alias):
        def log_statement(execute, sql, params, many, context):
            log.append((alias, sql))
            return execute(sql, params, many, context)

        return log_statement

    with (
        connections["default"].execute_wrapper(logger("default")),
        connections["replica1"].execute_wrapper(logger("replica1")),
    ):
        yield log


@WITH_REPLICA
def test_api_reads_run_on_the_replica_and_writes_on_the_primary(routed):
    MeetingFactory(slug="first-meeting")
    place = PlaceFactory(slug="moscow")
    client = editor()

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica1"]) as replica,
    ):
        response = client.get("/api/v1/meetings/")
    assert response.status_code == 200, response.content
    assert [m["slug"] for m in response.json()["results"]] == ["first-meeting"]
    assert any('FROM "events_meeting"' in q["sql"] for q in replica.captured_queries)
    assert primary.captured_queries == []

    body = {
        "slug": "second-meeting",
        "title": "Second meeting",
        "kind": "bilateral",
        "status": "proposed",
        "format": "in_person",
        "date": {"edtf": "2026-03", "text": "March 2026"},
        "place": place.slug,
        "support": {"note": "A meeting the editor records."},
    }
    with statements() as log:
        response = client.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["place"]["slug"] == "moscow"
    writes = [i for i, (alias, sql) in enumerate(log) if sql.lstrip().upper().startswith(WRITES)]
    assert any(log[i][0] == "default" and 'INTO "events_meeting"' in log[i][1] for i in writes)
    assert {log[i][0] for i in writes} == {"default"}
    # Validation before the write read from the replica; from the first write on, everything is on the primary.
    assert log[0][0] == "replica1"
    assert {alias for alias, sql in log[writes[0] :]} == {"default"}

    with CaptureQueriesContext(connections["replica1"]) as replica:
        response = client.get("/api/v1/meetings/second-meeting/")
    assert response.status_code == 200, response.content
    assert any('FROM "events_meeting"' in q["sql"] for q in replica.captured_queries)


# --- settings ----------------------------------------------------------------------------------


def database_settings(**env):
    """DATABASES and DATABASE_ROUTERS as spacediplo.settings makes them from `env`, in a fresh interpreter."""
    code = (
        "import json, spacediplo.settings as s; "
        "print(json.dumps({'DATABASES': s.DATABASES, 'DATABASE_ROUTERS': s.DATABASE_ROUTERS}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": os.environ["PATH"], "DJANGO_DEBUG": "1", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_replica_urls_add_replica_aliases_and_the_router():
    found = database_settings(
        DATABASE_URL="postgres://app:secret@primary.example:5432/diplo",
        DATABASE_REPLICA_URLS="postgres://ro:secret@replica-a.example:5432/diplo, postgres://ro:secret@replica-b.example/diplo",
        DATABASE_CONN_MAX_AGE="30",
    )
    databases = found["DATABASES"]
    assert list(databases) == ["default", "replica1", "replica2"]
    assert found["DATABASE_ROUTERS"] == [ROUTER]
    assert [databases[a]["HOST"] for a in databases] == ["primary.example", "replica-a.example", "replica-b.example"]
    for alias in ("replica1", "replica2"):
        replica = databases[alias]
        assert replica["ENGINE"] == "spacediplo.postgresql"  # the health check without a round trip, as the primary
        assert replica["USER"] == "ro"
        assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (30, True)
        assert replica["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize("urls", [None, "", " , "])
def test_without_replica_urls_there_is_one_database_and_no_router(urls):
    found = database_settings(**({"DATABASE_REPLICA_URLS": urls} if urls is not None else {}))
    assert list(found["DATABASES"]) == ["default"]
    assert found["DATABASE_ROUTERS"] == []


def test_in_tests_each_replica_is_the_test_database_under_another_name():
    assert "replica1" in settings.DATABASES
    for alias in settings.DATABASES:
        if alias != "default":
            assert settings.DATABASES[alias]["TEST"]["MIRROR"] == "default"
            assert settings.DATABASES[alias]["ENGINE"] == settings.DATABASES["default"]["ENGINE"]
