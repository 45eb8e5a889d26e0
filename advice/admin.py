"""The admin as HR staff use it: review saved assessments, export them, see the summary.

Nobody, superusers included, can add an assessment or change what a person answered or was
told; reviewers record a status and notes, and the admin stamps who reviewed and when.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ORDER_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.text import capfirst

from . import csv_export
from .factors import EXCEPTION_IDS, REASON_IDS
from .models import (
    FACTOR_LABELS,
    REASON_COLUMNS,
    Assessment,
    ExceptionState,
)
from .rules import RULES_VERSION
from .services import assessment_save_review, assessments_delete
from .snapshot import answer_rows
from .summary import summarise, summarise_days

admin.site.site_header = "Interview Advisor"
admin.site.site_title = "Interview Advisor admin"
admin.site.index_title = "Administration"

# A reference is the start of the token's SHA-256, in lower-case hex.
REFERENCE = re.compile(r"[0-9a-f]{1,64}")


class ExceptionFilter(admin.SimpleListFilter):
    """Filter by one exception in a given state, chosen from one short list."""

    state = ExceptionState.APPLIES

    def lookups(self, request, model_admin):
        return [(exception, FACTOR_LABELS[exception]) for exception in EXCEPTION_IDS]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in EXCEPTION_IDS:
            return queryset.none()
        return queryset.filter(**{value: self.state})


class AppliesFilter(ExceptionFilter):
    title = "reason to pass that applied"
    parameter_name = "applies"


class UnsureFilter(ExceptionFilter):
    title = "reason to pass they were unsure about"
    parameter_name = "unsure"
    state = ExceptionState.UNSURE


class ReasonFilter(admin.SimpleListFilter):
    title = "reason to go cited"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [(reason, FACTOR_LABELS[reason]) for reason in REASON_IDS]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in REASON_COLUMNS:
            return queryset.none()
        return queryset.filter(**{REASON_COLUMNS[value]: True})


class EmploymentFilter(admin.SimpleListFilter):
    title = "employment"
    parameter_name = "employed"

    def lookups(self, request, model_admin):
        return [("yes", "Has a job"), ("no", "Between jobs")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in ("yes", "no"):
            return queryset.none()
        return queryset.filter(employed=value == "yes")


class DateRangeFilter(admin.ListFilter):
    """Filter by the day an assessment was saved: from one date to another, both included."""

    title = "date saved"
    template = "admin/advice/assessment/date_range_filter.html"
    parameters = ("from", "to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.dates: dict[str, date] = {}
        for name in self.parameters:
            if name not in params:
                continue
            raw = params.pop(name)[-1].strip()
            if not raw:
                continue
            try:
                parsed = parse_date(raw)
            except ValueError:
                parsed = None
            if parsed is None:
                messages.warning(
                    request,
                    f"“{raw}” is not a date, so it was left out. Dates look like 2026-03-31.",
                )
                continue
            self.used_parameters[name] = raw
            self.dates[name] = parsed
        start, end = self.dates.get("from"), self.dates.get("to")
        if start and end and start > end:
            self.dates["from"], self.dates["to"] = end, start

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def queryset(self, request, queryset):
        if "from" in self.dates:
            queryset = queryset.filter(created_at__gte=start_of_day(self.dates["from"]))
        if "to" in self.dates:
            end = start_of_day(self.dates["to"] + timedelta(days=1))
            queryset = queryset.filter(created_at__lt=end)
        return queryset

    def describe(self) -> str:
        start, end = self.dates.get("from"), self.dates.get("to")
        if start and end:
            return f"{_day(start)} to {_day(end)}"
        if start:
            return f"from {_day(start)}"
        if end:
            return f"up to {_day(end)}"
        return ""

    def choices(self, changelist):
        other = [
            (name, value)
            for name, values in changelist.get_filters_params().items()
            if name not in self.parameters
            for value in values
        ]
        yield {
            "from": self.dates.get("from", ""),
            "to": self.dates.get("to", ""),
            "other": other,
            "active": bool(self.dates),
            "clear_url": changelist.get_query_string(remove=list(self.parameters)),
        }


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day(day: date) -> str:
    return formats.date_format(day, "j M Y")


# Every query parameter the list's filters and date links use (the search, order and page
# are Django's own and never reach lookup_allowed).
LIST_PARAMETERS = frozenset(
    {
        *DateRangeFilter.parameters,
        "recommendation__exact",
        AppliesFilter.parameter_name,
        UnsureFilter.parameter_name,
        ReasonFilter.parameter_name,
        EmploymentFilter.parameter_name,
        "review_status__exact",
        "created_at__year",
        "created_at__month",
        "created_at__day",
    }
)


class AssessmentList(ChangeList):
    """The admin's list: a date link that Django cannot read is left out, never a 500."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError, DisallowedModelAdminLookup) as error:
            # Django works out the end of a year or month in the date hierarchy outside its
            # own check, so the year 9999 would be a 500 rather than a filter left out. A
            # lookup refused by lookup_allowed is left out like any other it cannot read.
            raise IncorrectLookupParameters(error) from error


class FilteredList(AssessmentList):
    """The list's filters, search and order applied to a request, without fetching a page."""

    def get_results(self, request):
        self.result_count = self.full_result_count = None
        self.result_list = []


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "created_at",
        "verdict",
        "reasons_to_pass",
        "employment",
        "review",
    )
    list_filter = (
        DateRangeFilter,
        "recommendation",
        AppliesFilter,
        UnsureFilter,
        ReasonFilter,
        EmploymentFilter,
        "review_status",
    )
    date_hierarchy = "created_at"
    search_fields = ("token_hash",)
    search_help_text = (
        "Search by the reference a person quotes from their result page, e.g. 3fa9c01b2e."
    )
    list_per_page = 50
    # Counting every assessment on each page view gets slow on a big table; the count of
    # the filtered list is enough to page through it.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ("mark_reviewed", "download_selected")
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

    def get_changelist(self, request, **kwargs):
        return AssessmentList

    @admin.display(description="reference")
    def reference(self, obj):
        return obj.reference

    @admin.display(description="verdict", ordering="recommendation")
    def verdict(self, obj):
        return format_html(
            '<span class="hr-badge verdict-{}">{}</span>',
            obj.recommendation,
            obj.get_recommendation_display(),
        )

    @admin.display(description="reasons to pass")
    def reasons_to_pass(self, obj):
        applies = [f for f in EXCEPTION_IDS if getattr(obj, f) == ExceptionState.APPLIES]
        unsure = [f for f in EXCEPTION_IDS if getattr(obj, f) == ExceptionState.UNSURE]
        parts = []
        if applies:
            parts.append(", ".join(FACTOR_LABELS[f] for f in applies))
        if unsure:
            parts.append("not sure: " + ", ".join(FACTOR_LABELS[f].lower() for f in unsure))
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

    def lookup_allowed(self, lookup, value, request):
        """Allow only the parameters the list's own filters and date links send.

        Django would take any lookup on a field of the model (``answers__contains``,
        ``review_notes__regex``), failing on some with a 500 and running a reviewer's regular
        expression in the database. Anything else is left out like a filter the list cannot
        read (see AssessmentList), and so is a value holding a NUL byte, which PostgreSQL
        cannot compare text with.
        """
        return lookup in LIST_PARAMETERS and "\x00" not in value

    def get_search_results(self, request, queryset, search_term):
        """Find assessments whose reference starts with the search term."""
        term = search_term.strip().lower()
        if not term:
            return queryset, False
        if not REFERENCE.fullmatch(term):
            return queryset.none(), False
        # A range on the unique token_hash index: every hash starting with the term sorts
        # between the term and the term followed by "g", the first letter after hex digits.
        return queryset.filter(token_hash__gte=term, token_hash__lt=f"{term}g"), False

    def changelist_view(self, request, extra_context=None):
        if ERROR_FLAG in request.GET and set(request.GET) != {ERROR_FLAG}:
            # The admin marks a list address it has already corrected with e=1, and answers
            # a second bad one with a page about a broken database installation. Only a
            # hand-made address gets here: show the plain list instead.
            return redirect(f"{request.path}?{ERROR_FLAG}=1")
        query = request.GET.urlencode()
        response = super().changelist_view(
            request,
            {
                "title": "Saved assessments",
                "summary_url": self._url("summary", query),
                "export_url": self._url("export", query),
                **(extra_context or {}),
            },
        )
        context = getattr(response, "context_data", None) or {}
        if "cl" in context:
            context["date_drilldown"] = date_drilldown(context["cl"])
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
                subtitle=f"Reference {obj.reference}",
                shown=shown,
                answer_rows=shown.get("answers") or answer_rows(obj.answers),
                current_rules_version=RULES_VERSION,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if {"review_status", "review_notes"} & set(form.changed_data):
            obj.record_review(reviewer=request.user)
        assessment_save_review(assessment=obj)

    def delete_model(self, request, obj):
        assessments_delete(queryset=Assessment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        assessments_delete(queryset=queryset)

    # -- actions --------------------------------------------------------------------------

    def response_action(self, request, queryset):
        """Refuse a selection that is not a list of ids: Django's own code would give a 500."""
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                int(value)
        except ValueError:
            self.message_user(request, "The selection was not understood.", messages.WARNING)
            return None  # the changelist then redirects back to itself
        return super().response_action(request, queryset)

    @admin.action(description="Mark selected assessments as reviewed", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        selected = queryset.count()
        marked = queryset.mark_reviewed(reviewer=request.user)
        message = f"{marked} {_assessments(marked)} marked as reviewed."
        if selected > marked:
            already = selected - marked
            message += (
                f" {already} {_assessments(already)} had been reviewed already and kept "
                "their earlier review."
            )
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Download selected assessments (CSV)", permissions=["view"])
    def download_selected(self, request, queryset):
        return csv_export.csv_response(queryset, filename=_csv_filename())

    # -- extra pages ----------------------------------------------------------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "summary/",
                self.admin_site.admin_view(self.summary_view),
                name=f"{name}_summary",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name=f"{name}_export",
            ),
            *super().get_urls(),
        ]

    def _url(self, page: str, query: str = "") -> str:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{page}")
        return f"{url}?{query}" if query else url

    def filtered_list(self, request) -> FilteredList:
        """Return the list's filters and search as they apply to ``request``."""
        list_display = self.get_list_display(request)
        return FilteredList(
            request,
            self.model,
            list_display,
            self.get_list_display_links(request, list_display),
            self.get_list_filter(request),
            self.date_hierarchy,
            self.get_search_fields(request),
            self.get_list_select_related(request),
            self.list_per_page,
            self.list_max_show_all,
            self.list_editable,
            self,
            self.get_sortable_by(request),
            self.search_help_text,
        )

    def _filtered_or_redirect(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            return self.filtered_list(request), None
        except IncorrectLookupParameters:
            messages.warning(request, "Some filters were not understood, so they were removed.")
            return None, redirect(request.path)

    def export_view(self, request):
        """Stream the whole filtered list as CSV."""
        changelist, bad_filters = self._filtered_or_redirect(request)
        if bad_filters:
            return bad_filters
        return csv_export.csv_response(changelist.queryset, filename=_csv_filename())

    def summary_view(self, request):
        """Show counts and charts for the assessments the list's filters select."""
        changelist, bad_filters = self._filtered_or_redirect(request)
        if bad_filters:
            return bad_filters
        date_range = next(
            (spec for spec in changelist.filter_specs if isinstance(spec, DateRangeFilter)), None
        )
        until = date_range.dates.get("to")
        days = tallied_days(changelist, date_range)
        if days is None:
            summary = summarise(changelist.queryset, until=until)
        else:
            summary = summarise_days(*days, until=until)
        query = request.GET.urlencode()
        context = {
            **self.admin_site.each_context(request),
            "title": "Summary of assessments",
            "opts": self.opts,
            "cl": changelist,
            "summary": summary,
            "date_range": date_range,
            "active_filters": active_filters(changelist),
            # The date form keeps the other filters and the search as they are.
            "hidden_fields": [
                (name, value)
                for name, values in request.GET.lists()
                if name not in DateRangeFilter.parameters
                for value in values
            ],
            "list_url": self._url("changelist", query),
            "export_url": self._url("export", query),
            "clear_url": self._url("summary"),
        }
        return TemplateResponse(request, "admin/advice/assessment/summary.html", context)


def tallied_days(
    changelist: ChangeList, date_range: DateRangeFilter
) -> tuple[date | None, date | None] | None:
    """Return the first and last day the list is filtered to, if it is filtered only by date.

    The date range and the year, month or day links both count, and their days intersect;
    either end may be open. Any other filter, or a search, gives None: such a summary is
    counted row by row, as the tallies hold only whole days.
    """
    field = changelist.date_hierarchy
    year, month, day = (f"{field}__{part}" for part in ("year", "month", "day"))
    params = changelist.filter_params
    for name in params:
        harmless = (
            name in DateRangeFilter.parameters
            or name == ORDER_VAR
            or (name == SEARCH_VAR and not changelist.query.strip())
            # Without a year, Django reads a month or day as a filter on every year's.
            or (name in (year, month, day) and year in params)
        )
        if not harmless:
            return None
    first, last = date_range.dates.get("from"), date_range.dates.get("to")
    if year in params:
        # The same days as Django's own date hierarchy filter, which has already rejected
        # values that are not a date.
        try:
            start = date(
                int(params[year][-1]),
                int(params[month][-1]) if month in params else 1,
                int(params[day][-1]) if day in params else 1,
            )
            if day in params:
                end = start
            elif month in params:
                end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            else:
                end = start.replace(month=12, day=31)
        except (ValueError, OverflowError):
            return None
        first = max(first, start) if first else start
        last = min(last, end) if last else end
    return first, last


def date_drilldown(changelist: ChangeList) -> dict:
    """Return the list's year, month and day links, worked out from its first and last dates.

    Django's own date hierarchy finds the years, months or days that have assessments with a
    DISTINCT over a date function of every row, which takes most of a second on a large
    SQLite table. The first and last dates come from the index instead; a month or day
    between them with nothing in it simply leads to an empty list.
    """
    field = changelist.date_hierarchy
    year_field, month_field, day_field = (f"{field}__{part}" for part in ("year", "month", "day"))
    year = changelist.params.get(year_field)
    month = changelist.params.get(month_field) if year else None
    day = changelist.params.get(day_field) if month else None

    def link(filters):
        return changelist.get_query_string(filters, [f"{field}__"])

    if day:
        chosen = date(int(year), int(month), int(day))
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    bounds = changelist.queryset.aggregate(first=Min(field), last=Max(field))
    if bounds["first"] is None:
        return {"show": False}
    first, last = (timezone.localdate(bounds[end]) for end in ("first", "last"))
    # Like Django's, start one level down when everything falls in one year or month.
    if not year and first.year == last.year:
        year = str(first.year)
    if year and not month and (first.year, first.month) == (last.year, last.month):
        month = str(first.month)
    if month:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": year},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    if year:
        return {
            "show": True,
            "back": {"link": link({}), "title": "All dates"},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m}),
                    "title": capfirst(
                        formats.date_format(date(int(year), m, 1), "YEAR_MONTH_FORMAT")
                    ),
                }
                for m in range(first.month, last.month + 1)
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({year_field: str(y)}), "title": str(y)}
            for y in range(first.year, last.year + 1)
        ],
    }


def active_filters(changelist: ChangeList) -> list[tuple[str, str]]:
    """Return (filter, choice) pairs in words for every filter the request applies."""
    described = []
    for spec in changelist.filter_specs:
        if isinstance(spec, DateRangeFilter):
            if spec.dates:
                described.append(("Date saved", spec.describe()))
            continue
        for choice in list(spec.choices(changelist))[1:]:
            if choice.get("selected"):
                described.append((spec.title.capitalize(), str(choice["display"])))
    year = changelist.params.get("created_at__year")
    if year:
        month = changelist.params.get("created_at__month")
        day = changelist.params.get("created_at__day")
        described.append(("Saved in", " ".join(p for p in (day, _month(month), year) if p)))
    if changelist.query:
        described.append(("Reference starts with", changelist.query))
    return described


def _month(month: str | None) -> str:
    if not month:
        return ""
    try:
        return formats.date_format(date(2000, int(month), 1), "F")
    except ValueError:
        return month


def _assessments(count: int) -> str:
    return "assessment" if count == 1 else "assessments"


def _csv_filename() -> str:
    return f"assessments-{timezone.localdate().isoformat()}.csv"
