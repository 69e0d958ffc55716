"""`facets=`: per value, how many records the list would hold with that value chosen, under the other filters."""

import pytest
from rest_framework.test import APIClient

from tests.api.test_edges import assert_problem

API = "/api/v1"


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:400]
    return response.json()


def facet(client, url, name, **params) -> dict:
    return {row["value"]: row["count"] for row in get(client, url, facets=name, **params)["facets"][name]}


# (list, facet, the filter that chooses one of its values)
CHOSEN_BY_FILTER = [
    ("meetings", "status", "status"),
    ("meetings", "kind", "kind"),
    ("meetings", "attendance", "attendance"),
    ("meetings", "agency", "agency"),
    ("meetings", "person", "person"),
    ("meetings", "topic", "topic"),
    ("launches", "status", "status"),
    ("launches", "agency", "agency"),
    ("launches", "person", "person"),
    ("launches", "site", "site"),
    ("agencies", "kind", "kind"),
    ("agencies", "country", "country"),
    ("places", "kind", "kind"),
    ("sources", "kind", "kind"),
    ("tenures", "agency", "agency"),
    ("tenures", "is_head", "is_head"),
    ("claims", "source", "source"),
    ("claims", "subject_type", "subject_type"),
    ("claims", "field", "field"),
    ("claims", "rank", "rank"),
]


@pytest.mark.parametrize(("resource", "name", "param"), CHOSEN_BY_FILTER)
def test_each_count_is_what_choosing_the_value_would_list(client, seeded, resource, name, param):
    url = f"{API}/{resource}/"
    counts = facet(client, url, name)
    assert counts, f"{resource} {name}: no values in the seed"
    for value, count in counts.items():
        chosen = str(value).lower() if isinstance(value, bool) else value
        assert get(client, url, **{param: chosen}, page_size=1)["count"] == count, (name, value)


def test_a_facet_leaves_out_its_own_filter_and_keeps_the_others(client, seeded):
    url = f"{API}/meetings/"
    everything = facet(client, url, "status")
    assert facet(client, url, "status", status="held") == everything  # its own filter: left out
    held = {m["slug"] for m in get(client, url, status="held", page_size=200)["results"]}
    kinds = facet(client, url, "kind", status="held")  # another filter: applied
    assert sum(kinds.values()) == len(held)
    assert kinds != facet(client, url, "kind")


def test_year_and_month_count_the_first_day_a_date_allows_and_leave_out_the_date_window(client, seeded):
    url = f"{API}/meetings/"
    meetings = get(client, url, page_size=200)["results"]
    dated = [m["date"]["earliest"] for m in meetings if m["date"] and m["date"]["earliest"]]
    years, months = {}, {}
    for day in dated:
        years[int(day[:4])] = years.get(int(day[:4]), 0) + 1
        months[day[:7]] = months.get(day[:7], 0) + 1
    assert facet(client, url, "year") == years
    assert facet(client, url, "month") == months
    assert facet(client, url, "year", date_after="2025-01-01") == years


def test_values_come_most_frequent_first_with_the_names_of_records(client, seeded):
    rows = get(client, f"{API}/meetings/", facets="agency,status")["facets"]
    counts = [row["count"] for row in rows["agency"]]
    assert counts == sorted(counts, reverse=True)
    nasa = next(row for row in rows["agency"] if row["value"] == "nasa")
    assert nasa["name"] == get(client, f"{API}/agencies/nasa/")["name"]
    assert all(set(row) == {"value", "count"} for row in rows["status"])


def test_no_facets_unless_asked(client, seeded):
    assert "facets" not in get(client, f"{API}/meetings/")


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("meetings", {"facets": "status,colour"}, "facets"),
        ("meetings", {"facets": "status,status"}, "facets"),
        ("meetings", {"facets": ""}, "facets"),
        ("people", {"facets": "agency"}, "facets"),  # a list without facets does not know the parameter
    ],
)
def test_a_bad_facet_is_a_400(client, seeded, url, params, name):
    assert_problem(client.get(f"{API}/{url}/", params), 400, name)


def test_a_download_takes_no_facets(client, seeded):
    response = client.get(f"{API}/meetings/", {"facets": "status"}, HTTP_ACCEPT="application/x-ndjson")
    assert_problem(response, 400, "facets")


@pytest.mark.parametrize(
    ("resource", "name", "params"),
    [
        ("meetings", "status", {"topic": "iss-operations"}),  # a filter that joins the topics
        ("meetings", "agency", {"person": "dmitry-bakanov"}),
        ("launches", "status", {"person": "anil-menon"}),  # one that joins the crew
        ("launches", "agency", {"status": "planned"}),
    ],
)
def test_counts_under_filters_that_join_other_tables(client, seeded, resource, name, params):
    url = f"{API}/{resource}/"
    counts = facet(client, url, name, **params)
    listed = get(client, url, **params, page_size=200)["count"]
    assert counts, (resource, params, listed)
    for value, count in counts.items():
        assert get(client, url, **params, **{name: value}, page_size=1)["count"] == count, value


def test_counts_are_kept_per_question_until_the_next_write(seeded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.api.test_writes import client_for

    reader, url = APIClient(), f"{API}/meetings/"
    before = facet(reader, url, "status", kind="bilateral")
    with CaptureQueriesContext(connection) as ctx:
        assert facet(reader, url, "status", kind="bilateral", page_size=2, ordering="title") == before  # paging on
    assert not any("GROUP BY" in q["sql"] for q in ctx.captured_queries)
    held = next(m["slug"] for m in get(reader, url, kind="bilateral", status="held")["results"])
    writer = client_for("change_meeting", "add_claim")
    body = {"status": "postponed", "support": {"note": "Moved for the test."}}
    assert writer.patch(f"{url}{held}/", body, format="json").status_code == 200
    after = facet(reader, url, "status", kind="bilateral")
    assert after["held"] == before["held"] - 1
    assert after.get("postponed", 0) == before.get("postponed", 0) + 1
