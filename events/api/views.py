"""API views: declarative resource viewsets, and the derived views built on the selectors."""

import inspect
from functools import partial

from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.http import FileResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound, PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from events.api import filters, serializers
from events.api.calendar import STATUSES, CalendarNegotiation, ICalendarRenderer
from events.api.downloads import Chunks, DownloadsMixin
from events.api.facets import EitherFacet, Facet, FacetedPagination, MonthFacet, RecordFacet, YearFacet
from events.api.filtertypes import IsoDateField
from events.api.ids import ID_PATTERN
from events.api.pagination import PagePagination
from events.api.parameters import reject_unknown_params, validated_filters
from events.api.parsers import BoundedMultiPartParser
from events.api.preconditions import PreconditionMixin
from events.api.schema import filterset_parameters
from events.api.serializers.changes import ChangePageSerializer, ChangeSerializer
from events.api.serializers.ingest import SourceCreateSerializer
from events.api.serializers.rows import with_row_reads
from events.api.shaping import FieldSelectionMixin, field_tree
from events.changes import Cursor, changes_after
from events.models import Agency, Claim, CrewMember, Launch, Meeting, Participant, Person, Place, Source, Tenure, Topic
from events.models.fuzzy import chronological
from events.selectors import (
    agency_heads_on,
    conflict_entries,
    conflict_keys,
    meeting_by_slug,
    meeting_previous,
    meetings_by_id,
    timeline,
)
from events.services.dataset import dataset_dump
from events.services.records import record_delete

WRITE_ACTIONS = ("update", "partial_update", "destroy")
CLAIMS_WITH_SOURCE = Prefetch("claims", queryset=Claim.objects.select_related("source"))


class MethodFirstMixin:
    """Answer 405 for a method the path does not have before asking who the user is (DRF asks first)."""

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class RecordViewSet(MethodFirstMixin, DownloadsMixin, FieldSelectionMixin, PreconditionMixin, viewsets.ModelViewSet):
    """List/detail/write for one model; detail responses add `sources` and `claims`. A read's fields can be chosen
    (`fields`, `omit`): what the fields left out need is not read."""

    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"  # slug characters only: anything else is a 404 before the database
    detail_serializer_class = None
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # Each prefetch with the fields that need it: made when the answer shows one of them.
    prefetches = {("sources", "claims"): CLAIMS_WITH_SOURCE}

    def perform_create(self, serializer):
        self._check_nested_claims(serializer)
        serializer.save()
        self._read_answer(serializer)

    def perform_update(self, serializer):
        self._check_nested_claims(serializer)
        serializer.save()
        self._read_answer(serializer)

    def get_object(self):
        if self.action not in WRITE_ACTIONS:
            return super().get_object()
        # A write needs the row alone, so a refused one reads nothing more; its answer is read after it succeeds.
        queryset = self.filter_queryset(self.get_queryset().prefetch_related(None))
        record = get_object_or_404(
            queryset, **{self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        )
        self.check_object_permissions(self.request, record)
        return record

    def _read_answer(self, serializer):
        # The record as saved, with what its detail shows read in a few queries (the write's instance has none).
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def _check_nested_claims(self, serializer):
        # Claims sent along with a record, or made from its `support`, are claims all the same: they need the
        # claim permission.
        data = serializer.validated_data
        if (data.get("claims") or data.get("support")) and not self.request.user.has_perm("events.add_claim"):
            raise PermissionDenied("Adding claims (or support) needs the permission to add claims.")

    def get_serializer_class(self):
        return self.serializer_class if self.action == "list" else self.detail_serializer_class

    def get_queryset(self):
        queryset = super().get_queryset()
        shown = field_tree(self.get_serializer_class())
        for names, prefetch in self.prefetches.items():
            if any(name in shown and self.wants(name) for name in names):
                queryset = queryset.prefetch_related(prefetch)
        return queryset

    def perform_destroy(self, instance):
        record_delete(instance=instance)


class AgencyViewSet(RecordViewSet):
    queryset = Agency.objects.all()
    serializer_class, detail_serializer_class = serializers.AgencySerializer, serializers.AgencyDetailSerializer
    filterset_class = filters.AgencyFilter
    pagination_class = FacetedPagination
    facets = {"kind": Facet("kind"), "country": Facet("country")}

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="The day asked about (default: today).")],
        responses=serializers.HeadSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def heads(self, request, slug=None):
        """Who led the agency on a day, each answer `certain` or `possible`; paginated as every list is."""
        reject_unknown_params(request, {"on"}, shaped=True)
        field = IsoDateField(required="on" in request.query_params)  # `on=` names no day: an error, not today
        try:
            day = field.clean(request.query_params.get("on")) or timezone.localdate()
        except forms.ValidationError as exc:
            raise ValidationError({"on": exc.messages}) from exc
        self.day = day  # the serializer's `grounds` say how the answer stands on that day
        page = self.paginate_queryset(agency_heads_on(agency=self.get_object(), day=day))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_class(self):
        return serializers.HeadSerializer if self.action == "heads" else super().get_serializer_class()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "day": getattr(self, "day", None)}


class PersonViewSet(RecordViewSet):
    queryset = Person.objects.all()
    serializer_class, detail_serializer_class = serializers.PersonSerializer, serializers.PersonDetailSerializer
    filterset_class = filters.PersonFilter
    prefetches = {
        **RecordViewSet.prefetches,
        ("tenures",): Prefetch("tenures", Tenure.objects.select_related("person", "agency")),
    }


class TenureViewSet(RecordViewSet):
    lookup_field = "id"
    lookup_value_regex = ID_PATTERN
    queryset = Tenure.objects.select_related("person", "agency")  # `person`, `agency` summaries
    serializer_class, detail_serializer_class = serializers.TenureSerializer, serializers.TenureDetailSerializer
    filterset_class = filters.TenureFilter
    pagination_class = FacetedPagination
    facets = {
        "agency": RecordFacet("agency", Agency),
        "person": RecordFacet("person", Person),
        "is_head": Facet("is_head"),
        "is_acting": Facet("is_acting"),
    }


class PlaceViewSet(RecordViewSet):
    queryset = Place.objects.select_related("parent")  # `parent` summary
    serializer_class, detail_serializer_class = serializers.PlaceSerializer, serializers.PlaceDetailSerializer
    filterset_class = filters.PlaceFilter
    pagination_class = FacetedPagination
    facets = {"kind": Facet("kind"), "country": Facet("country")}


class TopicViewSet(RecordViewSet):
    queryset = Topic.objects.all()
    serializer_class, detail_serializer_class = serializers.TopicSerializer, serializers.TopicDetailSerializer
    filterset_class = filters.TopicFilter


@extend_schema_view(
    create=extend_schema(
        request=SourceCreateSerializer,
        responses={201: serializers.SourceDetailSerializer},  # one rendering: the source as its detail shows it
        description=inspect.cleandoc(SourceCreateSerializer.__doc__),
    )
)
class SourceViewSet(RecordViewSet):
    queryset = Source.objects.all()
    serializer_class, detail_serializer_class = serializers.SourceSerializer, serializers.SourceDetailSerializer
    filterset_class = filters.SourceFilter
    pagination_class = FacetedPagination
    facets = {"kind": Facet("kind"), "reliability": Facet("reliability")}

    def get_parsers(self):
        if self.request is not None and self.request.method == "POST":  # a new source may come as its article's file
            return [*super().get_parsers(), BoundedMultiPartParser()]
        return super().get_parsers()

    def get_serializer_class(self):
        return SourceCreateSerializer if self.action == "create" else super().get_serializer_class()


class MeetingReads(generics.GenericAPIView):
    """A meeting read is answered from rows: the detail's `get_object()` gives its row, completed by what the
    detail serializer reads besides (its `row_reads`), and a list page's rows are read by id. Below the mixins
    of RecordViewSet in the MRO, so that they see the row as they would an instance."""

    def get_object(self):
        if self.action != "retrieve":
            return super().get_object()  # a write: the instance
        self.filter_queryset(self.get_queryset())  # refuses parameters, as on every detail
        row = meeting_by_slug(self.kwargs[self.lookup_field], previous=self.wants("previous_meeting"))
        if row is None:
            raise NotFound()
        self.check_object_permissions(self.request, row)
        serializer_class = self.get_serializer_class()
        wanted = {name for name in field_tree(serializer_class) if self.wants(name)}
        return RecordRow(with_row_reads(serializer_class, [row], wanted)[0])

    def paginate_queryset(self, queryset):
        # A page is found by its ids alone, so sorting and counting read the meeting table only; then its rows.
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        read = partial(meetings_by_id, previous=self.wants("previous_meeting"))
        return ids.map(read) if isinstance(ids, Chunks) else read(ids)


class RecordRow(dict):
    """A record's row that answers `pk` and `version` as an instance does (for the ETag)."""

    def __init__(self, row: dict):
        super().__init__(row)
        self.pk, self.version = row["pk"], row["version"]


class MeetingViewSet(RecordViewSet, MeetingReads):
    # Writes save and answer with instances, which the serializer reads with `place`, `related_launch`, `topics`
    # and `participants` with their tenure. Reads render rows (MeetingReads).
    queryset = Meeting.objects.select_related("place", "related_launch").prefetch_related(
        "topics",
        Prefetch(
            "participants", Participant.objects.select_related("person", "agency", "tenure__person", "tenure__agency")
        ),
    )
    serializer_class, detail_serializer_class = serializers.MeetingSerializer, serializers.MeetingDetailSerializer
    filterset_class = filters.MeetingFilter
    ordering = {"date": (chronological(), "date_latest"), "title": ("title",), "status": ("status",)}
    pagination_class = FacetedPagination
    facets = {
        "status": Facet("status"),
        "kind": Facet("kind"),
        "attendance": Facet("format"),
        "year": YearFacet("date_earliest"),
        "month": MonthFacet("date_earliest"),
        "agency": RecordFacet("participants__agency", Agency),
        "person": RecordFacet("participants__person", Person),
        "place": RecordFacet("place", Place),
        "topic": RecordFacet("topics", Topic),
    }

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return Meeting.objects.all()  # filtered and ordered on the meeting table; rows read by MeetingReads
        return super().get_queryset()

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.context["previous_meetings"] = meeting_previous([serializer.instance])

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.context["previous_meetings"] = meeting_previous([serializer.instance])


class LaunchViewSet(RecordViewSet):
    queryset = Launch.objects.select_related("operator", "site", "destination")  # their summaries
    prefetches = {
        **RecordViewSet.prefetches,
        ("crew",): Prefetch("crew", CrewMember.objects.select_related("person", "agency")),
    }
    serializer_class, detail_serializer_class = serializers.LaunchSerializer, serializers.LaunchDetailSerializer
    filterset_class = filters.LaunchFilter
    ordering = {"date": (chronological(), "date_latest"), "name": ("name",), "status": ("status",)}
    pagination_class = FacetedPagination
    facets = {
        "status": Facet("status"),
        "year": YearFacet("date_earliest"),
        "month": MonthFacet("date_earliest"),
        "agency": EitherFacet("operator", "crew__agency", Agency),
        "person": RecordFacet("crew__person", Person),
        "site": RecordFacet("site", Place),
    }


class ClaimViewSet(RecordViewSet):
    lookup_field = "id"
    lookup_value_regex = ID_PATTERN
    # `source` and `subject` summaries.
    queryset = Claim.objects.select_related(
        "source", "agency", "person", "place", "topic", "tenure__person", "tenure__agency", "meeting", "launch"
    )
    serializer_class = detail_serializer_class = serializers.ClaimSerializer
    filterset_class = filters.ClaimFilter
    pagination_class = FacetedPagination
    facets = {
        "source": RecordFacet("source", Source, name="title"),
        "subject_type": Facet("subject_type"),
        "field": Facet("field"),
        "rank": Facet("rank"),
    }

    def get_queryset(self):
        return self.queryset.all()


class TimelineView(MethodFirstMixin, DownloadsMixin, FieldSelectionMixin, generics.GenericAPIView):
    """Meetings and launches in one chronological stream; each item says its type."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.TimelineItemSerializer
    filter_backends = []

    @extend_schema(
        parameters=filterset_parameters(filters.TimelineFilter), responses=serializers.TimelineItemSerializer(many=True)
    )
    def get(self, request):
        params = validated_filters(
            filters.TimelineFilter, request, Meeting.objects.none(), shaped=True
        ).form.cleaned_data
        rows = timeline(
            after=params.get("date_after"),
            before=params.get("date_before"),
            agencies=params.get("agency") or (),
            people=params.get("person") or (),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CalendarView(MethodFirstMixin, generics.GenericAPIView):
    """Proposed and planned meetings and launches as an iCalendar feed, for calendar apps to subscribe to."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.TimelineItemSerializer
    renderer_classes = [ICalendarRenderer]
    content_negotiation_class = CalendarNegotiation
    filter_backends = []
    pagination_class = None  # a calendar is one document

    @extend_schema(
        parameters=filterset_parameters(filters.TookPartFilter),
        responses={(200, ICalendarRenderer.media_type): OpenApiTypes.STR},
    )
    def get(self, request):
        params = validated_filters(filters.TookPartFilter, request, Meeting.objects.none()).form.cleaned_data
        rows = timeline(agencies=params.get("agency") or (), people=params.get("person") or (), statuses=STATUSES)
        return Response(self.get_serializer(rows, many=True).data)


class ChangesView(MethodFirstMixin, FieldSelectionMixin, generics.GenericAPIView):
    """Every created, updated and deleted record, oldest first. Follow `next` to read on; on the last page, keep it
    and follow it later for newer changes."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ChangeSerializer
    filter_backends = []
    pagination_class = None  # a cursor, not pages: see `next`

    @extend_schema(parameters=filterset_parameters(filters.ChangeFilter), responses=ChangePageSerializer)
    def get(self, request):
        params = validated_filters(
            filters.ChangeFilter, request, Meeting.objects.none(), paged=False, shaped=True
        ).form.cleaned_data
        size = PagePagination().get_page_size(request)
        try:
            cursor = Cursor.from_token(params["cursor"]) if params.get("cursor") else None
        except ValueError as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
        since = params.get("updated_since")
        changes = changes_after(cursor=cursor, types=params.get("type") or (), since=since, limit=size)
        query = request.query_params.copy()
        last = changes[-1]["cursor"] if changes else cursor
        if last is not None:
            query["cursor"] = last.token()
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}" if query else request.path)
        return Response({"results": self.get_serializer(changes, many=True).data, "next": next_url})


# Django's serialization format, as loaddata reads it: one object per row.
DUMP_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"model": {"type": "string"}, "pk": {}, "fields": {"type": "object"}},
        "required": ["model", "fields"],
    },
}


class DumpView(MethodFirstMixin, generics.GenericAPIView):
    """The whole dataset as one file, in the format `export_dataset` writes and `import_dataset` and `loaddata`
    read; made once per dataset revision and served with its ETag (a GET with If-None-Match gets 304)."""

    permission_classes = [permissions.AllowAny]
    filter_backends = []
    pagination_class = None

    @extend_schema(responses={(200, "application/json"): DUMP_SCHEMA})
    def get(self, request):
        reject_unknown_params(request, (), paged=False)
        dump, etag = dataset_dump(directory=settings.DUMP_ROOT)
        response = FileResponse(
            dump, content_type="application/json", as_attachment=True, filename="spacediplo-dataset.json"
        )
        response["ETag"] = etag
        return response


class ConflictsView(MethodFirstMixin, DownloadsMixin, FieldSelectionMixin, generics.GenericAPIView):
    """Every subject and field on which sources disagree, each value with its sources and rank."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.ConflictSerializer
    filter_backends = []

    @extend_schema(
        parameters=filterset_parameters(filters.ConflictFilter), responses=serializers.ConflictSerializer(many=True)
    )
    def get(self, request):
        params = validated_filters(filters.ConflictFilter, request, Claim.objects.none(), shaped=True).form.cleaned_data
        keys = conflict_keys(
            resolved=params.get("resolved"),
            subject_type=params.get("subject_type") or None,
            field=params.get("field") or None,
        )
        page = self.paginate_queryset(keys)
        entries = page.map(conflict_entries) if isinstance(page, Chunks) else conflict_entries(page)
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)


@csrf_exempt  # it changes nothing; CSRF's check (before the view) would answer a POST with a 403 page, not a 405
@require_safe
def healthz(request):
    """Liveness with a real database round trip: 200 when it answers, 503 when it does not. GET and HEAD only."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"; details stay in the logs
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
