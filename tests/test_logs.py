"""Logs never hold a person's answers or their result token.

Django's request logger names the path of every 4xx and 5xx, and a result path is its owner's
private key; ``interview_advisor.logging.RedactResultTokens`` blanks the token out. Each test
sends what the logs could catch: a canary value in a form, the result page fetched, posted to
(405), the delete page with a wrong method, a 404 and a 500 on the token's path, a CSRF
failure; then it searches everything logged for the canary and the token.
"""

import logging
import re
import socket
from unittest import mock

import pytest
from django.test import Client

from advice.flow import CHECK_STEP
from advice.models import Assessment
from tests.helpers.questionnaire import (
    GO_ANSWERS,
    STEP_FOR_FACT,
    confirm,
    confirm_token,
    step_post,
    walk,
)
from tests.helpers.server import PRODUCTION, Browser, fetch, gunicorn, manage

CANARY = "canary-7f3a9c-answer"
REDACTED = "/result/[redacted]/"


@pytest.fixture
def every_logger_at_debug(caplog):
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def logged_text(caplog) -> str:
    """Return every record as a handler would print it, with arguments and tracebacks."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


@pytest.mark.django_db
def test_request_logs_hold_neither_answers_nor_the_token(every_logger_at_debug):
    client = Client(raise_request_exception=False)
    # The canary goes where a person's typing could: an answer the form refuses, and a field
    # of its own.
    first_step = STEP_FOR_FACT["employed"]
    refused = client.post(
        f"/questions/{first_step}/",
        {**step_post("employed", CANARY), "note": CANARY},
    )
    assert refused.status_code == 200
    walk(client, GO_ANSWERS)
    token = confirm_token(client)
    assert confirm(client, token).status_code == 302
    result = f"/result/{token}/"

    assert client.get(result).status_code == 200
    assert client.post(result, {"answer": CANARY}).status_code == 405
    assert client.put(f"{result}delete/", CANARY).status_code == 405
    assert Client(enforce_csrf_checks=True).post(f"{result}delete/").status_code == 403
    with mock.patch.object(
        Assessment.objects, "for_token", side_effect=RuntimeError("injected fault")
    ):
        assert client.get(result).status_code == 500
    assert client.post(f"{result}delete/").status_code == 302
    assert client.get(result).status_code == 404

    text = logged_text(every_logger_at_debug)
    # The requests were logged, with the token blanked out, so this looked at real lines.
    for line in ("Not Found", "Method Not Allowed", "Forbidden (CSRF", "Internal Server Error"):
        assert f"{line}" in text
        assert re.search(rf"{re.escape(line)}.*{re.escape(REDACTED)}", text), line
    assert token not in text
    assert "/result/" in text and "/result/[redacted]" in text
    assert "RuntimeError: injected fault" in text  # tracebacks are in the text searched
    assert CANARY not in text


def test_the_filter_blanks_tokens_in_arguments_and_messages():
    from interview_advisor.logging import RedactResultTokens

    token = "A" * 32
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "%s: %s", None, None)
    record.args = ("Not Found", f"/result/{token}/delete/")
    assert RedactResultTokens().filter(record) is True
    assert record.getMessage() == "Not Found: /result/[redacted]/delete/"
    plain = logging.LogRecord("x", logging.INFO, "", 0, "Started %s", ("worker",), None)
    RedactResultTokens().filter(plain)
    assert plain.getMessage() == "Started worker"


def test_gunicorn_logs_hold_neither_answers_nor_the_token(collected_static, tmp_path):
    """gunicorn as configured: no access log, and Django's lines through it are redacted."""
    env = {
        **PRODUCTION,
        "DJANGO_ALLOWED_HOSTS": "advisor.example.org",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'logs.sqlite3'}",
        "DJANGO_LOG_LEVEL": "DEBUG",
    }
    migrated = manage("migrate", "--noinput", **env)
    assert migrated.returncode == 0, migrated.stderr
    with gunicorn(tmp_path, **env) as port:
        browser = Browser([port])
        location = browser.get("/questions/").headers["Location"]
        assert browser.get(location).status == 200
        refused = step_post("employed", CANARY, note=CANARY)
        assert browser.post(location, refused).status == 200
        while (step := location.rstrip("/").rsplit("/", 1)[-1]) != CHECK_STEP:
            fact = next(f for f, s in STEP_FOR_FACT.items() if s == step)
            response = browser.post(location, step_post(fact, GO_ANSWERS[fact]))
            assert response.status == 302, response.text
            location = response.headers["Location"]
        check = browser.get(location)
        token = re.search(r'name="token" value="([^"]+)"', check.text).group(1)
        confirmed = browser.post(location, {"token": token})
        result = confirmed.headers["Location"]
        assert result == f"/result/{token}/"
        assert browser.get(result).status == 200
        assert browser.post(result, {"answer": CANARY}).status == 405
        assert browser.request("OPTIONS", f"{result}delete/").status == 405
        assert browser.request("PUT", f"{result}delete/").status == 403  # no CSRF token
        assert browser.get(f"/result/{'B' * 32}/").status == 404
        assert browser.post(f"{result}delete/", {}).status == 302
        assert browser.get(result).status == 404
    log = (tmp_path / f"gunicorn-{port}.log").read_text()
    assert "Not Found: /result/[redacted]/" in log
    assert "Method Not Allowed (POST): /result/[redacted]/\n" in log
    assert "Method Not Allowed (OPTIONS): /result/[redacted]/delete/\n" in log
    assert re.search(r"Forbidden \(.*\): /result/\[redacted\]/delete/\n", log)
    assert token not in log
    assert CANARY not in log
    # No access log: no request line at all, not even for pages without a token.
    assert not re.search(r'"(GET|POST|PUT) /', log)
    assert "/questions/" not in log


def test_gunicorn_s_own_error_lines_are_redacted(tmp_path):
    """gunicorn names the path when the application fails ("Error handling request ...")."""
    token = "T" * 32
    with gunicorn(tmp_path, "tests.failing_wsgi:application") as port:
        assert fetch(port, "GET", f"/result/{token}/?from=mail").status == 500
        assert fetch(port, "GET", f"/result/{token}/delete/").status == 500
        # A request line gunicorn cannot parse is logged with the line.
        with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
            connection.sendall(f"GET /result/{token}/\r\n\r\n".encode())
            assert connection.recv(100).startswith(b"HTTP/1.1 400")
    log = (tmp_path / f"gunicorn-{port}.log").read_text()
    assert "Error handling request /result/[redacted]/?from=mail\n" in log
    assert "Error handling request /result/[redacted]/delete/\n" in log
    assert "Invalid HTTP request line: 'GET /result/[redacted]/'\n" in log
    assert "RuntimeError: injected fault" in log  # the traceback is still there
    assert token not in log
    # Given a logging configuration, gunicorn would log every request: not here.
    assert not re.search(r'"GET /', log)
