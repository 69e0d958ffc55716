"""A curator pastes an article in a real browser, reviews its candidate claims, accepts some, rejects one, and the
public API then shows the accepted claims with their locators. No page breaks the Content-Security-Policy."""

import pytest

from events.models import Candidate, Source
from tests import test_browser_admin as browser_admin
from tests.api.test_ingest_api import ARTICLE
from tests.test_browser_admin import get_json, log_in, watched_page

pytestmark = pytest.mark.slow  # a real browser against a live server

browser = browser_admin.browser  # Debian's chromium, headless, as the other browser tests launch it
artifacts_dir = browser_admin.artifacts_dir
curator = browser_admin.curator  # the seed and a curator, committed for the live server


def test_a_curator_pastes_an_article_and_reviews_its_candidates(live_server, curator, browser, artifacts_dir):
    base = live_server.url
    page, watch = watched_page(browser, base)
    try:
        log_in(page, base)
        page.goto(f"{base}/admin/events/source/")
        page.get_by_role("link", name="Add from an article's text").click()
        page.fill("#id_text", ARTICLE)
        page.fill("#id_outlet", "Test Wire")
        page.get_by_role("button", name="Add the source and find its claims").click()
        page.wait_for_url("**/admin/events/candidate/?source__id__exact=*")
        assert "candidate claims wait for review" in page.locator("ul.messagelist li.success").inner_text()
        source = Source.objects.get(outlet="Test Wire")

        # Accept the two people's names in bulk: tick their rows, choose the action, press Go.
        rows = page.locator("#result_list tbody tr")
        for name in ("Jared Isaacman", "Dmitry Bakanov"):
            row = rows.filter(has_text=f"person {name}").filter(has=page.locator("td.field-field", has_text="name"))
            row.locator("input.action-select").check()
        page.select_option("select[name=action]", "accept_selected")
        page.get_by_role("button", name="Go").click()
        assert "Accepted 2 candidates." in page.locator("ul.messagelist").inner_text()

        # Reject one on its own page, saying why.
        title = Candidate.objects.get(
            source=source, subject_slug="dmitry-bakanov-roscosmos-director-general", field="title"
        )
        page.goto(f"{base}/admin/events/candidate/{title.pk}/change/")
        page.check("input[name=decision][value=reject]")
        page.fill("#id_note", "The post is named, but not as his title in this article.")
        page.click("input[name=_save]")
        page.wait_for_url(f"{base}/admin/events/candidate/")

        # The API shows the accepted claims, each with its paragraph.
        for slug in ("jared-isaacman", "dmitry-bakanov"):
            claims = get_json(f"{base}/api/v1/people/{slug}/")["claims"]
            made = [c for c in claims if c["source"]["slug"] == source.slug]
            assert [(c["field"], c["locator"]) for c in made] == [("name", "3")], claims
        tenure = Candidate.objects.get(pk=title.pk)
        assert (tenure.status, tenure.claim) == ("rejected", None)
        assert watch.outside == [], watch.outside
        assert watch.violations == [], watch.violations
    except Exception:
        shot = artifacts_dir / "browser-ingest-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        raise
