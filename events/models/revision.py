"""When the dataset last changed: one row, bumped by every write, read for Last-Modified."""

from django.db import models


class DatasetRevision(models.Model):
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="dataset_revision_single_row")]

    def __str__(self):
        return f"dataset changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"
