"""Realistic, varied answers for demo data and benchmarks.

Answers follow the questionnaire's own steps, so only the questions it would ask are
answered, and the weights give a believable mix of verdicts rather than a uniform one.
"""

from __future__ import annotations

import random

from .factors import QUESTIONS
from .flow import STEPS, step_applies

# How often each answer is chosen; a question not listed here is answered uniformly.
WEIGHTS: dict[str, dict[str, int]] = {
    "employed": {"yes": 88, "no": 12},
    "approached_how": {"recruiter": 50, "word_of_mouth": 25, "applied": 15, "other": 10},
    "last_interviewed": {"within_year": 30, "one_to_three_years": 40, "over_three_years": 30},
    "role_security": {"settled": 55, "some_change": 30, "uncertain": 15},
    "open_to_other_roles": {"yes": 55, "no": 20, "unsure": 25},
    "would_negotiate": {"yes": 60, "no": 15, "unsure": 25},
    "can_interview_confidentially": {"yes": 60, "no": 15, "unsure": 25},
    "job_at_risk_if_discovered": {"yes": 30, "no": 45, "unsure": 25},
    "agreement_bars_employer": {"yes": 6, "no": 80, "unsure": 14},
    "time_off_puts_job_at_risk": {"yes": 10, "no": 75, "unsure": 15},
}
# How many priorities a person ticks, by weight: none, one, two or three.
PRIORITY_COUNTS = {0: 25, 1: 35, 2: 30, 3: 10}


def demo_answers(rng: random.Random) -> dict:
    """Return one person's answers to the questions the questionnaire would ask them."""
    answers: dict = {}
    for step in STEPS:
        if not step_applies(step, answers):
            continue
        question = QUESTIONS[step.fact]
        if question.multiple:
            count = rng.choices(list(PRIORITY_COUNTS), weights=list(PRIORITY_COUNTS.values()))[0]
            chosen = set(rng.sample(question.values, k=count))
            answers[question.id] = [v for v in question.values if v in chosen]
            continue
        weights = WEIGHTS.get(question.id, dict.fromkeys(question.values, 1))
        answers[question.id] = rng.choices(list(weights), weights=list(weights.values()))[0]
    return answers
