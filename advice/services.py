"""The write paths for assessments that the questionnaire uses."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction

from .models import Assessment, hash_token, verdict_columns
from .rules import RULES_VERSION, evaluate
from .snapshot import build_snapshot


def assessment_build(*, answers: Mapping[str, object], token: str) -> Assessment:
    """Return an unsaved assessment of ``answers`` with its verdict, as the write path saves it."""
    evaluation = evaluate(answers)
    return Assessment(
        token_hash=hash_token(token),
        answers=dict(answers),
        verdict=evaluation.verdict,
        reasons=list(evaluation.reasons),
        exceptions=list(evaluation.exceptions),
        uncertain=list(evaluation.uncertain),
        shown=build_snapshot(evaluation, answers),
        rules_version=RULES_VERSION,
        **verdict_columns(evaluation, answers),
    )


def assessment_create(*, answers: Mapping[str, object], token: str) -> Assessment:
    """Evaluate ``answers`` and save them with the verdict, once per token.

    A second call with the same token (a double-click, a re-sent form) returns the row the
    first one saved instead of saving another.
    """
    assessment = assessment_build(answers=answers, token=token)
    try:
        with transaction.atomic():
            assessment.save(force_insert=True)
            return assessment
    except IntegrityError:
        return Assessment.objects.get(token_hash=assessment.token_hash)


def assessment_delete(*, token: str) -> bool:
    """Delete the assessment saved under ``token``; return whether there was one."""
    deleted, _ = Assessment.objects.for_token(token).delete()
    return deleted > 0
