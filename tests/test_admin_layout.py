"""Admin pages sized for a 1280 px wide screen: a narrow claims list, one-line claim notes, a stylesheet of our own.

Whether the pages really fit is measured in a browser (tests/test_browser_admin.py); here, what makes them fit.
"""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse

from events.models import Claim, Meeting

STYLESHEET = "events/admin/curation.css"


@pytest.fixture
def curator_client(client, db):
    user = get_user_model().objects.create_superuser("curator", "curator@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def claim_rows(client, **params):
    response = client.get(reverse("admin:events_claim_changelist"), params)
    assert response.status_code == 200
    return response


def cells(response, pk) -> dict[str, str]:
    """The claim's row in the list, as {column class: cell markup}."""
    content = response.content.decode()
    row = re.search(rf'<tr>(?:(?!</tr>).)*value="{pk}"(?:(?!</tr>).)*</tr>', content, re.DOTALL).group(0)
    return dict(re.findall(r'<t[dh] class="field-([a-z_]+)[^"]*">(.*?)</t[dh]>', row, re.DOTALL))


def test_the_claims_list_shows_subject_field_value_rank_and_source(curator_client, seeded):
    response = claim_rows(curator_client)
    headers = re.findall(r'<th scope="col" class="[^"]*column-([a-z_]+)', response.content.decode())
    assert headers == ["subject_label", "field", "value_label", "rank", "source_label"]
    # The subject names its type: no column of its own for it, but it can still be filtered on.
    filters = [spec.title for spec in response.context["cl"].filter_specs]
    assert filters == ["rank", "subject type", "reliability", "source", "field"]


def test_long_subjects_and_values_are_cut_short_with_the_full_text_on_hover(curator_client, seeded):
    claim = Claim.objects.filter(subject_type="meeting", value__regex=r"^.{30,}$").select_related("meeting").first()
    subject = f"meeting: {claim.meeting}"
    assert len(subject) > 34
    row = cells(claim_rows(curator_client, q=claim.value), claim.pk)
    value, shown = re.fullmatch(r'<span title="([^"]*)">([^<]*)</span>', row["value_label"]).groups()
    assert html.unescape(value) == claim.value
    assert len(shown) == 24
    assert shown.endswith("…")
    assert claim.value.startswith(shown[:-1])
    title, shown = re.search(r'<span title="([^"]*)">([^<]*)</span>', row["subject_label"]).groups()
    assert html.unescape(title) == subject
    assert len(html.unescape(shown)) == 34


def test_short_values_are_shown_whole(curator_client, seeded):
    claim = Claim.objects.filter(field="status", value="held").first()
    row = cells(claim_rows(curator_client, q="held", field__exact="status"), claim.pk)
    assert row["value_label"] == "held"
    assert row["rank"] == claim.rank


def test_the_source_column_gives_the_article_number_and_paragraphs(curator_client, seeded):
    claim = Claim.objects.filter(source__slug__regex=r"^\d+_", locator="10").select_related("source").first()
    row = cells(claim_rows(curator_client, q=claim.value), claim.pk)
    number = claim.source.slug.split("_")[0]
    title, shown = re.fullmatch(r'<span title="([^"]*)">([^<]*)</span>', row["source_label"]).groups()
    assert html.unescape(shown) == f"{number} ¶10"
    assert html.unescape(title) == f"{claim.source.title} ({claim.source.slug} ¶10)"


def test_claim_notes_on_a_meeting_page_are_one_line_fields(curator_client, seeded):
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    response = curator_client.get(reverse("admin:events_meeting_change", args=[meeting.pk]))
    content = response.content.decode()
    notes = re.findall(r'<textarea name="claims-(?:\d+|__prefix__)-note"[^>]*>', content)
    assert len(notes) == meeting.claims.count() + 1  # and the blank row "Add another" copies
    assert all('rows="1"' in note and "one-line" in note for note in notes)
    assert 'class="module claim-inline"' in content
    assert f'href="/static/{STYLESHEET}"' in content


@pytest.mark.parametrize(
    "page", ["admin:events_claim_changelist", "admin:events_agency_add", "admin:events_meeting_add"]
)
def test_the_stylesheet_is_on_list_and_form_pages(curator_client, page):
    assert f'href="/static/{STYLESHEET}"' in curator_client.get(reverse(page)).content.decode()


def test_the_stylesheet_grows_one_line_notes_when_edited():
    path = finders.find(STYLESHEET)
    assert path, "the stylesheet is not among the static files"
    with open(path, encoding="utf-8") as stream:
        css = stream.read()
    focused = re.search(r"textarea\.one-line:focus\s*\{([^}]*)\}", css).group(1)
    assert re.search(r"height:\s*\d", focused)
    # Rows that are still too wide scroll inside their box rather than the page.
    assert re.search(r"\.inline-group \.tabular\s*\{[^}]*overflow-x:\s*auto", css)
