"""dump/: the whole dataset in one file, made once per dataset revision and served with its ETag."""

import json

import pytest
from rest_framework.test import APIClient

from events.services import dataset
from tests.api.test_changes import person_renamed

URL = "/api/v1/dump/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(settings, tmp_path, monkeypatch):
    """The dumps directory of this test, and how many times a dump file was written."""
    settings.DUMP_ROOT = tmp_path / "dumps"
    written = []
    real = dataset._dataset_json_write

    def counted(path):
        written.append(path)
        real(path)

    monkeypatch.setattr(dataset, "_dataset_json_write", counted)
    return written


def body(response):
    return json.loads(b"".join(response.streaming_content))


def comparable(rows):
    """Rows with the curators' accounts' unusable passwords left out: each export draws new ones."""
    return [{**row, "fields": {k: v for k, v in row["fields"].items() if k != "password"}} for row in rows]


def test_the_dump_is_the_export_format_made_once_per_revision(seeded, builds, settings, tmp_path):
    client = APIClient()
    first = client.get(URL)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert 'filename="spacediplo-dataset.json"' in first["Content-Disposition"]
    rows = body(first)
    again = client.get(URL)
    assert again["ETag"] == first["ETag"]
    assert body(again) == rows
    assert len(builds) == 1  # served from the file, not made again
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    dataset.dataset_export(directory=tmp_path / "export")
    exported = json.loads((tmp_path / "export" / dataset.DATASET_JSON).read_text())
    assert comparable(rows) == comparable(exported)  # what export_dataset writes


def test_a_write_makes_a_new_dump_with_its_own_etag(seeded, builds, settings):
    client = APIClient()
    before = client.get(URL)
    body(before)
    person_renamed()
    after = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    names = [row["fields"]["name"] for row in body(after) if row["model"] == "events.person"]
    assert "Anil K. Menon" in names
    assert len(builds) == 2
    assert len(list(settings.DUMP_ROOT.glob("dataset-*.json"))) == 1  # the earlier revision's file is gone


def test_the_dump_takes_no_parameters(seeded, builds):
    response = APIClient().get(f"{URL}?page=2")
    assert response.status_code == 400
    assert "page" in response.json()["errors"]
    response = APIClient().get(f"{URL}?format=csv")  # only formats the dump is written in
    assert response.status_code == 400
    assert "json" in response.json()["errors"]["format"][0]
    assert builds == []


def test_a_dump_removed_by_a_newer_revisions_build_is_read_from_that_build(seeded, builds, settings, monkeypatch):
    real, calls = dataset._dump_current, []

    def raced(directory):
        path, etag = real(directory)
        calls.append(path)
        if len(calls) == 1:
            path.unlink()  # as a concurrent request's build for a newer revision would
        return path, etag

    monkeypatch.setattr(dataset, "_dump_current", raced)
    response = APIClient().get(URL)
    assert response.status_code == 200
    assert body(response)
    assert len(calls) == 2


def test_the_schema_describes_the_dump_as_rows(seeded, builds):
    document = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schema = document["paths"]["/api/v1/dump/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert schema["items"]["required"] == ["model", "fields"]
