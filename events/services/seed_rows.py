"""What one seed load reads: the rows it has found by natural key or written, and Django's JSON deserializer
reading natural keys through them, so that each row is read once per load."""

import contextlib

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.db import DEFAULT_DB_ALIAS


class LoadedRows:
    """The rows one load has found by natural key or written, so that each is read once per load, and the records
    built from the fixtures share them as their related objects instead of fetching them again.

    A key that finds no row is never kept (the load creates rows as it goes), and a row the load writes replaces
    what was kept of it. A record is found by the natural key its fixture gives, so writing it keeps that key.
    """

    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.using = using
        self.by_key: dict[tuple, object] = {}  # (model, natural key) -> pk
        self.by_pk: dict[tuple, object] = {}  # (model, pk) -> instance

    def get(self, model, key):
        """The row with this natural key, as the model's manager finds it; its DoesNotExist if there is none."""
        key = tuple(key)
        pk = self.by_key.get((model, key))
        if pk is None:
            row = model._default_manager.db_manager(self.using).get_by_natural_key(*key)
            pk = self.by_key[model, key] = row.pk
            if (model, pk) not in self.by_pk:
                self.share_related(row)
                self.by_pk[model, pk] = row
        return self.by_pk[model, pk]

    def row(self, model, pk):
        """The row with this pk: the one held, else as the database has it (None if there is none)."""
        return self.by_pk.get((model, pk)) or model._base_manager.filter(pk=pk).first()

    def written(self, instance, *, replaced: bool) -> None:
        if replaced:  # the rows held may keep the row as it was, as a related object: they fetch it again
            for row in self.by_pk.values():
                row._state.fields_cache.clear()
        self.by_pk[type(instance), instance.pk] = instance
        if hasattr(instance, "natural_key"):
            self.by_key[type(instance), tuple(instance.natural_key())] = instance.pk

    def share_related(self, instance) -> list[str]:
        """Give `instance` the rows it refers to that this load holds, as its related objects; return the names of
        those foreign keys: found or written in this transaction, their rows exist."""
        shared = []
        for fk in instance._meta.concrete_fields:
            if fk.many_to_one and fk.target_field.primary_key:
                row = self.by_pk.get((fk.related_model, getattr(instance, fk.attname)))
                if row is not None:
                    fk.set_cached_value(instance, row)
                    shared.append(fk.name)
        return shared


def _has_natural_keys(model) -> bool:
    return hasattr(model._default_manager, "get_by_natural_key")


def _is_natural_key(model, value) -> bool:
    """Whether Django's deserializer reads `value` as a natural key of `model` (rather than as a pk)."""
    return _has_natural_keys(model) and hasattr(value, "__iter__") and not isinstance(value, str)


class SeedDeserializer(JSONDeserializer):
    """Django's JSON deserializer, looking natural keys up through the load's `LoadedRows`.

    Whatever goes wrong is left to Django's own code, which fails the same way, so errors read as they always have.
    """

    def __init__(self, text: str, *, rows: LoadedRows, **options):
        super().__init__(text, using=rows.using, **options)
        self.rows = rows

    def _handle_object(self, obj):
        try:
            deserialized = self._found_by_natural_key(obj)
        except Exception:
            deserialized = None  # Django's own code fails again below, and names the record as its fixture gives it
        if deserialized is None:
            yield from super()._handle_object(obj)
        else:
            yield deserialized

    def _found_by_natural_key(self, obj):
        """The record, with the pk of the row its natural key finds (None if none); None if it has no natural key."""
        model = self._get_model_from_node(obj["model"])
        if "pk" in obj or not (hasattr(model, "natural_key") and _has_natural_keys(model)):
            return None
        # Given a pk, Django does not look the record up by its natural key, which it works out from a fresh
        # instance that fetches its related rows again: the lookup is made here, from the rows already held.
        (deserialized,) = super()._handle_object({**obj, "pk": 0})
        instance = deserialized.object
        self.rows.share_related(instance)
        try:
            instance.pk = self.rows.get(model, instance.natural_key()).pk
        except model.DoesNotExist:
            instance.pk = None
        return deserialized

    def _handle_fk_field_node(self, field, field_value):
        model = field.remote_field.model
        if _is_natural_key(model, field_value) and not model._meta.pk.remote_field:
            return getattr(self.rows.get(model, field_value), field.remote_field.field_name)
        return super()._handle_fk_field_node(field, field_value)

    def _handle_m2m_field_node(self, field, field_value):
        model = field.remote_field.model
        with contextlib.suppress(Exception):  # not a list, a key that finds no row: Django's own code says which
            if all(_is_natural_key(model, value) for value in field_value):
                return [self.rows.get(model, value).pk for value in field_value]
        return super()._handle_m2m_field_node(field, field_value)
