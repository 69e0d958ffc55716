"""Admin for curators: browse everything, correct records and their claims in place, with history."""

import re

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from events.admin.curation import ClaimCurationMixin, SourceReliabilityMixin
from events.admin.dates import FuzzyDateModelForm
from events.admin.locking import EditLockMixin
from events.admin.review import SourceIngestMixin
from events.admin.slugs import TenureForm
from events.admin.support import SupportAdminMixin, clipped
from events.admin.timeline import agency_tenure_chart
from events.models import (
    Agency,
    Claim,
    CrewMember,
    Launch,
    Meeting,
    Participant,
    Person,
    Place,
    Source,
    Tenure,
    Topic,
)
from events.services.records import RecordInUse, RecordInvalid, record_delete, record_save

ONE_LINE = {"rows": 1, "class": "vLargeTextField one-line"}
ARTICLE_SLUG = re.compile(r"^(\d+)_[0-9a-f]+$")
DERIVED_BOUNDS = {
    "published": ("published_earliest", "published_latest"),
    "date": ("date_earliest", "date_latest"),
    "start": ("start_earliest", "start_latest"),
    "end": ("end_earliest", "end_latest"),
}


def bounds_readonly(*names):
    """Earliest/latest days are computed from the EDTF text, so curators see but do not type them."""
    return tuple(field for name in names for field in DERIVED_BOUNDS[name])


def claim_inline(subject_type: str):
    """Claims about the record on the page; the subject type follows from the page."""
    return type(
        f"{subject_type.title()}ClaimInline",
        (admin.TabularInline,),
        {
            "model": Claim,
            "fk_name": subject_type,
            "extra": 0,
            "fields": ("source", "field", "value", "rank", "locator", "note"),
            "autocomplete_fields": ("source",),
            "show_change_link": True,
            "classes": ("claim-inline",),
            # One line per note until it is edited (curation.css opens it up on focus).
            "formfield_overrides": {models.TextField: {"widget": AdminTextareaWidget(attrs=ONE_LINE)}},
        },
    )


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("person", "agency", "tenure")


class CrewInline(admin.TabularInline):
    model = CrewMember
    extra = 0
    autocomplete_fields = ("person", "agency")


class TenureInline(admin.TabularInline):
    model = Tenure
    form = TenureForm
    extra = 0
    classes = ("tenure-inline",)
    fields = (
        "slug",
        "agency",
        "person",
        "title",
        "is_head",
        "is_acting",
        "start_edtf",
        "start_text",
        "end_edtf",
        "end_text",
    )
    autocomplete_fields = ("agency", "person")
    show_change_link = True


def key_or_404(model, raw: str) -> None:
    """A key from a URL that could not be one of `model`'s (`abc`, or a number past the column's range) is a 404,
    as an unknown one is: the history views would take it to the database, which fails on it."""
    field = model._meta.pk
    try:
        field.run_validators(field.to_python(unquote(raw)))
    except ValidationError as exc:
        raise Http404(f"No {model._meta.verbose_name} with the key {raw!r}.") from exc


class CuratedAdmin(SupportAdminMixin, EditLockMixin, SimpleHistoryAdmin):
    """Every record page: history (see and revert), dates typed as EDTF or as a phrase, and no silent overwrites."""

    form = FuzzyDateModelForm

    class Media:
        css = {"all": ("events/admin/curation.css",)}

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if getattr(request, "history_version", None) is not None:
            self.save_through_services(request, form, formsets=[])  # a revert has no inlines: save it now

    def save_related(self, request, form, formsets, change):
        self.save_through_services(request, form, formsets=formsets)

    def save_through_services(self, request, form, *, formsets) -> None:
        """The record, its links and its inline rows, saved by the same service as the API's writes."""
        record = form.instance
        m2m = {f.name: form.cleaned_data[f.name] for f in record._meta.many_to_many if f.name in form.cleaned_data}
        rows, removed = [], []
        for formset in formsets:
            rows += formset.save(commit=False)
            removed += formset.deleted_objects
        support = form.support() if hasattr(form, "support") else None
        try:
            record_save(instance=record, m2m=m2m, rows=rows, removed=removed, support=support, user=request.user)
        except RecordInvalid as exc:
            # The form checked all this already; what is left (a row another curator changed meanwhile) is refused.
            raise PermissionDenied(f"Nothing was saved: {exc.errors}") from exc

    def delete_model(self, request, obj):
        try:
            record_delete(instance=obj)
        except RecordInUse as exc:
            raise PermissionDenied(str(exc)) from exc

    def delete_queryset(self, request, queryset):
        # One at a time through the service (the changelist's delete action would otherwise delete in bulk).
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def get_changelist_instance(self, request):
        # Filters the list cannot apply are the request's fault: a 400. Django's admin sends the browser to its
        # "database error" page (?e=1) instead, and fails outright on a year it cannot make a date of (the date
        # drill-down's 20-digit year or year 9999, the year filter's "abc").
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, OverflowError, ValueError) as exc:
            raise BadRequest("The list cannot be filtered by these parameters.") from exc

    def history_view(self, request, object_id, extra_context=None):
        key_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        key_or_404(self.model, object_id)
        key_or_404(self.model.history.model, version_id)
        # Remembered on the request (admins are shared between requests) for get_form below.
        request.history_version = self.model.history.filter(pk=version_id).first()
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        version = getattr(request, "history_version", None)
        m2m_fields = getattr(self.model.history.model, "_history_m2m_fields", [])
        if version is None or not m2m_fields:
            return form
        # The history library rebuilds a version's own columns but reads links (topics) from the live
        # record; offer the links as they were in that version instead.
        linked = {
            f.name: [getattr(row, f"{f.related_model._meta.model_name}_id") for row in getattr(version, f.name).all()]
            for f in m2m_fields
        }

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(linked)

        return RevertForm


class ClaimCountMixin:
    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, obj):
        return obj.source_count

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=Count("claims", distinct=True), source_count=Count("claims__source", distinct=True))
            # An aggregate drops the model's default ordering; keep it so pages (and autocomplete) are stable.
            .order_by(*(self.ordering or self.model._meta.ordering), "pk")
        )


class YearListFilter(admin.SimpleListFilter):
    """Year of the earliest possible date."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.filter(date_earliest__isnull=False).dates("date_earliest", "year")
        return [(d.year, d.year) for d in reversed(years)]

    def queryset(self, request, queryset):
        return queryset.filter(date_earliest__year=self.value()) if self.value() else queryset


class ClaimBySourceInline(admin.TabularInline):
    """On a source's page: every claim it backs."""

    model = Claim
    fk_name = "source"
    extra = 0
    fields = ("subject_type", "field", "value", "rank", "locator")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(SourceIngestMixin, SourceReliabilityMixin, ClaimCountMixin, CuratedAdmin):
    list_display = ("slug", "title", "kind", "reliability", "published_edtf", "claim_count")
    list_filter = ("reliability", "kind")
    search_fields = ("slug", "title", "outlet", "summary")
    readonly_fields = bounds_readonly("published")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = (ClaimBySourceInline,)
    # A curator's new source (an official statement, a judgement) is named for its title; articles loaded from
    # the seed keep their file's name.
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Agency)
class AgencyAdmin(ClaimCountMixin, CuratedAdmin):
    list_display = ("name", "short_name", "kind", "country", "claim_count")
    list_filter = ("kind", "country")
    search_fields = ("slug", "name", "short_name")
    # The short name, as the seed's slugs are (nasa, roscosmos, esa); the full name would make them long.
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = (TenureInline, claim_inline("agency"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Drawn only when the page is: not on a save that goes through.
        context["tenure_chart"] = agency_tenure_chart(obj) if obj is not None and obj.pk else None
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Person)
class PersonAdmin(ClaimCountMixin, CuratedAdmin):
    list_display = ("name", "native_name", "nationality", "claim_count")
    list_filter = ("nationality",)
    search_fields = ("slug", "name", "native_name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (TenureInline, claim_inline("person"))


@admin.register(Place)
class PlaceAdmin(ClaimCountMixin, CuratedAdmin):
    list_display = ("name", "kind", "country", "parent", "claim_count")
    list_filter = ("kind", "country")
    search_fields = ("slug", "name")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (claim_inline("place"),)


@admin.register(Topic)
class TopicAdmin(ClaimCountMixin, CuratedAdmin):
    list_display = ("name", "slug", "claim_count")
    search_fields = ("slug", "name", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (claim_inline("topic"),)


@admin.register(Tenure)
class TenureAdmin(ClaimCountMixin, CuratedAdmin):
    list_display = ("person", "agency", "title", "is_head", "is_acting", "start_edtf", "end_edtf", "claim_count")
    list_filter = ("is_head", "is_acting", "agency", "person__nationality")
    search_fields = ("slug", "person__name", "agency__name", "agency__short_name", "title")
    autocomplete_fields = ("person", "agency")
    list_select_related = ("person", "agency")
    readonly_fields = bounds_readonly("start", "end")
    form = TenureForm
    inlines = (claim_inline("tenure"),)


@admin.register(Meeting)
class MeetingAdmin(ClaimCountMixin, CuratedAdmin):
    list_display = ("title", "date_edtf", "status", "kind", "participant_names", "place", "source_count")
    list_filter = (
        "status",
        "kind",
        YearListFilter,
        ("participants__agency", admin.RelatedOnlyFieldListFilter),
        "format",
        "topics",
    )
    date_hierarchy = "date_earliest"
    search_fields = ("slug", "title", "summary", "participants__person__name")
    autocomplete_fields = ("place", "related_launch", "topics")
    list_select_related = ("place",)
    readonly_fields = bounds_readonly("date")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ParticipantInline, claim_inline("meeting"))

    @admin.display(description="participants")
    def participant_names(self, obj):
        return format_html_join(", ", "{}", ((p.person.name,) for p in obj.participants.all()))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("participants__person")


@admin.register(Launch)
class LaunchAdmin(ClaimCountMixin, CuratedAdmin):
    list_display = ("name", "date_edtf", "status", "operator", "site", "source_count")
    list_filter = ("status", YearListFilter, "operator")
    date_hierarchy = "date_earliest"
    search_fields = ("slug", "name", "vehicle", "spacecraft", "crew__person__name")
    autocomplete_fields = ("operator", "site", "destination")
    list_select_related = ("operator", "site")
    readonly_fields = bounds_readonly("date")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (CrewInline, claim_inline("launch"))


@admin.register(Participant)
class ParticipantAdmin(CuratedAdmin):
    list_display = ("person", "meeting", "agency", "tenure", "role")
    list_filter = ("agency",)
    search_fields = ("person__name", "meeting__title", "role")
    autocomplete_fields = ("meeting", "person", "agency", "tenure")
    list_select_related = ("person", "meeting", "agency", "tenure__person", "tenure__agency")


@admin.register(CrewMember)
class CrewMemberAdmin(CuratedAdmin):
    list_display = ("person", "launch", "agency", "role")
    list_filter = ("agency",)
    search_fields = ("person__name", "launch__name", "role")
    autocomplete_fields = ("launch", "person", "agency")
    list_select_related = ("person", "launch", "agency")


@admin.register(Claim)
class ClaimAdmin(ClaimCurationMixin, CuratedAdmin):
    # Narrow enough for a 1280 px screen beside the filters: long subjects and values are cut short (in full
    # on hover); the subject names its type, and the source column its paragraphs.
    list_display = ("subject_label", "field", "value_label", "rank", "source_label")
    list_filter = ("rank", "subject_type", "source__reliability", "source", "field")
    search_fields = ("value", "note", "field", "source__slug")
    autocomplete_fields = ("source", "agency", "person", "place", "topic", "tenure", "meeting", "launch")
    # The `subject` column names a tenure by its person and agency.
    list_select_related = (
        "source",
        "agency",
        "person",
        "place",
        "topic",
        "tenure__person",
        "tenure__agency",
        "meeting",
        "launch",
    )
    readonly_fields = ("value_earliest", "value_latest")

    @admin.display(description="subject", ordering="subject_type")
    def subject_label(self, obj):
        return clipped(f"{obj.subject_type}: {obj.subject}", 34)

    @admin.display(description="value", ordering="value")
    def value_label(self, obj):
        return clipped(obj.value, 24)

    @admin.display(description="source", ordering="source__slug")
    def source_label(self, obj):
        slug = obj.source.slug
        # An article's slug is its number and its text's hash: the number is what curators cite.
        short = match.group(1) if (match := ARTICLE_SLUG.match(slug)) else Truncator(slug).chars(14)
        where = f" ¶{obj.locator}" if obj.locator else ""
        return format_html('<span title="{} ({}{})">{}{}</span>', obj.source.title, slug, where, short, where)
