"""The OpenAPI document: valid OpenAPI 3, and it describes every filter and shape the API has."""

import pytest
import yaml
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from events.api import filters
from spacediplo.openapi import SchemaView

JSON = "application/vnd.oai.openapi+json"
YAML = "application/vnd.oai.openapi"


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get(reverse("schema"), HTTP_ACCEPT=JSON)
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


@pytest.mark.django_db
def test_schema_generation_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["paths"]


FILTERED = [
    ("/api/v1/agencies/", filters.AgencyFilter),
    ("/api/v1/people/", filters.PersonFilter),
    ("/api/v1/tenures/", filters.TenureFilter),
    ("/api/v1/places/", filters.PlaceFilter),
    ("/api/v1/topics/", filters.TopicFilter),
    ("/api/v1/sources/", filters.SourceFilter),
    ("/api/v1/meetings/", filters.MeetingFilter),
    ("/api/v1/launches/", filters.LaunchFilter),
    ("/api/v1/claims/", filters.ClaimFilter),
    ("/api/v1/timeline/", filters.TimelineFilter),
    ("/api/v1/conflicts/", filters.ConflictFilter),
]


@pytest.mark.parametrize(("path", "filterset"), FILTERED)
def test_every_filter_is_documented(schema, path, filterset):
    documented = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
    assert set(filterset.base_filters) | {"page", "page_size"} <= documented


@pytest.mark.django_db
@pytest.mark.parametrize("path", [path for path, _ in FILTERED])
def test_a_parameter_may_be_given_empty_exactly_where_the_schema_says(schema, path):
    client = APIClient()
    for parameter in schema["paths"][path]["get"]["parameters"]:
        values = parameter["schema"].get("items", parameter["schema"])
        if values["type"] == "string":
            refused = client.get(path, {parameter["name"]: ""}).status_code == 400
            takes_empty = values.get("minLength") != 1 and "" in values.get("enum", [""])
            assert refused is not takes_empty, (path, parameter["name"])


def query_parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}


def test_ordering_and_repeatable_filters_are_documented(schema):
    params = query_parameters(schema, "/api/v1/meetings/")
    # One parameter, its keys joined by commas: an array in form style, not exploded, of the known keys.
    ordering = params["ordering"]
    assert (ordering["style"], ordering["explode"], ordering["schema"]["type"]) == ("form", False, "array")
    assert set(ordering["schema"]["items"]["enum"]) == {"date", "-date", "title", "-title", "status", "-status"}
    assert params["head_of"]["schema"]["type"] == "array"
    assert params["status"]["schema"]["type"] == "array"


@pytest.mark.django_db
def test_ordering_takes_what_its_schema_describes():
    client = APIClient()
    assert client.get("/api/v1/meetings/", {"ordering": "-date,title"}).status_code == 200
    assert client.get("/api/v1/launches/", {"ordering": "name"}).status_code == 200
    assert client.get("/api/v1/meetings/", {"ordering": "name"}).status_code == 400  # not a meeting's key


@pytest.mark.parametrize(
    ("path", "name", "values"),
    [
        ("/api/v1/claims/", "subject_type", {"agency", "person", "place", "topic", "tenure", "meeting", "launch"}),
        ("/api/v1/claims/", "rank", {"preferred", "normal", "deprecated", "best"}),
        ("/api/v1/conflicts/", "subject_type", {"agency", "person", "place", "topic", "tenure", "meeting", "launch"}),
        (
            "/api/v1/changes/",
            "type",
            {"agency", "person", "place", "topic", "tenure", "meeting", "launch", "claim", "source"},
        ),
    ],
)
def test_choice_filters_are_enums(schema, path, name, values):
    parameter = query_parameters(schema, path)[name]
    assert set(parameter["schema"].get("items", parameter["schema"])["enum"]) == values


@pytest.mark.parametrize("path", [path for path, _ in FILTERED] + ["/api/v1/changes/", "/api/v1/calendar.ics"])
def test_every_filter_has_a_description(schema, path):
    undescribed = {name for name, p in query_parameters(schema, path).items() if not p.get("description")}
    assert undescribed == set()


def test_the_meetings_agency_filter_says_every_named_agency_took_part(schema):
    agency = query_parameters(schema, "/api/v1/meetings/")["agency"]
    assert "every named agency took part" in agency["description"]


def test_every_operation_has_a_summary_of_its_own(schema):
    summaries = [operation.get("summary") for _, _, operation in operations(schema)]
    assert all(summaries)
    assert len(set(summaries)) == len(summaries)
    descriptions = [operation.get("description") for _, _, operation in operations(schema)]
    assert "List/detail/write for one model" not in " ".join(descriptions)  # the viewsets' shared docstring
    meetings, meeting = schema["paths"]["/api/v1/meetings/"], schema["paths"]["/api/v1/meetings/{slug}/"]
    assert (meetings["get"]["summary"], meeting["patch"]["summary"]) == ("List meetings", "Change fields of a meeting")
    assert "If-Match" in meeting["patch"]["description"]


def test_the_fuzzy_date_is_one_component_in_each_direction(schema):
    components = schema["components"]["schemas"]
    assert set(components["FuzzyDate"]["properties"]) == set(components["FuzzyDate"]["required"])
    assert set(components["FuzzyDate"]["properties"]) == {"edtf", "earliest", "latest", "text"}
    for name in ("Meeting", "Launch", "Source", "Tenure", "TimelineItem"):
        dates = [p for p in components[name]["properties"].values() if "FuzzyDate" in str(p)]
        assert dates, name
        for date in dates:  # an unknown date is null
            assert date == {"allOf": [{"$ref": "#/components/schemas/FuzzyDate"}], "nullable": True, **date}
    assert components["MeetingDetailRequest"]["properties"]["date"]["allOf"] == [
        {"$ref": "#/components/schemas/FuzzyDateRequest"}
    ]


def test_response_shapes_are_described(schema):
    components = schema["components"]["schemas"]
    meeting = components["MeetingDetail"]["properties"]
    assert meeting["date"]["allOf"] == [{"$ref": "#/components/schemas/FuzzyDate"}]
    assert set(meeting["place"]["properties"]) == {"slug", "name", "url"}
    assert {"sources", "claims", "participants", "previous_meeting"} <= set(meeting)
    # Writes take slugs and an EDTF string, not the read shapes.
    request = components["MeetingDetailRequest"]["properties"]
    assert request["place"]["type"] == "string"
    date_forms = components["FuzzyDateRequest"]["oneOf"]
    assert set(date_forms[0]["properties"]) == {"edtf", "text"}
    assert date_forms[1]["type"] == "string"  # the EDTF text alone
    heads = schema["paths"]["/api/v1/agencies/{slug}/heads/"]["get"]
    assert {p["name"] for p in heads["parameters"]} >= {"on"}


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_problem_answers(schema):
    for path, method, operation in operations(schema):
        expected = {"400", "401", "406"}
        expected |= {"403", "409"} if method != "get" else set()
        expected |= {"415"} if method in ("post", "put", "patch") else set()
        expected |= {"404"} if method != "post" else set()
        assert expected <= set(operation["responses"]), (method, path)
        for code in expected:
            content = operation["responses"][code]["content"]
            assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_reads_are_documented_as_open_to_anyone_and_writes_as_needing_credentials(schema):
    for path, method, operation in operations(schema):
        if method == "get":
            assert {} in operation["security"], path
        else:
            assert {} not in operation["security"], (method, path)


def test_claims_read_their_subject_as_a_summary_and_write_it_as_a_slug(schema):
    components = schema["components"]["schemas"]
    assert components["Claim"]["properties"]["subject"]["allOf"] == [{"$ref": "#/components/schemas/SubjectSummary"}]
    assert "subject_record" not in components["Claim"]["properties"]
    assert components["ClaimRequest"]["properties"]["subject"]["type"] == "string"


def test_paging_parameters_carry_their_bounds(schema):
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert params["page"]["minimum"] == 1
    assert (params["page_size"]["minimum"], params["page_size"]["maximum"]) == (1, 200)


def test_the_document_is_built_once_and_each_rendering_served_with_its_etag(monkeypatch):
    builds = []
    get_schema = SchemaGenerator.get_schema

    def counted(generator, *args, **kwargs):
        builds.append(generator)
        return get_schema(generator, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    SchemaView.forget()
    client = APIClient()
    first, second = client.get(reverse("schema"), HTTP_ACCEPT=JSON), client.get(reverse("schema"), HTTP_ACCEPT=JSON)
    as_yaml = client.get(reverse("schema"), HTTP_ACCEPT=YAML)
    assert len(builds) == 1
    assert first.status_code == second.status_code == as_yaml.status_code == 200
    assert first["ETag"] == second["ETag"]
    assert first.content == second.content
    assert yaml.safe_load(as_yaml.content) == first.json()
    assert as_yaml["ETag"] != first["ETag"]  # another rendering, another representation
    assert (first["Content-Type"], as_yaml["Content-Type"]) == (JSON, f"{YAML}; charset=utf-8")
    assert "Accept" in first["Vary"]  # so that a cache keeps each rendering apart

    unchanged = client.get(reverse("schema"), HTTP_ACCEPT=JSON, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (unchanged.status_code, unchanged.content, unchanged["ETag"]) == (304, b"", first["ETag"])
    assert client.get(reverse("schema"), HTTP_ACCEPT=YAML, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert len(builds) == 1


def test_the_document_is_built_again_when_a_setting_it_describes_changes(monkeypatch, settings):
    builds = []
    get_schema = SchemaGenerator.get_schema
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda *a, **k: builds.append(1) or get_schema(*a, **k))
    SchemaView.forget()
    client = APIClient()

    def meetings_list():
        return client.get(reverse("schema"), HTTP_ACCEPT=JSON).json()["paths"]["/api/v1/meetings/"]["get"]

    assert "429" in meetings_list()["responses"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "another.example"]  # the hosts served: not in the document
    meetings_list()
    assert len(builds) == 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "7/minute", "user": "9/minute"},
    }
    assert "7/minute anonymous, 9/minute per user" in meetings_list()["responses"]["429"]["description"]
    assert len(builds) == 2


@pytest.mark.parametrize(
    "component",
    ["MeetingDetailRequest", "PatchedMeetingDetailRequest", "LaunchDetailRequest", "PatchedLaunchDetailRequest"],
)
def test_claims_written_with_a_record_are_documented_as_the_server_takes_them(schema, component):
    components = schema["components"]["schemas"]
    claims = components[component]["properties"]["claims"]
    assert claims["type"] == "array"
    written = components[claims["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"source", "field", "value"} <= set(written["required"])
    assert written["properties"]["source"]["type"] == "string"
    # Read, they are the claims listed under the record.
    read = components[component.removeprefix("Patched").removesuffix("Request")]["properties"]["claims"]
    assert read["items"] == {"$ref": "#/components/schemas/ClaimBrief"}


def test_related_records_are_written_as_slugs_that_are_strings(schema):
    components = schema["components"]["schemas"]
    launch = components["LaunchDetailRequest"]["properties"]
    assert launch["operator"]["type"] == "string"
    assert components["MeetingDetailRequest"]["properties"]["topics"]["items"]["type"] == "string"


@pytest.mark.parametrize("component", ["PlaceDetail", "PlaceDetailRequest", "PatchedPlaceDetailRequest"])
def test_a_place_s_coordinates_are_documented_as_coming_together(schema, component):
    place = schema["components"]["schemas"][component]["properties"]
    for name in ("latitude", "longitude"):
        assert "both coordinates or neither" in place[name]["description"], name


def test_problem_errors_are_typed(schema):
    components = schema["components"]["schemas"]
    assert components["Problem"]["properties"]["errors"] == {"$ref": "#/components/schemas/ProblemErrors"}
    entry = components["ProblemErrors"]["additionalProperties"]
    assert entry == {"$ref": "#/components/schemas/ProblemErrorsEntry"}
    assert {"type": "array", "items": {"type": "string"}} in components["ProblemErrorsEntry"]["anyOf"]


def json_schema(schema, name):
    """A validator for a component, OpenAPI 3.0's `nullable` read as JSON Schema's null type."""

    def convert(node):
        if isinstance(node, list):
            return [convert(n) for n in node]
        if not isinstance(node, dict):
            return node
        node = {k: convert(v) for k, v in node.items()}
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        return node

    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": convert(schema["components"])})


RESPONSES = [
    ("/api/v1/meetings/", "PaginatedMeetingList"),
    ("/api/v1/meetings/{meeting}/", "MeetingDetail"),
    ("/api/v1/launches/", "PaginatedLaunchList"),
    ("/api/v1/launches/{launch}/", "LaunchDetail"),
    ("/api/v1/agencies/", "PaginatedAgencyList"),
    ("/api/v1/people/{person}/", "PersonDetail"),
    ("/api/v1/places/", "PaginatedPlaceList"),
    ("/api/v1/sources/{source}/", "SourceDetail"),
    ("/api/v1/tenures/", "PaginatedTenureList"),
    ("/api/v1/claims/", "PaginatedClaimList"),
    ("/api/v1/timeline/", "PaginatedTimelineItemList"),
    ("/api/v1/conflicts/", "PaginatedConflictList"),
    ("/api/v1/changes/", "ChangePage"),
]


def test_the_seed_s_answers_hold_every_field_the_schema_requires(schema, seeded):
    client = APIClient()
    keys = {
        name: client.get(f"/api/v1/{plural}/", {"page_size": 1}).json()["results"][0]["slug"]
        for name, plural in [
            ("meeting", "meetings"),
            ("launch", "launches"),
            ("person", "people"),
            ("source", "sources"),
        ]
    }
    for path, component in RESPONSES:
        response = client.get(path.format(**keys), {"page_size": 200} if "{" not in path else {})
        assert response.status_code == 200, path
        errors = [e.message for e in json_schema(schema, component).iter_errors(response.json())]
        assert not errors, (path, errors[:3])


@pytest.mark.django_db
def test_problem_documents_are_as_the_schema_describes(schema):
    client = APIClient()
    bad = client.get("/api/v1/meetings/", {"date_after": "soon", "agency": "no-such-agency"})
    missing = client.get("/api/v1/meetings/no-such-meeting/")
    assert (bad.status_code, missing.status_code) == (400, 404)
    assert set(bad.json()["errors"]) == {"date_after", "agency"}
    assert "errors" not in missing.json()
    for response in (bad, missing):
        assert not list(json_schema(schema, "Problem").iter_errors(response.json()))


def test_a_nested_record_s_errors_are_as_the_schema_describes(schema, seeded):
    editor = User.objects.create_user("editor")
    editor.user_permissions.set(Permission.objects.filter(codename__in=["change_meeting", "add_claim"]))
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=editor.pk))
    slug = client.get("/api/v1/meetings/", {"page_size": 1}).json()["results"][0]["slug"]
    body = {"participants": [{"person": "no-such-person"}], "support": {}}
    response = client.patch(f"/api/v1/meetings/{slug}/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors["participants"]["0"]) == {"person"}  # a list of records: by the index of each wrong one
    assert set(errors["support"]) == {"note"}  # one record: its fields
    assert not list(json_schema(schema, "Problem").iter_errors(response.json()))
