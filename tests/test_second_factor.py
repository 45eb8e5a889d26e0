"""The admin asks for a one-time code after the password, on every page.

A password alone (an account with or without an authenticator app) opens no admin page. An
account with no app sets one up after its password, from a QR code on our own page, and gets
10 backup codes, shown once. A superuser resets a lost phone.
"""

import re
from base64 import b32decode
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers.assessments import make_assessment
from tests.helpers.second_factor import code, confirmed_device, log_in_verified

LIST = "/admin/advice/assessment/"
LOGIN = "/admin/login/"
SECOND_FACTOR = "/admin/second-factor/"
PASSWORD = "a-long-test-password"  # the reviewer fixture's
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def admin_pages(assessment) -> list[str]:
    """Return every kind of admin page: home, list, record, history, summary, CSV, users."""
    record = f"{LIST}{assessment.pk}/"
    return [
        "/admin/",
        LIST,
        f"{record}change/",
        f"{record}history/",
        f"{LIST}summary/",
        f"{LIST}export/",
        f"{LIST}export/ids/",
        "/admin/auth/user/",
    ]


def log_in_with_password(client, username="reviewer@example.org", password=PASSWORD):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)
    return response


@pytest.mark.parametrize("has_device", [False, True], ids=["no app yet", "with an app"])
def test_a_password_alone_opens_no_admin_page(client, reviewer, admin_user, has_device):
    assessment, _ = make_assessment()
    if has_device:
        confirmed_device(reviewer)
        confirmed_device(admin_user)
    log_in_with_password(client)
    superuser = Client()
    log_in_with_password(superuser, "admin", "password")  # pytest-django's admin_user
    for browser in (client, superuser):
        for page in admin_pages(assessment):
            response = browser.get(page)
            assert response.status_code == 302, page
            assert response["Location"].startswith(LOGIN), page
        # The login page sends a session with a password on to the code.
        assert browser.get(LOGIN)["Location"].startswith(SECOND_FACTOR)
    # Nor does an action, sent straight to the list.
    action = {"action": "download_selected", "_selected_action": [assessment.pk]}
    assert client.post(LIST, action).status_code == 302


def test_a_verified_superuser_reaches_every_admin_page(admin_client):
    assessment, _ = make_assessment()
    for page in admin_pages(assessment):
        assert admin_client.get(page).status_code == 200, page


def enrol(client) -> tuple[str, TOTPDevice]:
    """Open the enrolment page; return it and the app the QR code describes."""
    page = client.get(SECOND_FACTOR).text
    secret = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page)[1].replace(" ", "")
    device = TOTPDevice.objects.get(confirmed=False)
    assert b32decode(secret) == device.bin_key
    return page, device


def test_a_reviewer_with_no_app_sets_one_up_after_the_password(client, reviewer):
    log_in_with_password(client)
    page, device = enrol(client)
    # The QR code is an SVG drawn on the server, in a data: URI; nothing inline.
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page)
    assert not INLINE.search(page)
    assert enrol(client)[1] == device  # a reload keeps the same secret

    now = totp(device.bin_key)
    response = client.post(SECOND_FACTOR, {"code": f"{now:06d}", "next": LIST})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.text)
    assert len(codes) == 10
    assert not INLINE.search(response.text)
    device.refresh_from_db()
    assert device.confirmed
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True)
    )
    assert client.get(LIST).status_code == 200
    # The codes are shown once: the page now sends the verified session on.
    assert client.get(SECOND_FACTOR)["Location"] == "/admin/"


def test_a_wrong_code_at_enrolment_is_refused(client, reviewer):
    log_in_with_password(client)
    _, device = enrol(client)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = client.post(SECOND_FACTOR, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(LIST).status_code == 302


def test_a_reviewer_with_an_app_types_its_code(client, reviewer):
    device = confirmed_device(reviewer)
    log_in_with_password(client)
    page = client.get(SECOND_FACTOR)
    assert "type the 6-digit code" in page.text
    assert 'autocomplete="one-time-code"' in page.text
    response = client.post(SECOND_FACTOR, {"code": code(device), "next": LIST})
    assert response["Location"] == LIST
    assert client.get(LIST).status_code == 200


def test_a_wrong_or_reused_code_is_refused(client, reviewer, settings):
    # django-otp also refuses every code for a second after a wrong one, two after the next,
    # and so on; off here, so the right code can follow at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = confirmed_device(reviewer)
    log_in_with_password(client)
    now = code(device)
    wrong = f"{(int(now) + 1) % 1_000_000:06d}"
    response = client.post(SECOND_FACTOR, {"code": wrong})
    assert "That code is not right, or has already been used." in response.text
    assert client.get(LIST).status_code == 302
    assert client.post(SECOND_FACTOR, {"code": now})["Location"] == "/admin/"
    # The same code, again, from another browser with the password.
    other = Client()
    log_in_with_password(other)
    assert other.post(SECOND_FACTOR, {"code": now}).status_code == 200
    assert other.get(LIST).status_code == 302


def test_next_cannot_lead_to_another_site(client, reviewer):
    device = confirmed_device(reviewer)
    log_in_with_password(client)
    response = client.post(SECOND_FACTOR, {"code": code(device), "next": "https://evil.test/"})
    assert response["Location"] == "/admin/"


def test_a_backup_code_works_once_instead_of_the_app(client, reviewer):
    log_in_with_password(client)
    _, device = enrol(client)
    response = client.post(SECOND_FACTOR, {"code": f"{totp(device.bin_key):06d}"})
    backup = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.text)[0]

    phone_lost = Client()
    log_in_with_password(phone_lost)
    assert phone_lost.post(SECOND_FACTOR, {"code": backup})["Location"] == "/admin/"
    assert phone_lost.get(LIST).status_code == 200
    again = Client()
    log_in_with_password(again)
    assert again.post(SECOND_FACTOR, {"code": backup}).status_code == 200
    assert again.get(LIST).status_code == 302
    assert StaticToken.objects.filter(device__user=reviewer).count() == 9


def test_a_superuser_resets_a_lost_phone_from_the_user_admin(admin_client, reviewer):
    confirmed_device(reviewer)
    reviewer_browser = Client()
    log_in_verified(reviewer_browser, reviewer)
    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [reviewer.pk]},
        follow=True,
    )
    assert "Reset the second factor of 1 account(s)" in response.text
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    # Its sessions lose the second factor with the device, and the next login enrols again.
    assert reviewer_browser.get(LIST).status_code == 302
    client = Client()
    log_in_with_password(client)
    assert "Set up your authenticator app" in client.get(SECOND_FACTOR).text


def test_a_reviewer_cannot_reset_anyone(reviewer_client, admin_user):
    device = confirmed_device(admin_user)
    response = reviewer_client.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [admin_user.pk]}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_reset_second_factor_deletes_the_app_and_the_backup_codes(client, reviewer):
    log_in_with_password(client)
    _, device = enrol(client)
    client.post(SECOND_FACTOR, {"code": f"{totp(device.bin_key):06d}"})
    out = StringIO()
    call_command("reset_second_factor", "Reviewer@example.org", stdout=out)
    assert "Deleted 2 device(s) of reviewer@example.org" in out.getvalue()
    assert not TOTPDevice.objects.exists()
    assert not StaticToken.objects.exists()
    assert client.get(LIST).status_code == 302


def test_reset_second_factor_names_an_unknown_account(db):
    with pytest.raises(Exception, match="There is no account for nobody@example.org"):
        call_command("reset_second_factor", "nobody@example.org")


def test_the_device_admins_of_django_otp_are_not_registered():
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    assert User in admin.site._registry


@pytest.mark.parametrize("has_device", [False, True], ids=["enrolment", "the code step"])
def test_the_second_factor_page_logs_out(client, reviewer, has_device):
    if has_device:
        confirmed_device(reviewer)
    log_in_with_password(client)
    assert 'name="log_out"' in client.get(SECOND_FACTOR).text
    response = client.post(SECOND_FACTOR, {"log_out": "1"})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_create_hr_reviewer_says_how_the_second_factor_works(db):
    out = StringIO()
    call_command("create_hr_reviewer", "hr@example.org", "--no-input", stdout=out)
    assert "scan a QR code with an authenticator app" in out.getvalue()
    assert "10 backup codes" in out.getvalue()
    assert "reset_second_factor hr@example.org" in out.getvalue()


def test_a_logged_in_person_who_is_not_staff_sees_the_login_page(client, db):
    person = User.objects.create_user("person@example.org", password="x")
    client.force_login(person)
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert client.get(SECOND_FACTOR)["Location"] == LOGIN


def key_shown(client) -> bytes:
    page = client.get(SECOND_FACTOR).text
    return b32decode(re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page)[1].replace(" ", ""))


def test_each_session_sets_up_its_own_key_so_another_with_the_password_learns_nothing(reviewer):
    intruder, owner = Client(), Client()
    log_in_with_password(intruder)
    log_in_with_password(owner)
    theirs, key = key_shown(intruder), key_shown(owner)
    assert theirs != key
    assert key_shown(owner) == key  # a reload keeps this session's key

    response = owner.post(SECOND_FACTOR, {"code": f"{totp(key):06d}"})
    assert response.status_code == 200 and owner.get(LIST).status_code == 200
    # The intruder's key was never confirmed, and is gone: its codes open nothing.
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=False).exists()
    intruder.post(SECOND_FACTOR, {"code": f"{totp(theirs):06d}"})
    assert intruder.get(LIST).status_code == 302


def test_passing_the_second_factor_gives_the_session_a_new_key(client, reviewer):
    device = confirmed_device(reviewer)
    log_in_with_password(client)
    cookie = settings.SESSION_COOKIE_NAME
    before = client.cookies[cookie].value
    client.post(SECOND_FACTOR, {"code": code(device)})
    assert client.cookies[cookie].value != before
    stolen = Client()
    stolen.cookies[cookie] = before
    assert stolen.get(LIST).status_code == 302


def test_a_refused_code_is_not_kept_in_the_record_of_failed_logins(client, reviewer):
    device = confirmed_device(reviewer)
    log_in_with_password(client)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    client.post(SECOND_FACTOR, {"code": wrong})
    [attempt] = AccessAttempt.objects.all()
    assert wrong not in attempt.post_data


def test_a_code_sent_during_the_delay_after_a_wrong_one_is_not_counted_as_wrong(client, reviewer):
    """django-otp checks no code for a second after a wrong one: the right code sent then is
    not checked, so it says how long to wait and adds nothing to the lockout count."""
    device = confirmed_device(reviewer)
    log_in_with_password(client)
    right = code(device)
    client.post(SECOND_FACTOR, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    [attempt] = AccessAttempt.objects.all()
    response = client.post(SECOND_FACTOR, {"code": right})
    assert "Too soon after a wrong code. Wait 1 second, then try again." in response.text
    attempt.refresh_from_db()
    assert attempt.failures_since_start == 1
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=1)
    device.save()
    assert client.post(SECOND_FACTOR, {"code": right})["Location"] == "/admin/"


def test_a_code_sent_during_the_delay_at_enrolment_is_not_counted_as_wrong(client, reviewer):
    log_in_with_password(client)
    _, device = enrol(client)
    right = f"{totp(device.bin_key):06d}"
    client.post(SECOND_FACTOR, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    response = client.post(SECOND_FACTOR, {"code": right})
    assert "Wait 1 second" in response.text
    assert AccessAttempt.objects.get().failures_since_start == 1
