"""The write paths for assessments, each keeping the daily tallies in its own transaction."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .models import Assessment, ReviewStatus, hash_token, verdict_columns
from .rules import RULES_VERSION, evaluate
from .snapshot import build_snapshot
from .tallies import SOURCE_FIELDS, count_in, count_out, count_review


def assessment_create(*, answers: Mapping[str, object], token: str) -> Assessment:
    """Evaluate ``answers`` and save them with the verdict, once per token.

    A second call with the same token (a double-click, a re-sent form) returns the row the
    first one saved instead of saving another.
    """
    verdict = evaluate(answers)
    token_hash = hash_token(token)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
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
            count_in(assessment)
            return assessment
    except IntegrityError:
        return Assessment.objects.get(token_hash=token_hash)


def assessment_delete(*, token: str) -> bool:
    """Delete the assessment saved under ``token``; return whether there was one."""
    return assessments_delete(queryset=Assessment.objects.for_token(token)) > 0


def assessments_delete(*, queryset: QuerySet) -> int:
    """Delete the assessments of ``queryset`` and take them off the tallies; return how many."""
    with transaction.atomic():
        # Locked, so the rows taken off the tallies are exactly the rows deleted.
        rows = list(
            Assessment.objects.select_for_update()
            .filter(pk__in=queryset.values("pk"))
            .only(*SOURCE_FIELDS)
        )
        deleted, _ = Assessment.objects.filter(pk__in=[row.pk for row in rows]).delete()
        count_out(*rows)
    return deleted


def assessment_save_review(*, assessment: Assessment) -> None:
    """Save HR's review of ``assessment``, keeping its day's count of reviewed ones right."""
    with transaction.atomic():
        stored = (
            Assessment.objects.select_for_update()
            .values_list("review_status", flat=True)
            .get(pk=assessment.pk)
        )
        assessment.save()
        if stored != assessment.review_status:
            reviewed = assessment.review_status == ReviewStatus.REVIEWED
            count_review([assessment.created_at], delta=1 if reviewed else -1)
