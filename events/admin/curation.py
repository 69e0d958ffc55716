"""Reviewing disagreements: the conflicts page, and actions that rank claims (and update records)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from events.claimfields import SUBJECT_TYPES
from events.selectors import conflict_entries, conflict_keys, records_resting_on_low_sources
from events.services.claims import claim_deprecate, claim_mark_preferred


def record_admin_url(record) -> str:
    return reverse(f"admin:events_{record._meta.model_name}_change", args=[record.pk])


def claims_review_url(subject_type: str, subject, field: str) -> str:
    query = {"subject_type__exact": subject_type, f"{subject_type}__id__exact": subject.pk, "field__exact": field}
    return f"{reverse('admin:events_claim_changelist')}?{urlencode(query)}"


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Why these claims are judged wrong.")


class ClaimCurationMixin:
    """For ClaimAdmin: the conflicts page and the ranking actions."""

    actions = ["mark_preferred", "deprecate"]

    def get_urls(self):
        conflicts = path("conflicts/", self.admin_site.admin_view(self.conflicts_view), name="events_claim_conflicts")
        return [conflicts, *super().get_urls()]

    def conflicts_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        resolved = {"open": False, "resolved": True}.get(request.GET.get("show", "open"))
        entries = conflict_entries(conflict_keys(resolved=resolved))
        rows = [
            {
                "entry": e,
                "record_url": record_admin_url(e.subject),
                "review_url": claims_review_url(e.subject_type, e.subject, e.field),
            }
            for e in entries
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Disagreements between sources",
            "rows": rows,
            "show": request.GET.get("show", "open"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/events/claim/conflicts.html", context)

    @admin.action(description="Mark as preferred (the record takes this value)", permissions=["change"])
    def mark_preferred(self, request, queryset):
        claims = list(queryset.select_related("source", *SUBJECT_TYPES))
        keys = {(c.subject_type, c.subject.pk, c.field) for c in claims}
        if len(keys) != len(claims):
            self.message_user(request, "Choose one claim per record and field.", messages.ERROR)
            return None
        # The record takes the claim's value: that is a change to the record, with its own permission.
        denied = sorted(
            {c.subject_type for c in claims if not request.user.has_perm(f"events.change_{c.subject_type}")}
        )
        if denied:
            self.message_user(
                request, f"Nothing changed: you may not change {', '.join(denied)} records.", messages.ERROR
            )
            return None
        try:
            with transaction.atomic():
                for claim in claims:
                    claim_mark_preferred(claim=claim)
        except ValidationError as exc:
            self.message_user(request, f"Nothing changed: {'; '.join(exc.messages)}", messages.ERROR)
            return None
        self.message_user(request, f"{len(claims)} claim(s) marked preferred; their records now hold their values.")
        return None

    @admin.action(description="Deprecate (judged wrong), with a reason", permissions=["change"])
    def deprecate(self, request, queryset):
        form = ReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            with transaction.atomic():
                for claim in queryset:
                    claim_deprecate(claim=claim, reason=form.cleaned_data["reason"])
            self.message_user(request, f"{queryset.count()} claim(s) deprecated.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Deprecate claims",
            "claims": queryset.select_related("source"),
            "form": form,
            "action": "deprecate",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/events/claim/deprecate.html", context)


class SourceReliabilityMixin:
    """For SourceAdmin: the records that rest only on sources rated low."""

    def get_urls(self):
        low = path("low-support/", self.admin_site.admin_view(self.low_support_view), name="events_source_low_support")
        return [low, *super().get_urls()]

    def low_support_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = [
            (subject_type, [(record, record_admin_url(record)) for record in records])
            for subject_type, records in records_resting_on_low_sources().items()
            if records
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Records resting only on sources rated low",
            "groups": groups,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/events/source/low_support.html", context)
