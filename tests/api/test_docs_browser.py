"""The interactive API docs render in a real browser with every outside request blocked, under the site's CSP."""

import os
import shutil

import pytest

pytestmark = pytest.mark.slow  # a real browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Collects the page's CSP violation events before any of its scripts run.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


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


def test_swagger_ui_renders_offline_with_no_csp_violation(browser, live_server, transactional_db, tmp_path):
    page = browser.new_page()
    outside = []
    console_csp = []

    def only_local(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", only_local)
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.on("console", lambda msg: "Content Security Policy" in msg.text and console_csp.append(msg.text))
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    try:
        page.wait_for_selector(".opblock-tag", timeout=15000)
        tags = page.locator(".opblock-tag").all_inner_texts()
        assert any("meetings" in tag for tag in tags)
        assert page.locator(".info .title").inner_text().startswith("spacediplo API")
        # Open an operation, so what it renders (models, icons, examples) is under the policy too.
        page.locator(".opblock-summary").first.click()
        page.wait_for_selector(".opblock-body", timeout=15000)
        # The page's own stylesheet applied (it is allowed by hash, not by 'unsafe-inline').
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    except Exception:
        shot = tmp_path / "docs-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        raise
    assert outside == []
    assert page.evaluate("window.cspViolations") == []
    assert console_csp == []
