"""GET /healthz: 200 while the database answers, 503 while it does not, and cheap."""

import pytest
from django.db import connection

from tests.helpers.database import database_down


@pytest.mark.django_db
@pytest.mark.db_engine
def test_health_check_answers_ok_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Length"] == "3"
    assert response["Content-Type"] == "text/plain"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    # No session, no CSRF cookie: nothing is written for a poll.
    assert not response.cookies


@pytest.mark.django_db
@pytest.mark.db_engine
def test_health_check_is_503_while_the_database_is_down_and_recovers(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert response["Retry-After"] == "30"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
@pytest.mark.db_engine
def test_health_check_is_503_while_a_table_is_missing_as_the_pages_are(client):
    """Before the migrations have run, the pages answer 503: so does the health check."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE advice_assessment RENAME TO advice_assessment_away")
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_health_check_answers_a_load_balancer_polling_by_address_over_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    # The same request to any other page is refused: the host is not allowed.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db
def test_health_check_head_has_no_body(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_health_check_takes_only_get_and_head(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_only_the_exact_path_is_the_health_check(client):
    assert client.get("/healthz/").status_code == 404
