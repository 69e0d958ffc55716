"""No silent overwrites in the admin: a change form is saved only over the version it was opened on.

The form carries a hidden `record_version`: a digest of each value the page can write (the record's fields, and
each row of its editable inlines), taken when the page was drawn. On save, the record is locked and its digest
taken again; if another curator saved in between, the form is refused with what changed, and nothing is written.
"""

import datetime as dt
import hashlib
import json
from contextlib import suppress

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from events.services.locks import record_lock

VERSION_FIELD = "record_version"
RECORD = ""  # the key of the record's own fields in a version; inlines go by their formset prefix


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted((_plain(v) for v in value), key=str)
    return value


def _digest(value) -> str:
    text = json.dumps(_plain(value), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _changes(opened: dict, now: dict) -> tuple[list[str], dict[str, tuple[int, int, int]]]:
    """Record fields whose value changed; per inline, how many rows were added, removed and changed."""
    fields = [name for name, digest in now.get(RECORD, {}).items() if opened.get(RECORD, {}).get(name) != digest]
    rows = {}
    for prefix, current in now.items():
        if prefix == RECORD:
            continue
        before = opened.get(prefix, {})
        added, removed = len(current.keys() - before.keys()), len(before.keys() - current.keys())
        changed = sum(1 for pk in current.keys() & before.keys() if current[pk] != before[pk])
        if added or removed or changed:
            rows[prefix] = (added, removed, changed)
    return fields, rows


def _shown(record, name: str) -> str:
    field = record._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(record, name).all()) or "none"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    value = getattr(record, name)
    return "empty" if value in (None, "") else str(value)


class EditLockMixin:
    """For a ModelAdmin: change (and revert) forms carry the version they were opened on, and are refused over
    another."""

    def get_object(self, request, object_id, from_field=None):
        # The change, delete and revert views write in a transaction: hold the record until it ends.
        in_transaction = transaction.get_connection(router.db_for_write(self.model)).in_atomic_block
        if request.method == "POST" and in_transaction:
            with suppress(ValidationError, ValueError):  # not a valid id: get_object answers that it does not exist
                record_lock(model=self.model, **{from_field or "pk": object_id})
        return super().get_object(request, object_id, from_field)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert writes like a change: same lock, same check (its form is built by get_form below).
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST":
                self.get_object(request, object_id)
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        # The version field is added below, not built from the model: keep it out of the model form's fields.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != VERSION_FIELD]
        form = super().get_form(request, obj, **kwargs)
        if obj is None or obj.pk is None:
            return form
        return self._versioned_form(request, form, obj)

    def record_version(self, request, record, form) -> dict[str, dict[str, str]]:
        """Digests of what this page can write, as the database holds it now (from `record`'s row, not `record`,
        which on a revert page is the old version)."""
        record = self.model._base_manager.get(pk=record.pk)
        names = [name for name in form.base_fields if name != VERSION_FIELD and self._is_model_field(name)]
        version = {RECORD: {name: _digest(value) for name, value in model_to_dict(record, fields=names).items()}}
        for inline in self.get_inline_instances(request, record):
            formset = inline.get_formset(request, record)
            names = [name for name in formset.form.base_fields if name not in ("id", "DELETE", formset.fk.name)]
            if not names:
                continue  # read-only rows: nothing here can overwrite them
            rows = inline.get_queryset(request).filter(**{formset.fk.name: record})
            version[formset.get_default_prefix()] = {
                str(row.pk): _digest(model_to_dict(row, fields=names)) for row in rows
            }
        return version

    def _is_model_field(self, name: str) -> bool:
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    def _versioned_form(self, request, form, record):
        cache = request.__dict__.setdefault("_record_versions", {})  # get_form runs several times a request
        key = (self.model._meta.label, record.pk)
        if key not in cache:
            cache[key] = self.record_version(request, record, form)
        current = cache[key]
        admin = self

        class VersionedForm(form):
            record_version = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=json.dumps(current, separators=(",", ":"))
            )

            def clean(self):
                cleaned = super().clean()
                try:
                    opened = json.loads(self.data.get(self.add_prefix(VERSION_FIELD)) or "null")
                except ValueError:
                    opened = None
                if opened != current:
                    raise ValidationError(admin.refusal(request, record, opened, current), code="stale")
                return cleaned

        return VersionedForm

    def refusal(self, request, record, opened, current) -> str:
        """The message on a refused form: what changed since it was opened, by whom, and how to go on."""
        record = self.model._base_manager.get(pk=record.pk)
        url = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
        if not isinstance(opened, dict):
            return format_html(
                "This form does not say which version of the {} it was opened on, so nothing was saved. "
                '<a href="{}">Open the current version</a> and make your change there.',
                record._meta.verbose_name,
                url,
            )
        fields, rows = _changes(opened, current)
        items = [
            format_html("{} (now: {})", record._meta.get_field(name).verbose_name, _shown(record, name))
            for name in fields
        ]
        inlines = {i.get_formset(request, record).get_default_prefix(): i for i in self.get_inline_instances(request)}
        for prefix, (added, removed, changed) in rows.items():
            counts = ", ".join(
                f"{n} {what}" for n, what in ((added, "added"), (removed, "removed"), (changed, "changed")) if n
            )
            label = inlines[prefix].opts.verbose_name_plural if prefix in inlines else prefix
            items.append(format_html("{}: {}", label, counts))
        latest = record.history.select_related("history_user").first() if hasattr(record, "history") else None
        by = (
            format_html(
                " Last saved by {} at {} UTC.",
                latest.history_user or "a script",
                timezone.localtime(latest.history_date, dt.UTC).strftime("%Y-%m-%d %H:%M"),
            )
            if latest
            else ""
        )
        return format_html(
            "Someone else saved this {} after you opened it, so nothing was saved. Changed since: {}.{} "
            '<a href="{}">Reload it</a> to see the current version, then make your change again.',
            record._meta.verbose_name,
            format_html_join("; ", "{}", ((item,) for item in items)) if items else "its related rows",
            by,
            url,
        )
