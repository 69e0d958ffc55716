"""The OpenAPI document: valid OpenAPI 3, and it describes every filter and shape the API has."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
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
            assert refused is (values.get("minLength") == 1), (path, parameter["name"])


def test_ordering_and_repeatable_filters_are_documented(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert "date" in params["ordering"]["description"]
    assert params["head_of"]["schema"]["type"] == "array"
    assert params["status"]["schema"]["type"] == "array"


def test_response_shapes_are_described(schema):
    components = schema["components"]["schemas"]
    meeting = components["MeetingDetail"]["properties"]
    assert set(meeting["date"]["properties"]) == {"edtf", "earliest", "latest", "text"}
    assert set(meeting["place"]["properties"]) == {"slug", "name", "url"}
    assert {"sources", "claims", "participants", "previous_meeting"} <= set(meeting)
    # Writes take slugs and an EDTF string, not the read shapes.
    request = components["MeetingDetailRequest"]["properties"]
    assert request["place"]["type"] == "string"
    date_forms = request["date"]["oneOf"]
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
