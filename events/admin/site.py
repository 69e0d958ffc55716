"""The admin site as curators meet it: named for the project, "View site" opening the API's documentation, and
an index that leads to the pages where the curating work is (disagreements, records resting on weak sources)."""

from django.contrib import admin
from django.urls import reverse_lazy

admin.site.site_header = "spacediplo curation"
admin.site.site_title = "spacediplo admin"
admin.site.index_title = "spacediplo: records, claims and their sources"
# The site's own pages are the API; its documentation is where a person can read it.
admin.site.site_url = reverse_lazy("docs")
# The admin's own index.html comes first in the template search (django.contrib.admin precedes events).
admin.site.index_template = "admin/events/site_index.html"
