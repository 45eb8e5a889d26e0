"""Saved answers, and reviewers' login records, are deleted once the retention period is over."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from advice.models import Assessment, QuestionCount
from tests.helpers.assessments import make_assessment

pytestmark = pytest.mark.django_db


def age(assessment, days):
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def purge(*args):
    out = StringIO()
    call_command("purge_assessments", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def expired_session():
    """Return the key of a session that expired a minute ago (the only expired one)."""
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    session = SessionStore()
    session["x"] = 1
    session.create()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    return session.session_key


@pytest.fixture
def live_session():
    session = SessionStore()
    session.create()
    return session.session_key


def test_purge_deletes_only_assessments_older_than_the_given_days(expired_session, live_session):
    old, _ = make_assessment()
    recent, _ = make_assessment()
    age(old, 31)
    age(recent, 29)

    out = purge("--older-than", "30")

    assert "Deleted 1 assessments older than 30 days and 1 expired sessions." in out
    assert list(Assessment.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Session.objects.filter(pk=expired_session).exists()
    assert Session.objects.filter(pk=live_session).exists()


def review(admin_client, assessment):
    """Record a review in the admin, which logs it under the assessment's reference."""
    admin_client.post(
        f"/admin/advice/assessment/{assessment.pk}/change/",
        {"review_status": "reviewed", "review_notes": ""},
    )


@pytest.mark.db_engine
def test_purge_deletes_the_admin_s_record_of_the_assessments_it_deletes(admin_client, admin_user):
    old, _ = make_assessment()
    recent, _ = make_assessment()
    age(old, 31)
    age(recent, 29)
    for assessment in (old, recent):
        review(admin_client, assessment)  # a review today of an assessment 31 days old
    # A superuser deleted another one in the admin 31 days ago; the admin logged it.
    gone, _ = make_assessment()
    admin_client.post(f"/admin/advice/assessment/{gone.pk}/delete/", {"post": "yes"})
    LogEntry.objects.filter(action_flag=DELETION).update(
        action_time=timezone.now() - timedelta(days=31)
    )
    assert LogEntry.objects.count() == 3

    purge("--older-than", "30")

    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == [str(recent)]


def test_purge_defaults_to_the_retention_setting(settings):
    settings.ADVICE_RETENTION_DAYS = 10
    old, _ = make_assessment()
    age(old, 11)
    assert "older than 10 days" in purge()
    assert Assessment.objects.count() == 0


def test_dry_run_counts_without_deleting(expired_session):
    old, _ = make_assessment()
    age(old, 400)
    login_records(400)
    out = purge("--older-than", "180", "--dry-run")
    assert "Would delete 1 assessments older than 180 days and 1 expired sessions." in out
    assert "Would delete 3 admin login records older than 180 days." in out
    assert Assessment.objects.count() == AccessLog.objects.count() == 1
    assert Session.objects.filter(pk=expired_session).exists()


def test_negative_days_are_refused():
    with pytest.raises(CommandError):
        purge("--older-than", "-1")


def login_records(days_ago: float) -> None:
    """Save one of each of django-axes's records, with a reviewer's address and browser."""
    when = timezone.now() - timedelta(days=days_ago)
    who = {"username": "reviewer@example.org", "ip_address": "203.0.113.7"}
    who.update(user_agent=f"Browser {days_ago}", http_accept="*/*", path_info="/admin/login/")
    attempt = AccessAttempt.objects.create(**who, get_data="", post_data="", failures_since_start=5)
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=when)
    AccessFailureLog.objects.create(**who)
    AccessLog.objects.create(**who)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        # attempt_time is set on creation, so it is moved back afterwards.
        model.objects.filter(user_agent=who["user_agent"]).update(attempt_time=when)


def test_purge_deletes_login_records_older_than_the_retention_period(settings):
    settings.ADVICE_RETENTION_DAYS = 30
    login_records(31)
    login_records(29)

    out = purge()

    assert "Deleted 3 admin login records older than 30 days." in out
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert list(model.objects.values_list("user_agent", flat=True)) == ["Browser 29"]
    assert AccessAttemptExpiration.objects.count() == 1


def test_purge_deletes_the_question_counts_of_days_older_than_the_given_days():
    today = timezone.localdate()
    for days in (0, 29, 31, 45):
        QuestionCount.objects.create(day=today - timedelta(days=days), stage="employment", shown=1)
    out = purge("--older-than", "30")
    assert "Deleted the question counts of 2 days older than 30 days." in out
    kept = sorted((today - row.day).days for row in QuestionCount.objects.all())
    assert kept == [0, 29]
