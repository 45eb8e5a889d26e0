import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .factors import EXCEPTION_IDS, FACTORS, QUESTIONS, REASON_IDS, YES
from .rules import APPLIES, CLEAR, UNCERTAIN, Evaluation


def new_result_token() -> str:
    """Return a fresh result token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Verdict(models.TextChoices):
    GO = "go", "Go"
    CAUTION = "caution", "Check first"
    PASS = "pass", "Pass"


class ExceptionState(models.TextChoices):
    NOT_ASKED = "", "Not asked (no job)"
    CLEAR = CLEAR, "Does not apply"
    UNCERTAIN = UNCERTAIN, "Not sure"
    APPLIES = APPLIES, "Applies"


class ReviewStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWED = "reviewed", "Reviewed"


HR_REVIEWER_GROUP = "HR reviewer"

# The column that records whether each reason to go was cited.
REASON_COLUMNS: dict[str, str] = {reason: f"cites_{reason}" for reason in REASON_IDS}
# The column that records whether the person said a reason to go matters most to them.
PRIORITY_COLUMNS: dict[str, str] = {
    reason: f"prioritises_{reason}" for reason in QUESTIONS["priorities"].values
}


def verdict_columns(evaluation: Evaluation, answers: Mapping[str, object]) -> dict:
    """Return the columns that repeat ``evaluation`` as plain values, for filtering and counting.

    The evaluation itself lives in the JSON fields and the snapshot; these copies exist so that
    the admin's filters and the summary's counts are indexed queries, not JSON lookups.
    """
    employed = answers.get("employed") == YES
    columns: dict[str, object] = {"employed": employed}
    for exception in EXCEPTION_IDS:
        if not employed:
            state = ExceptionState.NOT_ASKED
        elif exception in evaluation.exceptions:
            state = ExceptionState.APPLIES
        elif exception in evaluation.uncertain:
            state = ExceptionState.UNCERTAIN
        else:
            state = ExceptionState.CLEAR
        columns[exception] = state.value
    for reason, column in REASON_COLUMNS.items():
        columns[column] = reason in evaluation.reasons
    # What the person ticked, whether or not their other answers left the reason cited.
    ticked = answers.get("priorities") or ()
    for reason, column in PRIORITY_COLUMNS.items():
        columns[column] = reason in ticked
    return columns


def to_the_hour(moment: datetime) -> datetime:
    """Return ``moment`` without its minutes, seconds and microseconds, in local time.

    An assessment's time is kept no finer than the hour: to the second, it could be matched
    against a proxy's access log to find who confirmed it. The local hour never moves it to
    another local day, so the date filters and weekly counts stay right.
    """
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.replace(minute=0, second=0, microsecond=0)


def this_hour() -> datetime:
    return to_the_hour(timezone.now())


class AssessmentQuerySet(models.QuerySet):
    def for_token(self, token: str):
        return self.filter(token_hash=hash_token(token))

    def created_before(self, moment):
        return self.filter(created_at__lt=moment)


def _exception_state_field(exception: str):
    return models.CharField(
        FACTORS[exception].label.lower(),
        max_length=9,
        choices=ExceptionState.choices,
        blank=True,
        default=ExceptionState.NOT_ASKED,
        editable=False,
    )


def _reason_flag(reason: str):
    return models.BooleanField(
        f"{FACTORS[reason].label.lower()} cited", default=False, editable=False
    )


def _priority_flag(reason: str):
    return models.BooleanField(
        f"{FACTORS[reason].label.lower()} matters most", default=False, editable=False
    )


class Assessment(models.Model):
    """One confirmed questionnaire: what the person answered and what they were told."""

    # Only the SHA-256 of the result token is stored, so a copy of the database does not
    # give anyone a working result link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("created", default=this_hour, db_index=True, editable=False)
    answers = models.JSONField(editable=False)
    # Not indexed on its own: the summary index below serves filters on it better.
    verdict = models.CharField(max_length=8, choices=Verdict.choices, editable=False)
    reasons = models.JSONField(default=list, editable=False)
    exceptions = models.JSONField(default=list, editable=False)
    uncertain = models.JSONField(default=list, editable=False)
    # Exactly what the result page showed, rendered from here ever after.
    shown = models.JSONField(editable=False)
    rules_version = models.CharField(max_length=32, editable=False)

    # Copies of the verdict as plain columns (see verdict_columns): "employed" here, and one
    # column per factor of the catalogue, added below the class.
    employed = models.BooleanField("has a job", default=True, editable=False)

    # HR's review. Who reviewed and when are recorded by the admin, never typed in.
    review_status = models.CharField(
        max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.NEW
    )
    review_notes = models.TextField(
        "notes",
        blank=True,
        help_text="For HR only: the person who filled in the questionnaire never sees these.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="reviewed by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField("reviewed", null=True, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        # Newest first: created_at is only to the hour, so within an hour the id tells.
        ordering = ["-created_at", "-id"]
        # Nobody adds or edits assessments by hand: HR views them and records reviews.
        default_permissions = ("view",)
        permissions = [("review_assessment", "Can record a review of an assessment")]
        indexes = [
            # Covers every column the list filters on and the summary counts, so counts and
            # aggregates read this narrow index instead of the wide rows with their JSON,
            # whatever the filters. (Single-column indexes on these tempt SQLite into
            # looking up thousands of rows one by one.)
            models.Index(
                fields=[
                    "created_at",
                    "verdict",
                    "review_status",
                    "employed",
                    *EXCEPTION_IDS,
                    *REASON_COLUMNS.values(),
                    *PRIORITY_COLUMNS.values(),
                ],
                name="assessment_summary",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values),
                name="assessment_verdict_valid",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{exception}__in": ExceptionState.values}),
                    name=f"assessment_{exception}_valid",
                )
                for exception in EXCEPTION_IDS
            ),
            models.CheckConstraint(
                condition=models.Q(review_status=ReviewStatus.NEW, reviewed_at__isnull=True)
                | models.Q(review_status=ReviewStatus.REVIEWED, reviewed_at__isnull=False),
                name="assessment_review_has_time",
            ),
        ]

    def __str__(self):
        return f"Assessment {self.reference} ({self.verdict})"

    @property
    def reference(self) -> str:
        """Return a short reference a person can quote to HR; it does not open the result."""
        return self.token_hash[:10]

    @staticmethod
    def result_url(token: str) -> str:
        return reverse("advice:result", kwargs={"token": token})

    def record_review(self, *, reviewer) -> None:
        """Stamp the review with ``reviewer`` and the time, or clear it if set back to new."""
        if self.review_status == ReviewStatus.REVIEWED:
            self.reviewed_by = reviewer
            self.reviewed_at = timezone.now()
        else:
            self.reviewed_by = None
            self.reviewed_at = None


# The verdict columns, named from the catalogue, so that a new factor needs only a migration:
# one state per exception (named by its id), and for each reason whether it was cited and
# whether the person said it matters most.
for _exception in EXCEPTION_IDS:
    Assessment.add_to_class(_exception, _exception_state_field(_exception))
for _reason, _column in REASON_COLUMNS.items():
    Assessment.add_to_class(_column, _reason_flag(_reason))
for _reason, _column in PRIORITY_COLUMNS.items():
    Assessment.add_to_class(_column, _priority_flag(_reason))


class ReviewRecord(models.Model):
    """One save of a review, as it was saved: the status, the note, who and when.

    Records are only ever added. The database refuses to change one, and refuses to delete one
    while its assessment exists (triggers in migration 0002): deleting the assessment, which
    only ``services.assessments_delete`` does, deletes its records after it. The reviewer is
    kept by name, so that deleting an account changes no record.
    """

    # Not CASCADE: Django would delete the records before the assessment, which the database
    # refuses. The key is checked when the transaction commits.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.DO_NOTHING, related_name="review_records", editable=False
    )
    status = models.CharField(max_length=8, choices=ReviewStatus.choices, editable=False)
    notes = models.TextField(blank=True, editable=False)
    reviewer = models.CharField(max_length=150, editable=False)
    saved_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-saved_at", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"{self.get_status_display()} by {self.reviewer} at {self.saved_at:%Y-%m-%d %H:%M}"


class DownloadMark(models.Model):
    """Where a reviewer's last "download what's new" of the list, with one set of filters,
    stopped: what's new for them with those filters is every assessment saved after it."""

    pk = models.CompositePrimaryKey("user", "filters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The SHA-256 of the list's filters, as downloads.filters_key writes them.
    filters = models.CharField(max_length=64)
    # The newest assessment there was at that download, and when it was.
    last_id = models.PositiveBigIntegerField(default=0)
    downloaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.user_id} downloaded up to {self.last_id}"


class QuestionCount(models.Model):
    """How many people were shown, and answered, one page of the questionnaire on one day.

    Counts and nothing else: no session, no time finer than the day, no link to an
    assessment. A page is a question step, or the check page, counted apart for people with
    a job and people between jobs (``funnel.CHECK_STAGES``); answering the check page is
    confirming.
    """

    pk = models.CompositePrimaryKey("day", "stage")
    day = models.DateField()
    stage = models.CharField(max_length=32)
    shown = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.day} {self.stage}: {self.shown} shown, {self.answered} answered"
