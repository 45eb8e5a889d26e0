"""Per-day counts of assessments for the HR summary, kept in step with every write.

A DailyTally row holds, for one day in settings.TIME_ZONE, the numbers that
``summary.totals()`` counts row by row. Each write changes the tallies in its own transaction:
``count_in`` after a create, ``count_out`` after a delete, ``count_review`` after a review
status changes. ``recount`` rebuilds them from the rows, for repairs
(``manage.py recount_tallies``) and for deletes of many rows at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .factors import EXCEPTION_IDS, REASON_IDS
from .models import (
    REASON_COLUMNS,
    Assessment,
    DailyTally,
    ExceptionState,
    Recommendation,
    ReviewStatus,
)

# The two states of a reason to pass that the summary counts, by the suffix of their column.
EXCEPTION_STATES = {"applies": ExceptionState.APPLIES, "unsure": ExceptionState.UNSURE}

# The counting columns of DailyTally, in the order of the summary's tables.
COLUMNS: tuple[str, ...] = (
    "total",
    "reviewed",
    "employed",
    *(f"verdict_{verdict}" for verdict in Recommendation.values),
    *(f"{exception}_{state}" for exception in EXCEPTION_IDS for state in EXCEPTION_STATES),
    *(f"reason_{reason}" for reason in REASON_IDS),
)

# The columns of an assessment that its day's tally is counted from.
SOURCE_FIELDS: tuple[str, ...] = (
    "created_at",
    "recommendation",
    "review_status",
    "employed",
    *EXCEPTION_IDS,
    *REASON_COLUMNS.values(),
)


def count_expressions() -> dict[str, Count]:
    """Return, for each tally column, the aggregate that counts it over assessment rows."""
    counts = {
        "total": Count("pk"),
        "reviewed": Count("pk", filter=Q(review_status=ReviewStatus.REVIEWED)),
        "employed": Count("pk", filter=Q(employed=True)),
    }
    for verdict in Recommendation.values:
        counts[f"verdict_{verdict}"] = Count("pk", filter=Q(recommendation=verdict))
    for exception in EXCEPTION_IDS:
        for state, value in EXCEPTION_STATES.items():
            counts[f"{exception}_{state}"] = Count("pk", filter=Q(**{exception: value}))
    for reason, column in REASON_COLUMNS.items():
        counts[f"reason_{reason}"] = Count("pk", filter=Q(**{column: True}))
    return counts


def tally_columns(assessment: Assessment) -> dict[str, int]:
    """Return what ``assessment`` adds to its day's tally: 1 in each column it counts in."""
    columns = {
        "total": 1,
        "reviewed": int(assessment.review_status == ReviewStatus.REVIEWED),
        "employed": int(assessment.employed),
    }
    for verdict in Recommendation.values:
        columns[f"verdict_{verdict}"] = int(assessment.recommendation == verdict)
    for exception in EXCEPTION_IDS:
        for state, value in EXCEPTION_STATES.items():
            columns[f"{exception}_{state}"] = int(getattr(assessment, exception) == value)
    for reason, column in REASON_COLUMNS.items():
        columns[f"reason_{reason}"] = int(getattr(assessment, column))
    return columns


def tally_day(moment: datetime) -> date:
    """Return the day that ``moment`` is tallied under: its date in settings.TIME_ZONE."""
    return timezone.localdate(moment, timezone.get_default_timezone())


def start_of(day: date) -> datetime:
    """Return the first moment of ``day`` in settings.TIME_ZONE."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def count_in(*assessments: Assessment) -> None:
    """Add ``assessments``, just saved, to their days' tallies, in the caller's transaction."""
    for day, counts in _per_day(assessments).items():
        if _change(day, counts):
            continue
        try:
            # The day's first assessment. In a savepoint, because another transaction may be
            # creating the same row: then this one waits for it and adds to it instead.
            with transaction.atomic():
                DailyTally.objects.create(day=day, **counts)
        except IntegrityError:
            _change(day, counts)


def count_out(*assessments: Assessment) -> None:
    """Take ``assessments``, just deleted, off their days' tallies, in the caller's transaction."""
    for day, counts in _per_day(assessments).items():
        _change_or_recount(day, {name: -count for name, count in counts.items()})


def count_review(created: Iterable[datetime], *, delta: int) -> None:
    """Add ``delta`` to the reviewed count of the day of each of the ``created`` times.

    Call it in the transaction that changed the review status of the assessments created at
    those times: with 1 for each one now reviewed, -1 for each one set back to new.
    """
    for day, count in Counter(tally_day(moment) for moment in created).items():
        _change_or_recount(day, {"reviewed": delta * count})


def recount(first_day: date | None = None, last_day: date | None = None) -> int:
    """Count the tallies of the days from ``first_day`` to ``last_day`` again from the rows.

    Either end may be left open; with neither, every day is recounted. A day in the range
    with no assessments loses its tally. Return how many days have assessments.
    """
    rows = Assessment.objects.order_by()
    tallies = DailyTally.objects.all()
    if first_day is not None:
        rows = rows.filter(created_at__gte=start_of(first_day))
        tallies = tallies.filter(day__gte=first_day)
    if last_day is not None:
        rows = rows.filter(created_at__lt=start_of(last_day + timedelta(days=1)))
        tallies = tallies.filter(day__lte=last_day)
    local_day = TruncDate("created_at", tzinfo=timezone.get_default_timezone())
    with transaction.atomic():
        # Delete before counting: on PostgreSQL the delete waits for any write still holding
        # one of these tallies, so the count below sees that write's row.
        tallies.delete()
        counted = rows.annotate(day=local_day).values("day").annotate(**count_expressions())
        made = DailyTally.objects.bulk_create(
            [DailyTally(**counts) for counts in counted], batch_size=500
        )
    return len(made)


def _per_day(assessments: Iterable[Assessment]) -> dict[date, dict[str, int]]:
    per_day: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for assessment in assessments:
        counts = per_day[tally_day(assessment.created_at)]
        for name, count in tally_columns(assessment).items():
            counts[name] += count
    return per_day


def _change(day: date, changes: dict[str, int]) -> bool:
    """Add ``changes`` to the day's tally in one UPDATE; return False if nothing was changed.

    Nothing is changed when the day has no tally yet, or when a count would go below zero.
    """
    changes = {name: change for name, change in changes.items() if change}
    if not changes:
        return True
    # Written out: through the ORM, resolving a dozen F() expressions cost more than the
    # UPDATE itself, and this runs in every save of the questionnaire. The column names come
    # from COLUMNS, never from input.
    using = router.db_for_write(DailyTally)
    connection = connections[using]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(name)} = {quote(name)} + %s" for name in changes)
    floors = "".join(f" AND {quote(name)} >= %s" for name, change in changes.items() if change < 0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(DailyTally._meta.db_table)} SET {assignments} "
            f"WHERE {quote('day')} = %s{floors}",
            [
                *changes.values(),
                connection.ops.adapt_datefield_value(day),
                *(-change for change in changes.values() if change < 0),
            ],
        )
        return cursor.rowcount > 0


def _change_or_recount(day: date, changes: dict[str, int]) -> None:
    if not _change(day, changes):
        # The tally was already out of step with the rows (rows copied in with SQL, say, and
        # not recounted). Count the day again rather than fail the write.
        recount(day, day)
