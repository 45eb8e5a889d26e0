"""Property-based fuzzing of the public POST endpoints: never a 5xx, never a row from bad data."""

import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advice.flow import CHECK_STEP, STEPS
from advice.models import Assessment
from tests.conftest import make_assessment
from tests.walk import GO_ANSWERS, walk

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
ENDPOINTS = [f"/questions/{step.name}/" for step in STEPS] + [f"/questions/{CHECK_STEP}/"]
REAL_NAMES = ["back", "token", *(step.fact for step in STEPS)]
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "unsure", "", "\x00", "yes\x00", "check", "done", "../"]),
    st.sampled_from([step.name for step in STEPS]),
    st.just("x" * 10_000),
)
field_names = st.one_of(st.sampled_from(REAL_NAMES), st.text(min_size=1, max_size=30))
form_bodies = st.dictionaries(field_names, st.lists(nasty_text, min_size=1, max_size=2), max_size=6)


@pytest.fixture(scope="module")
def walked_session(django_db_setup, django_db_blocker):
    """Return the session cookie of a questionnaire filled in up to the check page."""
    with django_db_blocker.unblock():
        client = Client()
        walk(client, GO_ANSWERS)
        return client.cookies


@pytest.fixture
def fuzzer(walked_session):
    """Return one client for all of a test's examples: building a client costs more than a
    request does."""
    client = Client()
    client.cookies = walked_session
    return client


@pytest.mark.parametrize("path", ENDPOINTS)
@FUZZ
@given(body=form_bodies)
def test_wizard_step_never_fails_with_a_5xx_or_saves(fuzzer, path, body):
    response = fuzzer.post(path, body)
    assert response.status_code < 500
    assert Assessment.objects.count() == 0


@FUZZ
@given(raw=st.binary(max_size=2_000))
def test_undecodable_form_bodies_are_handled(fuzzer, raw):
    response = fuzzer.post(
        "/questions/approach/", raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500
    assert Assessment.objects.count() == 0


def test_thousands_of_fields_are_refused_cleanly(fuzzer):
    body = {f"field{i}": "yes" for i in range(5_000)}
    response = fuzzer.post("/questions/approach/", body)
    assert response.status_code == 400


@FUZZ
@given(body=form_bodies)
def test_fresh_visitor_posting_anything_gets_no_5xx(client, body):
    client.cookies.clear()
    response = client.post(f"/questions/{CHECK_STEP}/", body)
    assert response.status_code < 500
    assert Assessment.objects.count() == 0


@FUZZ
@given(body=form_bodies, token=st.text(alphabet="abcdefABCDEF0123456789_-", max_size=70))
def test_delete_form_never_fails_and_deletes_only_with_the_token(client, body, token):
    assessment, _ = make_assessment()
    response = client.post(f"/result/{token}/delete/", body)
    assert response.status_code in (404, 405)
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assessment.delete()
