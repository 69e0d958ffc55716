"""What a claim may be about: the claimable fields of each subject type.

Each spec turns a record's current value into the canonical claim text
(`render`) and checks/normalises a claim's value (`normalize`). Keeping both
here means "the record holds the preferred value" can be checked mechanically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.apps import apps
from django.core.exceptions import ValidationError

from events.fuzzydates import Bounds, edtf_bounds


@dataclass(frozen=True)
class Spec:
    attr: str

    is_date = False
    many = False
    after_save = False
    unset: ClassVar[tuple[str, ...]] = ("",)  # values that say nothing (unknown, or a flag not raised): no claim needed

    def is_set(self, value: str) -> bool:
        return value not in self.unset

    def render(self, record) -> str:
        return str(getattr(record, self.attr) or "")

    def normalize(self, value: str) -> str:
        value = (value or "").strip()
        if not value:
            raise ValidationError("The value is empty.")
        return value

    def bounds(self, value: str) -> Bounds | None:
        return None

    def apply(self, record, value: str) -> None:
        """Make `value` the record's own (before it is saved)."""
        setattr(record, self.attr, value)


@dataclass(frozen=True)
class Choice(Spec):
    unknown: str = ""  # the choice that means "not known"

    def is_set(self, value):
        return super().is_set(value) and value != self.unknown

    def check(self, model, value):
        allowed = [c for c, _ in model._meta.get_field(self.attr).choices]
        if value not in allowed:
            raise ValidationError(f"{value!r} is not one of: {', '.join(allowed)}.")


@dataclass(frozen=True)
class Flag(Spec):
    unset = ("", "false")

    def apply(self, record, value):
        setattr(record, self.attr, value == "true")

    def render(self, record):
        return "true" if getattr(record, self.attr) else "false"

    def normalize(self, value):
        value = super().normalize(value).lower()
        if value not in ("true", "false"):
            raise ValidationError("Use true or false.")
        return value


@dataclass(frozen=True)
class FuzzyDate(Spec):
    is_date = True

    def render(self, record):
        return getattr(record, f"{self.attr}_edtf")

    def normalize(self, value):
        value = super().normalize(value)
        edtf_bounds(value)
        return value

    def bounds(self, value):
        return edtf_bounds(value)

    def apply(self, record, value):
        setattr(record, f"{self.attr}_edtf", value)


@dataclass(frozen=True)
class Ref(Spec):
    """A link to another record, claimed by its slug."""

    model: str = ""

    def render(self, record):
        related = getattr(record, self.attr)
        return related.slug if related else ""

    def apply(self, record, value):
        setattr(record, self.attr, apps.get_model("events", self.model).objects.get(slug=value))

    def normalize(self, value):
        value = super().normalize(value)
        model = apps.get_model("events", self.model)
        if not model.objects.filter(slug=value).exists():
            raise ValidationError(f"No {model._meta.verbose_name} has the slug {value!r}.")
        return value


@dataclass(frozen=True)
class Refs(Ref):
    """A set of linked records, claimed as sorted comma-separated slugs."""

    through: str = ""  # attribute on each related row that holds the linked record

    after_save = True  # links to other rows can only be set once the record exists

    def apply(self, record, value):
        slugs = value.split(",")
        model = apps.get_model("events", self.model)
        manager = getattr(record, self.attr)
        if not self.through:
            manager.set(model.objects.filter(slug__in=slugs))
            return
        # Participants or crew: keep the people named (with their agency, tenure and role), drop the rest.
        manager.exclude(**{f"{self.through}__slug__in": slugs}).delete()
        present = set(manager.values_list(f"{self.through}__slug", flat=True))
        for person in model.objects.filter(slug__in=set(slugs) - present):
            manager.create(**{self.through: person})

    def render(self, record):
        rows = getattr(record, self.attr).all()
        return ",".join(sorted(getattr(row, self.through).slug if self.through else row.slug for row in rows))

    def normalize(self, value):
        slugs = sorted({s.strip() for s in Spec.normalize(self, value).split(",") if s.strip()})
        model = apps.get_model("events", self.model)
        known = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        missing = [s for s in slugs if s not in known]
        if missing:
            raise ValidationError(f"No {model._meta.verbose_name} has the slug(s): {', '.join(missing)}.")
        return ",".join(slugs)


@dataclass(frozen=True)
class Alias(Spec):
    """Another name the record goes by ("Russia's space agency"): each claim gives one name of several, so no claim
    of it is the record's own value, none contradicts another, and none is preferred. Source ingestion finds
    records by these names as well as by their own."""

    many = True

    def render(self, record):
        return ""

    def apply(self, record, value):
        raise ValidationError("An alias is one name of several: no record holds it as its value.")


CLAIM_FIELDS: dict[str, dict[str, Spec]] = {
    "agency": {
        "name": Spec("name"),
        "short_name": Spec("short_name"),
        "kind": Choice("kind"),
        "country": Spec("country"),
        "alias": Alias("alias"),
    },
    "person": {
        "name": Spec("name"),
        "native_name": Spec("native_name"),
        "nationality": Spec("nationality"),
        "alias": Alias("alias"),
    },
    "place": {
        "name": Spec("name"),
        "kind": Choice("kind"),
        "country": Spec("country"),
        "parent": Ref("parent", "Place"),
        "alias": Alias("alias"),
    },
    "topic": {"name": Spec("name"), "alias": Alias("alias")},
    "tenure": {
        "title": Spec("title"),
        "person": Ref("person", "Person"),
        "agency": Ref("agency", "Agency"),
        "is_head": Flag("is_head"),
        "is_acting": Flag("is_acting"),
        "predecessor": Ref("predecessor", "Tenure"),
        "start": FuzzyDate("start"),
        "end": FuzzyDate("end"),
    },
    "meeting": {
        "title": Spec("title"),
        "kind": Choice("kind"),
        "status": Choice("status"),
        "format": Choice("format", unknown="unknown"),
        "date": FuzzyDate("date"),
        "place": Ref("place", "Place"),
        "related_launch": Ref("related_launch", "Launch"),
        "launch_relation": Choice("launch_relation"),
        "topics": Refs("topics", "Topic"),
        "participants": Refs("participants", "Person", through="person"),
    },
    "launch": {
        "name": Spec("name"),
        "vehicle": Spec("vehicle"),
        "spacecraft": Spec("spacecraft"),
        "operator": Ref("operator", "Agency"),
        "site": Ref("site", "Place"),
        "destination": Ref("destination", "Place"),
        "date": FuzzyDate("date"),
        "status": Choice("status"),
        "crew": Refs("crew", "Person", through="person"),
        "alias": Alias("alias"),
    },
}

SUBJECT_TYPES = tuple(CLAIM_FIELDS)
# Fields whose claims each give one value of several (aliases): never in dispute, never preferred.
MANY_FIELDS = tuple((t, f) for t, specs in CLAIM_FIELDS.items() for f, s in specs.items() if s.many)
DATE_FIELDS = tuple((t, f) for t, specs in CLAIM_FIELDS.items() for f, s in specs.items() if s.is_date)


def claim_spec(subject_type: str, field: str) -> Spec:
    try:
        return CLAIM_FIELDS[subject_type][field]
    except KeyError:
        known = ", ".join(CLAIM_FIELDS.get(subject_type, {})) or "none"
        raise ValidationError(
            {"field": f"{field!r} is not a claimable field of a {subject_type}. Claimable: {known}."}
        ) from None


def claim_normalize(subject_type: str, field: str, value: str) -> tuple[str, Bounds | None]:
    """Validate a claim's value for its subject and field; return it canonical, with date bounds."""
    spec = claim_spec(subject_type, field)
    try:
        value = spec.normalize(value)
        if isinstance(spec, Choice):
            spec.check(apps.get_model("events", subject_type), value)
        return value, spec.bounds(value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None


def record_value(record, field: str) -> str:
    """The record's own current value of `field`, as claim text."""
    return claim_spec(record._meta.model_name, field).render(record)
