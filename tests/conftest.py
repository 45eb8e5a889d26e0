import os
from pathlib import Path

import hypothesis
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from hypothesis import HealthCheck

from advice.models import HR_REVIEWER_GROUP
from tests.helpers.assessments import make_assessment
from tests.helpers.second_factor import log_in_verified
from tests.helpers.server import PRODUCTION, ROOT, manage

# The fuzz tests' examples: "dev", the default, gives each property 100 for a run at a desk;
# "ci", which .ci/run chooses, 500, or FUZZ_EXAMPLES. The same examples each run, none stored.
hypothesis.settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
hypothesis.settings.register_profile(
    "ci",
    hypothesis.settings.get_profile("dev"),
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")),
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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
    """Return the client logged in as the reviewer, past the second factor."""
    log_in_verified(client, reviewer)
    return client


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's superuser client, logged in past the second factor."""
    client = Client()
    log_in_verified(client, admin_user)
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
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", **PRODUCTION)
    assert collected.returncode == 0, collected.stderr
    return ROOT / "staticfiles"
