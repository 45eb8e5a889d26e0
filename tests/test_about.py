"""/about/ says who runs the service, what the article is, how the advice is made and reviewed,
and what is kept for how long; the start, result and error pages link to it."""

import html as html_lib
from datetime import date

import pytest

from advice.models import Assessment
from advice.rules import RULES_VERSION
from tests.helpers.assessments import make_assessment

pytestmark = pytest.mark.django_db
ABOUT_LINK = '<a href="/about/">About this service</a>'


def test_about_says_who_what_how_when_and_how_long(client, settings):
    settings.ADVICE_OPERATOR = "Example Jobs Ltd"
    settings.ADVICE_CONTACT = "privacy@example.org"
    settings.ADVICE_RETENTION_DAYS = 90
    response = client.get("/about/")
    assert response.status_code == 200
    html = " ".join(html_lib.unescape(response.content.decode()).split())
    assert (
        'Example Jobs Ltd (<a href="mailto:privacy@example.org">privacy@example.org</a>) runs'
        in html
    )
    assert "an article by Joe Stein, an HR professional in Western New York" in html
    assert (
        "“The Many Reasons to Go on That Interview”. WNYJobs published it on 9 March 2020." in html
    )
    assert "Under the same rules, the same answers always get the same advice." in html
    assert "You answer 10 or 11 short questions" in html
    assert "at least every six months" in html
    assert f"(version {RULES_VERSION})" in html
    day = date.fromisoformat(RULES_VERSION.split(".")[0])
    assert f"The rules in use today date from {day.day} {day:%B %Y}" in html
    assert "deleted after 90 days" in html
    assert "can no longer be opened after an hour without use" in html


def test_the_start_result_and_error_pages_link_to_about(client):
    _, token = make_assessment()
    pages = {
        "start": client.get("/"),
        "result": client.get(Assessment.result_url(token)),
        "not found": client.get("/no-such-page/"),
        "expired": client.post("/questions/approach/", {"approached_how": "recruiter"}),
    }
    for name, response in pages.items():
        assert ABOUT_LINK in response.content.decode(), name


def test_about_takes_only_get_and_head(client):
    assert client.post("/about/").status_code == 405
