"""The first admin: every model browsable, searchable and editable with its inlines."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.models import Claim, Meeting, Place

MODELS = [
    "source",
    "agency",
    "person",
    "place",
    "topic",
    "tenure",
    "meeting",
    "launch",
    "participant",
    "crewmember",
    "claim",
]


@pytest.fixture
def curator_client(client, db):
    user = get_user_model().objects.create_superuser("curator", "curator@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("admin:events_meeting_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_changelist_and_a_change_page(curator_client, seeded, model):
    changelist = curator_client.get(reverse(f"admin:events_{model}_changelist"))
    assert changelist.status_code == 200
    first = changelist.context["cl"].result_list[0]
    change = curator_client.get(reverse(f"admin:events_{model}_change", args=[first.pk]))
    assert change.status_code == 200
    assert curator_client.get(reverse(f"admin:events_{model}_add")).status_code == 200


def test_meeting_page_shows_participants_and_claims_inline(curator_client, seeded):
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    response = curator_client.get(reverse("admin:events_meeting_change", args=[meeting.pk]))
    formsets = {formset.formset.prefix: formset.formset for formset in response.context["inline_admin_formsets"]}
    assert formsets["participants"].queryset.count() == 2
    assert formsets["claims"].queryset.count() == meeting.claims.count()
    assert b"kennedy-space-center" in response.content


def test_search_finds_meetings_by_participant(curator_client, seeded):
    response = curator_client.get(reverse("admin:events_meeting_changelist"), {"q": "Aschbacher"})
    assert [m.slug for m in response.context["cl"].result_list] == ["nasa-esa-2026-02-11"]


def test_filters_narrow_the_claim_list(curator_client, seeded):
    response = curator_client.get(reverse("admin:events_claim_changelist"), {"rank__exact": "deprecated"})
    shown = response.context["cl"].result_count
    assert shown == Claim.objects.filter(rank="deprecated").count()
    assert 0 < shown < Claim.objects.count()


def test_a_curator_corrects_a_meeting_place_and_adds_a_claim_inline(curator_client, seeded):
    meeting = Meeting.objects.get(slug="nasa-roscosmos-2025-07")
    url = reverse("admin:events_meeting_change", args=[meeting.pk])
    form = curator_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["topics"] = [t.pk for t in meeting.topics.all()]
    data["place"] = Place.objects.get(slug="houston").pk
    for prefix, rows in (("participants", meeting.participants.all()), ("claims", meeting.claims.all())):
        rows = list(rows)
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows) + (1 if prefix == "claims" else 0),
            f"{prefix}-INITIAL_FORMS": len(rows),
        }
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-meeting"] = meeting.pk
            if prefix == "participants":
                data |= {f"{prefix}-{i}-person": row.person_id, f"{prefix}-{i}-agency": row.agency_id or ""}
                data |= {f"{prefix}-{i}-tenure": row.tenure_id or "", f"{prefix}-{i}-role": row.role}
            else:
                for field in ("field", "value", "rank", "locator", "note"):
                    data[f"{prefix}-{i}-{field}"] = getattr(row, field)
                data[f"{prefix}-{i}-source"] = row.source_id
    new = len(meeting.claims.all())
    data |= {
        f"claims-{new}-meeting": meeting.pk,
        f"claims-{new}-source": meeting.claims.first().source_id,
        f"claims-{new}-field": "format",
        f"claims-{new}-value": "virtual",
        f"claims-{new}-rank": "normal",
        f"claims-{new}-locator": "10",
        f"claims-{new}-note": "",
    }
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context and (
        response.context["adminform"].form.errors,
        [fs.formset.errors for fs in response.context["inline_admin_formsets"]],
        response.context["errors"],
    )
    meeting.refresh_from_db()
    assert meeting.place.slug == "houston"
    added = meeting.claims.get(field="format", value="virtual")
    assert added.subject_type == "meeting"


def test_an_unparseable_date_is_refused_with_an_example(curator_client, seeded):
    meeting = Meeting.objects.get(slug="nasa-esa-2026-02-11")
    url = reverse("admin:events_meeting_change", args=[meeting.pk])
    form = curator_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"date_edtf": "sometime soon", "topics": [t.pk for t in meeting.topics.all()]}
    data |= {"participants-TOTAL_FORMS": 0, "participants-INITIAL_FORMS": 0}
    data |= {"claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0}
    response = curator_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date_edtf"]
    assert "2025-07-31" in errors[0]
    meeting.refresh_from_db()
    assert meeting.date_edtf == "2026-02-11"


def inline_claim(prefix, source, field, value, locator="5"):
    return {
        f"{prefix}-source": source.pk,
        f"{prefix}-field": field,
        f"{prefix}-value": value,
        f"{prefix}-rank": "normal",
        f"{prefix}-locator": locator,
        f"{prefix}-note": "",
    }


def agency_form(slug, claims):
    data = {
        "slug": slug,
        "name": "Japan Aerospace Exploration Agency",
        "short_name": "JAXA",
        "kind": "space_agency",
        "country": "JP",
        "tenures-TOTAL_FORMS": 0,
        "tenures-INITIAL_FORMS": 0,
        "claims-TOTAL_FORMS": len(claims),
        "claims-INITIAL_FORMS": 0,
    }
    for i, claim in enumerate(claims):
        data |= inline_claim(f"claims-{i}", *claim)
    return data


def test_a_new_record_can_be_added_with_its_claims(curator_client, seeded):
    from events.models import Agency, Source

    source = Source.objects.get(slug__startswith="001")
    data = agency_form("jaxa", [(source, "short_name", "JAXA")])
    # Name, kind and country are claimed by no one yet (the short name is, inline): without support, each is refused.
    refused = curator_client.post(reverse("admin:events_agency_add"), data)
    assert set(refused.context["adminform"].form.errors) == {"name", "kind", "country"}
    assert not Agency.objects.filter(slug="jaxa").exists()
    data |= {"support_source": source.pk, "support_locator": "7"}
    response = curator_client.post(reverse("admin:events_agency_add"), data)
    assert response.status_code == 302
    claims = {c.field: c for c in Agency.objects.get(slug="jaxa").claims.all()}
    assert (claims["short_name"].subject_type, claims["short_name"].value) == ("agency", "JAXA")
    assert {f: (c.source, c.locator, c.rank) for f, c in claims.items() if f != "short_name"} == {
        f: (source, "7", "preferred") for f in ("name", "kind", "country")
    }


def test_a_duplicate_claim_is_a_form_error_not_a_crash(curator_client, seeded):
    from events.models import Agency, Source

    source = Source.objects.get(slug__startswith="001")
    nasa = Agency.objects.get(slug="nasa")
    url = reverse("admin:events_agency_change", args=[nasa.pk])
    existing = nasa.claims.get(source=source, field="short_name")
    data = agency_form("nasa", [(source, "short_name", "NASA")]) | {
        "name": nasa.name,
        "short_name": "NASA",
        "country": "US",
        "claims-TOTAL_FORMS": 2,
        "claims-INITIAL_FORMS": 1,
    }
    data |= {k.replace("claims-0", "claims-1"): v for k, v in data.items() if k.startswith("claims-0")}
    data |= inline_claim("claims-0", source, "short_name", "NASA") | {"claims-0-id": existing.pk}
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "already makes this claim" in response.content.decode()
    assert nasa.claims.filter(source=source, field="short_name").count() == 1
