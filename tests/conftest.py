import pytest

from advice.models import new_result_token
from advice.services import assessment_create
from tests.walk import GO_ANSWERS


def make_assessment(answers=None, *, token=None, **overrides):
    """Save an assessment through the real write path; return (assessment, token)."""
    token = token or new_result_token()
    assessment = assessment_create(answers={**(answers or GO_ANSWERS), **overrides}, token=token)
    return assessment, token


@pytest.fixture
def assessment_with_token(db):
    return make_assessment()
