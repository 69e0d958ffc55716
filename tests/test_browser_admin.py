"""A curator corrects a meeting's place in a real browser, as a person would, and finds the change in its history.

Every admin page on the way runs under the site's Content-Security-Policy without a single violation.
"""

import json
import os
import shutil
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from events.models import Agency, Meeting, Source
from events.services.curators import curator_create
from events.services.seed import seed_load

pytestmark = pytest.mark.slow  # real browsers against a live server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
USERNAME = "curator"
PASSWORD = "a-long-curator-pass-2026"
MEETING = "nasa-roscosmos-2025-07"
TIMEOUT = 15_000  # ms, for each wait in the browser
# Reports every CSP violation event of every page to the test, before any of the page's scripts run.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportCspViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture
def curator(seed_committed):
    """The seed data and a curator, committed, so the live server's thread sees them."""
    return curator_create(username=USERNAME, password=PASSWORD)


@pytest.fixture
def curator_over_a_loaded_seed(curators_group):
    """As `curator`, with the seed as the validated loader leaves it: for a test that loads it again."""
    seed_load()
    return curator_create(username=USERNAME, password=PASSWORD)


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's chromium is required at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop; Django's ORM must still be usable from this test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's event loop runs, asgiref treats this thread as async and Django keeps the
            # connections opened meanwhile apart from the thread's usual ones: close them here, or they stay
            # open and PostgreSQL refuses to drop the test database at the end of the run.
            connections.close_all()


@pytest.fixture
def artifacts_dir(tmp_path):
    path = Path(os.environ.get("TEST_ARTIFACTS_DIR") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.load(response)


@dataclass
class Watch:
    """What a page did that it should not: requests off the live server, CSP violations; and each policy sent."""

    outside: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    policies: dict[str, str | None] = field(default_factory=dict)


def watched_page(browser, base: str, **options):
    """A new page that may only reach the live server, and reports every CSP violation and policy."""
    page = browser.new_page(**options)
    page.set_default_timeout(TIMEOUT)
    watch = Watch()

    def only_local(route):
        url = route.request.url
        if url == base or url.startswith(f"{base}/"):
            return route.continue_()
        watch.outside.append(url)
        return route.abort()

    page.route("**/*", only_local)
    page.expose_function("reportCspViolation", lambda text: watch.violations.append(text))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", lambda msg: "Content Security Policy" in msg.text and watch.violations.append(msg.text))

    def note_policy(response):
        if response.request.resource_type == "document":
            watch.policies[response.url] = response.headers.get("content-security-policy")

    page.on("response", note_policy)
    return page, watch


def log_in(page, base: str) -> None:
    """As a person would: type the credentials and press the button."""
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_a_curator_changes_a_meeting_place_in_the_browser(live_server, curator, browser, artifacts_dir):
    meeting = Meeting.objects.get(slug=MEETING)
    assert meeting.place.slug == "kennedy-space-center"
    base = live_server.url
    page, watch = watched_page(browser, base)
    outside, violations, policies = watch.outside, watch.violations, watch.policies
    try:
        log_in(page, base)
        assert USERNAME.upper() in page.locator("#user-tools").inner_text().upper()

        # Find the meeting in the list and open it by its title.
        page.goto(f"{base}/admin/events/meeting/")
        page.locator("#result_list").get_by_role("link", name=meeting.title, exact=True).click()
        change_url = f"{base}/admin/events/meeting/{meeting.pk}/change/"
        page.wait_for_url(change_url)
        assert page.locator("#id_slug").input_value() == MEETING

        # Pick the new place through the autocomplete (select2) widget.
        place = page.locator(".field-place .select2-container")
        assert "Kennedy Space Center" in place.inner_text()
        place.click()
        search = page.locator(".select2-container--open .select2-search__field")
        search.fill("Hous")
        houston = page.get_by_role("option", name="Houston", exact=True)
        houston.wait_for()
        houston.click()
        assert "Houston" in place.inner_text()
        page.click("input[name=_save]")

        page.wait_for_url(f"{base}/admin/events/meeting/")
        success = page.locator("ul.messagelist li.success")
        assert "was changed successfully" in success.inner_text()
        assert meeting.title in success.inner_text()

        # The public API, over real HTTP, shows the new place.
        shown = get_json(f"{base}/api/v1/meetings/{MEETING}/")
        assert shown["place"]["slug"] == "houston"

        # The history page shows who made the change.
        page.goto(f"{base}/admin/events/meeting/{meeting.pk}/history/")
        rows = page.locator("#change-history tbody tr")
        by_curator = rows.filter(has_text=USERNAME)
        assert by_curator.count() >= 1
        newest = by_curator.first.inner_text()
        assert "Changed" in newest
        assert "Kennedy Space Center" in newest, newest
        assert "Houston" in newest, newest
        assert outside == [], f"requests outside the live server: {outside}"
        assert len(policies) >= 5, policies
        assert all(policy and "default-src 'self'" in policy for policy in policies.values()), policies
        assert violations == [], violations

        # And in the database: the record and its newest historical version, made by the curator.
        meeting.refresh_from_db()
        assert meeting.place.slug == "houston"
        latest = meeting.history.first()
        assert latest.history_user.username == USERNAME
        assert latest.place.slug == "houston"
        assert latest.history_type == "~"
    except Exception:
        shot = artifacts_dir / "browser-admin-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        raise


# Widths no element may exceed on a 1280 px screen: the page, the claims table's scrolling box, each inline.
OVERFLOWING = """
() => [document.documentElement, ...document.querySelectorAll("#changelist-form .results, .inline-group")]
  .filter((e) => e.scrollWidth > e.clientWidth)
  .map((e) => `${e.id || e.className || e.tagName}: ${e.scrollWidth} > ${e.clientWidth}`)
"""


def test_a_curator_works_on_a_1280_px_screen(live_server, curator, browser, artifacts_dir):
    """The claims list and a meeting's page fit the screen; an agency's page draws who held its posts when."""
    base = live_server.url
    page, watch = watched_page(browser, base, viewport={"width": 1280, "height": 800})
    try:
        log_in(page, base)
        assert "spacediplo" in page.locator("#site-name").inner_text()
        assert page.get_by_role("link", name="View site").get_attribute("href") == "/api/v1/docs/"

        # The claims list, from the index's link: subject, field, value, rank and source, with no sideways scroll.
        page.get_by_role("link", name="Claims", exact=True).first.click()
        page.wait_for_url(f"{base}/admin/events/claim/")
        headers = page.locator("#result_list thead th .text").all_inner_texts()
        assert [h.strip().lower() for h in headers[1:]] == ["subject", "field", "value", "rank", "source"]
        assert page.locator("#changelist-filter").is_visible()
        assert page.evaluate(OVERFLOWING) == []
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], width
        # A value cut short is there in full on hover.
        cut = page.locator("#result_list td.field-value_label span[title]").first
        assert cut.inner_text().endswith("…")
        assert cut.get_attribute("title").startswith(cut.inner_text()[:-1])

        # A meeting's page fits too; a claim's note is one line until it is edited.
        meeting = Meeting.objects.get(slug=MEETING)
        page.goto(f"{base}/admin/events/meeting/{meeting.pk}/change/")
        assert page.evaluate(OVERFLOWING) == []
        note = page.locator("#claims-group textarea[name$='-note']").first
        closed = note.bounding_box()["height"]
        note.focus()
        page.wait_for_function("document.activeElement.name.endsWith('-note')")
        assert note.bounding_box()["height"] > 2 * closed

        # An agency's page: one bar per tenure, each bar certain (solid) or possible (lighter), and its meetings.
        nasa = Agency.objects.get(slug="nasa")
        page.goto(f"{base}/admin/events/agency/{nasa.pk}/change/")
        chart = page.locator(".tenure-chart svg").first
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        assert chart.bounding_box()["width"] > 600
        assert page.locator(".tenure-chart a.tenure-bar").count() == nasa.tenures.count()
        assert page.locator(".tenure-chart a.meeting-mark").count() >= 1
        assert page.locator(".tenure-chart rect.certain").count() >= 1
        # A tenure no source bounds at its start runs off the axis's edge, with an arrow and a word for it.
        open_starts = sum(1 for tenure in nasa.tenures.all() if tenure.start_earliest is None)
        assert page.locator(".tenure-chart polygon.open-start").count() == open_starts
        assert page.locator(".tenure-chart text.tenure-note", has_text="start unknown").count() == open_starts
        chart.screenshot(path=str(artifacts_dir / "tenure-chart.png"))
        assert page.evaluate(OVERFLOWING) == []

        assert watch.outside == [], f"requests outside the live server: {watch.outside}"
        assert all(policy and "default-src 'self'" in policy for policy in watch.policies.values()), watch.policies
        assert watch.violations == [], watch.violations
    except Exception:
        shot = artifacts_dir / "browser-admin-1280-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        raise


def test_a_curators_sourced_edit_survives_the_serve_steps_and_shows_its_source(
    live_server, curator_over_a_loaded_seed, browser, artifacts_dir
):
    meeting = Meeting.objects.get(slug=MEETING)
    source = Source.objects.get(slug__startswith="003")
    base = live_server.url
    page, watch = watched_page(browser, base)
    change_url = f"{base}/admin/events/meeting/{meeting.pk}/change/"
    try:
        log_in(page, base)
        page.goto(change_url)
        # A value no source gives is refused until the change names what it rests on.
        page.select_option("#id_status", "postponed")
        page.click("input[name=_continue]")
        page.wait_for_url(change_url)
        assert "No source gives 'postponed'" in page.locator(".field-status").inner_text()
        page.select_option("#id_status", "postponed")
        page.select_option("#id_support_source", str(source.pk))
        page.fill("#id_support_locator", "4")
        page.click("input[name=_continue]")
        page.wait_for_url(change_url)
        assert "was changed successfully" in page.locator("ul.messagelist li.success").inner_text()

        # The serve command's steps run again: the curator's value and its claim stand.
        call_command("migrate", "--no-input", verbosity=0)
        call_command("load_seed_data", verbosity=0)
        page.goto(change_url)
        assert page.locator("#id_status").input_value() == "postponed"
        beside = page.locator(".field-status").inner_text()
        assert f"{source.slug} (¶4, preferred)" in beside, beside
        assert get_json(f"{base}/api/v1/meetings/{MEETING}/")["status"] == "postponed"
        assert watch.violations == []
        assert watch.outside == []
    except Exception:
        page.screenshot(path=str(artifacts_dir / "browser-admin-sourced-edit.png"), full_page=True)
        raise
    finally:
        page.close()
