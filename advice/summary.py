"""The HR summary: counts of a filtered set of assessments, and the charts that show them.

Every number comes from two aggregate queries over the rows the list's filters select, which
read the narrow index on the verdict columns rather than the rows. The chart geometry is worked
out here and drawn by the template as plain SVG.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Q, QuerySet, Value
from django.http import QueryDict
from django.utils import formats, timezone

from .factors import EXCEPTION_IDS, FACTORS, REASON_IDS
from .filters import DateRangeFilter, start_of_day
from .models import (
    PRIORITY_COLUMNS,
    REASON_COLUMNS,
    ExceptionState,
    ReviewStatus,
    Verdict,
)

# The two states of a reason to pass that the summary counts, by the suffix of their count.
EXCEPTION_STATES = {"applies": ExceptionState.APPLIES, "uncertain": ExceptionState.UNCERTAIN}

# The weekly chart covers at most this many weeks, ending with the latest one in range.
MAX_WEEKS = 26

# Chart geometry, in SVG viewBox units.
CHART_WIDTH = 640
LABEL_WIDTH = 190
VALUE_SPACE = 70
BAR_HEIGHT = 20
BAR_GAP = 4
GROUP_GAP = 14
COLUMN_CHART_HEIGHT = 220
COLUMN_AREA_TOP = 20
COLUMN_AREA_BOTTOM = 180
AXIS_WIDTH = 40
RIGHT_MARGIN = 24  # room for the last week's label, centred under its column


@dataclass(frozen=True)
class Bar:
    value: int
    css_class: str
    series: str  # what the bar counts, for the legend
    y: int
    length: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.72

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.length + 6


@dataclass(frozen=True)
class BarGroup:
    label: str
    bars: tuple[Bar, ...]

    @property
    def label_y(self) -> float:
        return self.bars[0].y + (len(self.bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP) / 2 + 5


@dataclass(frozen=True)
class BarChart:
    groups: tuple[BarGroup, ...]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(groups: list[tuple[str, list[tuple[int, str, str]]]]) -> BarChart:
    """Lay out horizontal bars: ``groups`` is [(label, [(value, css_class, series), ...])].

    Every bar is scaled against the largest value, so bars of one chart compare directly.
    """
    largest = max((value for _, bars in groups for value, _, _ in bars), default=0)
    scale = (CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE) / largest if largest else 0
    laid_out = []
    y = 0
    for label, bars in groups:
        group_bars = []
        for value, css_class, series in bars:
            group_bars.append(Bar(value, css_class, series, y, round(value * scale, 1)))
            y += BAR_HEIGHT + BAR_GAP
        laid_out.append(BarGroup(label, tuple(group_bars)))
        y += GROUP_GAP - BAR_GAP
    return BarChart(tuple(laid_out), height=max(y - GROUP_GAP + BAR_GAP, 0))


@dataclass(frozen=True)
class Column:
    week: date
    value: int
    x: float
    y: float
    height: float
    label: str  # the axis label, empty where it would crowd its neighbours
    label_x: float


@dataclass(frozen=True)
class ColumnChart:
    columns: tuple[Column, ...]
    column_width: float
    largest: int
    width: int = CHART_WIDTH
    height: int = COLUMN_CHART_HEIGHT
    axis_x: int = AXIS_WIDTH
    top: int = COLUMN_AREA_TOP
    baseline: int = COLUMN_AREA_BOTTOM

    @property
    def label_y(self) -> int:
        return self.baseline + 18

    @property
    def top_label_y(self) -> int:
        return self.top + 4

    @property
    def baseline_label_y(self) -> int:
        return self.baseline + 4


def column_chart(weeks: list[tuple[date, int]]) -> ColumnChart:
    """Lay out one column per week, tallest against the top; label about eight of them."""
    largest = max((value for _, value in weeks), default=0)
    slot = (CHART_WIDTH - AXIS_WIDTH - RIGHT_MARGIN) / max(len(weeks), 1)
    area = COLUMN_AREA_BOTTOM - COLUMN_AREA_TOP
    every = max(1, -(-len(weeks) // 8))  # ceiling division
    columns = []
    for i, (week, value) in enumerate(weeks):
        height = round(area * value / largest, 1) if largest else 0
        columns.append(
            Column(
                week=week,
                value=value,
                x=round(AXIS_WIDTH + i * slot + slot * 0.15, 1),
                y=round(COLUMN_AREA_BOTTOM - height, 1),
                height=height,
                label=formats.date_format(week, "j M") if i % every == 0 else "",
                label_x=round(AXIS_WIDTH + i * slot + slot / 2, 1),
            )
        )
    return ColumnChart(tuple(columns), column_width=round(slot * 0.7, 1), largest=largest)


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: str  # of the people with a job, e.g. "42%"
    key: str = ""


@dataclass(frozen=True)
class ExceptionRow:
    key: str
    label: str
    applies: int
    uncertain: int
    applies_share: str
    uncertain_share: str


@dataclass(frozen=True)
class Summary:
    total: int
    reviewed: int
    employed: int
    verdicts: tuple[Row, ...]
    exceptions: tuple[ExceptionRow, ...]
    reasons: tuple[Row, ...]  # the reasons to go given to some of the people with a job
    reasons_for_everyone: tuple[str, ...]  # the labels of those given to all of them
    priorities: tuple[Row, ...]  # what matters most to the people with a job
    no_priority: int  # people with a job who chose none
    weeks: tuple[Row, ...]
    verdict_chart: BarChart
    exception_chart: BarChart
    reason_chart: BarChart
    priority_chart: BarChart
    week_chart: ColumnChart
    first: date | None  # the days of the first and last assessment counted
    last: date | None

    @property
    def to_review(self) -> int:
        return self.total - self.reviewed

    @property
    def no_priority_share(self) -> str:
        return share(self.no_priority, self.employed)

    @property
    def between_jobs(self) -> int:
        """Return how many people had no job: they are always told to go, and not asked more."""
        return self.total - self.employed


def share(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "–"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_starts(first: date, last: date) -> list[date]:
    """Return the Mondays of the weeks from ``first`` to ``last``: at most MAX_WEEKS, the latest."""
    end = monday(last)
    start = max(monday(first), end - timedelta(weeks=MAX_WEEKS - 1))
    return [start + timedelta(weeks=i) for i in range((end - start).days // 7 + 1)]


def count_expressions() -> dict[str, Count]:
    """Return the aggregate for each count of the summary but the weekly ones.

    Each counts created_at, which is never empty, rather than the id, so that PostgreSQL can
    count from the index alone: unlike SQLite's, its indexes hold no id unless named.
    """
    counts = {
        "total": Count("created_at"),
        "reviewed": Count("created_at", filter=Q(review_status=ReviewStatus.REVIEWED)),
        "with_a_job": Count("created_at", filter=Q(employed=True)),
    }
    # People between jobs are always told to go: their verdicts would only dilute the rest.
    for verdict in Verdict.values:
        counts[f"verdict_{verdict}"] = Count("created_at", filter=Q(verdict=verdict, employed=True))
    for exception in EXCEPTION_IDS:
        for state, value in EXCEPTION_STATES.items():
            counts[f"{exception}_{state}"] = Count("created_at", filter=Q(**{exception: value}))
    for reason, column in REASON_COLUMNS.items():
        counts[f"reason_{reason}"] = Count("created_at", filter=Q(**{column: True}))
    for reason, column in PRIORITY_COLUMNS.items():
        counts[f"priority_{reason}"] = Count("created_at", filter=Q(**{column: True}))
    none_chosen = Q(employed=True, **dict.fromkeys(PRIORITY_COLUMNS.values(), False))
    counts["priority_none"] = Count("created_at", filter=none_chosen)
    return counts


def totals(queryset: QuerySet) -> dict:
    """Return every count of the summary but the weekly ones, in one aggregate query.

    ``first`` and ``last`` are the local days of the first and last assessment, or None:
    each is read from one end of the index on created_at, where a MIN and MAX beside the
    counts would cost a comparison more for every row.
    """
    counts = queryset.order_by().aggregate(**count_expressions())
    times = queryset.values_list("created_at", flat=True)
    for end, moment in (
        ("first", times.order_by("created_at").first()),
        ("last", times.order_by("-created_at").first()),
    ):
        counts[end] = moment and timezone.localdate(moment)
    return counts


def weekly(queryset: QuerySet, weeks: list[date]) -> list[int]:
    """Return how many of ``queryset`` were created in each week, in one query."""
    if not weeks:
        return []
    bounds = [start_of_day(week) for week in [*weeks, weeks[-1] + timedelta(weeks=1)]]
    # One count per week, joined by UNION ALL: each counts a range of the index on
    # created_at, where putting every row in its week first would cost a comparison per row
    # and week, and a date function per row on SQLite (ten times slower at 100,000 rows).
    per_week = [
        queryset.order_by()
        .filter(created_at__gte=start, created_at__lt=end)
        .annotate(week=Value(number))
        .values("week")
        .annotate(count=Count("created_at"))
        for number, (start, end) in enumerate(pairwise(bounds))
    ]
    counts = dict(per_week[0].union(*per_week[1:], all=True).values_list("week", "count"))
    return [counts.get(number, 0) for number in range(len(weeks))]


def summarise(queryset: QuerySet, *, until: date | None = None) -> Summary:
    """Return the summary of ``queryset``; the weekly chart ends with ``until`` or today."""
    counts = totals(queryset)
    weeks = chart_weeks(counts, until)
    return build_summary(counts, weeks, weekly(queryset, weeks))


def chart_weeks(counts: dict, until: date | None) -> list[date]:
    """Return the Mondays of the weekly chart, which ends with ``until`` or today."""
    if not counts["total"]:
        return []
    first, last = counts["first"], counts["last"]
    end = until or timezone.localdate()
    # Filters that point to the past (a year in the date hierarchy, say) move the chart back
    # to the weeks that have assessments in them.
    if last < end - timedelta(weeks=MAX_WEEKS):
        end = last
    return week_starts(max(first, end - timedelta(weeks=MAX_WEEKS)), end)


def build_summary(counts: dict, weeks: list[date], week_counts: list[int]) -> Summary:
    """Return the summary of ``counts`` (as ``totals()`` gives them) and the weekly counts.

    Every share is of the people with a job: only they are asked about reasons to pass, and
    only their verdicts depend on the answers.
    """
    total, employed = counts["total"], counts["with_a_job"]
    verdicts = tuple(
        Row(label, counts[f"verdict_{value}"], share(counts[f"verdict_{value}"], employed), value)
        for value, label in Verdict.choices
    )
    exceptions = tuple(
        ExceptionRow(
            key=exception,
            label=FACTORS[exception].label,
            applies=counts[f"{exception}_applies"],
            uncertain=counts[f"{exception}_uncertain"],
            applies_share=share(counts[f"{exception}_applies"], employed),
            uncertain_share=share(counts[f"{exception}_uncertain"], employed),
        )
        for exception in EXCEPTION_IDS
    )
    # A reason given to everyone with a job tells HR nothing as a bar: it is named instead.
    for_everyone = [r for r in REASON_IDS if employed and counts[f"reason_{r}"] == employed]

    def of_employed(column: str, reason: str) -> Row:
        count = counts[f"{column}_{reason}"]
        return Row(FACTORS[reason].label, count, share(count, employed), reason)

    reasons = tuple(
        of_employed("reason", reason) for reason in REASON_IDS if reason not in for_everyone
    )
    priorities = tuple(of_employed("priority", reason) for reason in PRIORITY_COLUMNS)
    week_rows = tuple(
        Row(formats.date_format(week, "j M Y"), count, share(count, total), week.isoformat())
        for week, count in zip(weeks, week_counts, strict=True)
    )
    return Summary(
        total=total,
        reviewed=counts["reviewed"],
        employed=employed,
        verdicts=verdicts,
        exceptions=exceptions,
        reasons=reasons,
        reasons_for_everyone=tuple(FACTORS[reason].label for reason in for_everyone),
        priorities=priorities,
        no_priority=counts["priority_none"],
        weeks=week_rows,
        verdict_chart=bar_chart(
            [(row.label, [(row.count, f"bar-{row.key}", "Assessments")]) for row in verdicts]
        ),
        exception_chart=bar_chart(
            [
                (
                    row.label,
                    [
                        (row.applies, "bar-applies", "Applies"),
                        (row.uncertain, "bar-uncertain", "Not sure"),
                    ],
                )
                for row in exceptions
            ]
        ),
        reason_chart=bar_chart(
            [(row.label, [(row.count, "bar-reason", "Cited")]) for row in reasons]
        ),
        priority_chart=bar_chart(
            [(row.label, [(row.count, "bar-priority", "Matters most")]) for row in priorities]
        ),
        week_chart=column_chart(list(zip(weeks, week_counts, strict=True))),
        first=counts["first"],
        last=counts["last"],
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


def other_parameters(query: QueryDict, leave_out: Iterable[str]) -> list[tuple[str, str]]:
    """Return the query's parameters but ``leave_out``, for a form that keeps them as they are."""
    return [
        (name, value) for name, values in query.lists() if name not in leave_out for value in values
    ]
