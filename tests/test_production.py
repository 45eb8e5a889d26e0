"""Production as an operator runs it: settings from the environment, static files, gunicorn.

Settings are read once per process, so each production setting is checked in a fresh Python
process started with exactly the environment an operator would give it.
"""

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers.server import (
    PRODUCTION,
    ROOT,
    fetch,
    free_port,
    gunicorn,
    manage,
    run,
    settings_in_production,
)

# -- refusing to start -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "ADVICE_OPERATOR", "ADVICE_CONTACT"]
)
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {name: value for name, value in PRODUCTION.items() if name != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: "
        f"{missing} must be set when DJANGO_DEBUG is not 1"
    )


@pytest.mark.parametrize("contact", ["nobody", "http://example.org/privacy", "a b@example.org"])
def test_a_contact_that_is_neither_an_email_address_nor_an_https_url_stops_the_app(contact):
    result = manage("check", **{**PRODUCTION, "ADVICE_CONTACT": contact})
    assert result.returncode != 0
    assert "ADVICE_CONTACT must be an email address or an https:// URL" in result.stderr


def test_debug_mode_starts_without_secret_key_or_hosts():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DJANGO_SECURE_SSL_REDIRECT", "yes"), ("DJANGO_DEBUG", "true")]
)
def test_a_flag_other_than_0_or_1_stops_the_app_instead_of_being_guessed(name, value):
    result = manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.endswith(f"{name} must be 0 or 1, not {value!r}")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_HSTS_SECONDS", "a year"),
        ("DJANGO_CONN_MAX_AGE", "-1"),
        ("ADVICE_RETENTION_DAYS", "30 days"),
    ],
)
def test_a_number_that_is_not_one_stops_the_app(name, value):
    result = manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.endswith(f"{name} must be a whole number of 0 or more, not {value!r}")


def test_debug_0_is_production():
    assert settings_in_production("DEBUG", DJANGO_DEBUG="0") == {"DEBUG": False}


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    env = {name: value for name, value in PRODUCTION.items() if name != "DJANGO_SECRET_KEY"}
    result = run(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        GUNICORN_BIND=f"127.0.0.1:{free_port()}",
        **env,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1" in result.stderr


# -- security settings -----------------------------------------------------------------------


def test_check_deploy_reports_nothing_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_check_deploy_notices_when_the_https_redirect_is_off():
    # The same command as above, so it is known to be able to fail.
    result = manage("check", "--deploy", **PRODUCTION, DJANGO_SECURE_SSL_REDIRECT="0")
    assert "security.W008" in result.stdout + result.stderr


def test_production_is_https_only_by_default():
    values = settings_in_production(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_x_forwarded_proto_is_trusted_only_behind_a_tls_proxy():
    assert settings_in_production("SECURE_PROXY_SSL_HEADER") == {"SECURE_PROXY_SSL_HEADER": None}
    assert settings_in_production("SECURE_PROXY_SSL_HEADER", DJANGO_BEHIND_TLS_PROXY="1") == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]
    }
    assert settings_in_production("SECURE_PROXY_SSL_HEADER", DJANGO_BEHIND_TLS_PROXY="0") == {
        "SECURE_PROXY_SSL_HEADER": None
    }


def test_lockouts_count_the_forwarded_address_only_behind_a_tls_proxy():
    # tests/test_brute_force.py checks what the callable does with the header.
    assert settings_in_production("AXES_CLIENT_IP_CALLABLE") == {"AXES_CLIENT_IP_CALLABLE": None}
    assert settings_in_production("AXES_CLIENT_IP_CALLABLE", DJANGO_BEHIND_TLS_PROXY="1") == {
        "AXES_CLIENT_IP_CALLABLE": "interview_advisor.proxy.client_address"
    }


def test_development_mode_turns_the_https_settings_off():
    values = settings_in_production(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        DJANGO_DEBUG="1",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


COOKIE_SETTINGS = (
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_PATH",
    "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)


def test_production_cookies_are_host_only_by_their_prefix():
    # A sibling subdomain cannot plant a __Host- cookie: browsers keep one only if it is
    # Secure, for the path /, and names no domain.
    assert settings_in_production(*COOKIE_SETTINGS) == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_PATH": "/",
        "CSRF_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_development_cookies_keep_their_plain_names_over_plain_http():
    values = settings_in_production(*COOKIE_SETTINGS, DJANGO_DEBUG="1")
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["CSRF_COOKIE_NAME"] == "csrftoken"
    assert (values["SESSION_COOKIE_SECURE"], values["CSRF_COOKIE_SECURE"]) == (False, False)


def test_env_example_sourced_in_bash_is_a_production_configuration(tmp_path):
    # As the README's production steps read a .env: `set -a; . ./.env; set +a`.
    script = 'set -a; . ./.env.example; set +a; echo "DEBUG=${DJANGO_DEBUG-unset}"; '
    script += 'exec "$0" manage.py check --deploy'
    result = run(
        ["bash", "-c", script, sys.executable],
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "DEBUG=unset" in result.stdout
    assert "ERROR" not in output
    # The only warning is the one the README names: the example's key is not a key.
    assert set(re.findall(r"\((\w+\.[EW]\d+)\)", output)) == {"security.W009"}
    assert "security.W009" in (ROOT / "README.md").read_text()


def test_hsts_can_be_shortened_or_turned_off():
    assert settings_in_production("SECURE_HSTS_SECONDS", DJANGO_HSTS_SECONDS="3600") == {
        "SECURE_HSTS_SECONDS": 3600
    }
    assert settings_in_production("SECURE_HSTS_SECONDS", DJANGO_HSTS_SECONDS="0") == {
        "SECURE_HSTS_SECONDS": 0
    }


# -- databases -------------------------------------------------------------------------------


def test_postgresql_connections_persist_and_are_health_checked():
    values = settings_in_production(
        "DATABASES", DATABASE_URL="postgres://advisor:secret@db.example.org:5432/advisor"
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["connect_timeout"] == 5


# A script that opens the file database through the project's settings; run in a subprocess
# so the settings are built from DATABASE_URL exactly as in production.
SQLITE_PROBE = textwrap.dedent(
    """
    import json, sys, threading, time
    import django
    from django.conf import settings
    if sys.argv[1] != "settings":
        settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] = sys.argv[1]
    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
        cursor.execute("CREATE TABLE IF NOT EXISTS tally (n INTEGER)")
    connection.close()

    errors = []

    def read_then_write():
        # What a save does: read, then write, in one transaction, beside another writer.
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM tally")
                    time.sleep(0.3)
                    cursor.execute("INSERT INTO tally VALUES (1)")
        except Exception as exc:
            errors.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=read_then_write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"journal_mode": journal_mode, "busy_timeout": busy_timeout,
                      "errors": errors}))
    """
)


def probe_sqlite(tmp_path, transaction_mode="settings") -> dict:
    result = run(
        [sys.executable, "-c", SQLITE_PROBE, transaction_mode],
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_file_database_uses_wal_and_waits_for_the_lock(tmp_path):
    probe = probe_sqlite(tmp_path)
    assert probe["journal_mode"] == "wal"
    assert probe["busy_timeout"] == 20000
    assert probe["errors"] == []


def test_sqlite_writers_would_collide_without_immediate_transactions(tmp_path):
    # The control for the test above: SQLite's default, DEFERRED, fails one of the writers.
    probe = probe_sqlite(tmp_path, "DEFERRED")
    assert probe["errors"] == ["database is locked"]


# -- static files ----------------------------------------------------------------------------


def test_static_files_are_hashed_compressed_and_cached_for_ever(collected_static, tmp_path):
    env = {**PRODUCTION, "DJANGO_BEHIND_TLS_PROXY": "1"}
    headers = {"Host": "advisor.example.org", "X-Forwarded-Proto": "https"}
    with gunicorn(tmp_path, **env, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}") as port:
        page = fetch(port, "GET", "/", headers=headers).text
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
        for encoding in ("br", "gzip"):
            response = fetch(
                port, "GET", stylesheet, headers={**headers, "Accept-Encoding": encoding}
            )
            assert response.status == 200
            assert response.headers["Content-Encoding"] == encoding
            assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
            assert "Accept-Encoding" in response.headers["Vary"]


# -- gunicorn --------------------------------------------------------------------------------


def test_gunicorn_serves_production_settings_over_https_only(collected_static, tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with gunicorn(tmp_path, **PRODUCTION, DATABASE_URL=database) as port:
        # Not ready until the migrations have run, and ready as soon as they have.
        health = fetch(port, "GET", "/healthz", headers={"Host": "10.0.0.7:8000"})
        assert health.status == 503
        migrated = manage("migrate", "--no-input", **PRODUCTION, DATABASE_URL=database)
        assert migrated.returncode == 0, migrated.stderr
        health = fetch(port, "GET", "/healthz", headers={"Host": "10.0.0.7:8000"})
        assert (health.status, health.text) == (200, "ok\n")

        plain = fetch(port, "GET", "/", headers={"Host": "advisor.example.org"})
        assert plain.status == 301
        assert plain.headers["Location"] == "https://advisor.example.org/"

        # Without DJANGO_BEHIND_TLS_PROXY=1 neither gunicorn nor Django believes the header.
        forged = fetch(
            port, "GET", "/", headers={"Host": "advisor.example.org", "X-Forwarded-Proto": "https"}
        )
        assert forged.status == 301


# -- the PostgreSQL pass's guard -------------------------------------------------------------


def junit_report(tmp_path, *cases: tuple[str, str, str]) -> Path:
    """Write a pytest JUnit report holding ``(module, test, outcome)`` cases."""
    body = {"passed": "", "skipped": "<skipped/>", "failed": "<failure/>"}
    xml = "".join(
        f'<testcase classname="{module}" name="{name}">{body[outcome]}</testcase>'
        for module, name, outcome in cases
    )
    path = tmp_path / "report.xml"
    path.write_text(f'<testsuites><testsuite name="pytest">{xml}</testsuite></testsuites>')
    return path


POSTGRES_PASS = [
    ("tests.test_postgres", "test_suite_runs_on_postgresql", "passed"),
    ("tests.test_scale_out", "test_questionnaire_across_two_processes[go]", "passed"),
    (
        "tests.test_concurrency",
        "test_simultaneous_final_posts_in_one_session_save_one_row",
        "passed",
    ),
]


def check_postgres_pass(path) -> subprocess.CompletedProcess:
    return run([sys.executable, "scripts/check_postgres_pass.py", str(path)])


def test_postgres_guard_accepts_a_pass_that_ran_its_own_tests(tmp_path):
    result = check_postgres_pass(junit_report(tmp_path, *POSTGRES_PASS))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "PostgreSQL pass: 3 tests, 0 skipped.\n"


@pytest.mark.parametrize(
    "change",
    [
        ("tests.test_scale_out", "test_questionnaire_across_two_processes[go]", "skipped"),
        ("tests.test_postgres", "test_suite_runs_on_postgresql", "skipped"),
        (
            "tests.test_concurrency",
            "test_simultaneous_final_posts_in_one_session_save_one_row",
            "failed",
        ),
    ],
)
def test_postgres_guard_fails_a_pass_that_skipped_or_failed(tmp_path, change):
    cases = [case for case in POSTGRES_PASS if case[:2] != change[:2]] + [change]
    result = check_postgres_pass(junit_report(tmp_path, *cases))
    assert result.returncode == 1
    assert f"{change[0]}::{change[1]} {change[2]}" in result.stderr


def test_postgres_guard_fails_when_the_pass_did_not_run(tmp_path):
    result = check_postgres_pass(tmp_path / "missing.xml")
    assert result.returncode == 1
    assert "it did not run" in result.stderr
    only_sqlite_tests = junit_report(tmp_path, ("tests.test_rules", "test_go", "passed"))
    result = check_postgres_pass(only_sqlite_tests)
    assert result.returncode == 1
    assert "tests.test_scale_out: no tests ran" in result.stderr
