from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from advice.models import Assessment, QuestionCount
from advice.services import assessments_delete


class Command(BaseCommand):
    help = (
        "Delete assessments, with the admin's log and review history of them, the admin's "
        "login records (django-axes) and the daily question counts older than a number of "
        "days (the retention period by default), and expired sessions. Meant to run daily, "
        "e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Delete assessments and login records made more than DAYS days ago "
            "(default: ADVICE_RETENTION_DAYS, now %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, older_than=None, dry_run=False, **options):
        days = settings.ADVICE_RETENTION_DAYS if older_than is None else older_than
        if days < 0:
            raise CommandError("--older-than must be zero or more days")
        now = timezone.now()
        cutoff = now - timedelta(days=days)
        assessments = Assessment.objects.created_before(cutoff)
        sessions = Session.objects.filter(expire_date__lt=now)
        # The counts of where people stop are kept as long as the assessments.
        counts = QuestionCount.objects.filter(day__lt=timezone.localdate(cutoff))
        # Reviewers' addresses and browsers, from failed logins, lockouts and logins.
        login_records = [
            model.objects.filter(attempt_time__lt=cutoff)
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        ]
        if dry_run:
            self.stdout.write(
                f"Would delete {assessments.count()} assessments older than {days} days "
                f"and {sessions.count()} expired sessions.\n"
                f"Would delete {sum(q.count() for q in login_records)} admin login records "
                f"older than {days} days.\n"
                f"Would delete the question counts of {counts.dates('day', 'day').count()} "
                f"days older than {days} days."
            )
            return
        # With the admin's log of them, older than the cutoff too: a log entry is never older
        # than its assessment.
        deleted = assessments_delete(assessments=assessments, logged_before=cutoff)
        expired, _ = sessions.delete()
        counted_days = counts.dates("day", "day").count()
        counts.delete()
        logins = 0
        for records in login_records:
            # Counted by model: deleting an attempt also deletes its expiry row.
            logins += records.delete()[1].get(records.model._meta.label, 0)
        self.stdout.write(
            f"Deleted {deleted} assessments older than {days} days "
            f"and {expired} expired sessions.\n"
            f"Deleted {logins} admin login records older than {days} days.\n"
            f"Deleted the question counts of {counted_days} days older than {days} days."
        )
