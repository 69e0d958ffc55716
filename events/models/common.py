"""Field helpers and choices shared by several models."""

from django.core.validators import RegexValidator
from django.db import models

country_code_validator = RegexValidator(r"^[A-Z]{2}$", "Use an ISO 3166-1 alpha-2 code in capitals, e.g. US.")


def country_field(**kwargs):
    return models.CharField(
        max_length=2,
        blank=True,
        validators=[country_code_validator],
        help_text="ISO 3166-1 alpha-2, e.g. RU.",
        **kwargs,
    )


class VersionField(models.PositiveIntegerField):
    """A record's version, which the API's ETag and If-Match and the admin's stale-save check compare.

    Every write of the row raises it by one, worked out as the row is written (as `auto_now` is), so no writer can
    put an older version back (a history revert, a seed row rebuilt from its fixture); services raise it too for a
    change to the record's claims or members (services.versions). Services write records holding their row lock,
    so the version read here is the latest.
    """

    def __init__(self, *args, **kwargs):
        kwargs.update(default=1, db_default=1, editable=False)  # the database's default too: rows written in SQL
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("default", "db_default", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # A new row starts at its own (1, or a dataset import's copy); a history row copies the record's.
        if not add and model_instance.pk is not None and not hasattr(model_instance, "instance_type"):
            rows = type(model_instance)._base_manager.filter(pk=model_instance.pk)
            stored = rows.values_list(self.attname, flat=True).first()
            setattr(model_instance, self.attname, 1 if stored is None else stored + 1)
        return super().pre_save(model_instance, add)


def version_field():
    return VersionField()


def version_positive(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(version__gte=1), name=f"{model_name}_version_positive")


class SlugManager(models.Manager):
    """Natural key = slug, so fixtures stay portable across databases."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def shown_name(record) -> str:
    """The name shown for a record (an instance, or a row of its values): its name, or its title, or else what
    it says of itself."""
    if isinstance(record, dict):
        return record.get("name") or record.get("title")
    return _name_or_title(record) or str(record)


def _name_or_title(record) -> str | None:
    return getattr(record, "name", None) or getattr(record, "title", None)


class SlugNaturalKeyMixin:
    def natural_key(self):
        return (self.slug,)

    def __str__(self):
        return _name_or_title(self) or self.slug


def unique_slug(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["slug"],
        name=f"{model_name}_slug_unique",
        violation_error_message=f"Another {model_name} has this slug.",
    )
