from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from events.api.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/")),
    path("admin/", admin.site.urls),
    # Swagger UI with its start-up script served as a file (the split view): the CSP allows no inline script.
    # A page, read with GET: DRF's OPTIONS answer is data, which the view's only renderer (a template) cannot show.
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", http_method_names=["get", "head"]),
        name="docs",
    ),
    path("api/v1/", include("events.api.urls")),
    path("healthz", healthz, name="healthz"),
]

handler400 = "events.api.exceptions.bad_request"
handler404 = "events.api.exceptions.not_found"
handler500 = "events.api.exceptions.server_error"
