"""Editing copies of the seed fixture files, and whole-database snapshots to compare before and after a load."""

import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError


def snapshot():
    """Every row of every model in the app, serialised: equal snapshots mean nothing changed."""
    rows = []
    for model in apps.get_app_config("events").get_models():
        rows.extend(json.loads(serializers.serialize("json", model.objects.order_by("pk"))))
    return rows


def edit_fixture(directory, name, change):
    path = directory / name
    records = json.loads(path.read_text())
    change(records)
    path.write_text(json.dumps(records))


def assert_a_broken_late_record_changes_nothing(directory):
    """A fixture whose last claim is broken fails the load, names the record, and leaves the database as it was."""
    before = snapshot()

    def break_last_claim(records):
        records[-1]["fields"]["locator"] = "999"

    edit_fixture(directory, "claims.json", break_last_claim)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_seed_data", "--fixture-dir", str(directory))
    message = str(excinfo.value)
    assert "claims.json" in message
    assert "events.claim" in message
    assert "locator" in message
    assert snapshot() == before
