"""create_hr_reviewer: an account that can review assessments in the admin and nothing else."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from advice.models import HR_REVIEWER_GROUP
from tests.helpers.second_factor import log_in_verified

User = get_user_model()


def create(*args) -> str:
    out = StringIO()
    call_command("create_hr_reviewer", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_password(out: str) -> str:
    line = next(line for line in out.splitlines() if line.startswith("Password"))
    return line.rsplit(": ", 1)[1]


def test_creates_a_staff_reviewer_and_prints_the_password_once(db):
    out = create("hr@example.org", "--no-input")
    user = User.objects.get(username="hr@example.org")
    assert user.email == "hr@example.org"
    assert user.is_staff and user.is_active and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [HR_REVIEWER_GROUP]
    password = printed_password(out)
    assert len(password) >= 16
    assert out.count(password) == 1
    assert user.check_password(password)


def test_the_new_reviewer_can_log_in_and_see_the_summary_but_not_users(client, db):
    password = printed_password(create("hr@example.org", "--no-input"))
    # django-axes checks each login against its lockouts, so it needs a request.
    assert client.login(request=HttpRequest(), username="hr@example.org", password=password)
    # The password alone opens nothing: the admin asks for the second factor first.
    assert client.get("/admin/advice/assessment/summary/").status_code == 302
    log_in_verified(client, User.objects.get(username="hr@example.org"))
    assert client.get("/admin/advice/assessment/summary/").status_code == 200
    assert client.get("/admin/advice/assessment/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_without_a_terminal_the_password_is_generated(db, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    out = create("hr@example.org")
    assert User.objects.get().check_password(printed_password(out))


def test_at_a_terminal_the_password_is_asked_twice_and_checked(db, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    typed = iter(
        ["one-password-here", "another-password", "short", "short", *["Good-enough-9f"] * 2]
    )
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    err = StringIO()
    out = StringIO()
    call_command("create_hr_reviewer", "hr@example.org", stdout=out, stderr=err)
    assert "did not match" in err.getvalue()
    assert "too short" in err.getvalue()
    assert "Password" not in out.getvalue()
    assert User.objects.get().check_password("Good-enough-9f")


def test_cancelling_at_the_prompt_creates_nothing(db, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)

    def interrupt(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupt)
    with pytest.raises(CommandError, match="Cancelled"):
        create("hr@example.org")
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "", "x@example.org\n@evil"])
def test_refuses_an_invalid_email(db, email):
    with pytest.raises(CommandError, match="not a valid email"):
        create(email, "--no-input")
    assert not User.objects.exists()


def test_refuses_an_existing_account(db):
    User.objects.create_user("HR@example.org")
    with pytest.raises(CommandError, match="already an account"):
        create("hr@example.org", "--no-input")
    assert User.objects.count() == 1


def test_refuses_when_the_group_is_missing(db):
    Group.objects.filter(name=HR_REVIEWER_GROUP).delete()
    with pytest.raises(CommandError, match="migrate"):
        create("hr@example.org", "--no-input")
    assert not User.objects.exists()
