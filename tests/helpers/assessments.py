"""Saved assessments as the questionnaire and the review form leave them."""

from advice.models import ReviewStatus, new_result_token
from advice.services import assessment_create

from .questionnaire import GO_ANSWERS


def make_assessment(answers=None, *, token=None, **overrides):
    """Save an assessment through the real write path; return (assessment, token)."""
    token = token or new_result_token()
    assessment, _ = assessment_create(answers={**(answers or GO_ANSWERS), **overrides}, token=token)
    return assessment, token


def mark_reviewed(queryset, *, reviewer) -> None:
    """Record a review of each assessment of ``queryset`` by ``reviewer``, as the form does."""
    for assessment in queryset:
        assessment.review_status = ReviewStatus.REVIEWED
        assessment.record_review(reviewer=reviewer)
        assessment.save()
