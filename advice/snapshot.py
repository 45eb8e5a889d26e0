"""Turn an evaluation into the record of what the person was shown. Pure Python, no Django.

The snapshot is saved with the assessment and is what the result page and the admin render,
so an old result reads exactly as it did even after the wording or the rules change.

Snapshots saved since rules 2026-12-02.1 carry ``layout: 2``: the ``next_step`` for the
person, and for each exception the title and next step of its state (an exception the
person is unsure of has its own). Older snapshots have none of these, and the result page
shows them as they were first shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from .factors import ARTICLE, FACTORS, QUESTIONS, Factor
from .flow import STEPS
from .rules import CAUTION, GO, PASS, RULES_VERSION, Evaluation

LAYOUT = 2

HEADLINES = {
    GO: "Go to the interview",
    CAUTION: "Go, but check something first",
    PASS: "It is probably best to pass on this one",
}

GO_OPENING = "Nothing you told us is a reason to turn it down, and going has a lot to offer."
GO_NEXT_STEP = (
    "Say yes, and go with an open mind. If the role or the offer does not suit you, you can "
    "turn it down politely afterwards."
)
UNEMPLOYED_OPENING = (
    "You are between jobs, so there is nothing to weigh up: an invitation to interview is "
    "worth taking."
)
UNEMPLOYED_NEXT_STEP = "Say yes, and prepare as you would for any interview."
# (one deciding exception, several), each followed on the page by the exceptions.
CAUTION_OPENINGS = (
    "You were not sure about something that would rule it out:",
    "You were not sure about these, and each would rule it out:",
)
PASS_OPENINGS = (
    "One of your answers rules it out:",
    "More than one of your answers rules it out:",
)
CAUTION_NEXT_STEP = "Check each of these before you say yes."
PASS_NEXT_STEP = "Decline politely: you can say the timing is not right for you."

DISCLAIMER = (
    "General information, not legal advice: check your own contract and workplace rules "
    "before you act on it."
)
UNEMPLOYED_DISCLAIMER = "General information, not legal advice."


def _factor(
    factor: Factor, status: str, *, priority: bool = False, notes: tuple[str, ...] = ()
) -> dict:
    unsure = status == "uncertain"
    shown = {
        "id": factor.id,
        "kind": factor.kind,
        "status": status,
        "title": factor.unsure_title if unsure else factor.title,
        "explanation": factor.explanation,
        "quote": factor.quote,
    }
    next_step = factor.unsure_next_step if unsure else factor.next_step
    if next_step:
        shown["next_step"] = next_step
    if priority:
        shown["priority"] = True
    if notes:
        shown["notes"] = list(notes)
    return shown


def answer_rows(answers: Mapping[str, object]) -> list[dict]:
    """Return the answers as short question/answer pairs in plain words, in the order asked."""
    rows = []
    for step in STEPS:
        if step.fact not in answers:
            continue
        question = QUESTIONS[step.fact]
        value = answers[step.fact]
        if question.multiple:
            text = ", ".join(question.label_for(v) for v in value) or "None of these"
        else:
            text = question.label_for(value)
        rows.append({"fact": question.id, "question": question.short_text, "answer": text})
    return rows


def _opening(evaluation: Evaluation) -> tuple[str, str]:
    """Return the result's first words: the point that decides it, and the next step."""
    if evaluation.reasons == ("unemployed",):
        return UNEMPLOYED_OPENING, UNEMPLOYED_NEXT_STEP
    if evaluation.verdict == GO:
        return GO_OPENING, GO_NEXT_STEP
    if evaluation.verdict == PASS:
        deciding = [_factor(FACTORS[e], "applies") for e in evaluation.exceptions]
        openings, several = PASS_OPENINGS, PASS_NEXT_STEP
    else:
        deciding = [_factor(FACTORS[e], "uncertain") for e in evaluation.uncertain]
        openings, several = CAUTION_OPENINGS, CAUTION_NEXT_STEP
    if len(deciding) == 1:
        return openings[0], deciding[0]["next_step"]
    return openings[1], several


def build_snapshot(evaluation: Evaluation, answers: Mapping[str, object]) -> dict:
    """Return everything the result page shows for ``evaluation``, as JSON-ready data."""
    unemployed = evaluation.reasons == ("unemployed",)
    opening, next_step = _opening(evaluation)
    notes = dict.fromkeys(evaluation.reasons, ())
    for reason, note in evaluation.emphasis:
        notes[reason] += (note,)
    return {
        "layout": LAYOUT,
        "verdict": evaluation.verdict,
        "headline": HEADLINES[evaluation.verdict],
        "summary": opening,  # the key of every saved snapshot: the opening sentence
        "next_step": next_step,
        "exceptions": [_factor(FACTORS[e], "applies") for e in evaluation.exceptions],
        "uncertain": [_factor(FACTORS[e], "uncertain") for e in evaluation.uncertain],
        "reasons": [
            _factor(FACTORS[r], "reason", priority=r in evaluation.priorities, notes=notes[r])
            for r in evaluation.reasons
        ],
        "what_would_change": [change.text for change in evaluation.what_would_change],
        "answers": answer_rows(answers),
        "source": {**asdict(ARTICLE), "attribution": ARTICLE.attribution},
        "disclaimer": UNEMPLOYED_DISCLAIMER if unemployed else DISCLAIMER,
        "rules_version": RULES_VERSION,
    }
