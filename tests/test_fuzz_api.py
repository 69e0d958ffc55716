"""The API under generated requests: schemathesis runs every operation of /api/v1/schema/ over real HTTP.

A live server holds the seed data; reads go anonymously, writes with a curator's token. Every response must be
a non-5xx the schema documents, with its content type, headers and body as documented. The run is fixed
(seeded, derandomised, a bounded number of cases per operation), so a failure reproduces from its output.
"""

from collections import Counter

import pytest
import schemathesis
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.views import APIView

from events.services.curators import curator_create

pytestmark = pytest.mark.slow  # fuzzing against a live server

FUZZ_EXAMPLES = 8  # per operation in the fuzzing phase, on top of the examples and coverage phases' cases
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261122,
        "generation": {"mode": "all", "deterministic": True, "max-examples": FUZZ_EXAMPLES},
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
            # Stateful runs follow OpenAPI links, which the schema does not declare.
            "stateful": {"enabled": False},
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
)
CASES = Counter()


@pytest.fixture
def api_schema(live_server, seed_committed, monkeypatch, request):
    """The schema served by a live server holding the seed data, committed so its thread sees it."""
    monkeypatch.setattr(APIView, "throttle_classes", [])  # hundreds of requests a minute are the point here
    yield schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/", config=CONFIG)
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


@pytest.mark.django_db
def test_the_runs_between_them_cover_every_documented_operation():
    document = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    methods = {method.upper() for item in document["paths"].values() for method in item if method != "parameters"}
    assert methods <= set(READS + WRITES)
