"""Turn an evaluation into the record of what the person was shown. Pure Python, no Django.

The snapshot is saved with the assessment and is what the result page and the admin render,
so an old result reads exactly as it did even after the wording or the rules change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from .factors import ARTICLE, FACTORS, QUESTIONS, STEPS, Factor
from .rules import CAUTION, GO, PASS, RULES_VERSION, Evaluation

HEADLINES = {
    GO: "Go to the interview",
    CAUTION: "Go, but check something first",
    PASS: "It is probably best to pass on this one",
}

SUMMARIES = {
    GO: (
        "Nothing in your answers is a reason to turn it down, and there is a lot to gain by going."
    ),
    CAUTION: (
        "Nothing you told us rules the interview out, but you were unsure about something "
        "that could. Check it before you say yes."
    ),
    PASS: (
        "Your answers point to a reason to turn this interview down. The reasons to go still "
        "stand, but they do not outweigh this."
    ),
}

UNEMPLOYED_SUMMARY = "If you are between jobs, an invitation to interview is worth taking."

DISCLAIMER = (
    "This is general information to help you think the decision through, not legal or "
    "professional advice about your situation. Employment contracts and workplace policies "
    "differ: check your own agreement and your employer's policies, and take advice if you "
    "are unsure, before you act on this result."
)


def _factor(factor: Factor, status: str, *, priority: bool = False) -> dict:
    shown = {
        "id": factor.id,
        "kind": factor.kind,
        "status": status,
        "title": factor.title,
        "explanation": factor.explanation,
        "quote": factor.quote,
    }
    if factor.next_step:
        shown["next_step"] = factor.next_step
    if priority:
        shown["priority"] = True
    return shown


def answer_rows(answers: Mapping[str, object]) -> list[dict]:
    """Return the answers as question/answer pairs in plain words, in the order asked."""
    rows = []
    for step in STEPS:
        if step.question not in answers:
            continue
        question = QUESTIONS[step.question]
        value = answers[step.question]
        if question.multiple:
            text = ", ".join(question.label_for(v) for v in value) or "None of these"
        else:
            text = question.label_for(value)
        rows.append({"fact": question.id, "question": question.summary, "answer": text})
    return rows


def build_snapshot(evaluation: Evaluation, answers: Mapping[str, object]) -> dict:
    """Return everything the result page shows for ``evaluation``, as JSON-ready data."""
    unemployed = evaluation.reasons == ("unemployed",)
    return {
        "verdict": evaluation.verdict,
        "headline": HEADLINES[evaluation.verdict],
        "summary": UNEMPLOYED_SUMMARY if unemployed else SUMMARIES[evaluation.verdict],
        "exceptions": [_factor(FACTORS[e], "applies") for e in evaluation.exceptions],
        "uncertain": [_factor(FACTORS[e], "uncertain") for e in evaluation.uncertain],
        "reasons": [
            _factor(FACTORS[r], "reason", priority=r in evaluation.priorities)
            for r in evaluation.reasons
        ],
        "what_would_change": list(evaluation.what_would_change),
        "answers": answer_rows(answers),
        "source": {**asdict(ARTICLE), "attribution": ARTICLE.attribution},
        "disclaimer": DISCLAIMER,
        "rules_version": RULES_VERSION,
    }
