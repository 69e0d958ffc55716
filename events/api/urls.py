from django.urls import path, reverse
from rest_framework import routers
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from events.api import views
from events.api.atom import ChangesAtomFeed
from events.api.search import SearchView
from spacediplo.openapi import SchemaView


class ApiRoot(routers.APIRootView):
    """Links as every other link of the API: absolute, with no `?format=` carried over (DRF's reverse keeps it)."""

    def get(self, request, *args, **kwargs):
        return Response({key: request.build_absolute_uri(reverse(name)) for key, name in self.api_root_dict.items()})


class ApiRouter(DefaultRouter):
    """The resources' routes, and a root (`/api/v1/`) that lists every endpoint: the resources, then the views
    outside the router by their URL names."""

    APIRootView = ApiRoot
    other_endpoints = {
        "search": "search",
        "timeline": "timeline",
        "conflicts": "conflicts",
        "changes": "changes",
        "changes.atom": "changes-atom",
        "calendar.ics": "calendar",
        "dump": "dump",
        "schema": "schema",
        "docs": "docs",
    }

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        resources = {prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**resources, **self.other_endpoints})


router = ApiRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("people", views.PersonViewSet, basename="person")
router.register("tenures", views.TenureViewSet, basename="tenure")
router.register("places", views.PlaceViewSet, basename="place")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("sources", views.SourceViewSet, basename="source")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("launches", views.LaunchViewSet, basename="launch")
router.register("claims", views.ClaimViewSet, basename="claim")

urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("conflicts/", views.ConflictsView.as_view(), name="conflicts"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("changes.atom", ChangesAtomFeed(), name="changes-atom"),
    path("dump/", views.DumpView.as_view(), name="dump"),
    path("calendar.ics", views.CalendarView.as_view(), name="calendar"),
    path("schema/", SchemaView.as_view(), name="schema"),
    *router.urls,
]
