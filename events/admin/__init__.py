"""The curators' admin: record pages (records.py), reviewing disagreements (curation.py), fuzzy dates (dates.py)."""

from events.admin import records  # noqa: F401 - registers the model admins
