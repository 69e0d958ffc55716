"""Curators' edits rest on claims: each change page names the sources behind each claimed value, and a change to
a value no standing claim gives needs its support (a source and paragraphs, or the curator's judgement and why)."""

import re

from django import forms
from django.db import models
from django.utils.html import format_html
from django.utils.text import Truncator

from events.claimfields import CLAIM_FIELDS, FuzzyDate, Refs
from events.models import Claim, Source
from events.selectors import claims_backing
from events.services.support import Support, claimed_values

SUPPORT_FIELDS = ("support_source", "support_locator", "support_note")
INLINE_CLAIM = re.compile(r"(claims-\d+)-field")


def _form_field(spec) -> str:
    return f"{spec.attr}_edtf" if isinstance(spec, FuzzyDate) else spec.attr


def _claim_text(spec, value) -> str:
    """A form's cleaned value as claim text (events.claimfields renders the record's the same way)."""
    if isinstance(spec, Refs):
        return ",".join(sorted(v.slug for v in value or []))
    if isinstance(value, models.Model):
        return value.slug
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value or "").strip()


def _backing_text(claims: list[Claim]) -> str:
    if not claims:
        return "No standing claim gives this value."
    named = [f"{c.source.slug} ({f'¶{c.locator}, ' if c.locator else ''}{c.rank})" for c in claims]
    return "Backed by: " + "; ".join(named)


class SupportFormMixin(forms.ModelForm):
    support_source = forms.ModelChoiceField(
        Source.objects.articles(),
        required=False,
        label="Support: source",
        help_text="For a changed value no source gives yet: the article that says so.",
    )
    support_locator = forms.CharField(required=False, max_length=60, label="Support: paragraphs")
    support_note = forms.CharField(
        required=False,
        label="Support: note",
        widget=forms.Textarea(attrs={"rows": 1, "class": "vLargeTextField one-line"}),
        help_text="Why; with no source, the change is recorded as your own judgement and this note is required.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.claimed_before = claimed_values(self.instance) if self.instance.pk else None
        specs = CLAIM_FIELDS.get(self._meta.model._meta.model_name, {})
        if self.instance.pk:
            backing = claims_backing(self.instance)
            for name, spec in specs.items():
                field = self.fields.get(_form_field(spec))
                if field is not None:
                    field.help_text = f"{field.help_text} {_backing_text(backing[name])}".strip()

    def posted_claims(self) -> set[tuple[str, str]]:
        """(field, value) of the standing claims posted in the page's claims inline, saved with the record."""
        posted = set()
        for key in self.data:
            row = INLINE_CLAIM.fullmatch(key)
            if row is None or self.data.get(f"{row[1]}-DELETE"):
                continue
            if self.data.get(f"{row[1]}-rank") != Claim.Rank.DEPRECATED:
                posted.add((self.data[key].strip(), self.data.get(f"{row[1]}-value", "").strip()))
        return posted

    def unsupported_changes(self) -> dict[str, str]:
        """{form field: claim text} of changed values that no standing claim of the record (saved, or posted with
        it) gives."""
        specs = CLAIM_FIELDS.get(self._meta.model._meta.model_name, {})
        posted = self.posted_claims()
        found = {}
        for name, spec in specs.items():
            field = _form_field(spec)
            if field not in self.cleaned_data or (self.instance.pk and field not in self.changed_data):
                continue
            value = _claim_text(spec, self.cleaned_data[field])
            if not spec.is_set(value):
                continue
            standing = Claim.objects.about(self.instance).current() if self.instance.pk else Claim.objects.none()
            if (name, value) in posted or standing.filter(field=name, value=value).exists():
                continue
            found[field] = value
        return found

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("support_source") is None and cleaned.get("support_locator"):
            self.add_error("support_source", "Paragraphs point into a source: name it.")
        if cleaned.get("support_source") is not None and not cleaned.get("support_locator"):
            self.add_error("support_locator", "Say where the source says it (paragraph numbers).")
        has_support = cleaned.get("support_source") is not None or cleaned.get("support_note", "").strip()
        if not has_support:
            for field, value in self.unsupported_changes().items():
                self.add_error(
                    field,
                    f"No source gives {value!r}: name the source that does (Support: source and paragraphs), "
                    "or give your own judgement with a note saying why.",
                )
        return cleaned

    def support(self) -> Support | None:
        data = self.cleaned_data
        if data.get("support_source") is None and not data.get("support_note", "").strip():
            return None
        return Support(
            source=data.get("support_source"),
            locator=data.get("support_locator", ""),
            note=data.get("support_note", ""),
        )


class SupportAdminMixin:
    """For record admins: the support fields on the change form (the record's service makes claims of them)."""

    def get_form(self, request, obj=None, **kwargs):
        if self.model._meta.model_name in CLAIM_FIELDS:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(base.__name__, (SupportFormMixin, base), {})
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.model._meta.model_name not in CLAIM_FIELDS:
            return fieldsets
        fieldsets = [(name, {**opts, "fields": [f for f in opts["fields"] if f not in SUPPORT_FIELDS]})
                     for name, opts in fieldsets]  # fmt: skip
        return [*fieldsets, ("What the change rests on", {"fields": SUPPORT_FIELDS})]


def clipped(text: str, chars: int) -> str:
    """`text` cut to `chars` for a narrow column, in full in its title (shown on hover)."""
    text = str(text)
    short = Truncator(text).chars(chars)
    return text if short == text else format_html('<span title="{}">{}</span>', text, short)
