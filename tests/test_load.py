"""Concurrent load without loss: 100 questionnaires from 16 people against gunicorn.

``make loadtest`` (bench/walk.py, 1,000 from 32 by default) runs gunicorn with production
settings, locust's people filling in the real forms, and counts the rows saved against the
confirmations. On the SQLite pass it uses a fresh SQLite file, on the PostgreSQL pass the test
database.
"""

import pytest
from django.db import connection

from bench.walk import load_test


@pytest.fixture
def database_url(tmp_path, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'load.sqlite3'}"


@pytest.mark.django_db(transaction=True)
def test_100_questionnaires_from_16_people_save_one_row_each(
    collected_static, database_url, tmp_path
):
    figures = load_test(
        database_url=database_url,
        questionnaires=100,
        clients=16,
        workers=4,
        work=tmp_path,
        static_root=collected_static,
    )
    print(figures)
    assert figures["errors"] == 0, figures["error_report"]
    assert figures["server_errors_logged"] == 0
    assert figures["completed"] == figures["confirmations"] == 100
    assert figures["rows_saved"] == 100
    assert figures["passed"]
