"""When the database cannot answer (its connection lost, or a statement past DATABASE_STATEMENT_TIMEOUT), a request
answers 503 with Retry-After, whether a view or a middleware met it, and the next request gets a new connection.

Connections are lost here as in production, by pg_terminate_backend; the timeout is met by waiting on a lock.
"""

import os
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from events.services.bulk import statement_timeout_lifted
from spacediplo import urls as site_urls
from tests.databases import postgres_url
from tests.test_production_static import base_env, fetch_raw, gunicorn_serving
from tests.test_settings import values

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="connections to lose and statement timeouts are PostgreSQL's"
)


def other_session():
    params = connection.get_connection_params()
    return psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True)


def lose_connection():
    """The server ends this request's connection, as an administrator or a restart would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


def site_loses_connection(request):
    lose_connection()


class ApiLosesConnection(APIView):
    authentication_classes = permission_classes = ()

    def get(self, request):
        lose_connection()


class ApiRunsLong(APIView):
    authentication_classes = permission_classes = ()

    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")


class ApiLosesConnectionAfterAnswering(APIView):
    """Answers without the database; the connection is ended before LastModifiedMiddleware reads the revision."""

    authentication_classes = permission_classes = ()

    def get(self, request):
        connection.ensure_connection()
        with other_session() as other:
            other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        return Response({})


# This module is also the URLconf of its in-process tests: the site's own, plus views that lose the database.
urlpatterns = [
    path("api/v1/test-loses-connection/", ApiLosesConnection.as_view()),
    path("api/v1/test-runs-long/", ApiRunsLong.as_view()),
    path("api/v1/test-loses-connection-after-answering/", ApiLosesConnectionAfterAnswering.as_view()),
    path("test-loses-connection/", site_loses_connection),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler500 = site_urls.handler500


@pytest.fixture
def client(db, settings):
    """A client whose requests share this test's connection, which they end: closed after them, as a server closes
    an unusable one at the request's end, so that the next test connects afresh."""
    settings.DEBUG = False
    yield Client(raise_request_exception=False)
    connection.close()


def assert_unavailable_problem(response):
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json()["status"] == 503
    assert int(response["Retry-After"]) > 0


# --- in process: where the error is met ----------------------------------------------------------------


@needs_postgresql
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "path",
    ["test-loses-connection/", "test-loses-connection-after-answering/"],
    ids=["in the view", "in a middleware after the view"],
)
def test_an_api_request_whose_connection_is_lost_answers_503_problem(client, path):
    assert_unavailable_problem(client.get(f"{API}/{path}"))


@needs_postgresql
@pytest.mark.urls(__name__)
def test_a_site_view_whose_connection_is_lost_answers_a_503_page(client):
    response = client.get("/test-loses-connection/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "Service Unavailable (503)" in response.content.decode()


@needs_postgresql
@pytest.mark.urls(__name__)
def test_a_statement_past_the_statement_timeout_answers_503_problem(client):
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")  # this connection only: the test closes it
    started = time.monotonic()
    assert_unavailable_problem(client.get(f"{API}/test-runs-long/"))
    assert time.monotonic() - started < 4


# --- the setting -----------------------------------------------------------------------------------------------


@needs_postgresql
@pytest.mark.django_db
def test_every_statement_runs_under_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        assert int(cursor.fetchone()[0]) == settings.DATABASE_STATEMENT_TIMEOUT > 0


PG = {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/spacediplo"}
OPTIONS = 's.DATABASES["default"]["OPTIONS"]["options"]'


def test_the_statement_timeout_is_fifteen_seconds_unless_the_environment_sets_it():
    assert values(PG, OPTIONS) == ("-c jit=off -c statement_timeout=15000",)
    assert values(PG | {"DATABASE_STATEMENT_TIMEOUT": "250"}, OPTIONS) == ("-c jit=off -c statement_timeout=250",)
    assert values(PG | {"DATABASE_STATEMENT_TIMEOUT": "0"}, OPTIONS) == ("-c jit=off -c statement_timeout=0",)


def test_manage_py_commands_run_without_a_statement_timeout():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            f"from django.conf import settings as s; print({OPTIONS})",
        ],
        env={"PATH": os.environ["PATH"], **PG, "DATABASE_STATEMENT_TIMEOUT": "250"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "-c jit=off -c statement_timeout=0", result.stderr


# --- under gunicorn, as deployed ------------------------------------------------------------------------


GUNICORN = "spacediplo_test_gunicorn"  # the application name its connections carry, to find them by


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, tmp_path_factory):
    """The site under gunicorn on this test database, one worker with one thread (so each request after the first
    uses the connection the first one kept), and a statement timeout of one second."""
    directory = tmp_path_factory.mktemp("unavailable")
    (directory / "static").mkdir()
    env = base_env() | {
        "DATABASE_URL": f"{postgres_url(connection.settings_dict['NAME'])}?application_name={GUNICORN}",
        "DATABASE_STATEMENT_TIMEOUT": "1000",
        "DJANGO_STATIC_ROOT": str(directory / "static"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "API_THROTTLE": "0",
        "GUNICORN_CMD_ARGS": "--threads 1",
    }
    with gunicorn_serving(env, directory / "gunicorn.log") as base:
        yield base


def gunicorn_backends(session, **where) -> list[int]:
    conditions = "".join(f" AND {column} = %s" for column in where)
    rows = session.execute(
        f"SELECT pid FROM pg_stat_activity WHERE application_name = %s{conditions}", [GUNICORN, *where.values()]
    ).fetchall()
    return [pid for (pid,) in rows]


def assert_unavailable_over_http(answer):
    status, headers, body = answer
    assert status == 503, body
    assert headers["content-type"] == PROBLEM_JSON
    assert int(headers["retry-after"]) > 0


@needs_postgresql
@pytest.mark.slow
def test_under_gunicorn_a_request_held_past_the_statement_timeout_answers_503_and_the_next_recovers(gunicorn):
    assert fetch_raw(gunicorn, f"{API}/topics/")[0] == 200
    with other_session() as other, other.transaction():
        other.execute("LOCK TABLE events_topic IN ACCESS EXCLUSIVE MODE")  # as a long migration would
        started = time.monotonic()
        assert_unavailable_over_http(fetch_raw(gunicorn, f"{API}/topics/"))
        assert 1 <= time.monotonic() - started < 5
    assert fetch_raw(gunicorn, f"{API}/topics/")[0] == 200


@needs_postgresql
@pytest.mark.slow
def test_under_gunicorn_a_connection_lost_mid_request_answers_503_and_the_next_recovers(gunicorn):
    assert fetch_raw(gunicorn, f"{API}/topics/")[0] == 200
    answers = []
    with other_session() as other, other.transaction():
        other.execute("LOCK TABLE events_topic IN ACCESS EXCLUSIVE MODE")
        request = threading.Thread(target=lambda: answers.append(fetch_raw(gunicorn, f"{API}/topics/")))
        request.start()
        deadline = time.monotonic() + 0.8  # before the statement timeout would end the wait instead
        while not (waiting := gunicorn_backends(other, wait_event_type="Lock")):
            assert time.monotonic() < deadline, "the request never waited on the lock"
            time.sleep(0.01)
        other.execute("SELECT pg_terminate_backend(%s)", waiting)
        request.join(10)
    assert_unavailable_over_http(answers[0])
    assert fetch_raw(gunicorn, f"{API}/topics/")[0] == 200


@needs_postgresql
@pytest.mark.slow
def test_under_gunicorn_a_connection_lost_between_requests_is_replaced_unseen(gunicorn):
    assert fetch_raw(gunicorn, f"{API}/topics/")[0] == 200
    with other_session() as other:
        (kept,) = gunicorn_backends(other)
        other.execute("SELECT pg_terminate_backend(%s)", [kept])
        assert fetch_raw(gunicorn, f"{API}/topics/")[0] == 200
        assert gunicorn_backends(other) != [kept]


@needs_postgresql
@pytest.mark.django_db
def test_bulk_work_runs_past_the_statement_timeout_for_the_rest_of_its_transaction():
    # Loads, imports, exports and the synthetic generator call this first (an ANALYZE of a large database, say).
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")
    try:
        statement_timeout_lifted()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")  # past the 100 ms
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
