"""CSRF: every POST the site and the HR admin accept is refused without the token.

Each endpoint is posted twice from a client that enforces CSRF as a browser's would: without
the token it is a 403 and nothing changes; with it, the same POST does what it should.
"""

from functools import partial

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from advice.flow import CHECK_STEP
from advice.models import Assessment, ReviewStatus
from tests.helpers.assessments import make_assessment
from tests.helpers.questionnaire import GO_ANSWERS, STEP_FOR_FACT, step_post
from tests.helpers.second_factor import code, confirmed_device, log_in_verified

PASSWORD = "a-long-test-password"  # the reviewer fixture's


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def post_both_ways(client, path, data, *, before_token=None):
    """POST ``data`` without the CSRF token (must be 403), then with it; return the second."""
    refused = client.post(path, data)
    assert refused.status_code == 403, (path, refused.status_code)
    if before_token:
        before_token()
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client.post(path, {**data, "csrfmiddlewaretoken": token})


def test_every_wizard_step_and_the_check_page_need_the_token(browser, db):
    path = browser.get("/questions/")["Location"]
    steps = 0
    while not path.endswith(f"/{CHECK_STEP}/"):
        assert browser.get(path).status_code == 200
        step = path.rstrip("/").rsplit("/", 1)[-1]
        fact = next(f for f, s in STEP_FOR_FACT.items() if s == step)
        data = step_post(fact, GO_ANSWERS[fact])
        # Refused: the questionnaire still waits on this step.
        still_here = partial(assert_still_at, browser, path)
        accepted = post_both_ways(browser, path, data, before_token=still_here)
        assert accepted.status_code == 302, (path, accepted.status_code)
        path = accepted["Location"]
        steps += 1
    assert steps == len(GO_ANSWERS)

    page = browser.get(path).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    data = {"token": token}
    accepted = post_both_ways(browser, path, data, before_token=lambda: assert_count(Assessment, 0))
    assert accepted.status_code == 302
    assert accepted["Location"] == Assessment.result_url(token)
    assert Assessment.objects.count() == 1


def assert_still_at(client, path):
    assert client.get("/questions/")["Location"] == path


def assert_count(model, count):
    assert model.objects.count() == count


def test_the_delete_form_needs_the_token(browser, db):
    _, token = make_assessment()
    path = f"/result/{token}/delete/"
    assert browser.get(path).status_code == 200
    accepted = post_both_ways(browser, path, {}, before_token=lambda: assert_count(Assessment, 1))
    assert accepted.status_code == 302
    assert accepted["Location"] == "/deleted/"
    assert Assessment.objects.count() == 0


def test_the_admin_login_needs_the_token(browser, reviewer):
    browser.get("/admin/login/")
    data = {"username": reviewer.username, "password": PASSWORD}
    accepted = post_both_ways(
        browser,
        "/admin/login/?next=/admin/",
        data,
        before_token=lambda: assert_logged_out(browser),
    )
    assert accepted.status_code == 302
    assert int(browser.session["_auth_user_id"]) == reviewer.pk


def assert_logged_out(client):
    assert "_auth_user_id" not in client.session


@pytest.fixture
def reviewer_browser(browser, reviewer):
    log_in_verified(browser, reviewer)
    return browser


def test_the_review_form_needs_the_token(reviewer_browser, db):
    assessment, _ = make_assessment()
    path = f"/admin/advice/assessment/{assessment.pk}/change/"
    assert reviewer_browser.get(path).status_code == 200
    data = {"review_status": ReviewStatus.REVIEWED, "review_notes": "Seen.", "_save": "Save"}

    def unchanged():
        assessment.refresh_from_db()
        assert assessment.review_status == ReviewStatus.NEW

    accepted = post_both_ways(reviewer_browser, path, data, before_token=unchanged)
    assert accepted.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.review_status, assessment.review_notes) == (ReviewStatus.REVIEWED, "Seen.")


def test_the_admin_action_needs_the_token(reviewer_browser):
    assessment, _ = make_assessment()
    path = "/admin/advice/assessment/"
    assert reviewer_browser.get(path).status_code == 200
    data = {"action": "download_selected", "_selected_action": [assessment.pk], "index": 0}
    accepted = post_both_ways(reviewer_browser, path, data)
    assert accepted.status_code == 200
    assert accepted["Content-Type"].startswith("text/csv")


def test_the_admin_logout_needs_the_token(reviewer_browser):
    reviewer_browser.get("/admin/")
    accepted = post_both_ways(
        reviewer_browser,
        "/admin/logout/",
        {},
        before_token=lambda: assert_logged_in(reviewer_browser),
    )
    assert accepted.status_code == 200
    assert_logged_out(reviewer_browser)


def assert_logged_in(client):
    assert "_auth_user_id" in client.session


def every_view(resolver=None, prefix=""):
    """Yield (route, view) for every pattern in the URLconf, included ones too."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from every_view(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_no_view_in_the_urlconf_is_csrf_exempt():
    views = list(every_view())
    routes = {route for route, _ in views}
    # The walk reaches the site's views and the admin's, so an empty pass proves nothing.
    assert {"questions/<slug:step>/", "admin/login/", "admin/advice/assessment/"} <= routes
    assert len(views) > 20
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    assert exempt == []


def test_the_second_factor_step_needs_the_token(browser, reviewer):
    device = confirmed_device(reviewer)
    browser.force_login(reviewer)
    browser.get("/admin/second-factor/")  # sets the CSRF cookie
    response = post_both_ways(browser, "/admin/second-factor/", {"code": code(device)})
    assert response["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
