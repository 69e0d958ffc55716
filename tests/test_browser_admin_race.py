"""Two curators edit one meeting at once: in real browsers, the second save is refused, shows what changed, and
after a reload goes in on top of the first; in threads on PostgreSQL, the second waits for the first's lock."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from events.admin.records import CuratedAdmin
from events.models import Meeting
from events.services.curators import curator_create
from tests import test_browser_admin as browser_admin
from tests.api.test_preconditions_concurrent import lock_waiters
from tests.test_curation import form_data

pytestmark = pytest.mark.slow  # real browsers against a live server, and threads racing on committed data

browser = browser_admin.browser  # Debian's chromium, headless, as the other browser test launches it
artifacts_dir = browser_admin.artifacts_dir
PASSWORD = "a-long-curator-pass-2026"
MEETING = browser_admin.MEETING
TIMEOUT = browser_admin.TIMEOUT
SUPPORT_NOTE = "The agencies' calendars say so."  # for a value no source gives: the curator's own judgement


@pytest.fixture
def curators(seed_committed):
    """The seed data and two curators, committed, so the live server's thread sees them."""
    return [curator_create(username=name, password=PASSWORD) for name in ("alice", "bob")]


def signed_in_page(browser, base, username, violations):
    """A page in its own browser context (its own cookies: its own session), signed in as `username`."""
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page.expose_function("reportCspViolation", lambda text: violations.append(f"{username} {text}"))
    page.add_init_script(browser_admin.REPORT_CSP_VIOLATIONS)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def choose_place(page, typed, name):
    page.locator(".field-place .select2-container").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    option = page.get_by_role("option", name=name, exact=True)
    option.wait_for()
    option.click()


def test_two_curators_save_the_same_meeting_and_the_second_is_refused(live_server, curators, browser, artifacts_dir):
    meeting = Meeting.objects.get(slug=MEETING)
    assert meeting.place.slug == "kennedy-space-center"
    old_status = meeting.status
    new_status = "postponed" if old_status != "postponed" else "planned"
    base = live_server.url
    change_url = f"{base}/admin/events/meeting/{meeting.pk}/change/"
    violations = []
    alice = signed_in_page(browser, base, "alice", violations)
    bob = signed_in_page(browser, base, "bob", violations)
    try:
        # Both open the meeting.
        alice.goto(change_url)
        bob.goto(change_url)
        assert "Kennedy Space Center" in bob.locator(".field-place .select2-container").inner_text()

        # Alice moves it to Houston and saves first.
        choose_place(alice, "Hous", "Houston")
        alice.click("input[name=_save]")
        alice.wait_for_url(f"{base}/admin/events/meeting/")
        assert "was changed successfully" in alice.locator("ul.messagelist li.success").inner_text()

        # Bob, on the page he opened before, changes the status and saves: refused, with what changed and by whom.
        bob.select_option("#id_status", new_status)
        bob.fill("#id_support_note", SUPPORT_NOTE)
        bob.click("input[name=_save]")
        bob.wait_for_load_state()
        assert bob.url == change_url
        error = bob.locator(".errorlist.nonfield").inner_text()
        assert "Someone else saved this meeting after you opened it, so nothing was saved" in error
        assert "place (now: Houston)" in error
        assert "Last saved by alice" in error
        meeting.refresh_from_db()
        assert (meeting.place.slug, meeting.status) == ("houston", old_status)
        assert not meeting.history.filter(history_user__username="bob").exists()

        # Bob follows the link to the current version, sees Alice's change, and makes his again.
        bob.get_by_role("link", name="Reload it").click()
        bob.wait_for_url(change_url)
        assert "Houston" in bob.locator(".field-place .select2-container").inner_text()
        bob.select_option("#id_status", new_status)
        bob.fill("#id_support_note", SUPPORT_NOTE)
        bob.click("input[name=_save]")
        bob.wait_for_url(f"{base}/admin/events/meeting/")
        assert "was changed successfully" in bob.locator("ul.messagelist li.success").inner_text()

        meeting.refresh_from_db()
        assert (meeting.place.slug, meeting.status) == ("houston", new_status)
        authors = list(meeting.history.order_by("history_id").values_list("history_user__username", flat=True))
        assert authors[-2:] == ["alice", "bob"]
        assert violations == [], violations
    except Exception:
        for name, page in (("alice", alice), ("bob", bob)):
            shot = artifacts_dir / f"browser-admin-race-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")
        raise


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL")
def test_concurrent_admin_saves_the_second_waits_for_the_first_and_is_refused(curators, monkeypatch):
    """Alice's save passes the version check and pauses before writing; Bob's save of the same page must wait for
    her lock, then be refused. Without the lock, Bob's check would pass while Alice pauses, and both would save."""
    meeting = Meeting.objects.get(slug=MEETING)
    url = f"/admin/events/meeting/{meeting.pk}/change/"
    clients = {}
    for user in curators:
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    pages = {name: form_data(client.get(url)) for name, client in clients.items()}
    alice_checked, alice_may_write = threading.Event(), threading.Event()
    save_model = CuratedAdmin.save_model

    def pause_alice_before_writing(self, request, obj, form, change):
        if request.user.username == "alice":
            alice_checked.set()
            assert alice_may_write.wait(30)
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(CuratedAdmin, "save_model", pause_alice_before_writing)
    results = {}

    def save(name, change):
        try:
            results[name] = clients[name].post(url, pages[name] | change)
        finally:
            connections.close_all()

    alice = threading.Thread(target=save, args=("alice", {"title": "Alice's title", "support_note": SUPPORT_NOTE}))
    bob = threading.Thread(target=save, args=("bob", {"summary": "Bob's summary"}))
    alice.start()
    assert alice_checked.wait(30)
    bob.start()
    deadline = time.monotonic() + 30
    while not lock_waiters():
        assert time.monotonic() < deadline, "Bob never waited for Alice's lock"
        assert bob.is_alive(), f"Bob's save finished while Alice held the record: {results['bob'].status_code}"
        time.sleep(0.02)
    alice_may_write.set()
    alice.join(30)
    bob.join(30)
    assert results["alice"].status_code == 302
    assert results["bob"].status_code == 200
    assert "nothing was saved" in str(results["bob"].context["adminform"].form.non_field_errors())
    meeting.refresh_from_db()
    assert meeting.title == "Alice's title"
    assert meeting.summary != "Bob's summary"
