"""Property-based fuzzing of the public POST endpoints: never a 5xx, never a row from bad data.

How many examples each property gets is the Hypothesis profile's (tests/conftest.py).
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from advice.flow import CHECK_STEP, STEPS
from advice.models import Assessment, QuestionCount
from tests.helpers.assessments import make_assessment
from tests.helpers.fuzz import nasty_text
from tests.helpers.questionnaire import GO_ANSWERS, walk

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
ENDPOINTS = [f"/questions/{step.name}/" for step in STEPS] + [f"/questions/{CHECK_STEP}/"]
REAL_NAMES = ["back", "token", *(step.fact for step in STEPS)]
field_names = st.one_of(st.sampled_from(REAL_NAMES), st.text(min_size=1, max_size=30))
form_bodies = st.dictionaries(field_names, st.lists(nasty_text, min_size=1, max_size=2), max_size=6)
# A form a browser could send, or bytes no browser would: both must be answered cleanly.
raw_bodies = st.one_of(
    form_bodies.map(lambda body: urlencode(body, doseq=True).encode()),
    st.binary(max_size=2_000),
)


@pytest.fixture(scope="module")
def walked_session(django_db_setup, django_db_blocker):
    """Return the session cookie of a questionnaire filled in up to the check page."""
    with django_db_blocker.unblock():
        client = Client()
        walk(client, GO_ANSWERS)
        # Made outside any test's transaction: the walk's question counts would outlive it.
        QuestionCount.objects.all().delete()
        return client.cookies


@pytest.fixture
def fuzzer(walked_session):
    """Return one client for all of a test's examples: building a client costs more than a
    request does."""
    client = Client()
    client.cookies = walked_session
    return client


@given(path=st.sampled_from(ENDPOINTS), body=raw_bodies, walked=st.booleans())
def test_questionnaire_posts_never_fail_with_a_5xx_or_save(fuzzer, client, path, body, walked):
    """Any step or the check page, from a visitor half-way or one without a session."""
    client.cookies.clear()
    response = (fuzzer if walked else client).post(path, body, content_type=FORM)
    assert response.status_code < 500
    assert Assessment.objects.count() == 0


def test_thousands_of_fields_are_refused_cleanly(fuzzer):
    body = {f"field{i}": "yes" for i in range(5_000)}
    response = fuzzer.post("/questions/approach/", body)
    assert response.status_code == 400


@given(body=form_bodies, token=st.text(alphabet="abcdefABCDEF0123456789_-", max_size=70))
def test_delete_form_never_fails_and_deletes_only_with_the_token(client, body, token):
    assessment, _ = make_assessment()
    response = client.post(f"/result/{token}/delete/", body)
    assert response.status_code in (404, 405)
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assessment.delete()
