"""The API under generated requests: schemathesis runs every operation of /api/v1/schema/ over real HTTP.

A live server holds the seed data; reads go anonymously, writes with a curator's token. Every response must be
a non-5xx the schema documents, with its content type, headers and body as documented. The run is fixed
(seeded, derandomised, a bounded number of cases per operation), so a failure reproduces from its output.
"""

import re
from collections import Counter

import hypothesis
import pytest
import requests
import schemathesis
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.views import APIView

from events.services.curators import curator_create

pytestmark = pytest.mark.slow  # fuzzing against a live server

FUZZ_EXAMPLES = 8  # per operation in the fuzzing phase, on top of the examples and coverage phases' cases
SEQUENCES, SEQUENCE_STEPS = 40, 8  # the stateful phase: scenarios, and calls in each at most
SETTINGS = {
    "seed": 20261122,
    # Strings may hold NUL and other control characters (allow-x00 and the utf-8 codec say so outright).
    "generation": {
        "mode": "all",
        "deterministic": True,
        "max-examples": FUZZ_EXAMPLES,
        "allow-x00": True,
        "codec": "utf-8",
    },
    "phases": {
        "examples": {"enabled": True},
        "coverage": {
            "enabled": True,
            # Every path has GET, DRF answers OPTIONS itself, and QUERY is still a draft: the methods
            # left are the ones a path can wrongly accept. A parameter given twice is a 400 the filter
            # tests already cover, one query parameter at a time.
            "unexpected-methods": ["POST", "PUT", "PATCH", "DELETE", "TRACE"],
            "generate-duplicate-query-parameters": False,
        },
        "fuzzing": {"enabled": True},
        # Sequences of calls along the links schemathesis infers from the schema (a create, then a read, an
        # update or a delete of what it made): test_curator_sequences_conform_to_the_schema.
        "stateful": {"enabled": True, "max-steps": SEQUENCE_STEPS},
    },
    "checks": {
        # Left out: a well-formed value can still be refused, rightly, with a 400 - a slug that names no
        # record (`agency=no-such-agency`, `"place": "atlantis"`), or a slug already taken. No schema can say
        # which slugs exist, so this check cannot tell those apart from real wrongful rejections.
        "positive_data_acceptance": {"enabled": False},
        # A write whose If-Match is stale is answered 412 before its body is read (RFC 9110 checks
        # preconditions first), whether or not the body is valid.
        "negative_data_rejection": {
            "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 415, 422],
        },
    },
    # Replaying cached probes would make a run depend on the one before it.
    "cache": {"enabled": False},
}


CASES = Counter()


@pytest.fixture
def api_schema(live_server, seed_committed, monkeypatch, request):
    """The schema served by a live server holding the seed data, committed so its thread sees it."""
    monkeypatch.setattr(APIView, "throttle_classes", [])  # hundreds of requests a minute are the point here
    url = f"{live_server.url}/api/v1/schema/"
    document = requests.get(url, headers={"Accept": "application/vnd.oai.openapi+json"}, timeout=10).json()
    # Each record's URL names a record that exists, so generated writes reach its validation rather than a 404
    # (reads still try made-up keys, and 404s are documented on every detail operation).
    targets = [
        {
            "include-name": [f"{method.upper()} {path}" for method in methods if method.upper() in WRITES],
            # `*` matches any current version: the body is checked, not a made-up ETag refused first (412).
            "parameters": {
                "header.If-Match": "*",
                **{f"path.{name}": value for name, value in first_record_key(live_server, path).items()},
            },
        }
        for path, methods in document["paths"].items()
        if "{" in path and set(map(str.upper, methods)) & set(WRITES)
    ]
    # An invalid field is refused by the same serializer field whichever write sends it. So each resource's body
    # fields get the coverage phase's invalid values once, from the first write that sends them (the create, or a
    # replacement whose body differs from it); the other writes send valid bodies there, and both in fuzzing.
    fields_sent, repeats = [], []
    for path in document["paths"]:
        for method in ("post", "put", "patch"):
            fields = body_fields(document, path, method)
            if fields is None:
                continue
            if (path.split("{")[0], fields) in fields_sent:
                repeats.append(f"{method.upper()} {path}")
            else:
                fields_sent.append((path.split("{")[0], fields))
    targets.append({"include-name": repeats, "phases": {"coverage": {"generation": {"mode": "positive"}}}})
    config = schemathesis.Config.from_dict({**SETTINGS, "operations": targets})
    yield schemathesis.openapi.from_url(url, config=config)
    phases = Counter()
    for (_operation, phase), count in CASES.items():
        phases[phase] += count
    operations = len({operation for operation, _phase in CASES})
    print(f"\n{request.node.name}: {operations} operations, cases per phase {dict(phases)}")
    CASES.clear()


@pytest.fixture
def curator_token(api_schema):
    curator = curator_create(username="fuzz-curator", password="a-long-fuzzing-pass-2026")
    return Token.objects.create(user=curator).key


@pytest.fixture(autouse=True)
def _node_id(request):
    # schemathesis 4.32 labels each operation's subtest through the node's `_nodeid`, which pytest 9 dropped.
    request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")
READS, WRITES = ["GET"], ["POST", "PUT", "PATCH", "DELETE"]
FUZZ_DB = pytest.mark.django_db(transaction=True)  # committed data: the live server's thread reads it


@FUZZ_DB
@schema.include(method=READS).parametrize()
def test_anonymous_reads_conform_to_the_schema(case):
    CASES[case.operation.label, f"{case.meta.phase.name}-{case.meta.generation.mode}"] += 1
    case.call_and_validate()


def curator_call(case, token):
    CASES[case.operation.label, f"{case.meta.phase.name}-{case.meta.generation.mode}"] += 1
    case.call_and_validate(headers={"Authorization": f"Token {token}"})


# Writes in one test per method, so parallel workers share them out.
@FUZZ_DB
@schema.include(method="POST").parametrize()
def test_curator_creates_conform_to_the_schema(case, curator_token):
    curator_call(case, curator_token)


@FUZZ_DB
@schema.include(method="PUT").parametrize()
def test_curator_replacements_conform_to_the_schema(case, curator_token):
    curator_call(case, curator_token)


@FUZZ_DB
@schema.include(method="PATCH").parametrize()
def test_curator_partial_updates_conform_to_the_schema(case, curator_token):
    curator_call(case, curator_token)


@FUZZ_DB
@schema.include(method="DELETE").parametrize()
def test_curator_deletions_conform_to_the_schema(case, curator_token):
    curator_call(case, curator_token)


@FUZZ_DB
def test_curator_sequences_conform_to_the_schema(api_schema, curator_token):
    class CuratorSequences(api_schema.as_state_machine()):
        def get_call_kwargs(self, case):
            CASES[case.operation.label, "stateful"] += 1
            return {"headers": {"Authorization": f"Token {curator_token}"}}

    CuratorSequences.run(
        settings=hypothesis.settings(
            max_examples=SEQUENCES,
            stateful_step_count=SEQUENCE_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
    assert sum(CASES.values()) >= SEQUENCES  # the sequences ran calls


def nested(depth: int):
    value = "x"
    for _ in range(depth):
        value = [value]
    return value


# Bodies no generator makes: deep, large, and text a database cannot store or a terminal would act on.
HOSTILE_BODIES = {
    "deep": lambda: {"slug": nested(900)},
    "large": lambda: {"slug": "x" * 3_000_000},
    "nul": lambda: {"slug": "a\x00b", "name": "\x00"},
    "control": lambda: {"slug": "a\x1b[31mb", "name": "\x07\x08\x7f\u202e"},
}


def body_fields(document: dict, path: str, method: str) -> dict | None:
    """The fields of the JSON request body an operation documents (name: schema), or None."""
    operation = document["paths"][path].get(method, {})
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    return None if body is None else document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"]


def first_record_key(live_server, path: str) -> dict:
    """Path parameters naming the first record of a detail path's list ({} for a list path)."""
    names = re.findall(r"{(\w+)}", path)
    if not names:
        return {}
    collection = path.split("{")[0]
    first = requests.get(f"{live_server.url}{collection}?page_size=1", timeout=10).json()["results"][0]
    return {names[0]: first.get(names[0], first.get("slug", first.get("id")))}


@FUZZ_DB
@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_bodies_to_every_write_conform_to_the_schema(live_server, api_schema, curator_token, body):
    statuses = Counter()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in ("POST", "PUT", "PATCH"):
            continue
        case = operation.Case(
            body=HOSTILE_BODIES[body](),
            path_parameters=first_record_key(live_server, operation.path),
            media_type="application/json",
        )
        response = case.call_and_validate(headers={"Authorization": f"Token {curator_token}"})
        statuses[response.status_code] += 1
    assert statuses, "no write operation was tried"
    # Control characters other than NUL are text like any other (a write may take them); the rest are refused.
    refused = range(400, 500) if body != "control" else range(200, 500)
    assert all(status in refused for status in statuses), statuses


@pytest.mark.django_db
def test_the_runs_between_them_cover_every_documented_operation():
    document = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    methods = {method.upper() for item in document["paths"].values() for method in item if method != "parameters"}
    assert methods <= set(READS + WRITES)
