"""Bodies and parameters no client should send: each is a 4xx problem document naming what was wrong, and
nothing is written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.api.bounded import MAX_ITEMS
from events.api.parsers import MAX_DEPTH
from events.models import Agency, Claim, Launch, Meeting, Source

from .test_writes import API, S001, SUPPORT, assert_problem, client_for, meeting_body

pytestmark = pytest.mark.django_db

NUL = "\x00"


def curator_of(*codenames):
    return client_for(*codenames, username="hostile")


def curator():
    return client_for(
        "add_meeting",
        "change_meeting",
        "add_launch",
        "add_claim",
        "add_person",
        "add_place",
        "add_topic",
        username="hostile",
    )


def post_raw(client, path, text):
    return client.generic("POST", path, text, content_type="application/json")


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 934, 100_000])
def test_json_nested_too_deep_is_a_400(seeded, depth):
    body = assert_problem(post_raw(curator(), f"{API}/topics/", nested(depth)), 400)
    assert "nested deeper" in body["detail"]


def test_json_nested_as_deep_as_allowed_reaches_validation(seeded):
    # An array body at the allowed depth is parsed; the serializer then refuses it for not being an object.
    response = post_raw(curator(), f"{API}/topics/", nested(MAX_DEPTH))
    assert response.status_code == 400
    assert "nested deeper" not in response.json()["detail"]


MEETING_REFERENCES = {
    "place": lambda b: b | {"place": f"moscow{NUL}"},
    "topics": lambda b: b | {"topics": [f"iss-operations{NUL}"]},
    "participants": lambda b: b | {"participants": [{**b["participants"][0], "person": f"jared{NUL}"}]},
    "claims": lambda b: b | {"claims": [{**b["claims"][0], "source": f"{S001}{NUL}"}]},
    "slug": lambda b: b | {"slug": f"talks{NUL}"},
    "non_field_errors": lambda b: b | {f"title{NUL}": "x"},  # a key
}


@pytest.mark.parametrize("where", MEETING_REFERENCES)
def test_a_nul_character_anywhere_in_a_meeting_write_is_a_400(seeded, where):
    before = Meeting.objects.count(), Claim.objects.count()
    body = MEETING_REFERENCES[where](meeting_body())
    problem = assert_problem(curator().post(f"{API}/meetings/", body, format="json"), 400, where)
    assert "NUL character" in str(problem["errors"][where])
    assert (Meeting.objects.count(), Claim.objects.count()) == before


LAUNCH = {
    "slug": "hostile-launch",
    "name": "Hostile launch",
    "vehicle": "Soyuz-2.1a",
    "status": "planned",
    "date": {"edtf": "2026-04", "text": "April 2026"},
    "support": SUPPORT,
}


@pytest.mark.parametrize(
    "body",
    [
        LAUNCH | {"operator": f"roscosmos{NUL}"},
        LAUNCH | {"crew": [{"person": f"jared-isaacman{NUL}", "role": "commander"}]},
    ],
    ids=["operator", "crew"],
)
def test_a_nul_character_in_a_launch_reference_is_a_400(seeded, body):
    before = Launch.objects.count()
    field = "operator" if "operator" in body else "crew"
    problem = assert_problem(curator().post(f"{API}/launches/", body, format="json"), 400, field)
    assert "NUL character" in str(problem["errors"][field])
    assert Launch.objects.count() == before


def test_a_nul_character_in_a_claim_source_is_a_400(seeded):
    body = {"source": f"{S001}{NUL}", "subject_type": "agency", "subject": "nasa", "field": "name", "value": "x"}
    problem = assert_problem(curator().post(f"{API}/claims/", body, format="json"), 400, "source")
    assert problem["errors"]["source"] == ["source: text may not hold the NUL character (\\u0000)."]


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/meetings/?agency=nasa{NUL}",
        f"{API}/meetings/?topic={NUL}",
        f"{API}/claims/?source={NUL}",
        f"{API}/people/?search=a{NUL}",
        f"{API}/timeline/?agency={NUL}",
    ],
)
def test_a_nul_character_in_a_query_parameter_is_a_400(seeded, path):
    assert_problem(client_for().get(path), 400)


# A preferred claim's value becomes its record's, so one the record cannot hold is refused as the claim's.
UNFIT_VALUES = [("country", "USA"), ("name", "N" * 201)]


@pytest.mark.parametrize(("field", "value"), UNFIT_VALUES)
def test_a_preferred_claim_its_record_cannot_hold_is_a_400_naming_the_value(seeded, field, value):
    before = Claim.objects.count(), Agency.objects.filter(slug="nasa").values_list(field, flat=True).get()
    body = {"source": S001, "subject_type": "agency", "subject": "nasa", "field": field, "value": value}
    body |= {"rank": "preferred", "locator": "3"}
    problem = assert_problem(curator_of("add_claim", "change_agency").post(f"{API}/claims/", body, format="json"), 400)
    assert f"agency's {field} cannot be" in " ".join(problem["errors"]["value"])
    assert (Claim.objects.count(), Agency.objects.filter(slug="nasa").values_list(field, flat=True).get()) == before


def test_a_preferred_claim_posted_with_its_record_that_it_cannot_hold_is_a_400(seeded):
    claim = {"source": S001, "field": "title", "value": "T" * 301, "rank": "preferred", "locator": "3", "note": ""}
    body = meeting_body(claims=[claim])
    before = Meeting.objects.count()
    problem = assert_problem(curator().post(f"{API}/meetings/", body, format="json"), 400, "claims")
    assert "meeting's title cannot be" in str(problem["errors"]["claims"])
    assert Meeting.objects.count() == before


@pytest.mark.parametrize(("field", "value"), UNFIT_VALUES)
def test_the_admin_claim_form_refuses_a_preferred_value_its_record_cannot_hold(seeded, admin_client, field, value):
    nasa = Agency.objects.get(slug="nasa")
    data = {"subject_type": "agency", "agency": nasa.pk, "source": Source.objects.get(slug=S001).pk}
    data |= {"field": field, "value": value, "rank": "preferred", "locator": "3", "note": ""}
    response = admin_client.post(reverse("admin:events_claim_add"), data)
    assert response.status_code == 200
    assert f"agency's {field} cannot be" in " ".join(response.context["adminform"].form.errors["value"])
    assert not Claim.objects.filter(agency=nasa, field=field, value=value).exists()


# --- how many items one write carries ----------------------------------------------------------------


def too_many(item):
    return [item] * (MAX_ITEMS + 1)


OVERFULL = {
    "claims": lambda b: b | {"claims": too_many(b["claims"][0])},
    "participants": lambda b: b | {"participants": too_many(b["participants"][0])},
    "topics": lambda b: b | {"topics": too_many("iss-operations")},
}


@pytest.mark.parametrize("name", OVERFULL)
def test_a_meeting_write_over_the_item_limit_is_a_400_before_any_item_is_read(
    seeded, name, django_assert_max_num_queries
):
    body = OVERFULL[name](meeting_body())
    client = curator()
    with django_assert_max_num_queries(20):  # the user, permissions, the other fields: nothing per item
        problem = assert_problem(client.post(f"{API}/meetings/", body, format="json"), 400, name)
    assert f"At most {MAX_ITEMS} items" in str(problem["errors"][name])
    assert not Meeting.objects.filter(slug=body["slug"]).exists()


def test_a_launch_write_over_the_item_limit_is_a_400(seeded):
    body = LAUNCH | {"crew": too_many({"person": "jared-isaacman", "role": "commander"})}
    problem = assert_problem(curator().post(f"{API}/launches/", body, format="json"), 400, "crew")
    assert f"At most {MAX_ITEMS} items" in str(problem["errors"]["crew"])


def test_the_schema_documents_the_item_limit_on_writes_only(seeded):
    schemas = client_for().get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schemas = schemas["components"]["schemas"]
    for component, lists in {
        "MeetingDetailRequest": ("claims", "participants", "topics"),
        "LaunchDetailRequest": ("crew",),
    }.items():
        for name in lists:
            assert schemas[component]["properties"][name]["maxItems"] == MAX_ITEMS, (component, name)
    assert "maxItems" not in schemas["MeetingDetail"]["properties"]["claims"]


def dispute_flag_updates(client, count):
    """Statements that set the dispute flags of a meeting's titles, when it is written with `count` title claims
    from two sources that disagree on each (one group, every claim in dispute)."""
    sources = [S001, "003_007efc6446bec603"]
    claims = [
        {"source": sources[i % 2], "field": "title", "value": f"Title {i}", "rank": "normal", "locator": "3"}
        for i in range(count)
    ]
    body = meeting_body(slug=f"talks-with-{count}-titles", claims=claims)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{API}/meetings/", body, format="json")
    assert response.status_code == 201, response.content
    titles = Claim.objects.filter(meeting__slug=body["slug"], field="title", value__startswith="Title ")
    assert titles.count() == count
    assert not titles.filter(in_dispute=False).exists()
    flags = 'UPDATE "events_claim" SET "in_dispute"'
    return [q["sql"] for q in queries if q["sql"].startswith(flags) and "\"field\" = 'title'" in q["sql"]]


def test_a_write_of_many_disputed_claims_refreshes_their_group_as_often_as_a_write_of_few(seeded):
    client = curator()
    assert len(dispute_flag_updates(client, MAX_ITEMS)) == len(dispute_flag_updates(client, 4))
