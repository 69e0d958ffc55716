"""Progress of the commands that read the seed dataset (see test_progress.py), in a module of their own so the
seed this module imports never meets the commands that need an empty database."""

import pytest

from tests.test_progress import assert_progress, run

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])]


def test_export_dataset(terminal, seeded, tmp_path):
    out, err = run(terminal, "export_dataset", tmp_path / "export")
    assert "Exported" in out
    assert_progress(terminal, out, err, "events.claim.csv", "rows")


def test_check_data(terminal, seeded):
    out, err = run(terminal, "check_data")
    assert "No inconsistencies found." in out
    assert_progress(terminal, out, err, "check_data", "checks")


def test_generate_synthetic(terminal, seeded):
    out, err = run(terminal, "generate_synthetic", "--meetings=3", "--launches=2", "--people=4")
    assert "Generated" in out
    assert_progress(terminal, out, err, "synthetic people", "synthetic meetings", "synthetic launches")
