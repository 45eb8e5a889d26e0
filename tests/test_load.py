"""Concurrent load without loss: 100 questionnaires from 16 clients against gunicorn.

``scripts/loadtest.py`` (``make loadtest``, 1,000 from 32 by default) runs gunicorn with
production settings and counts the rows saved under each result page's token. On the SQLite
pass it uses a fresh SQLite file, on the PostgreSQL pass the test database.
"""

import importlib.util

import pytest
from django.db import connection

from tests.test_production import ROOT, needs_collectstatic

spec = importlib.util.spec_from_file_location("loadtest", ROOT / "scripts" / "loadtest.py")
loadtest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loadtest)

pytestmark = needs_collectstatic


@pytest.fixture
def database_url(tmp_path, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'load.sqlite3'}"


@pytest.mark.django_db(transaction=True)
def test_100_questionnaires_from_16_clients_save_one_row_each(database_url, tmp_path):
    figures = loadtest.load_test(
        database_url=database_url,
        questionnaires=100,
        clients=16,
        workers=4,
        seed=7,
        logs=tmp_path,
    )
    print(figures)
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["database_is_locked"] == 0
    assert figures["server_errors_logged"] == 0
    assert figures["completed"] == figures["confirmations"] == 100
    assert figures["rows"] == figures["results_with_one_row"] == 100
    assert figures["ok"]
