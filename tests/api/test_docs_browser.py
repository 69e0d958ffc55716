"""The interactive API docs render in a real browser with every outside request blocked."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's chromium is required at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop; Django's ORM must still be usable from this test.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


def test_swagger_ui_renders_offline(browser, live_server, transactional_db, tmp_path):
    page = browser.new_page()
    outside = []

    def only_local(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", only_local)
    page.goto(f"{live_server.url}/api/v1/docs/")
    try:
        page.wait_for_selector(".opblock-tag", timeout=15000)
        tags = page.locator(".opblock-tag").all_inner_texts()
        assert any("meetings" in tag for tag in tags)
        assert page.locator(".info .title").inner_text().startswith("spacediplo API")
    except Exception:
        shot = tmp_path / "docs-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        raise
    assert outside == []
