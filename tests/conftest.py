import os
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings

from events.services.dataset import dataset_export, dataset_import
from events.services.seed import seed_load

# Property tests run the same examples on every run and machine (a failure reproduces from its output, no
# example database); HYPOTHESIS_PROFILE=explore searches wider and afresh each run.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def seed_dataset(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The seed as `load_seed_data` leaves it, exported once per session (per xdist worker) as a dataset.

    The validated loader runs here once; every module then takes the seed through the bulk import, which
    costs a fraction of it. Its own behaviour is tested in tests/test_seed_loader.py and test_seed_reload.py.
    """
    directory = tmp_path_factory.mktemp("seed") / "dataset"
    with django_db_blocker.unblock(), transaction.atomic():
        seed_load()
        dataset_export(directory=directory)
        transaction.set_rollback(True)
    return directory


@pytest.fixture(scope="module")
def _seed_module(seed_dataset, django_db_blocker):
    """The seed dataset, imported once per test module inside a transaction rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield dataset_import(directory=seed_dataset)
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seed_module, db):
    """The seed dataset as `load_seed_data` leaves it; each test's own changes are rolled back after it."""
    return _seed_module
