"""Admin brute force: django-axes locks a username from one address after 5 failed logins.

Behind the TLS proxy (``DJANGO_BEHIND_TLS_PROXY=1``) the address is the one the proxy appends
to ``X-Forwarded-For``; elsewhere it is the connection's.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.utils import timezone

from interview_advisor.proxy import client_address
from tests.helpers.second_factor import code, confirmed_device
from tests.helpers.server import settings_in_production

LOGIN = "/admin/login/?next=/admin/"
SECOND_FACTOR = "/admin/second-factor/"
PASSWORD = "a-long-test-password"  # the reviewer fixture's
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def log_in(client, password, username="reviewer@example.org", address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def enter_code(client, value, address="203.0.113.7"):
    return client.post(SECOND_FACTOR, {"code": value}, REMOTE_ADDR=address)


def fail(client, times, **kwargs):
    """Fail ``times`` logins; return the status codes. The 5th failure locks at once."""
    codes = [log_in(client, "wrong-password", **kwargs).status_code for _ in range(times)]
    assert "_auth_user_id" not in client.session
    return codes


def test_a_reviewer_logs_in_normally(client, reviewer):
    device = confirmed_device(reviewer)
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == reviewer.pk
    assert enter_code(client, code(device)).status_code == 302
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


# -- the second factor ---------------------------------------------------------------------


@pytest.fixture
def no_code_wait(settings):
    """Turn off django-otp's wait after a wrong code, which would leave the codes below
    unchecked (test_second_factor shows that wait): here each one is checked and counted."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_wrong_codes_count_towards_the_lockout_like_wrong_passwords(client, reviewer, no_code_wait):
    device = confirmed_device(reviewer)
    fail(client, 2)
    assert log_in(client, PASSWORD).status_code == 302
    codes = [enter_code(client, "000000").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the 5th failure, passwords and codes together
    assert AccessAttempt.objects.get().failures_since_start == 5
    # The lockout logs the session out; the right password and code no longer get in.
    assert "_auth_user_id" not in client.session
    assert log_in(client, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302
    assert device.verify_token(code(device))  # the code was right, and never used


def test_logging_in_again_does_not_wipe_the_failed_codes(client, reviewer, no_code_wait):
    confirmed_device(reviewer)
    for _ in range(2):
        assert log_in(client, PASSWORD).status_code == 302
        assert [enter_code(client, "000000").status_code for _ in range(2)] == [200, 200]
    assert log_in(client, PASSWORD).status_code == 302
    assert enter_code(client, "000000").status_code == 429


def test_enrolment_codes_count_towards_the_lockout_too(client, reviewer, no_code_wait):
    assert log_in(client, PASSWORD).status_code == 302  # no device yet: enrolment
    codes = [enter_code(client, "000000").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]


# -- what a failed login may cost --------------------------------------------------------------


@pytest.mark.db_engine
def test_a_username_longer_than_any_account_s_is_a_form_error(client, reviewer):
    # django-axes stores the username in 255 characters: PostgreSQL refused a longer one with
    # a 500, and the attempt went uncounted.
    response = log_in(client, "wrong-password", username="a" * 256)
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 256)." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The longest username an account can have is still checked, and counted.
    assert log_in(client, "wrong-password", username="b" * 150).status_code == 200
    assert AccessAttempt.objects.get().username == "b" * 150


def attempt_size(attempt: AccessAttempt) -> int:
    """Return the characters an attempt row holds in its text columns."""
    columns = ("username", "user_agent", "http_accept", "path_info", "get_data", "post_data")
    return sum(len(getattr(attempt, column)) for column in columns)


@pytest.mark.db_engine
def test_400_failed_logins_leave_an_attempt_row_of_a_few_kb(client, reviewer):
    # What the review sent: each attempt with about 1 KB of query string and 1 KB of fields,
    # which django-axes cuts to 1,024 characters each and used to append to the row.
    padding = "x" * 1000
    codes = [
        client.post(
            f"{LOGIN}&pad={padding}",
            {"username": "reviewer@example.org", "password": "wrong-password", "pad": padding},
            REMOTE_ADDR="203.0.113.7",
        ).status_code
        for _ in range(400)
    ]
    assert codes == [200] * 4 + [429] * 396
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 400  # every refusal still counts
    assert attempt_size(attempt) < 3 * 1024
    # The latest attempt's fields are kept, the password masked.
    assert "x" * 500 in attempt.post_data
    assert "wrong-password" not in attempt.post_data


# -- behind the TLS proxy --------------------------------------------------------------------

PROXY = "127.0.0.1"  # every connection behind the proxy comes from it
ATTACKER = "198.51.100.66"


@pytest.fixture(scope="module")
def proxy_setting():
    """Return what production sets for django-axes's client address behind the proxy."""
    return settings_in_production("AXES_CLIENT_IP_CALLABLE", DJANGO_BEHIND_TLS_PROXY="1")


@pytest.fixture
def behind_proxy(settings, proxy_setting):
    for name, value in proxy_setting.items():
        setattr(settings, name, value)


def via_proxy(client, password, forwarded, username="reviewer@example.org"):
    """Log in as the proxy passes a request on: its own address, the client's appended."""
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def lock_out_attacker(client):
    codes = [via_proxy(client, "wrong-password", ATTACKER).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]


def test_behind_the_proxy_failures_from_elsewhere_do_not_lock_the_reviewer_out(
    behind_proxy, reviewer
):
    lock_out_attacker(Client())
    reviewer_browser = Client()
    assert via_proxy(reviewer_browser, PASSWORD, "203.0.113.7").status_code == 302
    assert int(reviewer_browser.session["_auth_user_id"]) == reviewer.pk


@pytest.mark.parametrize(
    "spoofed",
    [
        f"203.0.113.7, {ATTACKER}",  # the proxy appends the real address to what was sent
        f"{PROXY}, {ATTACKER}",
        f'", {ATTACKER}',  # an unclosed quote, which RFC 7239 parsers read as one string
        f"for=203.0.113.7, {ATTACKER}",
        f"not-an-address, {ATTACKER}",
    ],
)
def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(
    behind_proxy, reviewer, spoofed
):
    lock_out_attacker(Client())
    assert via_proxy(Client(), PASSWORD, spoofed).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_without_the_proxy_setting_the_connection_address_counts(reviewer):
    # The header is anyone's to write when nothing in front of the app sets it.
    lock_out_attacker(Client())
    assert via_proxy(Client(), PASSWORD, "203.0.113.7").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.parametrize(
    ("meta", "address"),
    [
        ({"HTTP_X_FORWARDED_FOR": "192.0.2.1, 2001:db8::7"}, "2001:db8::7"),
        ({"HTTP_X_FORWARDED_FOR": " 192.0.2.1 "}, "192.0.2.1"),
        ({}, PROXY),  # not through the proxy: a health check on the machine
        ({"HTTP_X_FORWARDED_FOR": "192.0.2.1, unknown"}, PROXY),
    ],
)
def test_the_client_address_is_the_rightmost_forwarded_one(meta, address):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **meta)
    assert client_address(request) == address
