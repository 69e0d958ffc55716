import fcntl
import importlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from events.services.curators import CURATORS
from events.services.dataset import dataset_export, dataset_import
from events.services.seed import seed_fixture_paths, seed_load

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
# Hypothesis keeps caches of its own (Unicode tables, constants): in the system's temporary folder, not the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "spacediplo-hypothesis")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, closing the pools of PostgreSQL connections (spacediplo/test_settings.py) before it drops
    the test database: a connection a pool still holds would keep the database from being dropped."""
    yield
    for alias in connections:
        if connections[alias].vendor == "postgresql":
            connections[alias].close_pool()


@pytest.fixture(autouse=True, scope="session")
def _dumps_of_this_worker(tmp_path_factory):
    """Each test worker keeps dump/'s files apart: each has its own database, hence its own revisions."""
    from django.conf import settings as django_settings

    django_settings.DUMP_ROOT = tmp_path_factory.mktemp("dumps")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing kept: page counts and facet counts are kept per dataset revision, which data
    made by factories (not by the write services) does not move on."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def seed_export(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seed dataset, loaded once per run by the validated loader and exported for modules to import.

    Returns (export directory, the loader's report). The load itself is rolled back. The first test worker to
    need it makes it, under a lock, in the folder the workers share; the others import that export.
    """
    # An xdist worker's temporary folder sits in the one the run's workers share (also without xdist loaded).
    in_worker = "PYTEST_XDIST_WORKER" in os.environ
    shared = tmp_path_factory.getbasetemp().parent if in_worker else tmp_path_factory.getbasetemp()
    directory, saved = shared / "seed-dataset", shared / "seed-report.pickle"
    with open(shared / "seed-dataset.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if saved.exists():
            return directory, pickle.loads(saved.read_bytes())  # noqa: S301 - written by this run's first worker
        with django_db_blocker.unblock(), transaction.atomic():
            report = seed_load()
            dataset_export(directory=directory)
            transaction.set_rollback(True)
        saved.write_bytes(pickle.dumps(report))
    return directory, report


@pytest.fixture
def seed_committed(seed_export, curators_group):
    """The seed data imported and committed, for a test whose data a live server's thread or a second connection
    reads; the transactional test's end flushes it away."""
    dataset_import(directory=seed_export[0])


@pytest.fixture(scope="module")
def _seed_module(seed_export, django_db_blocker):
    """The seed data, imported once per test module, inside a transaction rolled back at the module's end."""
    directory, report = seed_export
    with django_db_blocker.unblock(), transaction.atomic():
        dataset_import(directory=directory)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seed_module, db):
    """The seed dataset as `load_seed_data` leaves it (imported, so its history begins with the import); each
    test's own changes are rolled back after it."""
    return _seed_module


CANDIDATES = ("events", "0015_candidates_and_aliases")


@pytest.fixture
def curators_group(transactional_db):
    """The curators group as its migration makes it, committed, for a test whose data a live server reads.

    A transactional test that ran earlier on this worker ended by flushing every table, which also removes what
    data migrations put in; the group is made again rather than restored from a serialized copy (whose content
    type ids the flush's own post-migrate step has already reused).
    """
    if not Group.objects.filter(name=CURATORS).exists():
        for node, make in ((("events", "0006_curators_group"), "curators_group"), (CANDIDATES, "curators_review")):
            migration = importlib.import_module(f"{node[0]}.migrations.{node[1]}")
            getattr(migration, make)(MigrationLoader(connection).project_state(node).apps, None)


@pytest.fixture(scope="module")
def _seed_loaded_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed_load()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def seed_loaded(_seed_loaded_module, db):
    """The seed dataset as the validated loader itself leaves it, its history included: for the loader's tests."""
    return _seed_loaded_module


@pytest.fixture
def fixture_copy(tmp_path):
    """The seed's fixture files, copied where a test may edit them."""
    for path in seed_fixture_paths():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path
