"""The curator workflow in the admin: roles, editing, history, reviewing conflicts, rating sources."""

import datetime as dt
import html
import io
import re
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from events.fuzzydates import Bounds
from events.models import Agency, Claim, Launch, Meeting, Person, Place, Source, Tenure, Topic
from events.models.fuzzy import narrowed
from events.selectors import conflict_keys
from tests.factories import ClaimFactory

User = get_user_model()

PASSWORD = "a-long-test-password-9"  # noqa: S105
DATA_MODELS = [
    "source",
    "agency",
    "person",
    "place",
    "topic",
    "tenure",
    "meeting",
    "participant",
    "launch",
    "crewmember",
    "claim",
]
S001 = "001_c34876a6c97edda2"
S002 = "002_24c54badd1b53c27"
S004 = "004_404598c61fc80e23"
JULY = "nasa-roscosmos-2025-07"
# What a change to a value no source gives rests on: the curator's own judgement, and why.
SUPPORT = {"support_note": "The curator's own reading."}


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def curator(db):
    """A curator as createcurator makes one (staff, in the curators group), without slow password hashing."""
    user = User.objects.create_user("cora", is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def _plain(value):
    if isinstance(value, Model):
        return value.pk
    return value


def form_data(response) -> dict:
    """POST data reproducing a rendered admin form as it stands, inline formsets included."""
    data = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif hasattr(value, "__iter__") and not isinstance(value, str):  # several choices
                data[bound.html_name] = [_plain(v) for v in value]
            else:
                data[bound.html_name] = _plain(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def change_url(record) -> str:
    return reverse(f"admin:events_{record._meta.model_name}_change", args=[record.pk])


def meeting(slug=JULY) -> Meeting:
    return Meeting.objects.get(slug=slug)


def post_meeting(client, record, **changes):
    url = change_url(record)
    data = form_data(client.get(url)) | changes
    return client.post(url, data)


def form_errors(response):
    """The errors a re-rendered admin form shows, for assertion messages."""
    if not response.context or "adminform" not in response.context:
        return None
    inlines = [i.formset.errors for i in response.context.get("inline_admin_formsets") or []]
    return response.context["adminform"].form.errors, inlines


def place_claim(source_slug, value):
    return Claim.objects.get(meeting__slug=JULY, field="place", source__slug=source_slug, value=value)


def run_action(client, action, *claims, **extra):
    data = {"action": action, "_selected_action": [c.pk for c in claims], "index": 0, **extra}
    return client.post(reverse("admin:events_claim_changelist"), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def rows(content: str, table_id: str) -> list[str]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', content, re.S).group(1)
    body = table.split("<tbody>", 1)[1]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def hrefs(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', fragment)]


def api_conflict(slug, field):
    entries = APIClient().get("/api/v1/conflicts/", {"subject_type": "meeting", "field": field}).json()["results"]
    found = [e for e in entries if e["subject"]["slug"] == slug]
    assert len(found) == 1
    return found[0]


# --- roles --------------------------------------------------------------------------------------


def test_the_curators_group_edits_every_data_model_and_nothing_of_auth(db):
    group = Group.objects.get(name="curators")
    perms = set(group.permissions.values_list("content_type__app_label", "codename"))
    for model in DATA_MODELS:
        for action in ("add", "change", "delete", "view"):
            assert ("events", f"{action}_{model}") in perms
    assert not [p for p in perms if p[0] == "auth"]
    assert not Permission.objects.filter(group=group, content_type__app_label="auth").exists()


def test_createcurator_makes_a_curator_who_can_use_the_data_admin_only(client, seeded, monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("createcurator", "carol", stdout=out)
    carol = User.objects.get(username="carol")
    assert carol.is_staff
    assert not carol.is_superuser
    assert list(carol.groups.values_list("name", flat=True)) == ["curators"]

    assert client.login(username="carol", password=PASSWORD)
    assert client.get(reverse("admin:events_meeting_changelist")).status_code == 200
    assert client.get(change_url(meeting())).status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get(reverse("admin:auth_user_change", args=[carol.pk])).status_code == 403


def test_non_staff_and_anonymous_users_get_no_admin(client, seeded):
    url = reverse("admin:events_meeting_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(User.objects.create_user("walter"))
    for path in (url, "/admin/", reverse("admin:events_claim_conflicts"), reverse("admin:events_source_low_support")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("admin:login"))


def test_createcurator_without_password_variable_or_terminal_fails(db, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="CURATOR_PASSWORD"):
        call_command("createcurator", "carol")
    assert not User.objects.filter(username="carol").exists()


def test_createcurator_reads_the_variable_it_is_told_to(db, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="SECRET_FOR_CAROL"):
        call_command("createcurator", "carol", "--password-env", "SECRET_FOR_CAROL")
    monkeypatch.setenv("SECRET_FOR_CAROL", PASSWORD)
    call_command("createcurator", "carol", "--password-env", "SECRET_FOR_CAROL", stdout=io.StringIO())
    assert User.objects.get(username="carol").check_password(PASSWORD)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_createcurator_prompts_on_a_terminal(db, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", Terminal())
    answers = iter([PASSWORD, "something-else-entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError):
        call_command("createcurator", "carol")
    assert not User.objects.filter(username="carol").exists()
    answers = iter([PASSWORD, PASSWORD])
    call_command("createcurator", "carol", stdout=io.StringIO())
    assert User.objects.get(username="carol").check_password(PASSWORD)


def test_createcurator_refuses_a_too_common_password(db, monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", "password")
    with pytest.raises(CommandError, match="common"):
        call_command("createcurator", "carol")
    assert not User.objects.filter(username="carol").exists()


# --- autocomplete -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "expected"),
    [
        ("meeting", "place", "Hous", "Houston"),
        ("participant", "person", "Duff", "Sean Duffy"),
        ("participant", "agency", "Roscos", "Roscosmos State Corporation for Space Activities"),
        ("meeting", "related_launch", "Crew-1", "Crew-11"),
    ],
)
def test_autocomplete_finds_related_records(curator_client, seeded, model_name, field_name, term, expected):
    params = {"app_label": "events", "model_name": model_name, "field_name": field_name, "term": term}
    response = curator_client.get("/admin/autocomplete/", params)
    assert response.status_code == 200
    assert expected in [r["text"] for r in response.json()["results"]]


def test_autocomplete_only_returns_matches(curator_client, seeded):
    params = {"app_label": "events", "model_name": "meeting", "field_name": "place", "term": "Hous"}
    texts = [r["text"] for r in curator_client.get("/admin/autocomplete/", params).json()["results"]]
    assert "Houston" in texts
    assert "Moscow" not in texts


# --- fuzzy dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "typed", "edtf", "earliest", "latest"),
    [
        ("nasa-esa-2026-02-11", "summer 2026", "2026-22", dt.date(2026, 6, 1), dt.date(2026, 8, 31)),
        ("nasa-esa-2026-02-11", "Q1 2026", "2026-33", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("nasa-esa-2026-02-11", "first quarter of 2026", "2026-33", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("bakanov-houston-visits-2025-07", "July 31, 2025", "2025-07-31", dt.date(2025, 7, 31), dt.date(2025, 7, 31)),
    ],
)
def test_a_date_phrase_is_stored_as_edtf_and_kept_as_text(curator_client, seeded, slug, typed, edtf, earliest, latest):
    record = meeting(slug)
    assert record.date_edtf != edtf
    response = post_meeting(curator_client, record, date_edtf=typed, date_text="", **SUPPORT)
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert record.date_edtf == edtf
    # What the text means, narrowed by the bounds claims set on the date (a source reporting the meeting as held).
    assert Bounds(record.date_earliest, record.date_latest) == narrowed(Bounds(earliest, latest), record.date_basis)
    assert record.date_text == typed


def test_a_date_phrase_does_not_replace_the_sources_wording(curator_client, seeded):
    record = meeting("nasa-esa-2026-02-11")
    response = post_meeting(curator_client, record, date_edtf="summer 2026", date_text="this summer", **SUPPORT)
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert (record.date_edtf, record.date_text) == ("2026-22", "this summer")


@pytest.mark.parametrize(
    ("typed", "earliest", "latest"),
    [
        ("2025-08/2025-12", dt.date(2025, 8, 1), dt.date(2025, 12, 31)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2026-22", dt.date(2026, 6, 1), dt.date(2026, 8, 31)),
        ("../2018-10", None, dt.date(2018, 10, 31)),
    ],
)
def test_plain_edtf_is_stored_as_typed(curator_client, seeded, typed, earliest, latest):
    record = meeting("nasa-roscosmos-moon-mars-working-group-2026")
    response = post_meeting(curator_client, record, date_edtf=typed, date_text="", **SUPPORT)
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert (record.date_edtf, record.date_earliest, record.date_latest) == (typed, earliest, latest)
    assert record.date_text == ""


@pytest.mark.parametrize("typed", ["sometime soon", "summer", "2025-13-45"])
def test_an_unreadable_date_is_refused_with_an_example(curator_client, seeded, typed):
    record = meeting("nasa-esa-2026-02-11")
    saved = (record.date_edtf, record.date_text, record.title)
    before = record.history.count()
    response = post_meeting(curator_client, record, date_edtf=typed, title="Changed title")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date_edtf"]
    assert "2025-07-31" in " ".join(errors)
    record.refresh_from_db()
    assert (record.date_edtf, record.date_text, record.title) == saved
    assert record.history.count() == before


@pytest.mark.parametrize(
    ("model", "slug", "name", "typed", "edtf"),
    [
        (Tenure, "jim-bridenstine-nasa-administrator", "end", "January 2021", "2021-01"),
        (Source, S001, "published", "July 30, 2025", "2025-07-30"),
    ],
)
def test_date_phrases_work_on_every_record_page(curator_client, seeded, model, slug, name, typed, edtf):
    record = model.objects.get(slug=slug)
    url = change_url(record)
    data = form_data(curator_client.get(url)) | {f"{name}_edtf": typed, f"{name}_text": ""}
    if model is not Source:  # a source's values are not claimed: nothing to support
        data |= SUPPORT
    response = curator_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert (getattr(record, f"{name}_edtf"), getattr(record, f"{name}_text")) == (edtf, typed)


def test_date_phrases_work_in_the_tenure_inline(curator_client, seeded):
    agency = Agency.objects.get(slug="esa")
    url = change_url(agency)
    data = form_data(curator_client.get(url))
    n = int(data["tenures-TOTAL_FORMS"])
    data |= {
        "tenures-TOTAL_FORMS": n + 1,
        f"tenures-{n}-slug": "anil-menon-esa-adviser",
        f"tenures-{n}-agency": agency.pk,
        f"tenures-{n}-person": Person.objects.get(slug="anil-menon").pk,
        f"tenures-{n}-title": "Adviser",
        f"tenures-{n}-start_edtf": "January 2025",
        f"tenures-{n}-start_text": "",
        f"tenures-{n}-end_edtf": "",
        f"tenures-{n}-end_text": "",
    }
    response = curator_client.post(url, data)
    assert response.status_code == 302, [i.formset.errors for i in response.context["inline_admin_formsets"]]
    tenure = Tenure.objects.get(slug="anil-menon-esa-adviser")
    assert (tenure.start_edtf, tenure.start_text) == ("2025-01", "January 2025")


# --- changelists --------------------------------------------------------------------------------


def changelist(client, model, **params):
    response = client.get(reverse(f"admin:events_{model}_changelist"), params)
    assert response.status_code == 200  # an unknown filter would redirect with ?e=1
    return response


def shown(response) -> set:
    cl = response.context["cl"]
    assert cl.result_count == len(cl.result_list)  # one page
    return {obj.pk for obj in cl.result_list}


def test_meeting_changelist_columns(curator_client, seeded):
    response = changelist(curator_client, "meeting")
    content = response.content.decode()
    record = meeting()
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", content, re.S) if change_url(record) in r)
    assert "Sean Duffy" in row
    assert "Dmitry Bakanov" in row
    assert "Kennedy Space Center" in row
    assert ">held<" in row
    sources = Source.objects.filter(claims__meeting=record).distinct().count()
    assert sources > 1
    assert re.search(rf'class="field-source_count">{sources}</td>', row), row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "held"}, lambda: Meeting.objects.filter(status="held")),
        ({"kind__exact": "working_group"}, lambda: Meeting.objects.filter(kind="working_group")),
        ({"year": "2018"}, lambda: Meeting.objects.filter(date_earliest__year=2018)),
        ({"date_earliest__year": "2025"}, lambda: Meeting.objects.filter(date_earliest__year=2025)),
        (
            {"participants__agency__id__exact": lambda: Agency.objects.get(slug="esa").pk},
            lambda: Meeting.objects.filter(participants__agency__slug="esa"),
        ),
        (
            {"participants__agency__id__exact": lambda: Agency.objects.get(slug="nasa").pk},
            lambda: Meeting.objects.filter(participants__agency__slug="nasa"),
        ),
    ],
)
def test_meeting_filters_narrow_the_list(curator_client, seeded, params, expected):
    params = {k: v() if callable(v) else v for k, v in params.items()}
    response = changelist(curator_client, "meeting", **params)
    wanted = set(expected().values_list("pk", flat=True))
    assert wanted
    assert len(wanted) < Meeting.objects.count()
    assert shown(response) == wanted


def test_meeting_source_counts_stay_right_when_filtered(curator_client, seeded):
    nasa = Agency.objects.get(slug="nasa")
    response = changelist(curator_client, "meeting", participants__agency__id__exact=nasa.pk)
    content = response.content.decode()
    for record in Meeting.objects.filter(participants__agency=nasa).distinct():
        row = next(r for r in re.findall(r"<tr>(.*?)</tr>", content, re.S) if change_url(record) in r)
        sources = Source.objects.filter(claims__meeting=record).distinct().count()
        assert re.search(rf'class="field-source_count">{sources}</td>', row), (record.slug, row)


def test_meeting_changelist_offers_year_and_agency_filters(curator_client, seeded):
    content = changelist(curator_client, "meeting").content.decode()
    assert "?year=2018" in content
    assert "date_earliest__year=2025" in content
    assert f"participants__agency__id__exact={Agency.objects.get(slug='nasa').pk}" in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rank__exact": "deprecated"}, lambda: Claim.objects.filter(rank="deprecated")),
        ({"rank__exact": "preferred"}, lambda: Claim.objects.filter(rank="preferred")),
        ({"source__reliability__exact": "low"}, lambda: Claim.objects.filter(source__reliability="low")),
        ({"source__reliability__exact": "high"}, lambda: Claim.objects.filter(source__reliability="high")),
    ],
)
def test_claim_filters_narrow_the_list(curator_client, seeded, params, expected):
    response = curator_client.get(reverse("admin:events_claim_changelist"), params | {"all": ""})
    assert response.status_code == 200
    cl = response.context["cl"]
    wanted = set(expected().values_list("pk", flat=True))
    assert wanted
    assert len(wanted) < Claim.objects.count()
    assert cl.result_count == len(wanted)
    assert {c.pk for c in cl.result_list} == wanted


def test_claim_search(curator_client, seeded):
    response = curator_client.get(reverse("admin:events_claim_changelist"), {"q": "geneva"})
    wanted = set(Claim.objects.filter(value__icontains="geneva").values_list("pk", flat=True))
    assert wanted
    assert {c.pk for c in response.context["cl"].result_list} >= wanted


# --- history ------------------------------------------------------------------------------------


def test_an_admin_change_is_kept_with_who_and_when(curator_client, curator, seeded):
    record = meeting()
    houston = Place.objects.get(slug="houston")
    started = timezone.now()
    response = post_meeting(curator_client, record, place=houston.pk)
    assert response.status_code == 302, form_errors(response)
    latest = record.history.first()
    assert latest.place_id == houston.pk
    assert latest.history_type == "~"
    assert latest.history_user == curator
    assert started <= latest.history_date <= timezone.now()

    page = curator_client.get(reverse("admin:events_meeting_history", args=[record.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert reverse("admin:events_meeting_simple_history", args=[record.pk, latest.history_id]) in content
    assert curator.username in content


def test_a_change_can_be_reverted_from_the_history(curator_client, curator, seeded):
    record = meeting()
    kennedy = record.place
    assert kennedy.slug == "kennedy-space-center"
    old = record.history.first()
    response = post_meeting(curator_client, record, place=Place.objects.get(slug="houston").pk)
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert record.place.slug == "houston"

    url = reverse("admin:events_meeting_simple_history", args=[record.pk, old.history_id])
    page = curator_client.get(url)
    assert page.status_code == 200
    response = curator_client.post(url, form_data(page))
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert record.place == kennedy
    assert record.title == old.title
    assert sorted(record.topics.values_list("pk", flat=True)) == sorted(t.topic_id for t in old.topics.all())
    latest = record.history.first()
    assert (latest.place_id, latest.history_user) == (kennedy.pk, curator)


def test_reverting_restores_the_topics(curator_client, seeded):
    record = meeting()
    old = record.history.first()
    before = sorted(record.topics.values_list("slug", flat=True))
    debris = Topic.objects.get(slug="space-debris")
    response = post_meeting(curator_client, record, topics=[debris.pk], **SUPPORT)
    assert response.status_code == 302, form_errors(response)
    assert list(record.topics.values_list("slug", flat=True)) == ["space-debris"]
    url = reverse("admin:events_meeting_simple_history", args=[record.pk, old.history_id])
    response = curator_client.post(url, form_data(curator_client.get(url)))
    assert response.status_code == 302, form_errors(response)
    assert sorted(record.topics.values_list("slug", flat=True)) == before


def test_api_writes_are_kept_in_the_same_history(seeded):
    editor = User.objects.create_user("editor")
    editor.user_permissions.add(Permission.objects.get(content_type__app_label="events", codename="change_meeting"))
    editor = User.objects.get(pk=editor.pk)
    api = APIClient()
    api.force_authenticate(editor)
    response = api.patch(f"/api/v1/meetings/{JULY}/", {"place": "houston"}, format="json")
    assert response.status_code == 200, response.content
    latest = meeting().history.first()
    assert latest.place.slug == "houston"
    assert latest.history_user == editor


# --- conflicts page -----------------------------------------------------------------------------


def conflict_rows(client, **params):
    response = client.get(reverse("admin:events_claim_conflicts"), params)
    assert response.status_code == 200
    found = []
    for row in rows(response.content.decode(), "conflicts"):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) < 4:
            continue  # "No disagreements here."
        field = re.sub(r"<[^>]+>", "", cells[1]).replace("(resolved)", "").strip()
        kind = cells[2].strip()
        found.append(
            {"record_url": hrefs(cells[0])[0], "field": field, "kind": kind, "review_url": hrefs(cells[-1])[0]}
        )
    return found


def expected_conflicts(resolved):
    return sorted(
        (reverse(f"admin:events_{k['subject_type']}_change", args=[k["subject_id"]]), k["field"])
        for k in conflict_keys(resolved=resolved)
    )


@pytest.mark.parametrize(("params", "resolved"), [({}, False), ({"show": "open"}, False), ({"show": "resolved"}, True)])
def test_conflicts_page_lists_what_the_selector_finds(curator_client, seeded, params, resolved):
    found = conflict_rows(curator_client, **params)
    wanted = expected_conflicts(resolved)
    assert wanted
    assert sorted((r["record_url"], r["field"]) for r in found) == wanted


def test_conflicts_page_examples(curator_client, seeded):
    july = change_url(meeting())
    polaris = change_url(Launch.objects.get(slug="polaris-dawn"))
    open_ = {(r["record_url"], r["field"]) for r in conflict_rows(curator_client)}
    resolved = {(r["record_url"], r["field"]) for r in conflict_rows(curator_client, show="resolved")}
    assert (july, "place") in open_
    assert (july, "place") not in resolved
    assert (polaris, "status") in resolved
    assert (polaris, "status") not in open_
    # Each row says whether sources disagree or a later one superseded an earlier one.
    kinds = {(r["record_url"], r["field"]): r["kind"] for r in conflict_rows(curator_client, show="all")}
    assert kinds[july, "place"] == "disagreement"
    assert kinds[july, "status"] == "superseded"
    content = curator_client.get(reverse("admin:events_claim_conflicts")).content.decode()
    assert "kennedy-space-center" in content
    assert "houston" in content


def test_every_conflict_row_links_to_its_record_and_its_claims(curator_client, seeded):
    found = conflict_rows(curator_client, show="all")
    assert len(found) == len(expected_conflicts(None))
    for row in found:
        assert curator_client.get(row["record_url"]).status_code == 200
        key = next(
            k
            for k in conflict_keys()
            if reverse(f"admin:events_{k['subject_type']}_change", args=[k["subject_id"]]) == row["record_url"]
            and k["field"] == row["field"]
        )
        model = Claim._meta.get_field(key["subject_type"]).related_model
        subject = model.objects.get(pk=key["subject_id"])
        response = curator_client.get(row["review_url"])
        assert response.status_code == 200, row
        cl = response.context["cl"]
        wanted = set(Claim.objects.about(subject).filter(field=row["field"]).values_list("pk", flat=True))
        assert len(wanted) >= 2
        assert cl.result_count == len(wanted), row
        assert {c.pk for c in cl.result_list} == wanted, row


# --- ranking actions ----------------------------------------------------------------------------


def test_mark_preferred_makes_the_record_take_the_value(curator_client, curator, seeded):
    houston = place_claim(S002, "houston")
    kennedy = place_claim(S001, "kennedy-space-center")
    assert (houston.rank, kennedy.rank) == ("normal", "preferred")
    response = run_action(curator_client, "mark_preferred", houston)
    assert response.status_code == 302
    record = meeting()
    assert record.place.slug == "houston"
    houston.refresh_from_db()
    kennedy.refresh_from_db()
    assert (houston.rank, kennedy.rank) == ("preferred", "normal")
    # Deprecated versions stay deprecated.
    assert place_claim(S004, "vienna").rank == "deprecated"
    # The record's change is in its history, by the curator.
    latest = record.history.first()
    assert (latest.place_id, latest.history_user) == (record.place_id, curator)

    place = api_conflict(JULY, "place")
    ranks = {v["value"]: v["rank"] for v in place["values"]}
    assert ranks["houston"] == "preferred"
    assert ranks["kennedy-space-center"] == "normal"
    assert place["resolved"] is False


def test_mark_preferred_keeps_the_demotion_in_the_history(curator_client, curator, seeded):
    houston = place_claim(S002, "houston")
    kennedy = place_claim(S001, "kennedy-space-center")
    run_action(curator_client, "mark_preferred", houston)
    assert houston.history.first().history_user == curator
    latest = kennedy.history.first()
    assert latest.rank == "normal"
    assert latest.history_user == curator


def test_mark_preferred_refuses_two_claims_on_one_field(curator_client, seeded):
    houston = place_claim(S002, "houston")
    kennedy = place_claim(S001, "kennedy-space-center")
    before = list(Claim.objects.filter(meeting__slug=JULY).order_by("pk").values_list("pk", "rank", "note"))
    history = meeting().history.count()
    response = run_action(curator_client, "mark_preferred", houston, kennedy)
    response = curator_client.get(response["Location"]) if response.status_code == 302 else response
    assert any("one claim per record and field" in m for m in messages_of(response))
    assert meeting().place.slug == "kennedy-space-center"
    assert list(Claim.objects.filter(meeting__slug=JULY).order_by("pk").values_list("pk", "rank", "note")) == before
    assert meeting().history.count() == history


def test_mark_preferred_on_several_fields_at_once(curator_client, seeded):
    houston = place_claim(S002, "houston")
    planned = Claim.objects.get(meeting__slug=JULY, field="status", source__slug=S002, value="planned")
    response = run_action(curator_client, "mark_preferred", houston, planned)
    assert response.status_code == 302
    record = meeting()
    assert (record.place.slug, record.status) == ("houston", "planned")
    assert Claim.objects.get(pk=planned.pk).rank == "preferred"
    preferred = Claim.objects.filter(meeting=record, rank="preferred")
    assert set(preferred.filter(field="status").values_list("value", flat=True)) == {"planned"}
    assert set(preferred.filter(field="place").values_list("value", flat=True)) == {"houston"}


def test_mark_preferred_changes_nothing_when_the_record_would_be_invalid(curator_client, seeded):
    tenure = Tenure.objects.get(slug="jim-bridenstine-nasa-administrator")
    start = tenure.start_edtf
    source = Source.objects.get(slug=S002)
    claim = ClaimFactory(source=source, subject_type="tenure", tenure=tenure, meeting=None, field="start", value="2030")
    response = run_action(curator_client, "mark_preferred", claim)
    response = curator_client.get(response["Location"]) if response.status_code == 302 else response
    assert any(m.startswith("Nothing changed") for m in messages_of(response))
    claim.refresh_from_db()
    tenure.refresh_from_db()
    assert (claim.rank, tenure.start_edtf) == ("normal", start)


def test_deprecate_asks_for_a_reason_first(curator_client, curator, seeded):
    houston = place_claim(S002, "houston")
    note = houston.note
    response = run_action(curator_client, "deprecate", houston)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="reason"' in content
    assert f'value="{houston.pk}"' in content
    houston.refresh_from_db()
    assert (houston.rank, houston.note) == ("normal", note)

    reason = "The article confuses the visit to Houston with the talks."
    response = run_action(curator_client, "deprecate", houston, reason=reason)
    assert response.status_code == 302
    houston.refresh_from_db()
    assert houston.rank == "deprecated"
    assert houston.note.endswith(reason)
    if note:
        assert houston.note.startswith(note)
    assert meeting().place.slug == "kennedy-space-center"  # the record keeps its value
    assert houston.history.first().history_user == curator

    place = api_conflict(JULY, "place")
    assert {v["value"]: v["rank"] for v in place["values"]}["houston"] == "deprecated"
    assert place["resolved"] is True
    assert (meeting().pk, "place") not in {(k["subject_id"], k["field"]) for k in conflict_keys(resolved=False)}


def test_deprecate_without_a_reason_changes_nothing(curator_client, seeded):
    houston = place_claim(S002, "houston")
    response = run_action(curator_client, "deprecate", houston, reason="   ")
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    houston.refresh_from_db()
    assert houston.rank == "normal"


def test_a_user_without_change_permission_cannot_rank_claims(client, seeded):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label="events", codename="view_claim"))
    client.force_login(viewer)
    houston = place_claim(S002, "houston")
    run_action(client, "mark_preferred", houston)
    run_action(client, "deprecate", houston, reason="no")
    houston.refresh_from_db()
    assert houston.rank == "normal"
    assert meeting().place.slug == "kennedy-space-center"


# --- sources ------------------------------------------------------------------------------------


def test_a_source_page_lists_the_claims_it_backs(curator_client, seeded):
    source = Source.objects.get(slug=S004)
    response = curator_client.get(change_url(source))
    assert response.status_code == 200
    content = response.content.decode()
    claims = list(source.claims.all())
    assert len(claims) > 5
    for value in ("vienna", "geneva", "2025-08-25", "Yuri Borisov", "bill-nelson,yuri-borisov"):
        assert any(c.value == value for c in claims)
        assert f"<p>{value}</p>" in content or f">{value}<" in content, value
    for claim in claims:
        assert change_url(claim) in content
    other = Claim.objects.exclude(source=source).first()
    assert change_url(other) not in content


def rate(client, source, reliability):
    url = change_url(source)
    data = form_data(client.get(url)) | {"reliability": reliability, "reliability_note": "Checked against others."}
    return client.post(url, data)


def test_a_curator_rates_a_source(curator_client, seeded):
    source = Source.objects.get(slug=S004)
    claims = source.claims.count()
    response = rate(curator_client, source, "medium")
    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert (source.reliability, source.reliability_note) == ("medium", "Checked against others.")
    assert source.claims.count() == claims


def low_support_links(client) -> set[str]:
    response = client.get(reverse("admin:events_source_low_support"))
    assert response.status_code == 200
    lists = re.findall(r'<ul class="low-support">(.*?)</ul>', response.content.decode(), re.S)
    return {h for fragment in lists for h in hrefs(fragment)}


def resting_on_low():
    found = set()
    for claim in Claim.objects.select_related("source"):
        found.add(change_url(claim.subject))
    # A curator's judgement is no article: only articles rated above low take a record off the list.
    for claim in Claim.objects.exclude(source__reliability="low").exclude(source__kind="judgement"):
        found.discard(change_url(claim.subject))
    return found


def test_low_support_lists_records_resting_only_on_low_sources(curator_client, seeded):
    links = low_support_links(curator_client)
    assert links == resting_on_low()
    for record in (
        Person.objects.get(slug="yuri-borisov"),
        Place.objects.get(slug="vienna"),
        Place.objects.get(slug="geneva"),
        Agency.objects.get(slug="s7-space"),
    ):
        assert change_url(record) in links, record
    for record in (Agency.objects.get(slug="nasa"), Person.objects.get(slug="dmitry-bakanov"), meeting()):
        assert record.claims.exists()
        assert change_url(record) not in links, record


def test_rating_a_source_higher_takes_its_records_off_the_low_support_list(curator_client, seeded):
    borisov = change_url(Person.objects.get(slug="yuri-borisov"))
    assert borisov in low_support_links(curator_client)
    response = rate(curator_client, Source.objects.get(slug=S004), "medium")
    assert response.status_code == 302, form_errors(response)
    links = low_support_links(curator_client)
    assert borisov not in links
    assert links == resting_on_low()


@pytest.mark.parametrize("url", ["/admin/events/claim/conflicts/", "/admin/events/source/low-support/"])
def test_review_pages_need_the_view_permission(client, seeded, url):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("staff-only", password="a-long-staff-pass-2026", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403


def test_mark_preferred_needs_permission_to_change_the_record(client, seeded):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from events.models import Claim, Meeting

    user = get_user_model().objects.create_user("claims-only", password="a-long-claims-pass-2026", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["change_claim", "view_claim"]))
    client.force_login(user)
    houston = Claim.objects.get(meeting__slug="nasa-roscosmos-2025-07", field="place", value="houston")
    client.post("/admin/events/claim/", {"action": "mark_preferred", "_selected_action": [houston.pk]})
    assert Meeting.objects.get(slug="nasa-roscosmos-2025-07").place.slug == "kennedy-space-center"
    houston.refresh_from_db()
    assert houston.rank == "normal"
