"""Failed admin logins are limited per username and address (django-axes), with a clear page when locked."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.utils import timezone

PASSWORD = "a-long-curator-pass-2026"  # noqa: S105
ADDRESS, OTHER_ADDRESS = "203.0.113.5", "203.0.113.6"
LIMIT = 3

# The suite runs with lockouts off (the test client's login() cannot pass the request django-axes needs).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff")]


@pytest.fixture(autouse=True)
def lockouts_on():
    lockouts = {"AXES_ENABLED": True, "AXES_FAILURE_LIMIT": LIMIT, "AXES_COOLOFF_TIME": timedelta(minutes=15)}
    with override_settings(**lockouts):
        yield


@pytest.fixture
def staff():
    for username in ("curator", "editor"):
        User.objects.create_user(username, password=PASSWORD, is_staff=True)


def log_in(username, password, address=ADDRESS):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return client, response


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(times, username="curator", address=ADDRESS):
    return [log_in(username, "wrong-password", address)[1] for _ in range(times)]


def test_failures_below_the_limit_get_the_usual_form_error():
    for response in fail(LIMIT - 1):
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    client, response = log_in("curator", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_limit_locks_the_username_from_that_address_with_a_clear_page():
    locked = fail(LIMIT)[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'id="login-locked"' in page
    assert f"after {LIMIT} wrong passwords for “curator”" in page
    assert "0:15:00" in page  # the cool-off
    assert 'href="/admin/login/"' in page
    assert "default-src 'self'" in locked["Content-Security-Policy"]

    # The right password does not get in while locked.
    client, response = log_in("curator", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lockout_is_per_username_and_address():
    fail(LIMIT)
    assert log_in("curator", PASSWORD)[1].status_code == 429
    client, response = log_in("curator", PASSWORD, address=OTHER_ADDRESS)  # same user, elsewhere
    assert response.status_code == 302
    assert logged_in(client)
    client, response = log_in("editor", PASSWORD)  # same address, another user
    assert response.status_code == 302
    assert logged_in(client)


def test_the_lockout_ends_after_the_cool_off():
    fail(LIMIT)
    assert log_in("curator", PASSWORD)[1].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    client, response = log_in("curator", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_failures():
    fail(LIMIT - 1)
    assert logged_in(log_in("curator", PASSWORD)[0])
    for response in fail(LIMIT - 1):
        assert response.status_code == 200  # counting started again from zero
    assert fail(1)[0].status_code == 429
