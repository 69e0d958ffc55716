import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings

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


@pytest.fixture(scope="module")
def _seed_module(django_db_setup, django_db_blocker):
    """Load the seed data once per test module, inside a transaction rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed_load()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seed_module, db):
    """The seed dataset as `load_seed_data` leaves it; each test's own changes are rolled back after it."""
    return _seed_module
