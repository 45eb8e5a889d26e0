"""Security headers on every page type, cookies, the HTTPS redirect, and no inline code."""

import gzip
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.test import Client

from advice.flow import CHECK_STEP, STEPS
from tests.helpers.assessments import make_assessment
from tests.helpers.questionnaire import GO_ANSWERS, answer, step_url, walk
from tests.helpers.second_factor import log_in_verified

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    """Return the response's Content-Security-Policy as {directive: sources}."""
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in directives}


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("hr", "hr@example.org", "a-long-test-password")


@pytest.fixture
def hr_client(client, superuser):
    log_in_verified(client, superuser)
    return client


def page_url(kind: str, client) -> str:
    """Return the URL of one page of ``kind``, preparing the client's state for it."""
    if kind == "home":
        return "/"
    if kind == "step":
        return step_url("employment")
    if kind == "check answers":
        walk(client, GO_ANSWERS)
        return step_url(CHECK_STEP)
    if kind == "result":
        assessment, token = make_assessment()
        return assessment.result_url(token)
    if kind == "admin login":
        return "/admin/login/"
    if kind == "admin list":
        log_in_verified(client, User.objects.create_superuser("hr", "hr@example.org", "pw-1234"))
        return "/admin/auth/user/"
    raise AssertionError(kind)


PAGE_KINDS = ["home", "step", "check answers", "result", "admin login", "admin list"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_type_sends_the_security_headers(client, kind):
    response = client.get(page_url(kind, client), secure=True)
    assert response.status_code == 200
    assert policy(response) == CSP
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    expected_referrer_policy = "no-referrer" if kind == "result" else "same-origin"
    assert response["Referrer-Policy"] == expected_referrer_policy


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["step", "check answers", "result", "delete", "deleted"])
def test_pages_with_a_person_s_answers_are_not_kept_by_caches(client, kind):
    if kind == "step":
        answer(client, "employed", "yes")  # the step after it shows what was answered
    if kind in ("delete", "deleted"):
        assessment, token = make_assessment()
        url = f"{assessment.result_url(token)}delete/"
        if kind == "deleted":
            url = client.post(url)["Location"]
    else:
        url = page_url(kind, client)
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"].replace(" ", "").split(",")


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_lax_and_the_session_s_httponly(client):
    session = answer(client, "employed", "yes").cookies["__Host-sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    csrf = client.get(step_url("employment")).cookies["__Host-csrftoken"]
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
    # What the __Host- prefix asks of a browser before it keeps the cookie.
    for cookie in (session, csrf):
        assert (cookie["path"], cookie["domain"]) == ("/", "")


@pytest.mark.django_db
def test_no_get_of_the_questionnaire_creates_a_session():
    pages = ["/", "/questions/", *(step_url(step.name) for step in STEPS), step_url(CHECK_STEP)]
    sessions = Session.objects.count()  # a test before may have left one in the database
    for page in pages:
        for query in ("", "?change"):
            response = Client().get(page + query)
            assert response.status_code in (200, 302), page + query
            assert settings.SESSION_COOKIE_NAME not in response.cookies, page + query
    assert Session.objects.count() == sessions


@pytest.mark.django_db
def test_the_delete_page_and_its_answer_send_only_the_origin_as_referrer(client):
    # Its address holds the result token; the form's POST still carries the Origin that the
    # CSRF check reads.
    assessment, token = make_assessment()
    url = f"{assessment.result_url(token)}delete/"
    assert client.get(url)["Referrer-Policy"] == "strict-origin"
    assert client.post(url)["Referrer-Policy"] == "strict-origin"


def test_plain_http_is_redirected_to_https_when_the_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/questions/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/questions/?x=1"
    assert client.get("/", secure=True).status_code == 200


# -- no inline code --------------------------------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collect what a policy without 'unsafe-inline' would block: inline script and style."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<div style="color: red">',
        '<button onclick="go()">',
        "<style>p {}</style>",
        '<a href="javascript:go()">',
        '<body onload="go()">',
    ],
)
def test_inline_code_finder_finds_inline_code(html):
    assert inline_code(html)


def test_inline_code_finder_allows_external_code_and_data():
    html = (
        '<script src="/static/a.js" data-x="1"></script><link rel="stylesheet" href="/a.css">'
        '<p class="once">one=two</p><input name="online">'
    )
    assert inline_code(html) == []


def test_no_template_contains_inline_script_style_or_handler():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    found = {
        str(path.relative_to(TEMPLATES)): inline_code(path.read_text())
        for path in templates
        if inline_code(path.read_text())
    }
    assert found == {}


@pytest.mark.django_db
def test_questionnaire_pages_as_rendered_have_no_inline_code(client):
    pages = ["/", "/admin/login/", step_url("employment")]
    walk(client, GO_ANSWERS)
    pages += [step_url(step) for step in ("approach", "priorities", "time-off", CHECK_STEP)]
    assessment, token = make_assessment()
    pages.append(assessment.result_url(token))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url


def admin_pages(client) -> list[str]:
    """Return the admin's index plus the list, add and change page of every registered model."""
    pages = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        pages += [base, f"{base}add/"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(f"{base}{first.pk}/change/")
    return pages


@pytest.mark.django_db
def test_admin_pages_as_rendered_have_no_inline_code_and_the_policy(hr_client, superuser):
    Group.objects.create(name="HR")
    make_assessment()
    pages = admin_pages(hr_client)
    assert f"/admin/auth/user/{superuser.pk}/change/" in pages
    for url in pages:
        response = hr_client.get(url)
        # An add page the admin forbids (saved assessments are read-only) is our 403 page.
        assert response.status_code in (200, 403), url
        assert policy(response) == CSP, url
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/questions/employment/"])
def test_pages_are_compressed_for_browsers_that_accept_it(client, path):
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert '<meta name="description" content="' in html
    assert "Accept-Encoding" in response["Vary"]
