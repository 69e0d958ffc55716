"""Admin for ingestion: add a source from its article's text, and the review queue of the candidate claims found in
it (accept, edit then accept, or reject; one by one or in bulk), every decision made through the ingestion services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from events.admin.support import clipped
from events.articles import ARTICLE_MAX_CHARS, UPLOAD_MAX_BYTES, article_text_checked, article_text_from_file
from events.models import Candidate, Claim, Source
from events.review import candidate_record
from events.services.ingest import (
    candidate_accept,
    candidate_reject,
    candidate_revise,
    candidates_review,
    source_ingest,
)

DECISIONS = [("", "decide later"), ("accept", "accept"), ("reject", "reject")]


class ArticleForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        required=False,
        max_length=ARTICLE_MAX_CHARS,
        strip=False,
        help_text="Paste the article: one paragraph a line.",
    )
    file = forms.FileField(
        required=False, help_text=f"Or upload it: a .txt or .html file, at most {UPLOAD_MAX_BYTES:,} bytes."
    )
    published = forms.DateField(
        required=False, help_text="YYYY-MM-DD. Needed only when the text does not state its own date."
    )
    title = forms.CharField(max_length=300, required=False, help_text="Default: the text's first line.")
    outlet = forms.CharField(max_length=200, required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    kind = forms.ChoiceField(choices=[c for c in Source.Kind.choices if c[0] != Source.Kind.JUDGEMENT])

    def clean(self):
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        if bool(text.strip()) == bool(upload):
            raise ValidationError("Paste the text or upload a file (one of them).")
        try:
            if upload:
                data["article"] = article_text_from_file(name=upload.name, content=upload.read())
            else:
                data["article"] = article_text_checked(text)
        except ValidationError as exc:
            self.add_error("file" if upload else "text", exc)
        return data


class SourceIngestMixin:
    """For SourceAdmin: a page that makes a source of an article's text and proposes its candidate claims."""

    def get_urls(self):
        ingest = path("ingest/", self.admin_site.admin_view(self.ingest_view), name="events_source_ingest")
        return [ingest, *super().get_urls()]

    def ingest_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                source, candidates = source_ingest(
                    text=data["article"],
                    published=data["published"],
                    title=data["title"],
                    outlet=data["outlet"],
                    url=data["url"],
                    kind=data["kind"],
                )
            except ValidationError as exc:
                for field, problems in (
                    exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
                ):
                    form.add_error(field if field in form.fields else None, problems)
            else:
                self.message_user(
                    request,
                    f"Added {source.slug}: {len(candidates)} candidate claims wait for review.",
                    messages.SUCCESS,
                )
                queue = reverse("admin:events_candidate_changelist")
                return HttpResponseRedirect(f"{queue}?source__id__exact={source.pk}&status__exact=pending")
        context = {
            **self.admin_site.each_context(request),
            "title": "Add a source from its article",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/events/source/ingest.html", context)


class CandidateReviewForm(forms.ModelForm):
    """A candidate's value may be corrected before it is accepted; the decision is taken through the services."""

    decision = forms.ChoiceField(choices=DECISIONS, required=False, widget=forms.RadioSelect)
    rank = forms.ChoiceField(
        choices=[("", "as the record stands (preferred where it holds no value yet)"), *Claim.Rank.choices[:2]],
        required=False,
        help_text="The accepted claim's rank.",
    )

    class Meta:
        model = Candidate
        fields = ("value", "note")


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    """The review queue: candidates grouped by the record they are about (known or proposed), then by field."""

    form = CandidateReviewForm

    class Media:
        css = {"all": ("events/admin/curation.css",)}

    list_display = (
        "record",
        "field",
        "value",
        "locator",
        "sentence_short",
        "confidence_shown",
        "relation_shown",
        "status_shown",
    )
    list_filter = ("status", "relation", "is_new", "subject_type", ("source", admin.RelatedOnlyFieldListFilter))
    search_fields = ("subject_name", "subject_slug", "value", "sentence")
    ordering = ("source", "subject_type", "subject_slug", "field", "pk")
    list_per_page = 200
    actions = ("accept_selected", "reject_selected")
    readonly_fields = (
        "source",
        "record",
        "field",
        "wording",
        "locator",
        "sentence",
        "confidence",
        "relation",
        "status",
        "claim",
        "reviewed_by",
        "reviewed_at",
    )
    fieldsets = (
        (None, {"fields": ("source", "record", "field", "sentence", "locator", "wording", "confidence", "relation")}),
        ("Decision", {"fields": ("value", "decision", "rank", "note")}),
        ("Decided", {"fields": ("status", "claim", "reviewed_by", "reviewed_at")}),
    )

    @admin.display(description="record", ordering="subject_slug")
    def record(self, obj):
        if obj.is_new:
            return format_html("{} <strong>{}</strong> <em>(new)</em>", obj.subject_type, obj.subject_name)
        return format_html("{} <strong>{}</strong>", obj.subject_type, obj.subject_name)

    @admin.display(description="sentence")
    def sentence_short(self, obj):
        return clipped(obj.sentence, 80)  # the whole of it on hover, and on the candidate's page

    @admin.display(description="status", ordering="status")
    def status_shown(self, obj):
        return format_html('<span title="{}">{}</span>', obj.get_status_display(), obj.status)

    @admin.display(description="relation", ordering="relation")
    def relation_shown(self, obj):
        return format_html('<span title="{}">{}</span>', obj.get_relation_display(), obj.relation)

    @admin.display(description="conf.", ordering="confidence")
    def confidence_shown(self, obj):
        return f"{obj.confidence:.2f}"

    def has_add_permission(self, request):
        return False  # candidates come from an article

    def has_delete_permission(self, request, obj=None):
        return False  # a decision stays on record

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Candidate.Status.PENDING:
            return (*self.readonly_fields, "value", "note")
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and obj.status != Candidate.Status.PENDING:
            form.base_fields.pop("decision", None)
            form.base_fields.pop("rank", None)
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.status != Candidate.Status.PENDING:
            return (
                (None, self.fieldsets[0][1]),
                ("Decided", {"fields": ("value", "note", "status", "claim", "reviewed_by", "reviewed_at")}),
            )
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        """Through the services only: accepting makes the claim (the value as edited), rejecting keeps the note."""
        decision = form.cleaned_data.get("decision")
        stored = Candidate.objects.get(pk=obj.pk)
        try:
            if decision == "accept":
                candidate_accept(
                    candidate=stored, user=request.user, value=obj.value, rank=form.cleaned_data.get("rank") or None
                )
            elif decision == "reject":
                candidate_reject(candidate=stored, user=request.user, reason=obj.note)
            else:  # decided later: the edit is kept meanwhile
                candidate_revise(candidate=stored, user=request.user, value=obj.value, note=obj.note)
        except ValidationError as exc:
            raise PermissionDenied(f"Nothing was saved: {' '.join(exc.messages)}") from exc

    def save_related(self, request, form, formsets, change):
        pass  # a candidate has no related rows; save_model did all

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PermissionDenied as exc:
            if request.method != "POST":
                raise
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_change(self, request, obj):
        obj.refresh_from_db()
        if obj.status == Candidate.Status.ACCEPTED and obj.claim_id:
            record = candidate_record(obj)
            self.message_user(request, f"Accepted: {obj.claim} is now a claim about {record}.", messages.SUCCESS)
        return super().response_change(request, obj)

    def _review(self, request, queryset, *, accept: bool):
        done, refused = candidates_review(candidates=list(queryset.pending()), user=request.user, accept=accept)
        verb = "Accepted" if accept else "Rejected"
        if done:
            self.message_user(request, f"{verb} {len(done)} candidates.", messages.SUCCESS)
        for candidate, problems in refused.items():
            self.message_user(request, f"Not {verb.lower()}: {candidate}: {' '.join(problems)}", messages.ERROR)

    @admin.action(description="Accept the selected candidates", permissions=["change"])
    def accept_selected(self, request, queryset):
        self._review(request, queryset, accept=True)

    @admin.action(description="Reject the selected candidates", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._review(request, queryset, accept=False)
