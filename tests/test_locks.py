"""Record locks hold the record a write checks, and nothing else (PostgreSQL row locks)."""

import psycopg
import pytest
from django.db import connection, transaction

from events.models import Claim
from events.services.locks import record_lock
from tests.factories import ClaimFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file"),
]


def other_session():
    """A second connection to the test database, as another request's would be."""
    settings = connection.settings_dict
    conn = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )
    conn.execute("SET lock_timeout = '2s'")
    return conn


def test_a_locked_claim_leaves_its_source_free_for_new_claims():
    claim = ClaimFactory()
    with other_session() as other, transaction.atomic():
        record_lock(model=Claim, pk=claim.pk)
        # What inserting another claim from the same source takes on the source row (the foreign key check):
        # it must not wait behind the lock on a claim (it did when the lock joined the source: a deadlock).
        other.execute("SELECT 1 FROM events_source WHERE id = %s FOR KEY SHARE", [claim.source_id])
        # A second writer of the same claim does wait.
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("SELECT 1 FROM events_claim WHERE id = %s FOR NO KEY UPDATE NOWAIT", [claim.pk])
