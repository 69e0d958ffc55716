"""Add forms fill the slug: from the title or name as it is typed, and a tenure's from its person, agency and title."""

import html
import json
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.admin.slugs import TenureForm
from events.models import Agency, Launch, Meeting, Person, Place, Source, Tenure, Topic
from tests.test_curation import form_data

# A new record's values rest on a claim: here, the curator's own judgement.
SUPPORT = {"support_note": "Checked by hand for this test."}


@pytest.fixture
def curator_client(client, db):
    user = get_user_model().objects.create_superuser("curator", "curator@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def prepopulated(client, model) -> dict[str, list[str]]:
    """{field: the fields it is filled from} as the add page's prepopulating script is told."""
    content = client.get(reverse(f"admin:events_{model._meta.model_name}_add")).content.decode()
    constants = re.search(r'<script id="django-admin-prepopulated-fields-constants"[^>]*>', content).group(0)
    match = re.search(r'data-prepopulated-fields="([^"]*)"', constants)
    return {field["name"]: field["dependency_list"] for field in json.loads(html.unescape(match.group(1)))}


@pytest.mark.parametrize(
    ("model", "source"),
    [
        (Source, "title"),
        (Agency, "short_name"),  # as the seed's are: nasa, roscosmos, esa
        (Person, "name"),
        (Place, "name"),
        (Topic, "name"),
        (Meeting, "title"),
        (Launch, "name"),
    ],
)
def test_add_forms_fill_the_slug_as_the_name_is_typed(curator_client, model, source):
    assert prepopulated(curator_client, model) == {"slug": [source]}


def test_every_model_with_a_slug_and_a_title_or_name_fills_it():
    checked = set()
    for model, model_admin in admin.site._registry.items():
        fields = {f.name for f in model._meta.fields}
        if model._meta.app_label != "events" or "slug" not in fields or not fields & {"title", "name"}:
            continue
        checked.add(model)
        if model is Tenure:  # chosen people and agencies: the form makes it (below)
            assert issubclass(model_admin.form, TenureForm)
        else:
            assert set(model_admin.prepopulated_fields) == {"slug"}, model.__name__
    assert checked == {Source, Agency, Person, Place, Topic, Tenure, Meeting, Launch}


def tenure_form(person, agency, **fields) -> dict:
    return {
        "slug": "",
        "person": person.pk,
        "agency": agency.pk,
        "title": "Chief Engineer",
        "start_edtf": "2026-01",
        "start_text": "",
        "end_edtf": "",
        "end_text": "",
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        **SUPPORT,
        **fields,
    }


def form_errors(response):
    return response.context and response.context["adminform"].form.errors


def test_a_new_tenure_is_named_by_its_person_agency_and_title(curator_client, seeded):
    person, agency = Person.objects.get(slug="anil-menon"), Agency.objects.get(slug="nasa")
    response = curator_client.post(reverse("admin:events_tenure_add"), tenure_form(person, agency))
    assert response.status_code == 302, form_errors(response)
    assert Tenure.objects.get(person=person, title="Chief Engineer").slug == "anil-menon-nasa-chief-engineer"


def test_a_slug_typed_by_the_curator_is_kept(curator_client, seeded):
    person, agency = Person.objects.get(slug="anil-menon"), Agency.objects.get(slug="nasa")
    response = curator_client.post(reverse("admin:events_tenure_add"), tenure_form(person, agency, slug="menon-ce"))
    assert response.status_code == 302, form_errors(response)
    assert Tenure.objects.filter(slug="menon-ce", person=person).exists()


def test_a_made_slug_that_is_taken_is_a_form_error(curator_client, seeded):
    taken = Tenure.objects.select_related("person", "agency").get(slug="jim-bridenstine-nasa-administrator")
    form = tenure_form(taken.person, taken.agency, title=taken.title, start_edtf="2016", end_edtf="2017")
    response = curator_client.post(reverse("admin:events_tenure_add"), form)
    assert response.status_code == 200
    assert form_errors(response)["__all__"] == ["Another tenure has this slug."]
    assert Tenure.objects.filter(slug=taken.slug).count() == 1


def test_without_a_title_there_is_nothing_to_name_it_by(curator_client, seeded):
    person, agency = Person.objects.get(slug="anil-menon"), Agency.objects.get(slug="nasa")
    response = curator_client.post(reverse("admin:events_tenure_add"), tenure_form(person, agency, title=""))
    assert response.status_code == 200
    assert set(form_errors(response)) == {"title"}  # the missing title, not a second error about the slug


def test_a_tenure_added_on_an_agency_page_is_named_too(curator_client, seeded):
    agency, person = Agency.objects.get(slug="esa"), Person.objects.get(slug="anil-menon")
    url = reverse("admin:events_agency_change", args=[agency.pk])
    data = form_data(curator_client.get(url))
    row = data["tenures-TOTAL_FORMS"]
    data |= {
        "tenures-TOTAL_FORMS": row + 1,
        f"tenures-{row}-slug": "",
        f"tenures-{row}-person": person.pk,
        f"tenures-{row}-title": "Liaison",
        f"tenures-{row}-start_edtf": "2026-03",
    }
    response = curator_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    assert agency.tenures.get(person=person).slug == "anil-menon-esa-liaison"
