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


class SlugManager(models.Manager):
    """Natural key = slug, so fixtures stay portable across databases."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKeyMixin:
    def natural_key(self):
        return (self.slug,)

    def __str__(self):
        return getattr(self, "name", None) or getattr(self, "title", None) or self.slug


def unique_slug(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["slug"],
        name=f"{model_name}_slug_unique",
        violation_error_message=f"Another {model_name} has this slug.",
    )
