"""`fields=` and `omit=`: every list and detail answers with the fields named (nested ones by dotted path), the
query does less work for fields left out, and a name the resource does not have is a 400 naming it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_edges import assert_problem
from tests.api.test_writes import client_for

API = "/api/v1"

# (url, a field that nests records of its own fields, if any) for each read that renders through a serializer. A
# linked record's summary (`{slug, name, url}`) comes whole.
READS = [
    (f"{API}/agencies/", None),
    (f"{API}/agencies/nasa/", "claims"),
    (f"{API}/people/", None),
    (f"{API}/people/jared-isaacman/", "tenures"),
    (f"{API}/tenures/", None),
    (f"{API}/places/", None),
    (f"{API}/topics/", None),
    (f"{API}/sources/", None),
    (f"{API}/meetings/", "participants"),
    (f"{API}/launches/", "crew"),
    (f"{API}/claims/", None),
    (f"{API}/timeline/", None),
    (f"{API}/conflicts/", "values"),
    (f"{API}/agencies/nasa/heads/", "tenure"),
    (f"{API}/changes/", None),
    (f"{API}/search/", None),
]
# What the reads that need a parameter are given.
NEEDED = {"/heads/": {"on": "2025-07-31"}, "/search/": {"q": "nasa"}}


def get(client, url, **params):
    needed = next((given for end, given in NEEDED.items() if url.endswith(end)), {})
    response = client.get(url, {**needed, **params})
    assert response.status_code == 200, response.content[:400]
    return response.json()


def items(body) -> list[dict]:
    return body.get("results", [body])


@pytest.mark.parametrize(("url", "nested"), READS)
def test_fields_keeps_only_the_named_ones_and_omit_leaves_them_out(client, seeded, url, nested):
    whole = items(get(client, url))
    assert whole, url
    names = list(whole[0])
    keep = names[:2]
    chosen = items(get(client, url, fields=",".join(keep)))
    assert [list(item) for item in chosen] == [keep] * len(whole)
    assert chosen == [{k: item[k] for k in keep} for item in whole]
    left = items(get(client, url, omit=names[0]))
    assert left == [{k: v for k, v in item.items() if k != names[0]} for item in whole]


@pytest.mark.parametrize(("url", "nested"), [r for r in READS if r[1]])
def test_a_dotted_path_chooses_inside_a_nested_field(client, seeded, url, nested):
    whole = items(get(client, url))
    sample = next(item[nested] for item in whole if item[nested])
    inner = sample[0] if isinstance(sample, list) else sample
    first = next(iter(inner))
    chosen = items(get(client, url, fields=f"{nested}.{first}"))
    for item, full in zip(chosen, whole, strict=True):
        assert list(item) == [nested]
        rows = full[nested] if isinstance(full[nested], list) else [full[nested]]
        got = item[nested] if isinstance(item[nested], list) else [item[nested]]
        assert got == [None if r is None else {first: r[first]} for r in rows]
    omitted = items(get(client, url, omit=f"{nested}.{first}"))
    for item in omitted:
        got = item[nested] if isinstance(item[nested], list) else [item[nested]]
        assert all(first not in r for r in got if r is not None)


def test_fields_and_omit_together_and_a_whole_field_wins_over_its_parts(client, seeded):
    body = get(client, f"{API}/meetings/", fields="slug,participants.person,participants", omit="participants.role")
    meeting = next(m for m in body["results"] if m["participants"])
    assert list(meeting) == ["slug", "participants"]
    assert set(meeting["participants"][0]) == {"person", "agency", "tenure"}


def test_csv_and_ndjson_downloads_take_the_selection(client, seeded):
    csv = client.get(f"{API}/meetings/", {"fields": "slug,date,place"}, HTTP_ACCEPT="text/csv")
    assert csv.status_code == 200
    header = b"".join(csv.streaming_content).decode().splitlines()[0]
    assert header == "slug,date,date_earliest,date_latest,date_text,place"
    ndjson = client.get(f"{API}/agencies/", {"omit": "url"}, HTTP_ACCEPT="application/x-ndjson")
    lines = b"".join(ndjson.streaming_content).decode().splitlines()
    assert lines
    assert all('"url"' not in line for line in lines)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"fields": "slug,nope"}, "Unknown field 'nope'"),
        ({"omit": "participants.nope"}, "Unknown field 'participants.nope'"),
        ({"fields": "title.name"}, "title has no fields of its own"),
        ({"fields": "slug,,title"}, "is not a field name"),
        ({"fields": "a.b.c.d"}, "at most 3 levels"),
        ({"fields": "x" * 1001}, "At most 1000 characters"),
        ({"fields": ",".join(["slug"] * 61)}, "At most 60 field names"),
    ],
)
def test_a_bad_selection_is_a_400_naming_the_parameter(client, seeded, params, message):
    body = assert_problem(client.get(f"{API}/meetings/", params), 400, *params)
    assert message in " ".join(body["errors"][next(iter(params))])


def test_a_detail_takes_the_selection_and_still_no_other_parameter(client, seeded):
    slug = "nasa-roscosmos-2025-07"
    assert get(client, f"{API}/meetings/{slug}/", fields="slug,claims.field") == {
        "slug": slug,
        "claims": [{"field": c["field"]} for c in get(client, f"{API}/meetings/{slug}/")["claims"]],
    }
    assert_problem(client.get(f"{API}/meetings/{slug}/", {"status": "held"}), 400, "status")


def test_a_write_takes_no_selection(seeded):
    writer = client_for("change_topic")
    response = writer.patch(f"{API}/topics/lunar-exploration/?fields=slug", {"name": "x"}, format="json")
    assert_problem(response, 400, "fields")


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        get(client, url, **params)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "left_out"),
    [
        (f"{API}/meetings/", "participants,topics,previous_meeting"),
        (f"{API}/meetings/nasa-roscosmos-2025-07/", "participants,topics,previous_meeting,claims"),
        (f"{API}/launches/", "crew"),
        (f"{API}/agencies/nasa/", "claims,sources"),
        (f"{API}/people/jared-isaacman/", "tenures,claims,sources"),
    ],
)
def test_fields_left_out_are_not_read(client, seeded, url, left_out):
    get(client, url)  # warm: the page count is kept per revision
    get(client, url, omit=left_out)
    whole, trimmed = count_queries(client, url), count_queries(client, url, omit=left_out)
    assert trimmed < whole


def test_a_meeting_read_without_previous_meeting_skips_its_subquery(client, seeded):
    def lineup_lookups(**params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            get(client, f"{API}/meetings/", **params)
            get(client, f"{API}/meetings/nasa-roscosmos-2025-07/", **params)
        return sum('"lineup"' in q["sql"] for q in ctx.captured_queries)

    assert lineup_lookups() == 2  # the earlier meeting of the same lineup, for the page and for the record
    assert lineup_lookups(omit="previous_meeting") == 0
    assert lineup_lookups(fields="slug,title") == 0


@pytest.mark.parametrize("accept", ["text/csv", "application/x-ndjson"])
def test_a_bad_selection_on_a_download_is_a_400_before_anything_is_sent(client, seeded, accept):
    assert_problem(client.get(f"{API}/topics/", {"fields": "0"}, HTTP_ACCEPT=accept), 400, "fields")
