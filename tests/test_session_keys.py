"""A session cookie that Django could not have made counts as no session, on every database.

PostgreSQL refuses a NUL byte in a query parameter, so a cookie holding one was a 500 on every
page that reads the session; SQLite let it through. These run on both.
"""

import pytest
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.models import Session
from django.test import Client

from advice.flow import STEPS
from interview_advisor.session_store import SessionStore
from tests.helpers.questionnaire import step_url

pytestmark = [pytest.mark.django_db, pytest.mark.db_engine]

# Cookie headers as sent: the first is the review's, a NUL byte in a quoted value.
FORGED = [
    'sessionid="abcdefgh\\000ijkl"',
    'sessionid="abcdefghijklmnop\\012"',
    "sessionid=ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
    "sessionid=abcdefghijklmnopqrstuvwxyz01234-",
]


@pytest.mark.parametrize("cookie", FORGED)
@pytest.mark.parametrize("page", ["/questions/", step_url(STEPS[0].name), "/admin/login/"])
def test_a_forged_session_cookie_is_treated_as_no_session(page, cookie):
    browser = Client(raise_request_exception=False)
    response = browser.get(page, HTTP_COOKIE=cookie)
    assert response.status_code in (200, 302)
    # Whatever the page stored went into a new session with a key of Django's own.
    new_key = browser.cookies["sessionid"].value
    if new_key:
        assert set(new_key) <= set(VALID_KEY_CHARS)
        assert Session.objects.filter(session_key=new_key).exists()


def test_the_store_keeps_a_key_of_django_s_alphabet_and_drops_any_other():
    session = SessionStore()
    session["x"] = 1
    session.create()
    assert SessionStore(session.session_key).load() == {"x": 1}
    for forged in ("abcdefgh\x00ijkl", f"{session.session_key}\x00", session.session_key.upper()):
        store = SessionStore(forged)
        assert store.session_key is None
        assert store.load() == {}
