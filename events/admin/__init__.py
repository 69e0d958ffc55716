"""The curators' admin: record pages (records.py), reviewing disagreements (curation.py), fuzzy dates (dates.py),
the tenure chart on agency pages (timeline.py) and the site's header and index (site.py)."""

from events.admin import records, site  # noqa: F401 - registers the model admins, names the site
