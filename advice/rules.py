"""The rule engine: answers in, verdict out. Pure Python, no Django.

It follows the reading of the article in docs/rules.md: an unemployed person is told to go;
an employed person is told to go unless an exception applies (``pass``) or may apply
(``caution``). The article's reasons to go are cited for every employed person, except those
the verdict or the person's answers contradict; the person's answers order them.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .factors import (
    CAUTION,
    EMPHASES,
    EXCEPTION_IDS,
    EXCEPTIONS,
    FACTORS,
    GO,
    NO,
    PASS,
    QUESTIONS,
    REASON_IDS,
    REASONS,
    RULED_OUT_BY,
    RULED_OUT_BY_EXCEPTION,
    UNSURE,
    YES,
    Answers,
    Emphasis,
    Factor,
    pick,
)

RULES_VERSION = "2026-12-03.1"

# The state of one exception for one person.
CLEAR = "clear"
APPLIES = "applies"
UNCERTAIN = "uncertain"

# How a sentence about a change ends, for the verdict the change leads to.
OUTCOMES = {
    GO: "the answer would be go",
    CAUTION: "the answer would be to check first",
    PASS: "the answer would be pass",
}
# The conditions of a change that concerns several exceptions at once.
NONE_APPLIED = "your answers gave no reason to say no"
ANY_TURNS_OUT = "any of the things you were unsure about turns out to be so"
ALL_CLEAR = "all the things you were unsure about turn out fine"


@dataclass(frozen=True)
class Change:
    """A change of answers that would change the verdict, and the verdict it would give."""

    alternatives: tuple[Answers, ...]  # any one of these sets of answers makes the change
    verdict: str
    text: str


@dataclass(frozen=True)
class Evaluation:
    """The verdict for one person's answers, and the factors it rests on."""

    verdict: str  # GO, CAUTION or PASS
    reasons: tuple[str, ...]  # reason ids (or "unemployed"), in display order
    exceptions: tuple[str, ...]  # exception ids that apply
    uncertain: tuple[str, ...]  # exception ids that may apply: what to verify
    what_would_change: tuple[Change, ...]
    priorities: tuple[str, ...] = ()  # reason ids the person said matter most
    # (reason id, note) for each cited reason that the person's answers make weigh more.
    emphasis: tuple[tuple[str, str], ...] = ()
    # (reason id, why) for each reason the person ticked that the result does not cite.
    unmet_priorities: tuple[tuple[str, str], ...] = ()

    @property
    def cited(self) -> tuple[str, ...]:
        """Return every factor id the result shows, exceptions first."""
        return (*self.exceptions, *self.uncertain, *self.reasons)


class InvalidAnswers(ValueError):
    """Raised when the answers cannot be evaluated (a missing or unknown value)."""


def _check(answers: Mapping[str, object]) -> None:
    for fact, value in answers.items():
        question = QUESTIONS.get(fact)
        if question is None:
            raise InvalidAnswers(f"unknown fact {fact!r}")
        values = value if question.multiple else (value,)
        if question.multiple and not isinstance(value, list | tuple):
            raise InvalidAnswers(f"{fact!r} takes a list of values")
        for v in values:
            if v not in question.values:
                raise InvalidAnswers(f"{v!r} is not an answer to {fact!r}")
    if answers.get("employed") not in (YES, NO):
        raise InvalidAnswers("'employed' must be answered yes or no")


def exception_state(exception: Factor, answers: Mapping[str, object]) -> str:
    """Return the state of ``exception`` for an employed person, from the answers that settle
    it in the catalogue: clear if any of its ``clears_when`` holds, applies if all of its
    ``applies_when`` does, uncertain otherwise. A missing answer counts as unsure."""

    def holds(pairs: Answers) -> bool:
        return all(answers.get(fact, UNSURE) == value for fact, value in pairs)

    if any(holds(pairs) for pairs in exception.clears_when):
        return CLEAR
    if holds(exception.applies_when):
        return APPLIES
    return UNCERTAIN


def exception_states(answers: Mapping[str, object]) -> dict[str, str]:
    """Return the state of each exception for an employed person."""
    return {exception.id: exception_state(exception, answers) for exception in EXCEPTIONS}


def verdict_for(states: Mapping[str, str]) -> str:
    """Return the verdict for the exceptions' states."""
    if APPLIES in states.values():
        return PASS
    if UNCERTAIN in states.values():
        return CAUTION
    return GO


def emphasis(answers: Mapping[str, object]) -> dict[str, tuple[Emphasis, ...]]:
    """Return, for each reason the person's answers make weigh more, the answers that do."""
    found: dict[str, tuple[Emphasis, ...]] = {}
    for rule in EMPHASES:
        if rule.note.fits(answers):
            found[rule.reason] = (*found.get(rule.reason, ()), rule)
    return found


def left_out(answers: Mapping[str, object], verdict: str, applies: tuple[str, ...]) -> dict:
    """Return the reasons to go not cited for an employed person, each with why.

    A reason is left out when its title presumes what the verdict contradicts (it costs little
    is true of a go only), when an exception that applies rules it out, or when the person's
    own answer does: they would not negotiate, or want no other job there, even if they ticked
    it as a priority.
    """
    why: dict[str, str] = {}
    for reason, (fact, answer, words) in RULED_OUT_BY.items():
        if answers.get(fact) == answer:
            why[reason] = words
    for exception in applies:
        reasons, words = RULED_OUT_BY_EXCEPTION.get(exception, ((), ""))
        why.update(dict.fromkeys(reasons, words))
    for reason in REASONS:
        if not pick(reason.title, answers, verdict):
            why[reason.id] = ""
    return why


def fitting_reasons(
    answers: Mapping[str, object], *, leave_out: Collection[str] = ()
) -> tuple[str, ...]:
    """Return the reasons to go cited for an employed person, in the order they are shown.

    Every reason the article gives is cited unless it is in ``leave_out``. The person's
    priorities come first, then the reasons their answers make weigh more, then the rest,
    each group in the article's order.
    """
    priorities = tuple(answers.get("priorities") or ())
    weighs_more = emphasis(answers)
    cited = [r for r in REASON_IDS if r not in leave_out]
    chosen = [r for r in cited if r in priorities]
    emphasised = [r for r in cited if r in weighs_more and r not in priorities]
    rest = [r for r in cited if r not in chosen and r not in emphasised]
    return (*chosen, *emphasised, *rest)


def _keeps_sure_answers(alternative: Answers, answers: Mapping[str, object]) -> bool:
    """Return whether ``alternative`` changes only answers the person was not sure of."""
    return all(answers.get(fact, UNSURE) in (UNSURE, value) for fact, value in alternative)


def _answers_that(exceptions: tuple[str, ...], *, clear: bool) -> tuple[Answers, ...]:
    """Return the alternative answer sets that clear (or make apply) every one of ``exceptions``."""
    if not clear:
        return (tuple(pair for e in exceptions for pair in FACTORS[e].applies_when),)
    choices = [FACTORS[e].clears_when for e in exceptions]
    return tuple(
        tuple(pair for part in combo for pair in part) for combo in itertools.product(*choices)
    )


def what_would_change(
    states: Mapping[str, str], answers: Mapping[str, object]
) -> tuple[Change, ...]:
    """Return the changes of answer that would change the verdict, each with its new verdict.

    On a pass, what would have to fall away. On a check-first, what follows if an unsure
    answer turns out one way or the other: only answers the person was unsure of change, so
    no sentence asks them to suppose the opposite of what they said they were sure of.
    """
    verdict = verdict_for(states)
    applies = tuple(e for e in EXCEPTION_IDS if states[e] == APPLIES)
    uncertain = tuple(e for e in EXCEPTION_IDS if states[e] == UNCERTAIN)

    def words(exception: str, kind: str) -> str:
        return pick(getattr(FACTORS[exception], kind), answers, verdict)

    if applies:
        after = verdict_for({**states, **dict.fromkeys(applies, CLEAR)})
        condition = words(applies[0], "clear_if") if len(applies) == 1 else NONE_APPLIED
        return (
            Change(
                _answers_that(applies, clear=True), after, f"If {condition}, {OUTCOMES[after]}."
            ),
        )
    if not uncertain:
        return ()
    turns_out = verdict_for({**states, uncertain[0]: APPLIES})  # any one is enough
    settled = verdict_for({**states, **dict.fromkeys(uncertain, CLEAR)})
    if len(uncertain) == 1:
        applies_if, clear_if = words(uncertain[0], "applies_if"), words(uncertain[0], "clear_if")
    else:
        applies_if, clear_if = ANY_TURNS_OUT, ALL_CLEAR
    turning = [
        alt
        for e in uncertain
        for alt in _answers_that((e,), clear=False)
        if _keeps_sure_answers(alt, answers)
    ]
    clearing = [
        alt for alt in _answers_that(uncertain, clear=True) if _keeps_sure_answers(alt, answers)
    ]
    return (
        Change(tuple(turning), turns_out, f"If {applies_if}, {OUTCOMES[turns_out]}."),
        Change(tuple(clearing), settled, f"If {clear_if}, {OUTCOMES[settled]}."),
    )


def evaluate(answers: Mapping[str, object]) -> Evaluation:
    """Return the verdict for one person's answers, with the factors it rests on.

    ``answers`` maps fact ids to answers (``yes``/``no``/``unsure``, or the choice values of
    the personal questions). Only ``employed`` is required; a missing exception answer counts
    as unsure. Raise ``InvalidAnswers`` for an unknown fact or value.
    """
    _check(answers)
    if answers["employed"] == NO:
        return Evaluation(GO, ("unemployed",), (), (), ())

    states = exception_states(answers)
    verdict = verdict_for(states)
    applies = tuple(e for e in EXCEPTION_IDS if states[e] == APPLIES)
    why_left_out = left_out(answers, verdict, applies)
    reasons = fitting_reasons(answers, leave_out=why_left_out)
    notes = emphasis(answers)
    ticked = tuple(r for r in REASON_IDS if r in (answers.get("priorities") or ()))
    return Evaluation(
        verdict=verdict,
        reasons=reasons,
        exceptions=applies,
        uncertain=tuple(e for e in EXCEPTION_IDS if states[e] == UNCERTAIN),
        what_would_change=what_would_change(states, answers),
        priorities=tuple(r for r in ticked if r in reasons),
        emphasis=tuple((r, rule.note.words) for r in reasons for rule in notes.get(r, ())),
        unmet_priorities=tuple((r, why_left_out[r]) for r in ticked if r not in reasons),
    )
