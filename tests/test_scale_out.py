"""Scale-out: two gunicorn processes on one PostgreSQL serve one questionnaire between them.

Every request goes to the other process than the one before, as a load balancer without
sticky sessions would send them; the verdict and the saved row must be exactly those one
process gives. Skips on SQLite; `make test-postgres` runs it and fails if it skipped.
"""

import itertools
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection

from advice.flow import CHECK_STEP, STEPS
from advice.models import Assessment
from tests.helpers.questionnaire import VERDICT_WALKS, step_post
from tests.helpers.server import PRODUCTION, PUBLIC_HOST, Browser, gunicorn

pytestmark = [
    pytest.mark.db_engine,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL only: make test-postgres runs it",
    ),
]

FACT_FOR_STEP = {step.name: step.fact for step in STEPS}


def complete_questionnaire(browser: Browser, answers: dict) -> tuple[str, str]:
    """Answer every question asked and confirm; return the result URL and the result page."""
    response = browser.get("/questions/")
    assert response.status == 302, response.text
    first = browser.get(response.headers["Location"])  # for the CSRF cookie and token
    assert first.status == 200
    location = response.headers["Location"]
    while (step := location.rstrip("/").rsplit("/", 1)[-1]) != CHECK_STEP:
        fact = FACT_FOR_STEP[step]
        response = browser.post(location, step_post(fact, answers[fact]))
        assert response.status == 302, response.text
        location = response.headers["Location"]
        session_key = browser.cookies["sessionid"]
        # The questionnaire lives in the database, where every process can read it.
        assert "questionnaire" in Session.objects.get(pk=session_key).get_decoded()
    check = browser.get(location)
    assert check.status == 200
    token = re.search(r'name="token" value="([^"]+)"', check.text).group(1)
    response = browser.post(location, {"token": token})
    assert response.status == 302, response.text
    result_url = response.headers["Location"]
    result = browser.get(result_url)
    assert result.status == 200
    return result_url, result.text


def verdict_section(html: str) -> str:
    """Return the result page's main content, which holds the verdict and what it cites."""
    return re.search(r'<main id="main".*?</main>', html, re.S).group(0)


def token_of(result_url: str) -> str:
    return result_url.rstrip("/").rsplit("/", 1)[-1]


def reference(result_url: str) -> str:
    return Assessment.objects.for_token(token_of(result_url)).get().reference


def saved_row(result_url: str) -> dict:
    row = Assessment.objects.for_token(token_of(result_url)).values().get()
    for per_row in ("id", "token_hash", "created_at"):
        row.pop(per_row)
    return row


@pytest.fixture(scope="module")
def two_processes(django_db_setup, django_db_blocker, tmp_path_factory, collected_static):
    """Start two gunicorn processes on two ports, both on the test database."""
    with django_db_blocker.unblock():
        db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **PRODUCTION,
        # This process's key, so the test can read the sessions the servers sign.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": PUBLIC_HOST,
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DATABASE_URL": url,
    }
    logs = tmp_path_factory.mktemp("gunicorn")
    with gunicorn(logs, **env) as first, gunicorn(logs, **env) as second:
        yield [first, second]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("answers", "verdict"), list(VERDICT_WALKS.values()), ids=list(VERDICT_WALKS)
)
def test_questionnaire_across_two_processes_matches_one_process(two_processes, answers, verdict):
    across = Browser(two_processes)
    across_url, across_page = complete_questionnaire(across, answers)
    alone = Browser(two_processes[:1])
    alone_url, alone_page = complete_questionnaire(alone, answers)

    # Each request went to the other process than the one before it, so every step read
    # what the other process had written.
    ports = [port for _, port in across.served_by]
    assert all(a != b for a, b in itertools.pairwise(ports))
    assert set(ports) == set(two_processes)

    assert Assessment.objects.count() == 2
    assert saved_row(across_url) == saved_row(alone_url)
    assert saved_row(across_url)["answers"] == answers
    assert saved_row(across_url)["verdict"] == verdict
    assert f'data-verdict="{verdict}"' in across_page
    # The pages differ only in the result link and the reference derived from it.
    alone_page = alone_page.replace(alone_url, across_url)
    alone_page = alone_page.replace(reference(alone_url), reference(across_url))
    assert verdict_section(across_page) == verdict_section(alone_page)


def test_sessions_are_kept_in_the_database():
    engine = import_module(settings.SESSION_ENGINE)
    assert issubclass(engine.SessionStore, DatabaseSessionStore)
