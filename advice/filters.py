"""The filters of the admin's list of assessments, which its summary and CSV share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.utils import formats, timezone
from django.utils.dateparse import parse_date

from .factors import EXCEPTION_IDS, FACTORS, REASON_IDS
from .models import REASON_COLUMNS, ExceptionState, ReviewStatus
from .rules import RULES_VERSION

# Said of any date the filter cannot use: a link could otherwise put its own words in the
# admin's warning bar.
BAD_DATE = "A date was not understood, so it was left out. Dates look like 2026-03-31."


def start_of_day(day: date) -> datetime:
    """Return the first moment of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def within_range(day: date) -> bool:
    """Return whether ``day`` and the day after it start at moments a datetime holds in UTC.

    Not so for 9999-12-31, which has no next day, nor for 0001-01-01 east of UTC, which
    starts in the year 0 there.
    """
    try:
        for moment in (start_of_day(day), start_of_day(day + timedelta(days=1))):
            moment.astimezone(UTC)
    except OverflowError:
        return False
    return True


def other_parameters(
    params: Mapping[str, list[str]], *, leave_out: Iterable[str]
) -> list[tuple[str, str]]:
    """Return the parameters but ``leave_out``, for a form that keeps them as they are."""
    return [
        (name, value)
        for name, values in params.items()
        if name not in leave_out
        for value in values
    ]


def day_in_words(day: date) -> str:
    return formats.date_format(day, "j M Y")


class ChoiceFilter(admin.SimpleListFilter):
    """Filter by one choice of a short list; a value that is not on the list selects nothing."""

    def lookup(self, value: str) -> dict:
        """Return the queryset filter for ``value``, one of the choices."""
        raise NotImplementedError

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in dict(self.lookup_choices):
            return queryset.none()
        return queryset.filter(**self.lookup(value))


class ExceptionFilter(ChoiceFilter):
    """Filter by one exception in a given state."""

    state = ExceptionState.APPLIES

    def lookups(self, request, model_admin):
        return [(exception, FACTORS[exception].label) for exception in EXCEPTION_IDS]

    def lookup(self, value):
        return {value: self.state}


class AppliesFilter(ExceptionFilter):
    title = "reason to pass that applied"
    parameter_name = "applies"


class UncertainFilter(ExceptionFilter):
    title = "reason to pass they were unsure about"
    parameter_name = "uncertain"
    state = ExceptionState.UNCERTAIN


class ReasonFilter(ChoiceFilter):
    title = "reason to go cited"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [(reason, FACTORS[reason].label) for reason in REASON_IDS]

    def lookup(self, value):
        return {REASON_COLUMNS[value]: True}


class EmploymentFilter(ChoiceFilter):
    title = "employment"
    parameter_name = "employed"

    def lookups(self, request, model_admin):
        return [("yes", "Has a job"), ("no", "Between jobs")]

    def lookup(self, value):
        return {"employed": value == "yes"}


class ReviewFilter(admin.SimpleListFilter):
    """Filter by review status. The list opens on those still to review; the summary and the
    CSV, opened on their own, count every assessment."""

    title = "review"
    parameter_name = "review"
    TO_REVIEW, REVIEWED, ALL = "new", "reviewed", "all"

    @classmethod
    def chosen(cls, request) -> str:
        """Return what ``request`` asks for, or the default of the page it is for."""
        value = request.GET.get(cls.parameter_name)
        if value in (cls.TO_REVIEW, cls.REVIEWED, cls.ALL):
            return value
        page = request.resolver_match and request.resolver_match.url_name
        return cls.TO_REVIEW if page and page.endswith("_changelist") else cls.ALL

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.chosen_value = self.chosen(request)

    def lookups(self, request, model_admin):
        return [(self.TO_REVIEW, "To review"), (self.REVIEWED, "Reviewed"), (self.ALL, "All")]

    def value(self):
        return self.chosen_value

    def choices(self, changelist):
        # Each choice is named in the address, as leaving it out means the page's default.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        status = ReviewStatus.REVIEWED if self.value() == self.REVIEWED else ReviewStatus.NEW
        return queryset.filter(review_status=status)


class RulesVersionFilter(admin.SimpleListFilter):
    """Tell results of today's rules from those saved under earlier ones, which stay shown."""

    title = "rules version"
    parameter_name = "rules"

    def lookups(self, request, model_admin):
        return [("current", f"Current rules ({RULES_VERSION})"), ("earlier", "Earlier rules")]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(rules_version=RULES_VERSION)
        if self.value() == "earlier":
            return queryset.exclude(rules_version=RULES_VERSION)
        return queryset


class DateRangeFilter(admin.ListFilter):
    """Filter by the day an assessment was saved: from one date to another, both included."""

    title = "date saved"
    template = "admin/advice/assessment/date_range_filter.html"
    parameters = ("from", "to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.dates: dict[str, date] = {}
        for name in self.parameters:
            raw = params.pop(name, [""])[-1].strip()
            if not raw:
                continue
            try:
                parsed = parse_date(raw)
            except ValueError:  # the form of a date, but not a day of the calendar
                parsed = None
            if parsed is None or not within_range(parsed):
                messages.warning(request, BAD_DATE)
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
        """Return the range in words, e.g. "from 1 Mar 2026", or "" if there is none."""
        start, end = self.dates.get("from"), self.dates.get("to")
        if start and end:
            return f"{day_in_words(start)} to {day_in_words(end)}"
        if start:
            return f"from {day_in_words(start)}"
        if end:
            return f"up to {day_in_words(end)}"
        return ""

    def choices(self, changelist):
        other = other_parameters(changelist.get_filters_params(), leave_out=self.parameters)
        yield {
            "from": self.dates.get("from", ""),
            "to": self.dates.get("to", ""),
            "other": other,
            "active": bool(self.dates),
            "clear_url": changelist.get_query_string(remove=list(self.parameters)),
        }


# Every query parameter the list's filters send (the search, order and page are Django's own
# and never reach lookup_allowed).
LIST_PARAMETERS = frozenset(
    {
        *DateRangeFilter.parameters,
        "verdict__exact",
        AppliesFilter.parameter_name,
        UncertainFilter.parameter_name,
        ReasonFilter.parameter_name,
        EmploymentFilter.parameter_name,
        ReviewFilter.parameter_name,
        RulesVersionFilter.parameter_name,
    }
)


def described_filters(changelist: ChangeList) -> list[tuple[str, str]]:
    """Return (filter, choice) pairs in words for every filter the list applies."""
    described = []
    for spec in changelist.filter_specs:
        if isinstance(spec, DateRangeFilter):
            if spec.dates:
                described.append(("Date saved", spec.describe()))
            continue
        for choice in spec.choices(changelist):
            if choice.get("selected") and str(choice["display"]) != "All":
                described.append((spec.title.capitalize(), str(choice["display"])))
    if changelist.query:
        described.append(("Reference starts with", changelist.query))
    return described
