"""The HR summary: counts of a filtered set of assessments.

Every number comes from two aggregate queries over the rows the list's filters select, which
read the narrow index on the verdict columns rather than the rows. The charts that show them
are laid out by ``charts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.db.models import Count, Q, QuerySet, Value
from django.utils import formats, timezone

from .charts import BarChart, ColumnChart, bar_chart, column_chart
from .factors import EXCEPTION_IDS, FACTORS, REASON_IDS
from .filters import start_of_day
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
    # A date range that ends in the past moves the chart back to the weeks that have
    # assessments in them.
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
