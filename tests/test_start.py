"""The start page says who the service is for, what it asks and who can read the answers."""

import re

import pytest

from advice.flow import STEPS, step_applies

pytestmark = pytest.mark.django_db


def questions_asked(answers):
    return sum(step_applies(step, answers) for step in STEPS)


def test_start_page_gives_the_true_number_of_questions(client):
    fewest = questions_asked({"employed": "yes", "can_interview_confidentially": "yes"})
    most = questions_asked({"employed": "yes", "can_interview_confidentially": "no"})
    html = client.get("/").content.decode()
    counts = re.findall(r'<span class="question-count">([^<]+)</span>', html)
    assert counts == [f"{fewest} or {most}"]


def test_start_page_says_who_the_service_is_for(client):
    html = " ".join(client.get("/").content.decode().split())
    assert "For anyone in work who has a chance to interview for another job" in html
    assert "or you applied yourself" in html
    assert "If you are between jobs, there is nothing to weigh up: go to the interview." in html
    assert questions_asked({"employed": "no"}) == 1
    assert "asks you one question" in html


def test_start_page_names_who_can_read_the_answers_and_warns_off_work_devices(client, settings):
    settings.ADVICE_OPERATOR = "Example Jobs Ltd"
    settings.ADVICE_CONTACT = "privacy@example.org"
    settings.ADVICE_RETENTION_DAYS = 90
    html = " ".join(client.get("/").content.decode().split())
    assert (
        'Staff of Example Jobs Ltd (<a href="mailto:privacy@example.org">privacy@example.org</a>)'
        " can read them, but are not told who gave them." in html
    )
    assert "Anyone with your result’s link can read your answers" in html
    assert "not your employer" in html
    assert "cannot see" not in html
    assert "HR staff" not in html
    assert "deleted after 90 days" in html
    assert "do not ask for your name, email address" in html
    assert '<form method="post" action="/questions/">' in html
