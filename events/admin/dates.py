"""Fuzzy dates in admin forms: EDTF, or a plain phrase the parser understands."""

import re

from django import forms
from django.core.exceptions import ValidationError
from edtf import text_to_edtf

from events.fuzzydates import edtf_bounds

QUARTER = re.compile(r"^(?:q([1-4])|(first|second|third|fourth) quarter(?: of)?)\s+(\d{4})$", re.IGNORECASE)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
HELP = (
    "EDTF (2025-07-31, 2025-02, 2026-22 for summer 2026, 2026-33 for Q1 2026, 2025-08-21/2025-08-31, ../2018-10) "
    "or a phrase such as 'July 31, 2025', 'February 2025', 'summer 2026' or 'Q1 2026'."
)


def phrase_to_edtf(phrase: str) -> str | None:
    """EDTF for a phrase the edtf parser (or our quarter rule, which it lacks) can read; None otherwise."""
    if match := QUARTER.match(phrase.strip()):
        number = int(match.group(1) or ORDINALS[match.group(2).lower()])
        return f"{match.group(3)}-{32 + number}"
    edtf = text_to_edtf(phrase)
    # "XXXX" means the parser did not find a year: too vague to store as a date.
    return edtf if edtf and "X" not in edtf.upper() else None


class FuzzyDateFormField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs["help_text"] = HELP
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return value
        try:
            edtf_bounds(value)
            return value
        except ValidationError:
            pass
        edtf = phrase_to_edtf(value)
        if edtf is None:
            raise ValidationError(f"Could not read {value!r} as a date. Use {HELP}")
        try:
            edtf_bounds(edtf)
        except ValidationError as exc:
            raise ValidationError(f"Could not read {value!r} as a date. Use {HELP}") from exc
        self.phrase = value
        return edtf


class FuzzyDateFormMixin:
    """Lets every `<name>_edtf` field take a phrase; the phrase is kept as `<name>_text` if that is empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if name.endswith("_edtf"):
                self.fields[name] = FuzzyDateFormField(
                    required=field.required, label=field.label, max_length=field.max_length
                )

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            phrase = getattr(field, "phrase", None)
            text_name = name.removesuffix("_edtf") + "_text"
            if phrase and text_name in self.fields and not cleaned.get(text_name):
                cleaned[text_name] = phrase
        return cleaned


class FuzzyDateModelForm(FuzzyDateFormMixin, forms.ModelForm):
    pass
