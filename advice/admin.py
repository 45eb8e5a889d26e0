"""The admin as HR staff use it: review saved assessments, export them, see the summary.

Nobody, superusers included, can add an assessment or change what a person answered or was
told; reviewers record a status and notes, and the admin stamps who reviewed and when.
"""

import re
from copy import copy
from functools import partial

# django-axes registers its admins here, before this module registers them again below:
# INSTALLED_APPS names this app before axes.
import axes.admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from interview_advisor.second_factor import second_factor_reset

from . import csv_export, downloads, funnel
from .admin_input import StrictInput
from .factors import EXCEPTION_IDS, FACTORS
from .filters import (
    LIST_PARAMETERS,
    AppliesFilter,
    DateRangeFilter,
    EmploymentFilter,
    ReasonFilter,
    ReviewFilter,
    RulesVersionFilter,
    UncertainFilter,
    described_filters,
    other_parameters,
)
from .models import Assessment, ExceptionState, ReviewStatus
from .rules import RULES_VERSION
from .services import assessments_delete, review_record
from .snapshot import answer_rows
from .summary import summarise

admin.site.site_header = "Interview Advisor"
admin.site.site_title = "Interview Advisor admin"
admin.site.index_title = "Administration"
# The sidebar holds one link for HR, and takes a fifth of a 1280-pixel screen from the list.
admin.site.enable_nav_sidebar = False

# A reference is the start of the token's SHA-256, in lower-case hex.
REFERENCE = re.compile(r"[0-9a-f]{1,64}")
# How much of a review's notes the list shows.
NOTES_EXCERPT = 60


@admin.register(Assessment)
class AssessmentAdmin(StrictInput, admin.ModelAdmin):
    list_display = (
        "reference",
        "review",
        "created_at",
        "verdict_badge",
        "reasons_to_pass",
        "employment",
        "notes",
    )
    list_filter = (
        ReviewFilter,
        DateRangeFilter,
        "verdict",
        AppliesFilter,
        UncertainFilter,
        ReasonFilter,
        EmploymentFilter,
        RulesVersionFilter,
    )
    search_fields = ("token_hash",)
    search_help_text = (
        "Search by the reference a person quotes from their result page, e.g. 3fa9c01b2e."
    )

    list_per_page = 50
    # Counting every assessment on each page view gets slow on a big table; the count of
    # the filtered list is enough to page through it.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # No bulk review: "reviewed" means someone read the assessment and saved its review.
    actions = ("download_selected",)
    fieldsets = (
        ("Review", {"fields": ("review_status", "review_notes", "reviewed_by", "reviewed_at")}),
    )
    readonly_fields = ("reviewed_by", "reviewed_at")
    radio_fields = {"review_status": admin.HORIZONTAL}

    class Media:
        css = {"all": ("admin_extra/hr.css",)}

    # -- permissions ----------------------------------------------------------------------

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # "Change" means recording a review: the only fields a form can change.
        return request.user.has_perm("advice.review_assessment")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    # -- the list -------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewed_by")

    def get_ordering(self, request):
        if ReviewFilter.chosen(request) == ReviewFilter.TO_REVIEW:
            # The queue comes oldest first: those reach the end of the retention period first.
            return ("created_at", "pk")
        return ("-created_at", "-pk")

    @admin.display(description="verdict", ordering="verdict")
    def verdict_badge(self, obj):
        return format_html(
            '<span class="hr-badge verdict-{}">{}</span>', obj.verdict, obj.get_verdict_display()
        )

    @admin.display(description="reasons to pass")
    def reasons_to_pass(self, obj):
        applies = [f for f in EXCEPTION_IDS if getattr(obj, f) == ExceptionState.APPLIES]
        uncertain = [f for f in EXCEPTION_IDS if getattr(obj, f) == ExceptionState.UNCERTAIN]
        parts = []
        if applies:
            parts.append(", ".join(FACTORS[f].label for f in applies))
        if uncertain:
            parts.append("not sure: " + ", ".join(FACTORS[f].label.lower() for f in uncertain))
        return "; ".join(parts) or "–"

    @admin.display(description="employment", ordering="employed")
    def employment(self, obj):
        return "Has a job" if obj.employed else "Between jobs"

    @admin.display(description="review", ordering="review_status")
    def review(self, obj):
        return format_html(
            '<span class="hr-badge review-{}">{}</span>',
            obj.review_status,
            obj.get_review_status_display(),
        )

    @admin.display(description="notes")
    def notes(self, obj):
        return Truncator(obj.review_notes).chars(NOTES_EXCERPT) or "–"

    def get_search_results(self, request, queryset, search_term):
        """Find assessments whose reference starts with the search term."""
        # A reference pasted from a result page may come as "Reference: 3fa9c 01b2e".
        term = re.sub(r"\s+", "", search_term).lower().removeprefix("reference:")
        if not term:
            return queryset, False
        if not REFERENCE.fullmatch(term):
            return queryset.none(), False
        # A range on the unique token_hash index: every hash starting with the term sorts
        # between the term and the term followed by "g", the first letter after hex digits.
        return queryset.filter(token_hash__gte=term, token_hash__lt=f"{term}g"), False

    def list_parameters(self, request):
        # The date range is a filter of its own, which StrictInput cannot name.
        return LIST_PARAMETERS

    def changelist_view(self, request, extra_context=None):
        # The summary and the CSV of this list, with its review filter named, as they count
        # everything by default.
        filters = self._filters(request)
        query = filters.urlencode()
        response = super().changelist_view(
            request,
            {
                "title": "Saved assessments",
                "summary_url": self._url("summary", query),
                "export_url": self._url("export", query),
                "export_ids_url": self._url("export_ids", query),
                "export_new_url": self._url("export_new", query),
                **(extra_context or {}),
            },
        )
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            last_id, downloaded_at = downloads.mark_of(request.user, downloads.filters_key(filters))
            # Never downloaded: all of the list is new, and the list has counted it already.
            new_count = (
                changelist.queryset.filter(pk__gt=last_id).count()
                if last_id
                else changelist.result_count
            )
            response.context_data.update(new_count=new_count, last_download=downloaded_at)
        return response

    # -- the record -----------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {"title": "Assessment", **(extra_context or {})}
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            shown = obj.shown or {}
            context.update(
                review_history=obj.review_records.all(),
                subtitle=f"Reference {obj.reference}",
                shown=shown,
                answer_rows=shown.get("answers") or answer_rows(obj.answers),
                current_rules_version=RULES_VERSION,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if {"review_status", "review_notes"} & set(form.changed_data):
            obj.record_review(reviewer=request.user)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # Every save of the review is kept, as saved: a later save adds, never replaces.
            review_record(assessment=obj, reviewer=request.user)

    # A superuser's deletion goes through the service, which deletes the review history
    # after the assessment (the database refuses it before); the admin's log of the deletion
    # stays until the purge.
    def delete_model(self, request, obj):
        assessments_delete(assessments=Assessment.objects.filter(pk=obj.pk), keep_log=True)

    def delete_queryset(self, request, queryset):
        assessments_delete(assessments=queryset, keep_log=True)

    def response_change(self, request, obj):
        """Say in plain words what was saved, then go back to the list or on to the next one."""
        self.message_user(request, f"Review saved for {obj.reference}.", messages.SUCCESS)
        preserved = self.get_preserved_filters(request)
        following = (
            self.next_to_review(request, after=obj) if "_review_next" in request.POST else None
        )
        if following is None:
            url = self._url("changelist")
        else:
            url = reverse("admin:advice_assessment_change", args=[following.pk])
        return redirect(
            add_preserved_filters({"preserved_filters": preserved, "opts": self.opts}, url)
        )

    def next_to_review(self, request, *, after):
        """Return the first assessment still to review in the list the reviewer came from."""
        query = QueryDict(self.get_preserved_filters(request)).get("_changelist_filters", "")
        listing = copy(request)
        listing.method, listing.GET = "GET", QueryDict(query, mutable=True)
        # Without a review filter, the list was the queue.
        listing.GET.setdefault(ReviewFilter.parameter_name, ReviewFilter.TO_REVIEW)
        try:
            queryset = self.get_changelist_instance(listing).queryset
        except IncorrectLookupParameters:
            return None
        return queryset.filter(review_status=ReviewStatus.NEW).exclude(pk=after.pk).first()

    def history_view(self, request, object_id, extra_context=None):
        # It names every reviewer and the minute of each change: superusers only, as the
        # change form's History link.
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    # -- actions --------------------------------------------------------------------------

    @admin.action(description="Download selected assessments (CSV)", permissions=["view"])
    def download_selected(self, request, queryset):
        return csv_export.csv_response(queryset)

    # -- extra pages ----------------------------------------------------------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("summary/", self.admin_site.admin_view(self.summary_view), name=f"{name}_summary"),
            path("export/", self.admin_site.admin_view(self.export_view), name=f"{name}_export"),
            path(
                "export/ids/",
                self.admin_site.admin_view(partial(self.export_view, in_words=False)),
                name=f"{name}_export_ids",
            ),
            path(
                "export/new/",
                self.admin_site.admin_view(self.export_new_view),
                name=f"{name}_export_new",
            ),
            *super().get_urls(),
        ]

    def _url(self, page: str, query: str = "") -> str:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{page}")
        return f"{url}?{query}" if query else url

    def _changelist_or_redirect(self, request):
        """Return the list as the request's filters and search select it, or a redirect."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            return self.get_changelist_instance(request), None
        except IncorrectLookupParameters:
            messages.warning(request, "Some filters were not understood, so they were removed.")
            return None, redirect(request.path)

    def export_view(self, request, *, in_words=True):
        """Stream the whole filtered list as CSV, in words or with the ids scripts read."""
        changelist, bad_filters = self._changelist_or_redirect(request)
        return bad_filters or csv_export.csv_response(changelist.queryset, in_words=in_words)

    def export_new_view(self, request):
        """Stream what was saved since this reviewer last did so with these filters. A POST
        only, from the list's button: it moves their mark, which no link from elsewhere may."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        changelist, bad_filters = self._changelist_or_redirect(request)
        if bad_filters:
            return bad_filters
        key = downloads.filters_key(self._filters(request))
        return csv_export.csv_response(
            downloads.download_new(changelist.queryset, request.user, key)
        )

    def _filters(self, request) -> QueryDict:
        """The list's filters as the request names them, with the review filter's default."""
        query = request.GET.copy()
        query.setdefault(ReviewFilter.parameter_name, ReviewFilter.chosen(request))
        return query

    def summary_view(self, request):
        """Show counts and charts for the assessments the list's filters select."""
        changelist, bad_filters = self._changelist_or_redirect(request)
        if bad_filters:
            return bad_filters
        date_range = next(s for s in changelist.filter_specs if isinstance(s, DateRangeFilter))
        query = request.GET.urlencode()
        context = {
            **self.admin_site.each_context(request),
            "title": "Summary of assessments",
            "opts": self.opts,
            "cl": changelist,
            "summary": summarise(changelist.queryset, until=date_range.dates.get("to")),
            "funnel": funnel.funnel(date_range.dates.get("from"), date_range.dates.get("to")),
            "date_range": date_range,
            "active_filters": described_filters(changelist),
            # The date form keeps the other filters and the search as they are.
            "hidden_fields": other_parameters(
                dict(request.GET.lists()), leave_out=DateRangeFilter.parameters
            ),
            "list_url": self._url("changelist", query),
            "export_url": self._url("export", query),
            "clear_url": self._url("summary"),
        }
        return TemplateResponse(request, "admin/advice/assessment/summary.html", context)


# -- the stock admins -------------------------------------------------------------------------
# Django's and django-axes' admins take any lookup on their models' fields; registered again,
# they take only what their own filters send, as the assessments' list does.


class UserAdmin(StrictInput, auth_admin.UserAdmin):
    actions = ["reset_second_factor"]

    @admin.action(
        description="Reset second factor (lost phone): set it up again at next login",
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor_reset(user=user)
        self.message_user(
            request,
            f"Reset the second factor of {len(queryset)} account(s); each sets it up again "
            "at its next login.",
            messages.SUCCESS,
        )


class GroupAdmin(StrictInput, auth_admin.GroupAdmin):
    pass


class AccessAttemptAdmin(StrictInput, axes.admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(StrictInput, axes.admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(StrictInput, axes.admin.AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (User, UserAdmin),
    (Group, GroupAdmin),
    # Registered unless AXES_ENABLE_ADMIN is off.
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)

# django-otp's device admins show a user's secret keys; a superuser resets a lost device from
# the user admin instead, or with `manage.py reset_second_factor`.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
