from django.urls import path
from rest_framework.routers import DefaultRouter

from events.api import views
from events.api.atom import ChangesAtomFeed
from spacediplo.openapi import SchemaView

router = DefaultRouter()
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
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("conflicts/", views.ConflictsView.as_view(), name="conflicts"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("changes.atom", ChangesAtomFeed(), name="changes-atom"),
    path("dump/", views.DumpView.as_view(), name="dump"),
    path("calendar.ics", views.CalendarView.as_view(), name="calendar"),
    path("schema/", SchemaView.as_view(), name="schema"),
    *router.urls,
]
