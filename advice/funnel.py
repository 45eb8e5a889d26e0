"""Where people stop, counted without tracking anyone.

Each page of the questionnaire is a stage: a question step, or the check page, which is
counted apart for people with a job and people between jobs, since the two follow different
routes. For each day and stage the database keeps two numbers: how many people were shown it
and how many answered it (for the check page: confirmed). Nothing else is stored.

A person counts once per stage, however often they reload, go back or change an answer:
their session remembers which counts it has made. Each answer costs one write, which counts
the question answered and the page it leads to as shown; starting counts the first question
as shown. A count that cannot be written (the table locked or missing) is left out, and the
page is served as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError, transaction
from django.db.models import Case, F, Max, Min, Sum, Value, When
from django.utils import timezone

from . import flow
from .charts import BarChart, bar_chart
from .factors import QUESTIONS, YES
from .flow import CHECK_STEP, FIRST_STEP, STEPS
from .models import QuestionCount

logger = logging.getLogger(__name__)

CHECK_EMPLOYED = "check"
CHECK_BETWEEN_JOBS = "check-between-jobs"
CHECK_STAGES = (CHECK_EMPLOYED, CHECK_BETWEEN_JOBS)
STAGES: tuple[str, ...] = (*(step.name for step in STEPS), *CHECK_STAGES)
SHOWN = "shown"
ANSWERED = "answered"


def stage_of(step: str, answers: Mapping[str, object]) -> str:
    """Return the stage a page is counted under: the step, or which check page."""
    if step != CHECK_STEP:
        return step
    return CHECK_EMPLOYED if answers.get("employed") == YES else CHECK_BETWEEN_JOBS


class _RowsMissing(Exception):
    """Today's rows are not there yet: the first count of the day creates them."""


def _add(day, counts: set[tuple[str, str]]) -> None:
    """Add one to each of ``counts`` ({(kind, stage)}) in ``day``'s rows, in one UPDATE."""
    stages = {stage for _, stage in counts}

    def increment(kind: str):
        whens = [When(stage=stage, then=Value(1)) for (k, stage) in counts if k == kind]
        return F(kind) + Case(*whens, default=Value(0)) if whens else F(kind)

    rows = QuestionCount.objects.filter(day=day, stage__in=stages)
    for _ in range(2):
        try:
            with transaction.atomic():
                updated = rows.update(shown=increment(SHOWN), answered=increment(ANSWERED))
                if updated != len(stages):
                    raise _RowsMissing  # undoes the rows that were there, then creates the rest
                return
        except _RowsMissing:
            QuestionCount.objects.bulk_create(
                [QuestionCount(day=day, stage=stage) for stage in STAGES], ignore_conflicts=True
            )
    raise DatabaseError("the day's question counts could not be created")


def count(
    counted: Iterable[str], *, shown: str | None = None, answered: str | None = None
) -> list[str]:
    """Count ``shown`` as shown and ``answered`` as answered today, each unless ``counted``
    (what this person's session has counted) has it; return what is counted now."""
    done = list(counted)
    new = {
        (kind, stage)
        for kind, stage in ((SHOWN, shown), (ANSWERED, answered))
        if stage is not None and f"{kind}:{stage}" not in done
    }
    if answered is not None and f"{SHOWN}:{answered}" not in done:
        new.add((SHOWN, answered))  # answered without being counted as shown: a bookmark
    if not new:
        return done
    try:
        _add(timezone.localdate(), new)
    except DatabaseError:
        logger.warning("question counts not written", exc_info=True)
        return done
    return done + sorted(f"{kind}:{stage}" for kind, stage in new)


# -- reading the counts, for the summary ---------------------------------------------------


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    shown: int
    answered: int
    asked_of_some: bool = False  # a question asked only on some of the routes of people with a job

    @property
    def stopped(self) -> int:
        return self.shown - self.answered

    @property
    def stopped_share(self) -> str:
        return f"{round(100 * self.stopped / self.shown)}%" if self.shown else "–"


@dataclass(frozen=True)
class Funnel:
    stages: tuple[Stage, ...]  # each question, then the check page, for people with a job
    between_jobs: Stage  # the check page of people between jobs
    started: int  # shown the first question
    confirmed: int  # with a job or between jobs
    chart: BarChart
    first: date | None  # the first and last day counted in the range
    last: date | None


# Questions asked on only some of the routes of people with a job: their base is smaller.
ASKED_OF_SOME = frozenset(
    step.name for step in STEPS if step.when not in (flow.ALWAYS, flow.IF_EMPLOYED)
)
LABELS = {
    **{step.name: QUESTIONS[step.fact].short_text for step in STEPS},
    CHECK_EMPLOYED: "Check your answers and confirm",
    CHECK_BETWEEN_JOBS: "Check your answers and confirm (between jobs)",
}


def funnel(first: date | None = None, last: date | None = None) -> Funnel:
    """Return the counts of the days from ``first`` to ``last`` (each end optional), summed
    per page, in one query."""
    rows = QuestionCount.objects.all()
    if first is not None:
        rows = rows.filter(day__gte=first)
    if last is not None:
        rows = rows.filter(day__lte=last)
    sums = rows.values("stage").annotate(
        shown=Sum("shown"), answered=Sum("answered"), first=Min("day"), last=Max("day")
    )
    summed = {row["stage"]: row for row in sums}
    stages = {
        key: Stage(
            key,
            LABELS[key],
            summed.get(key, {}).get("shown", 0),
            summed.get(key, {}).get("answered", 0),
            asked_of_some=key in ASKED_OF_SOME,
        )
        for key in STAGES
    }
    started = stages[FIRST_STEP].shown
    confirmed = stages[CHECK_EMPLOYED].answered + stages[CHECK_BETWEEN_JOBS].answered
    chart = bar_chart(
        [
            ("Started", [(started, "bar-funnel", "People")]),
            ("Confirmed", [(confirmed, "bar-funnel", "People")]),
        ]
    )
    return Funnel(
        stages=tuple(stages[key] for key in STAGES if key != CHECK_BETWEEN_JOBS),
        between_jobs=stages[CHECK_BETWEEN_JOBS],
        started=started,
        confirmed=confirmed,
        chart=chart,
        first=min((row["first"] for row in sums), default=None),
        last=max((row["last"] for row in sums), default=None),
    )
