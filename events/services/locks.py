"""Locks: the dataset's, which every write takes first, and a record's, for read-check-write sequences (a version
check, then the write it allows)."""

import functools

from django.db import connections, models, router, transaction
from django.db.models import F

from events.models import DatasetRevision
from events.services.revision import dataset_touch


def dataset_lock() -> None:
    """Hold the dataset revision's row until the current transaction ends: every write takes it before it writes.

    Writes therefore commit one at a time, in the order their history is stamped, which the change feed relies on
    (events.changes: a change that commits later never carries an earlier time than one already listed). It also
    keeps a delete from deadlocking with a create that refers to the row it deletes: a new row's foreign keys are
    checked at commit, and neither holds anything the other needs while it waits here.
    """
    alias = router.db_for_write(DatasetRevision)
    rows = DatasetRevision.objects.using(alias).filter(pk=1)
    if connections[alias].features.has_select_for_update:
        held = list(rows.select_for_update().values_list("pk", flat=True))
    else:  # SQLite locks the whole database once a transaction writes: a write that changes nothing takes it now
        held = rows.update(id=F("id"))
    if not held:  # the first write there ever is: the row it will move is made now, to be locked
        dataset_touch()


def writing(service):
    """A service that writes: atomic, and in line for the dataset's lock (dataset_lock) before anything else."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        with transaction.atomic(using=router.db_for_write(DatasetRevision)):
            dataset_lock()
            return service(*args, **kwargs)

    return wrapper


def record_lock(*, model: type[models.Model], **lookup) -> None:
    """Hold the record `lookup` names until the current transaction ends; a second writer waits here.

    Call it first in the transaction, before reading what is to be checked: the reads that follow then see
    the latest committed version, and no other writer can commit a change until this transaction ends.
    """
    alias = router.db_for_write(model)
    if not transaction.get_connection(alias).in_atomic_block:
        raise transaction.TransactionManagementError("record_lock() needs a transaction to hold the lock.")
    # The dataset's lock first, as every write takes it: a writer holding this record while waiting for the
    # dataset could deadlock with one holding the dataset while it raises this record's version.
    dataset_lock()
    rows = model._base_manager.using(alias).filter(**lookup)
    if connections[alias].features.has_select_for_update:
        # No ordering: a model's default ordering may join other tables (claims sort by source), and FOR UPDATE
        # would lock their rows too. NO KEY: rows that only refer to this one (a new claim) need not wait.
        list(rows.order_by().select_for_update(no_key=True).values_list("pk", flat=True))
    else:
        # SQLite locks the whole database, and only once a transaction writes. A write that changes nothing
        # takes that lock now, so a second writer waits (busy timeout) here rather than reading a version
        # about to change, or failing later when its own write finds the database locked.
        pk = model._meta.pk.attname
        rows.update(**{pk: F(pk)})
