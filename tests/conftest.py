import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings

from advice.models import HR_REVIEWER_GROUP, ReviewStatus, new_result_token
from advice.services import assessment_create
from bench.server import ROOT, environment, manage
from tests.walk import GO_ANSWERS


def make_assessment(answers=None, *, token=None, **overrides):
    """Save an assessment through the real write path; return (assessment, token)."""
    token = token or new_result_token()
    assessment = assessment_create(answers={**(answers or GO_ANSWERS), **overrides}, token=token)
    return assessment, token


def mark_reviewed(queryset, *, reviewer) -> None:
    """Record a review of each assessment of ``queryset`` by ``reviewer``, as the form does."""
    for assessment in queryset:
        assessment.review_status = ReviewStatus.REVIEWED
        assessment.record_review(reviewer=reviewer)
        assessment.save()


@pytest.fixture
def assessment_with_token(db):
    return make_assessment()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Users are created in many tests; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reviewer(db):
    """Return a staff account in the HR reviewer group, as create_hr_reviewer makes."""
    user = get_user_model().objects.create_user(
        "reviewer@example.org", "reviewer@example.org", "a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=HR_REVIEWER_GROUP))
    return user


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture(autouse=True)
def whitenoise_scans_lazily(settings):
    # Each test client builds its own middleware, and WhiteNoise would scan every static
    # file each time (about 0.2 s). Looking files up on request serves the same files.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(scope="session", autouse=True)
def static_files_as_they_are():
    """Serve static/ as it is, with no collected folder, so no test needs collectstatic first.

    Production's hashed, compressed copies are checked under gunicorn in test_production.py.
    """
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": plain},
        STATIC_ROOT=None,
        WHITENOISE_USE_FINDERS=True,
    ):
        yield


@pytest.fixture(scope="session")
def collected_static() -> Path:
    """Collect the static files as `make static` does; return the folder they are in.

    For the tests that run production's gunicorn, which serves only collected files.
    """
    env = environment(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="localhost")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return ROOT / "staticfiles"
