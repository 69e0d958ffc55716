"""No silent overwrites in the admin: a change form is saved only over the version of the record it was opened on.

The form carries the record's version (raised by every change to the record, its claims and its members) and the
time the page was drawn. On save, the record is locked and its version read again; if another curator saved in
between, the form is refused, saying what changed and who saved it (from the history), and nothing is written.
"""

import datetime as dt
from contextlib import suppress

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join

from events.services.locks import record_lock

VERSION_FIELD = "record_version"
OPENED_FIELD = "record_opened"
FORM_FIELDS = (VERSION_FIELD, OPENED_FIELD)


def _shown(record, name: str) -> str:
    field = record._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(record, name).all()) or "none"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    value = getattr(record, name)
    return "empty" if value in (None, "") else str(value)


def _version(text) -> int | None:
    with suppress(TypeError, ValueError):
        version = int(str(text).strip())
        return version if version >= 1 else None
    return None


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
        # The version fields are added below, not built from the model: keep them out of the model form's fields.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            kwargs["fields"] = [name for name in kwargs["fields"] if name not in FORM_FIELDS]
        form = super().get_form(request, obj, **kwargs)
        if obj is None or obj.pk is None or not self._is_model_field("version"):
            return form  # a new record; or a member of a meeting or a launch, whose page its event's outranks
        return self._versioned_form(request, form, obj)

    def _versioned_form(self, request, form, record):
        # As the database holds it now: on a revert page `record` is the old version.
        current = self.model._base_manager.filter(pk=record.pk).values_list("version", flat=True).first()
        admin = self

        class VersionedForm(form):
            record_version = forms.CharField(widget=forms.HiddenInput, required=False, initial=current)
            record_opened = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=timezone.now().isoformat()
            )

            def clean(self):
                cleaned = super().clean()
                opened = _version(self.data.get(self.add_prefix(VERSION_FIELD)))
                if opened != current:
                    since = parse_datetime(self.data.get(self.add_prefix(OPENED_FIELD)) or "") if opened else None
                    raise ValidationError(admin.refusal(request, record, opened, since), code="stale")
                return cleaned

        return VersionedForm

    def related_histories(self, request, record):
        """(label, history rows) of the rows this page edits with the record: its inlines' models."""
        for inline in self.get_inline_instances(request, record):
            formset = inline.get_formset(request, record)
            history = getattr(inline.model, "history", None)
            if history is None:
                continue
            fk = formset.fk.name
            yield inline.opts.verbose_name_plural, history.filter(**{f"{fk}_id": record.pk})

    def refusal(self, request, record, opened: int | None, since: dt.datetime | None) -> str:
        """The message on a refused form: what changed since it was opened, by whom, and how to go on."""
        record = self.model._base_manager.get(pk=record.pk)
        url = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
        if opened is None:
            return format_html(
                "This form does not say which version of the {} it was opened on, so nothing was saved. "
                '<a href="{}">Open the current version</a> and make your change there.',
                record._meta.verbose_name,
                url,
            )
        items, latest = [], None
        history = record.history.select_related("history_user")
        if since is not None:
            was = history.filter(history_date__lte=since).first()
            names = [n for n in self.get_form(request, record).base_fields if self._is_model_field(n)]
            for name in names:
                attname = record._meta.get_field(name).attname
                if was is not None and getattr(was, attname, None) != getattr(record, attname, None):
                    verbose = record._meta.get_field(name).verbose_name
                    items.append(format_html("{} (now: {})", verbose, _shown(record, name)))
            latest = history.filter(history_date__gt=since).first()
            for label, rows in self.related_histories(request, record):
                rows = list(rows.filter(history_date__gt=since).select_related("history_user").order_by("history_date"))
                if counts := _row_counts(rows):
                    items.append(format_html("{}: {}", label, counts))
                if rows and (latest is None or rows[-1].history_date > latest.history_date):
                    latest = rows[-1]
        latest = latest or history.first()
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

    def _is_model_field(self, name: str) -> bool:
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return field.concrete and not field.many_to_many


def _row_counts(rows) -> str:
    """How many rows were added, removed and changed, from their history entries."""
    kinds = {}
    for row in rows:
        kinds.setdefault(row.id, set()).add(row.history_type)
    added = sum(1 for k in kinds.values() if "+" in k and "-" not in k)
    removed = sum(1 for k in kinds.values() if "-" in k and "+" not in k)
    changed = sum(1 for k in kinds.values() if k == {"~"})
    counts = [f"{n} {what}" for n, what in ((added, "added"), (removed, "removed"), (changed, "changed")) if n]
    return ", ".join(counts)
