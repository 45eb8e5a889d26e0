"""A fault after the row is written but before the transaction commits loses nothing.

The person gets the 500 page, no half-saved assessment is left behind, and their answers
stay in the questionnaire, so confirming again saves exactly one row.
"""

from unittest import mock

import pytest
from django.db import transaction
from django.test import Client

from advice.flow import CHECK_STEP
from advice.models import Assessment
from tests.helpers.questionnaire import GO_ANSWERS, confirm, confirm_token, step_url, walk

pytestmark = pytest.mark.db_engine


class InjectedFault(Exception):
    pass


def save_then_fail(real_save):
    """Return ``Assessment.save`` that writes the row, checks it is there, then raises."""

    def save(row, *args, **kwargs):
        real_save(row, *args, **kwargs)
        assert transaction.get_connection().in_atomic_block
        assert Assessment.objects.filter(pk=row.pk).exists()  # written, not yet committed
        raise InjectedFault("after the INSERT, before the COMMIT")

    return save


@pytest.mark.django_db(transaction=True)
def test_a_fault_before_commit_leaves_no_row_and_the_answers_to_retry():
    client = Client(raise_request_exception=False)
    walk(client, GO_ANSWERS)
    token = confirm_token(client)
    real_save = Assessment.save
    with mock.patch.object(
        Assessment, "save", autospec=True, side_effect=save_then_fail(real_save)
    ) as save:
        response = confirm(client, token)
    assert save.call_count == 1

    # The site's 500 page, not a traceback.
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page and "InjectedFault" not in page
    assert Assessment.objects.count() == 0
    assert not Assessment.objects.for_token(token).exists()

    # The answers are still there: the check page lists them instead of sending the person
    # back to the first question.
    check = client.get(step_url(CHECK_STEP))
    assert check.status_code == 200
    assert check.context["rows"]
    assert {row["fact"] for row in check.context["rows"]} == set(GO_ANSWERS)

    retry_token = confirm_token(client)
    retried = confirm(client, retry_token)
    assert retried.status_code == 302
    assert retried["Location"] == Assessment.result_url(retry_token)
    saved = Assessment.objects.get()
    assert saved.answers == GO_ANSWERS
    assert client.get(retried["Location"]).status_code == 200
    # A second press of the same button does not save another.
    assert confirm(client, retry_token)["Location"] == Assessment.result_url(retry_token)
    assert Assessment.objects.count() == 1
