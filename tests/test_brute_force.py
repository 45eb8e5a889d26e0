"""Admin brute force: django-axes locks a username from one address after 5 failed logins."""

import re
from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-test-password"  # the reviewer fixture's
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def log_in(client, password, username="reviewer@example.org", address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times, **kwargs):
    """Fail ``times`` logins; return the status codes. The 5th failure locks at once."""
    codes = [log_in(client, "wrong-password", **kwargs).status_code for _ in range(times)]
    assert "_auth_user_id" not in client.session
    return codes


def test_a_reviewer_logs_in_normally(client, reviewer):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == reviewer.pk
    assert client.get("/admin/").status_code == 200


def test_a_good_password_after_four_failures_still_logs_in(client, reviewer):
    fail(client, 4)
    assert log_in(client, PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == reviewer.pk


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, reviewer):
    assert fail(client, 5) == [200, 200, 200, 200, 429]
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "after 5 failed attempts" in page
    assert "Try again in 15 minutes" in page
    # In the site's look, under its Content-Security-Policy, with nothing inline.
    assert "Interview Advisor" in page
    assert "Content-Security-Policy" in response.headers
    assert not INLINE.search(page)
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_the_lockout_is_per_username_and_address(client, reviewer, django_user_model):
    django_user_model.objects.create_user("other@example.org", password=PASSWORD, is_staff=True)
    fail(client, 5)
    assert log_in(client, PASSWORD).status_code == 429
    # The same account from another address, and another account from the same one, get in.
    assert log_in(Client(), PASSWORD, address="198.51.100.9").status_code == 302
    assert log_in(Client(), PASSWORD, username="other@example.org").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, reviewer):
    fail(client, 5)
    assert log_in(client, PASSWORD).status_code == 429
    sixteen_minutes_ago = timezone.now() - timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)
    assert log_in(client, PASSWORD).status_code == 302
