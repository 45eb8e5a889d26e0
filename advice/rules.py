"""The rule engine: answers in, verdict out. Pure Python, no Django.

It follows the engine reading of the factor contract: an unemployed person is told to go;
an employed person is told to go unless an exception applies (``pass``) or may apply
(``caution``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .factors import (
    EXCEPTION_IDS,
    FACTORS,
    NO,
    QUESTIONS,
    REASON_IDS,
    UNSURE,
    YES,
)

RULES_VERSION = "2026-11-26.1"

GO = "go"
CAUTION = "caution"
PASS = "pass"

# The state of one exception for one person.
CLEAR = "clear"
APPLIES = "applies"
UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Evaluation:
    """The verdict for one person's answers, and the factors it rests on."""

    verdict: str  # GO, CAUTION or PASS
    reasons: tuple[str, ...]  # reason ids (or "unemployed"), in display order
    exceptions: tuple[str, ...]  # exception ids that apply
    uncertain: tuple[str, ...]  # exception ids that may apply: what to verify
    what_would_change: tuple[str, ...]  # plain sentences
    priorities: tuple[str, ...] = ()  # reason ids the person said matter most

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


def exception_states(answers: Mapping[str, object]) -> dict[str, str]:
    """Return each exception's state for an employed person. A missing answer counts as unsure."""
    can_hide = answers.get("can_interview_confidentially", UNSURE)
    at_risk = answers.get("job_at_risk_if_discovered", UNSURE)
    if can_hide == YES or at_risk == NO:
        confidentiality = CLEAR
    elif can_hide == NO and at_risk == YES:
        confidentiality = APPLIES
    else:
        confidentiality = UNCERTAIN
    return {
        "confidentiality": confidentiality,
        "employment_agreement": _single(answers.get("agreement_bars_employer", UNSURE)),
        "attendance_policy": _single(answers.get("time_off_puts_job_at_risk", UNSURE)),
    }


def _single(answer: object) -> str:
    return {YES: APPLIES, NO: CLEAR}.get(answer, UNCERTAIN)


def fitting_reasons(answers: Mapping[str, object]) -> tuple[str, ...]:
    """Return the reasons that fit an employed person's answers, their priorities first."""
    priorities = tuple(answers.get("priorities") or ())
    fits = {
        # These hold for anyone employed who has been approached.
        "networking": True,
        "nothing_to_lose": True,
        "practice": answers.get("last_interviewed") in ("one_to_three_years", "over_three_years"),
        "preparedness": answers.get("role_security") in ("some_change", "uncertain")
        or answers.get("last_interviewed") == "over_three_years",
        "leverage": answers.get("would_negotiate") in (YES, UNSURE),
        "other_roles": answers.get("open_to_other_roles") in (YES, UNSURE),
    }
    for reason in priorities:
        fits[reason] = True
    chosen = [r for r in REASON_IDS if r in priorities]
    rest = [r for r in REASON_IDS if fits[r] and r not in priorities]
    return (*chosen, *rest)


def _what_would_change(states: Mapping[str, str]) -> tuple[str, ...]:
    applies = [e for e in EXCEPTION_IDS if states[e] == APPLIES]
    uncertain = [e for e in EXCEPTION_IDS if states[e] == UNCERTAIN]
    if len(applies) == 1 and not uncertain:
        return (f"If {FACTORS[applies[0]].clear_if}, the answer is go.",)
    if applies:
        return (
            *(f"If {FACTORS[e].clear_if}, that reason to pass falls away." for e in applies),
            "The answer is go only once every reason to pass has fallen away.",
        )
    if uncertain:
        return (
            *(f"If {FACTORS[e].applies_if}, the answer is pass." for e in uncertain),
            "If none of this turns out to be so, the answer is go."
            if len(uncertain) > 1
            else "If it turns out not to be so, the answer is go.",
        )
    return ()


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
    applies = tuple(e for e in EXCEPTION_IDS if states[e] == APPLIES)
    uncertain = tuple(e for e in EXCEPTION_IDS if states[e] == UNCERTAIN)
    if applies:
        verdict = PASS
    elif uncertain:
        verdict = CAUTION
    else:
        verdict = GO
    return Evaluation(
        verdict=verdict,
        reasons=fitting_reasons(answers),
        exceptions=applies,
        uncertain=uncertain,
        what_would_change=_what_would_change(states),
        priorities=tuple(r for r in REASON_IDS if r in (answers.get("priorities") or ())),
    )
