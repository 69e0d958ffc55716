import pytest
from django.db import transaction

from events.services.seed import seed_load


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
