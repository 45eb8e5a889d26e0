"""Concurrent load without loss: 100 questionnaires from 16 people against gunicorn.

``make loadtest`` (bench/loadtest.py, 1,000 from 32 by default) runs gunicorn with production
settings, locust's people filling in the real forms, and counts the rows saved against the
confirmations. This test runs it as a command and reads the figures it prints: on the SQLite
pass on a fresh SQLite file, on the PostgreSQL pass on the test database.
"""

import json
import subprocess
import sys

import pytest
from django.db import connection

from tests.helpers.server import ROOT, environment

# Concurrent writers are where the two databases differ most: it runs in both passes.
pytestmark = pytest.mark.db_engine


@pytest.fixture
def database_url(tmp_path, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'load.sqlite3'}"


@pytest.mark.django_db(transaction=True)
def test_100_questionnaires_from_16_people_save_one_row_each(collected_static, database_url):
    command = [sys.executable, "-m", "bench.loadtest", "--questionnaires", "100"]
    command += ["--clients", "16", "--workers", "4", "--database-url", database_url]
    command += ["--static-root", str(collected_static)]
    done = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True, text=True)
    assert done.stdout, done.stderr
    figures = json.loads(done.stdout)
    print(figures)
    assert figures["errors"] == 0, figures["error_report"]
    assert figures["server_errors_logged"] == 0
    assert figures["completed"] == figures["confirmations"] == 100
    assert figures["rows_saved"] == 100
    assert figures["counts_exact"], (figures["counts"], figures["counts_expected"])
    assert not figures["stopped_by_time_limit"]
    assert figures["passed"]
