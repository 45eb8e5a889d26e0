import hashlib
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone


def new_result_token() -> str:
    """Return a fresh result token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Recommendation(models.TextChoices):
    GO = "go", "Go"
    CAUTION = "caution", "Check first"
    PASS = "pass", "Pass"


class AssessmentQuerySet(models.QuerySet):
    def for_token(self, token: str):
        return self.filter(token_hash=hash_token(token))

    def created_before(self, moment):
        return self.filter(created_at__lt=moment)


class Assessment(models.Model):
    """One confirmed questionnaire: what the person answered and what they were told."""

    # Only the SHA-256 of the result token is stored, so a copy of the database does not
    # give anyone a working result link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    answers = models.JSONField(editable=False)
    recommendation = models.CharField(
        max_length=8, choices=Recommendation.choices, db_index=True, editable=False
    )
    reasons = models.JSONField(default=list, editable=False)
    exceptions = models.JSONField(default=list, editable=False)
    uncertain = models.JSONField(default=list, editable=False)
    # Exactly what the result page showed, rendered from here ever after.
    shown = models.JSONField(editable=False)
    rules_version = models.CharField(max_length=32, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recommendation__in=Recommendation.values),
                name="assessment_recommendation_valid",
            ),
        ]

    def __str__(self):
        return f"Assessment {self.reference} ({self.recommendation})"

    @property
    def reference(self) -> str:
        """Return a short reference a person can quote to HR; it does not open the result."""
        return self.token_hash[:10]

    @staticmethod
    def result_url(token: str) -> str:
        return reverse("advice:result", kwargs={"token": token})
