"""The write paths for assessments that the questionnaire uses."""

from collections.abc import Mapping
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, TextField
from django.db.models.functions import Cast

from .models import Assessment, ReviewRecord, hash_token, verdict_columns
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


def assessment_create(*, answers: Mapping[str, object], token: str) -> tuple[Assessment, bool]:
    """Evaluate ``answers`` and save them with the verdict, once per token; return the row and
    whether this call saved it, as ``get_or_create`` does.

    A second call with the same token (a double-click, a re-sent form) returns the row the
    first one saved instead of saving another.
    """
    assessment = assessment_build(answers=answers, token=token)
    try:
        with transaction.atomic():
            assessment.save(force_insert=True)
            return assessment, True
    except IntegrityError:
        return Assessment.objects.get(token_hash=assessment.token_hash), False


def assessment_delete(*, token: str) -> bool:
    """Delete the assessment saved under ``token``; return whether there was one."""
    return assessments_delete(assessments=Assessment.objects.for_token(token)) > 0


def assessments_delete(
    *,
    assessments: QuerySet[Assessment],
    logged_before: datetime | None = None,
    keep_log: bool = False,
) -> int:
    """Delete ``assessments``, their review history and the admin's log of them; return how
    many assessments.

    The log ("Recent actions") names each assessment by its reference and verdict. With
    ``logged_before``, also delete the log of any assessment from before then, such as one a
    superuser deleted in the admin: ``keep_log`` keeps the log when a superuser deletes, so
    the deletion stays on record until the purge.
    """
    log = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Assessment))
    ids = assessments.annotate(object_id=Cast("pk", TextField())).values("object_id")
    with transaction.atomic():
        if not keep_log:
            log.filter(object_id__in=ids).delete()
        if logged_before is not None:
            log.filter(action_time__lt=logged_before).delete()
        _, deleted = assessments.delete()
        # The review history goes after its assessments: the database refuses it before.
        orphaned = ~Exists(Assessment.objects.filter(pk=OuterRef("assessment_id")))
        ReviewRecord.objects.filter(orphaned).delete()
    return deleted.get(Assessment._meta.label, 0)


def review_record(*, assessment: Assessment, reviewer) -> ReviewRecord:
    """Append the review as ``assessment`` now holds it to its history."""
    return ReviewRecord.objects.create(
        assessment=assessment,
        status=assessment.review_status,
        notes=assessment.review_notes,
        reviewer=reviewer.get_username(),
    )
