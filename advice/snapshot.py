"""Turn an evaluation into the record of what the person was shown. Pure Python, no Django.

The snapshot is saved with the assessment and is what the result page and the admin render,
so an old result reads exactly as it did even after the wording or the rules change.

Snapshots saved since rules 2026-12-03.1 carry ``layout: 3``: each text chosen for the
person's own answers, a check for each exception they were unsure of, the answers that
decided each exception and each weightier reason, and why a ticked priority is not cited.
``layout: 2`` (rules 2026-12-02.1) had the opening next step and the "not sure" titles;
older snapshots have neither. The result page shows each as it was first shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from .factors import (
    ARTICLE,
    CAUTION,
    FACTORS,
    GO,
    PASS,
    QUESTIONS,
    Factor,
    decline,
    pick,
)
from .flow import STEPS
from .rules import RULES_VERSION, Evaluation, emphasis

LAYOUT = 3

HEADLINES = {
    GO: "Go to the interview",
    CAUTION: "Check first, then go if all is clear",
    PASS: "It is probably best to pass on this one",
}

GO_OPENING = "Nothing you told us is a reason to say no, and going has a lot to offer."
GO_NEXT_STEP = (
    "Say yes, and go with an open mind. If the job does not suit you, you can say no politely "
    "later."
)
UNEMPLOYED_OPENING = (
    "You are between jobs, so there is nothing to weigh up: an invitation to interview is "
    "worth taking."
)
UNEMPLOYED_NEXT_STEP = "Say yes, and prepare as you would for any interview."
# (one deciding exception, several), each followed on the page by the exceptions.
CAUTION_OPENINGS = (
    "You were not sure about something that could rule it out:",
    "You were not sure about these, and each could rule it out:",
)
PASS_OPENINGS = (
    "One of your answers rules it out:",
    "More than one of your answers rules it out:",
)
# A check-first's next step is its checks, listed after these words.
CAUTION_NEXT_STEPS = (
    "Before you agree to the interview, check this:",
    "Before you agree to the interview, check each of these:",
)
PASS_NEXT_STEP = decline("You do not have to give a reason.")
PRIORITY_NOTE = "You ticked “{label}”, but {why}."

DISCLAIMER = (
    "General information, not legal advice. Check your own contract and work rules before you "
    "act on it."
)
UNEMPLOYED_DISCLAIMER = "General information, not legal advice."


def _because(facts, answers: Mapping[str, object]) -> list[dict]:
    """Return the person's answers to ``facts``, in the words of the questions."""
    return [
        {"question": QUESTIONS[fact].short_text, "answer": QUESTIONS[fact].label_for(answers[fact])}
        for fact in facts
        if fact in answers
    ]


def _exception(factor: Factor, status: str, answers, verdict: str) -> dict:
    applies = status == "applies"
    shown = {
        "id": factor.id,
        "kind": factor.kind,
        "status": status,
        "title": pick(factor.title if applies else factor.unsure_title, answers, verdict),
        "explanation": pick(
            factor.explanation if applies else factor.unsure_explanation, answers, verdict
        ),
        "quote": pick(factor.quote, answers, verdict),
        "because": _because(factor.facts, answers),
    }
    if applies:
        shown["next_step"] = pick(factor.next_step, answers, verdict)
    elif verdict == CAUTION:
        shown["check"] = pick(factor.check, answers, verdict)
    return shown


def _reason(factor: Factor, evaluation: Evaluation, answers, notes: tuple[str, ...]) -> dict:
    verdict = evaluation.verdict
    shown = {
        "id": factor.id,
        "kind": factor.kind,
        "status": "reason",
        "title": pick(factor.title, answers, verdict),
        "explanation": pick(factor.explanation, answers, verdict),
        "quote": pick(factor.quote, answers, verdict),
    }
    if factor.id in evaluation.priorities:
        shown["priority"] = True
    if notes:
        shown["notes"] = list(notes)
        facts = [rule.fact for rule in emphasis(answers).get(factor.id, ())]
        shown["because"] = _because(dict.fromkeys(facts), answers)
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


def _opening(evaluation: Evaluation, deciding: list[dict], answers) -> tuple[str, str]:
    """Return the result's first words: the point that decides it, and the next step."""
    if evaluation.reasons == ("unemployed",):
        return UNEMPLOYED_OPENING, UNEMPLOYED_NEXT_STEP
    if evaluation.verdict == GO:
        return GO_OPENING, GO_NEXT_STEP
    one = len(deciding) == 1
    if evaluation.verdict == PASS:
        several = pick(PASS_NEXT_STEP, answers, PASS)
        return PASS_OPENINGS[not one], deciding[0]["next_step"] if one else several
    return CAUTION_OPENINGS[not one], CAUTION_NEXT_STEPS[not one]


def build_snapshot(evaluation: Evaluation, answers: Mapping[str, object]) -> dict:
    """Return everything the result page shows for ``evaluation``, as JSON-ready data."""
    verdict = evaluation.verdict
    unemployed = evaluation.reasons == ("unemployed",)
    exceptions = [
        _exception(FACTORS[e], "applies", answers, verdict) for e in evaluation.exceptions
    ]
    uncertain = [
        _exception(FACTORS[e], "uncertain", answers, verdict) for e in evaluation.uncertain
    ]
    opening, next_step = _opening(evaluation, exceptions if verdict == PASS else uncertain, answers)
    notes = dict.fromkeys(evaluation.reasons, ())
    for reason, note in evaluation.emphasis:
        notes[reason] += (note,)
    if unemployed:
        reasons = [_factor_unemployed()]
    else:
        reasons = [_reason(FACTORS[r], evaluation, answers, notes[r]) for r in evaluation.reasons]
    return {
        "layout": LAYOUT,
        "verdict": verdict,
        "headline": HEADLINES[verdict],
        "summary": opening,  # the key of every saved snapshot: the opening sentence
        "next_step": next_step,
        "exceptions": exceptions,
        "uncertain": uncertain,
        "reasons": reasons,
        "priority_notes": [
            PRIORITY_NOTE.format(label=QUESTIONS["priorities"].label_for(reason), why=why)
            for reason, why in evaluation.unmet_priorities
        ],
        "what_would_change": [change.text for change in evaluation.what_would_change],
        "answers": answer_rows(answers),
        "source": {**asdict(ARTICLE), "attribution": ARTICLE.attribution},
        "disclaimer": UNEMPLOYED_DISCLAIMER if unemployed else DISCLAIMER,
        "rules_version": RULES_VERSION,
    }


def _factor_unemployed() -> dict:
    factor = FACTORS["unemployed"]
    return {
        "id": factor.id,
        "kind": factor.kind,
        "status": "reason",
        "title": factor.title,
        "explanation": factor.explanation,
        "quote": factor.quote,
    }
