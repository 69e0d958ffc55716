from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from events.api.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("events.api.urls")),
    path("healthz", healthz, name="healthz"),
]

handler404 = "events.api.exceptions.not_found"
handler500 = "events.api.exceptions.server_error"
