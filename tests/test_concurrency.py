"""Two confirmations at the same instant in one session save exactly one assessment, and
count one confirmation."""

import threading

import pytest
from django.db import connection
from django.test import Client

from advice.funnel import CHECK_EMPLOYED
from advice.models import Assessment, QuestionCount
from tests.helpers.questionnaire import GO_ANSWERS, confirm, confirm_token, walk

pytestmark = pytest.mark.db_engine


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"]["NAME"],
    reason="SQLite's shared in-memory test database locks tables instead of waiting",
)
def test_simultaneous_final_posts_in_one_session_save_one_row():
    client = Client()
    walk(client, GO_ANSWERS)
    token = confirm_token(client)
    barrier = threading.Barrier(2)
    responses = []

    def press_confirm():
        twin = Client()
        twin.cookies = client.cookies
        barrier.wait()
        try:
            responses.append(confirm(twin, token))
        finally:
            connection.close()

    threads = [threading.Thread(target=press_confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {Assessment.result_url(token)}
    assert Assessment.objects.count() == 1
    assert QuestionCount.objects.get(stage=CHECK_EMPLOYED).answered == 1
