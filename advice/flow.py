"""The questionnaire's flow: which steps are asked, in what order. Pure Python, no Django.

The steps and when each is asked are data here; the functions answer the questions the views
ask of them, always from the answers given so far, so the flow can be tested without a request
or a database. The questions themselves are in ``factors``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

from .factors import NO, QUESTIONS, UNSURE, YES

# When a step is asked: each named fact must have one of the answers listed beside it (a fact
# not answered yet has none). Steps are skipped otherwise.
Condition = tuple[tuple[str, frozenset[str]], ...]
ALWAYS: Condition = ()
IF_EMPLOYED: Condition = (("employed", frozenset({YES})),)
# Only worth asking when the person may not be able to keep it private.
IF_DISCOVERY_MATTERS: Condition = (
    *IF_EMPLOYED,
    ("can_interview_confidentially", frozenset({NO, UNSURE})),
)


@dataclass(frozen=True)
class Step:
    name: str  # in the page's address: /questions/<name>/
    fact: str  # the one question asked on the page, by its fact id
    when: Condition = IF_EMPLOYED


STEPS: tuple[Step, ...] = (
    Step("employment", "employed", when=ALWAYS),
    Step("approach", "approached_how"),
    Step("last-interview", "last_interviewed"),
    Step("job-security", "role_security"),
    Step("other-roles", "open_to_other_roles"),
    Step("negotiating", "would_negotiate"),
    Step("priorities", "priorities"),
    Step("confidentiality", "can_interview_confidentially"),
    Step("job-risk", "job_at_risk_if_discovered", when=IF_DISCOVERY_MATTERS),
    Step("agreement", "agreement_bars_employer"),
    Step("time-off", "time_off_puts_job_at_risk"),
)
CHECK_STEP = "check"

STEP_BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
STEP_FOR_FACT: dict[str, str] = {step.fact: step.name for step in STEPS}
FIRST_STEP: str = STEPS[0].name
# Every fact the questionnaire can ask, in the order it asks them.
FACTS_IN_ORDER: tuple[str, ...] = tuple(step.fact for step in STEPS)


def step_applies(step: Step, answers: Mapping[str, object]) -> bool:
    """Return whether ``step`` is asked, given the answers collected so far."""
    return all(answers.get(fact) in allowed for fact, allowed in step.when)


# The facts whose answers decide which steps are asked.
BRANCHING_FACTS: tuple[str, ...] = tuple(
    dict.fromkeys(fact for step in STEPS for fact, _ in step.when)
)


@dataclass(frozen=True)
class Progress:
    """Where a question lies on the person's route: its number, and the fewest and the most
    questions the route can have in all, given the answers before it."""

    number: int
    fewest: int
    most: int


def route_length(answers: Mapping[str, object]) -> tuple[int, int]:
    """Return the fewest and the most questions a route can have in all, given ``answers``:
    each branching fact not answered yet may still take any of its answers."""
    open_facts = [fact for fact in BRANCHING_FACTS if fact not in answers]
    lengths = {
        len(steps_asked({**answers, **dict(zip(open_facts, values, strict=True))}))
        for values in product(*(QUESTIONS[fact].values for fact in open_facts))
    }
    return min(lengths), max(lengths)


def progress(step: str, answers: Mapping[str, object]) -> Progress:
    """Return where ``step`` lies on the route, from the answers to the steps before it only:
    this question's answer and those after it may still change."""
    before = FACTS_IN_ORDER[: FACTS_IN_ORDER.index(STEP_BY_NAME[step].fact)]
    known = {fact: answers[fact] for fact in before if fact in answers}
    fewest, most = route_length(known)
    return Progress(steps_asked(known).index(step) + 1, fewest, most)


def clean_answers(stored: Mapping[str, object]) -> dict[str, object]:
    """Return the stored answers that the catalogue still accepts, one value per fact.

    A session may hold answers to a question that has since changed, or anything at all if it
    was tampered with; whatever is not a valid answer now counts as not answered.
    """
    answers: dict[str, object] = {}
    for fact, value in stored.items():
        question = QUESTIONS.get(fact)
        if question is None:
            continue
        if question.multiple:
            if isinstance(value, list) and set(value) <= set(question.values):
                answers[fact] = [v for v in question.values if v in value]
        elif isinstance(value, str) and value in question.values:
            answers[fact] = value
    return answers


def steps_asked(answers: Mapping[str, object]) -> list[str]:
    """Return the names of the question steps asked, given ``answers``, in order."""
    return [step.name for step in STEPS if step_applies(step, answers)]


def answers_asked(answers: Mapping[str, object]) -> dict[str, object]:
    """Return only the answers to questions that are asked, given the answers themselves."""
    asked = {STEP_BY_NAME[name].fact for name in steps_asked(answers)}
    return {fact: value for fact, value in answers.items() if fact in asked}


def first_unanswered(answers: Mapping[str, object]) -> str:
    """Return the first step asked and not answered yet, or the check page once all are."""
    for name in steps_asked(answers):
        if STEP_BY_NAME[name].fact not in answers:
            return name
    return CHECK_STEP


def _order(answers: Mapping[str, object]) -> list[str]:
    return [*steps_asked(answers), CHECK_STEP]


def is_ahead(step: str, answers: Mapping[str, object]) -> bool:
    """Return whether ``step`` lies beyond the first unanswered step (so cannot be shown yet)."""
    order = _order(answers)
    return order.index(step) > order.index(first_unanswered(answers))


def next_step(step: str, answers: Mapping[str, object]) -> str:
    """Return the step after ``step``, given ``answers`` (which may have just changed it)."""
    order = _order(answers)
    return order[order.index(step) + 1]


def previous_step(step: str, answers: Mapping[str, object]) -> str | None:
    """Return the step before ``step``, or None for the first."""
    order = _order(answers)
    index = order.index(step)
    return order[index - 1] if index > 0 else None
