"""When the dataset last changed: one row, bumped by every write (services.revision), read for Last-Modified."""

from django.db import models

from events.prepared import Prepared


class DatasetRevision(models.Model):
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="dataset_revision_single_row")]

    def __str__(self):
        return f"dataset changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"


# Read on every API answer: its SQL is compiled once rather than per request.
CHANGED_AT = Prepared(DatasetRevision, lambda: DatasetRevision.objects.order_by("pk").values("changed_at")[:1])


def dataset_changed_at(request=None):
    """When the dataset last changed (None before its first write); read at most once per request, which
    pagination and headers share."""
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    if request is not None and hasattr(request, "dataset_changed_at"):
        return request.dataset_changed_at
    rows = CHANGED_AT()
    changed_at = rows[0]["changed_at"] if rows else None
    if request is not None:
        request.dataset_changed_at = changed_at
    return changed_at
