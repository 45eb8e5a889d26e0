"""The write paths for assessments that the questionnaire uses."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction

from .models import Assessment, hash_token, verdict_columns
from .rules import RULES_VERSION, evaluate
from .snapshot import build_snapshot


def assessment_create(*, answers: Mapping[str, object], token: str) -> Assessment:
    """Evaluate ``answers`` and save them with the verdict, once per token.

    A second call with the same token (a double-click, a re-sent form) returns the row the
    first one saved instead of saving another.
    """
    verdict = evaluate(answers)
    token_hash = hash_token(token)
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                token_hash=token_hash,
                answers=dict(answers),
                recommendation=verdict.recommendation,
                reasons=list(verdict.reasons),
                exceptions=list(verdict.exceptions),
                uncertain=list(verdict.uncertain),
                shown=build_snapshot(verdict, answers),
                rules_version=RULES_VERSION,
                **verdict_columns(verdict, answers),
            )
    except IntegrityError:
        return Assessment.objects.get(token_hash=token_hash)


def assessment_delete(*, token: str) -> bool:
    """Delete the assessment saved under ``token``; return whether there was one."""
    deleted, _ = Assessment.objects.for_token(token).delete()
    return deleted > 0
