import pytest


@pytest.fixture
def seeded(db):
    """The database with the seed dataset loaded, as `load_seed_data` leaves it."""
    from events.services.seed import seed_load

    return seed_load()
