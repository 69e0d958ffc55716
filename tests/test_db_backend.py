"""The PostgreSQL backend's health check: an idle kept connection costs no round trip, a dead one is replaced."""

import select
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.postgresql import base as django_postgresql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend is PostgreSQL's"),
]


@pytest.fixture
def kept():
    """A second wrapper of the default database, kept open between 'requests' as CONN_MAX_AGE keeps one: as the
    site's settings make it, without the pool of the test settings."""
    unpooled = {name: value for name, value in connection.settings_dict["OPTIONS"].items() if name != "pool"}
    site_settings = {**connection.settings_dict, "CONN_MAX_AGE": 60, "OPTIONS": unpooled}
    wrapper = type(connections["default"])(site_settings, "default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def server_asked(monkeypatch):
    """Counts Django's own check (a `SELECT 1` round trip) while passing it through."""
    asked = []
    check = django_postgresql.DatabaseWrapper.is_usable

    def counted(self):
        asked.append(self)
        return check(self)

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counted)
    return asked


def other_session():
    params = connection.get_connection_params()
    return psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True)


def wait_until_readable(wrapper):
    deadline = time.monotonic() + 5
    while not select.select([wrapper.connection.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server sent nothing"


def test_settings_use_the_backend():
    assert settings.DATABASES["default"]["ENGINE"] == "spacediplo.postgresql"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_an_idle_connection_is_usable_without_asking_the_server(kept, server_asked):
    assert kept.is_usable()
    assert server_asked == []


def test_a_connection_the_server_ended_is_not_usable_and_the_next_request_reconnects(kept):
    old_pid = kept.connection.info.backend_pid
    with other_session() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    wait_until_readable(kept)
    assert not kept.is_usable()
    kept.health_check_done = False  # a new request: Django checks before the first query
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old_pid


def test_something_waiting_on_a_live_connection_is_settled_by_asking_the_server(kept, server_asked):
    with kept.cursor() as cursor:
        cursor.execute("LISTEN spacediplo_test")
    with other_session() as other:
        other.execute("NOTIFY spacediplo_test")
    wait_until_readable(kept)
    assert kept.is_usable()
    assert server_asked == [kept]
