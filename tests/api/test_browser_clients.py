"""The API as browsers use it: DRF's browsable pages under the site's CSP, and a web app on another origin making
the README's conditional write through CORS."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from events.models import Topic
from tests.api.test_docs_browser import RECORD_CSP_VIOLATIONS, browser  # noqa: F401 (a fixture)
from tests.api.test_writes import make_user

pytestmark = pytest.mark.slow  # a real browser and a live server


def test_a_browser_gets_the_browsable_api_with_no_csp_violation(browser, live_server, transactional_db):  # noqa: F811
    page = browser.new_page()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    console_csp = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and console_csp.append(msg.text))
    response = page.goto(f"{live_server.url}/api/v1/")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_selector(".response-info")
    listed = page.locator(".response-info").inner_text()
    for endpoint in ("meetings", "timeline", "conflicts", "changes", "schema", "docs"):
        assert f'"{endpoint}"' in listed
    # A link in the listing opens that endpoint as a browsable page too, and its scripts run (the format menu).
    page.goto(f"{live_server.url}/api/v1/topics/")
    page.wait_for_selector(".response-info")
    page.locator(".format-selection .dropdown-toggle").click()
    page.wait_for_selector(".format-selection a.format-option", state="visible")
    assert "json" in page.locator(".format-selection .dropdown-menu").inner_text()
    assert page.evaluate("window.cspViolations") == []
    assert console_csp == []


class _AppPage(BaseHTTPRequestHandler):
    """The other origin: an empty page for the browser app's script to run in."""

    def do_GET(self):
        body = b"<!doctype html><title>app</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AppPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


# In the app's page: read a topic and its ETag, update it with If-Match, then try again with the ETag now stale.
CONDITIONAL_WRITE = """async ([url, token]) => {
  const read = await fetch(url);
  const etag = read.headers.get("ETag");
  const write = (tag) => fetch(url, {
    method: "PATCH",
    headers: {"Content-Type": "application/json", "Authorization": `Token ${token}`, "If-Match": tag},
    body: JSON.stringify({name: "Renamed from the app", support: {note: "Renamed in a browser test."}}),
  });
  const first = await write(etag);
  const again = await write(etag);
  const cached = await fetch(url, {headers: {"If-None-Match": first.headers.get("ETag")}});
  return {etag, first: first.status, newEtag: first.headers.get("ETag"), again: again.status, cached: cached.status};
}"""


def test_a_web_app_on_an_allowed_origin_makes_a_conditional_write(
    browser,  # noqa: F811
    live_server,
    other_origin,
    transactional_db,
):
    from rest_framework.authtoken.models import Token

    editor = make_user("app-editor", "change_topic", "add_claim")
    token = Token.objects.create(user=editor).key
    topic = Topic.objects.create(slug="app-topic", name="Before")
    url = f"{live_server.url}/api/v1/topics/{topic.slug}/"
    page = browser.new_page()
    page.goto(other_origin)
    with override_settings(CORS_ALLOWED_ORIGINS=[other_origin]):
        found = page.evaluate(CONDITIONAL_WRITE, [url, token])
    assert found["etag"], "the ETag header is exposed to the app"
    assert (found["first"], found["again"], found["cached"]) == (200, 412, 304)
    assert found["newEtag"]
    assert found["newEtag"] != found["etag"]
    topic.refresh_from_db()
    assert topic.name == "Renamed from the app"


def test_an_origin_not_allowed_cannot_read_the_answer(browser, live_server, other_origin, transactional_db):  # noqa: F811
    page = browser.new_page()
    page.goto(other_origin)
    error = page.evaluate(
        "async (url) => { try { await fetch(url); return null; } catch (e) { return String(e); } }",
        f"{live_server.url}/api/v1/topics/",
    )
    assert error
    assert "Failed to fetch" in error
