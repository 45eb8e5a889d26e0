"""Error pages: the site's own look, no traceback or SQL, and a 503 while the database is down.

This module is also a URLconf (``@pytest.mark.urls``): the site's URLs and error handlers plus
views that fail on purpose.
"""

import socket
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError, ProgrammingError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path

from advice.flow import STEPS
from advice.models import Assessment
from interview_advisor import urls as site_urls
from interview_advisor.errors import caused_by_database_outage
from tests.helpers.assessments import make_assessment
from tests.helpers.database import database_down
from tests.helpers.questionnaire import answer, step_url
from tests.helpers.server import HOST, PRODUCTION, gunicorn

SECRET_SQL = 'SELECT "advice_assessment"."token_hash" FROM "advice_assessment" WHERE secret'


def fail_with_sql(request):
    raise ProgrammingError(f'relation "advice_assessment" does not exist: {SECRET_SQL}')


def fail_with_locked_database(request):
    raise OperationalError("database is locked")


def forbid(request):
    raise PermissionDenied


urlpatterns = [
    path("fail/sql/", fail_with_sql),
    path("fail/locked/", fail_with_locked_database),
    path("fail/forbidden/", forbid),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler500 = site_urls.handler500

uses_failing_views = pytest.mark.urls("tests.test_errors")


@pytest.fixture
def browser():
    """A client that, like a browser, gets the error page instead of the exception."""
    return Client(raise_request_exception=False)


def assert_site_page(response, heading: str) -> str:
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html
    assert '<a class="site-name" href="/">Interview Advisor</a>' in html
    assert "/static/css/site." in html
    assert "Traceback" not in html
    assert response["Content-Security-Policy"]
    return html


# -- 400, 403, 404, 500 ----------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_page_is_a_404_in_the_site_look(browser):
    response = browser.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page(response, "Page not found")


def test_request_for_a_foreign_host_is_a_400_in_the_site_look(browser):
    response = browser.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    html = assert_site_page(response, "Sorry, that request could not be understood")
    assert "attacker.example" not in html


def browser_with_csrf_cookie(page: str) -> tuple[Client, str]:
    """Return a client that checks CSRF as a browser meets it, with the cookie from ``page``."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    assert client.get(page).status_code == 200
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


@pytest.fixture(params=["admin login", "question", "delete"])
def form_page(request, db):
    """Return the address of a page with a public POST form."""
    if request.param == "admin login":
        return "/admin/login/"
    if request.param == "question":
        return step_url(STEPS[0].name)
    _, token = make_assessment()
    return f"{Assessment.result_url(token)}delete/"


def test_a_form_body_undecodable_or_over_64_kb_is_a_400_in_the_site_look(form_page):
    client, csrf = browser_with_csrf_cookie(form_page)
    rows = Assessment.objects.count()
    # Django's own 400 handler read an undecodable body again to find the CSRF token, and
    # failed again.
    undecodable = client.post(
        form_page,
        f"csrfmiddlewaretoken={csrf}&username=a&password=b",  # sent as UTF-16
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    too_long = client.post(form_page, {"csrfmiddlewaretoken": csrf, "note": "x" * 64 * 1024})
    for response in (undecodable, too_long):
        assert response.status_code == 400
        assert_site_page(response, "Sorry, that request could not be understood")
    assert Assessment.objects.count() == rows


BOUNDARY = "upload-boundary-5c1d"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
SIXTY_FOUR_MB = 64 * 1024 * 1024


class LargeUpload:
    """A multipart body with one 64 MB file part, made as it is read, as ``wsgi.input``.

    It records how many bytes were read and the largest file seen in ``temp_dir`` while they
    were, so a test can tell whether the body was read, or spooled to disk, at all.
    """

    def __init__(self, csrf: str, temp_dir: Path, size: int = SIXTY_FOUR_MB):
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{csrf}\r\n--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="upload"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = size
        self.temp_dir = temp_dir
        self.read_bytes = 0
        self.largest_temp_file = 0

    def read(self, size: int = -1) -> bytes:
        start = self.read_bytes
        end = self.length if size < 0 else min(start + size, self.length)
        filler_end = self.length - len(self.tail)
        chunk = b"".join(
            [
                self.head[start:end],
                b"x" * max(0, min(end, filler_end) - max(start, len(self.head))),
                self.tail[max(0, start - filler_end) : max(0, end - filler_end)],
            ]
        )
        self.read_bytes = end
        files = [path.stat().st_size for path in self.temp_dir.iterdir()]
        self.largest_temp_file = max([self.largest_temp_file, *files])
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def test_a_64_mb_upload_is_a_400_before_its_body_is_read(form_page, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client, csrf = browser_with_csrf_cookie(form_page)
    upload = LargeUpload(csrf, tmp_path)
    started = time.monotonic()
    response = client.generic(
        "POST",
        form_page,
        CONTENT_TYPE=MULTIPART,
        CONTENT_LENGTH=str(upload.length),
        **{"wsgi.input": upload},
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert_site_page(response, "Sorry, that request could not be understood")
    assert upload.read_bytes == 0
    assert upload.largest_temp_file == 0
    assert list(tmp_path.iterdir()) == []
    assert elapsed < 1


def test_a_form_with_a_file_in_it_is_a_400_and_stores_nothing(form_page, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client, csrf = browser_with_csrf_cookie(form_page)
    upload = SimpleUploadedFile("note.txt", b"x" * 1024)
    response = client.post(form_page, {"csrfmiddlewaretoken": csrf, "upload": upload})
    assert response.status_code == 400
    assert_site_page(response, "Sorry, that request could not be understood")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content_type", "headers"),
    [
        # Not a form at all, so Django would never read it, and the CSRF check said 403.
        ("text/plain", {"CONTENT_LENGTH": str(64 * 1024 + 1)}),
        # A chunked body, whose length nobody knows until it has been read.
        ("application/x-www-form-urlencoded", {"HTTP_TRANSFER_ENCODING": "chunked"}),
    ],
)
def test_a_body_over_64_kb_or_of_unknown_length_is_a_400(form_page, content_type, headers):
    client, csrf = browser_with_csrf_cookie(form_page)
    response = client.post(
        form_page, f"csrfmiddlewaretoken={csrf}", content_type=content_type, **headers
    )
    assert response.status_code == 400
    assert_site_page(response, "Sorry, that request could not be understood")


def test_gunicorn_answers_a_64_mb_upload_after_its_headers(collected_static, tmp_path):
    """The app's own server refuses the upload before the client has sent its body."""
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    env = {
        **PRODUCTION,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TMPDIR": str(temp_dir),
    }
    head = (
        f"POST /questions/employment/ HTTP/1.1\r\nHost: {HOST}\r\n"
        f"Content-Type: {MULTIPART}\r\nContent-Length: {SIXTY_FOUR_MB}\r\n\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="a"\r\n\r\n'
    )
    with gunicorn(tmp_path, **env) as port, socket.create_connection((HOST, port)) as sock:
        started = time.monotonic()
        sock.settimeout(10)  # gunicorn would wait up to its 30 s timeout for the body
        sock.sendall(head.encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        elapsed = time.monotonic() - started
    answer = received.decode(errors="replace")
    assert answer.startswith("HTTP/1.1 400 Bad Request"), answer[:200]
    assert "Sorry, that request could not be understood" in answer
    assert elapsed < 2
    assert list(temp_dir.iterdir()) == []


def test_a_long_review_still_fits_under_the_cap(reviewer_client):
    assessment, _ = make_assessment()
    notes = "A reviewer's notes, written at length. " * 1000  # 39 KB
    url = f"/admin/advice/assessment/{assessment.pk}/change/"
    response = reviewer_client.post(url, {"review_status": "reviewed", "review_notes": notes})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.review_notes == notes.strip()


@pytest.mark.django_db
def test_form_without_csrf_token_is_a_403_in_the_site_look():
    client = Client(enforce_csrf_checks=True)
    client.get("/questions/")
    response = client.post(step_url("employment"), {"employment-employed": "yes"})
    assert response.status_code == 403
    html = assert_site_page(response, "Sorry, you cannot do that")
    assert "CSRF" not in html


@uses_failing_views
def test_permission_denied_is_a_403_in_the_site_look(browser):
    response = browser.get("/fail/forbidden/")
    assert response.status_code == 403
    assert_site_page(response, "Sorry, you cannot do that")


@uses_failing_views
def test_server_error_is_a_500_without_traceback_or_sql(browser):
    response = browser.get("/fail/sql/")
    assert response.status_code == 500
    html = assert_site_page(response, "Sorry, there is a problem with the service")
    assert "advice_assessment" not in html
    assert "SELECT" not in html
    assert "Retry-After" not in response
    assert "Only answers you had already confirmed are saved." in html  # no double negative


# -- 503 while the database is down ----------------------------------------------------------


@uses_failing_views
def test_locked_database_is_a_503_with_retry_after(browser):
    response = browser.get("/fail/locked/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert_site_page(response, "Sorry, the service is unavailable")


@pytest.mark.django_db
@pytest.mark.db_engine
def test_result_page_is_a_503_while_the_database_is_down_then_recovers(browser):
    assessment, token = make_assessment()
    url = assessment.result_url(token)
    with database_down():
        response = browser.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = assert_site_page(response, "Sorry, the service is unavailable")
    assert "5432" not in html
    assert browser.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.db_engine
def test_questionnaire_is_a_503_while_the_database_is_down_and_keeps_the_answers(browser):
    answer(browser, "employed", "yes")
    with database_down():
        response = browser.get(step_url("approach"))
    assert response.status_code == 503
    assert_site_page(response, "Sorry, the service is unavailable")
    # Back up, the next question opens: the session kept the first answer (without it, the
    # questionnaire would send the person back to the first question).
    assert browser.get(step_url("approach")).status_code == 200


@pytest.mark.django_db
@pytest.mark.db_engine
def test_503_page_renders_without_touching_the_database(browser):
    # Inside database_down every query raises, so the page rendering at all proves the point;
    # the query log confirms it.
    with CaptureQueriesContext(connections["default"]) as queries, database_down():
        response = browser.get(
            step_url("employment"), HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={'a' * 32}"
        )
    assert response.status_code == 503
    assert len(queries) == 0


@pytest.mark.parametrize(
    ("exc", "down"),
    [
        (OperationalError("server closed the connection unexpectedly"), True),
        (InterfaceError("connection already closed"), True),
        (ProgrammingError("relation does not exist"), False),
        (ValueError("bad"), False),
        (None, False),
    ],
)
def test_only_connection_errors_count_as_an_outage(exc, down):
    assert caused_by_database_outage(exc) is down


def test_an_outage_is_recognised_behind_another_exception():
    try:
        try:
            raise OperationalError("could not connect")
        except OperationalError as cause:
            raise RuntimeError("while saving the session") from cause
    except RuntimeError as exc:
        assert caused_by_database_outage(exc)
