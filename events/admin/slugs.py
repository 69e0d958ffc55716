"""Slugs the add forms make, so a curator need not type them.

Most models take theirs from a title or a name as it is typed (the admins' `prepopulated_fields`). A tenure is
named by whom, where and what (`jim-bridenstine-nasa-administrator`, as in the seed), and its person and agency
are chosen from lists, which the admin's prepopulating script cannot read: its form makes the slug on saving.
"""

from django.utils.text import slugify

from events.admin.dates import FuzzyDateModelForm
from events.models import Tenure

TENURE_SLUG_LENGTH = Tenure._meta.get_field("slug").max_length


def tenure_slug(person, agency, title: str) -> str:
    return slugify(f"{person.slug} {agency.slug} {title}")[:TENURE_SLUG_LENGTH].strip("-")


class TenureForm(FuzzyDateModelForm):
    """A tenure whose slug is left empty gets one made from its person, agency and title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Left empty: made from the person, the agency and the title."

    def clean(self):
        cleaned = super().clean()
        if "slug" not in self.fields or cleaned.get("slug"):
            return cleaned
        # In an inline, the record the page is about comes from the page, not from a field of the row.
        person = cleaned.get("person") or getattr(self.instance, "person", None)
        agency = cleaned.get("agency") or getattr(self.instance, "agency", None)
        title = cleaned.get("title")
        if person and agency and title and person.slug and agency.slug:
            cleaned["slug"] = tenure_slug(person, agency, title)
        elif not self.has_error("person") and not self.has_error("agency") and not self.has_error("title"):
            self.add_error("slug", "Give a slug, or the person, the agency and the title to make it from.")
        return cleaned
