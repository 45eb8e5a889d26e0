"""The admin's pages run the same small number of queries however many assessments exist.

Each page is measured at two data sizes. The larger set is bulk-inserted for speed, with
every field built the way assessment_create builds it: evaluate, then build_snapshot.
"""

import random
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from advice.demo import demo_answers
from advice.models import (
    Assessment,
    new_result_token,
)
from advice.services import assessment_build
from tests.helpers.second_factor import log_in_verified

pytestmark = pytest.mark.db_engine

LIST = "/admin/advice/assessment/"
SIZES = (5, 300)

# The query budget of each page for a reviewer: session, user, the second factor's device,
# and the user's permissions and group permissions (5), the savepoint and its release around
# the list's count (2), so a query string the database refuses leaves the transaction usable,
# plus what the page needs.
PAGES = {
    # the filtered count, one page of rows, and the reviewer's download mark (none yet, so
    # all of the list is new: see the next test)
    "list": (LIST, 10),
    "list, second page": (f"{LIST}?p=2", 10),
    "list, all": (f"{LIST}?review=all", 10),
    "list, filtered and searched": (
        f"{LIST}?verdict__exact=caution&uncertain=confidentiality&q=0&from=2020-01-01",
        10,
    ),
    # the list's count of what its filters select, every count but the weekly ones, the
    # first and the last date, the weekly counts, and the question counts of the dates
    "summary": (f"{LIST}summary/", 13),
    "summary, a date range": (f"{LIST}summary/?from=2020-01-01&to=2099-12-31", 13),
    "summary, filtered": (f"{LIST}summary/?review=reviewed&from=2020-01-01", 13),
    "summary, the queue": (f"{LIST}summary/?review=new", 13),
}


def bulk_assessments(count: int, *, reviewer) -> list[Assessment]:
    """Insert ``count`` varied assessments, a third of them reviewed, over 200 days."""
    rng = random.Random(count)
    now = timezone.now()
    rows = []
    for i in range(count):
        reviewed = i % 3 == 0
        row = assessment_build(answers=demo_answers(rng), token=new_result_token())
        row.created_at = now - timedelta(days=rng.uniform(0, 200))
        if reviewed:
            row.review_status, row.reviewed_by, row.reviewed_at = "reviewed", reviewer, now
            row.review_notes = "=1+1"
        rows.append(row)
    return Assessment.objects.bulk_create(rows)


@pytest.fixture(autouse=True)
def cold_content_type_cache():
    # Django caches content types for the whole process; start each count from cold so the
    # number does not depend on which test ran before.
    ContentType.objects.clear_cache()


@pytest.fixture(params=SIZES, ids=lambda size: f"{size} assessments")
def data(request, client, reviewer):
    made = bulk_assessments(request.param, reviewer=reviewer)
    log_in_verified(client, reviewer)
    return client, made


@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_page_runs_a_constant_number_of_queries(data, django_assert_num_queries, page):
    client, _ = data
    url, queries = PAGES[page]
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_the_list_after_a_download_counts_what_is_new_once_more(data, django_assert_num_queries):
    client, _ = data
    client.post(f"{LIST}export/new/?review=all")
    with django_assert_num_queries(11):
        response = client.get(f"{LIST}?review=all")
    assert response.status_code == 200


def test_record_runs_a_constant_number_of_queries(data, django_assert_num_queries):
    client, made = data
    reviewed = next(a for a in made if a.review_status == "reviewed")
    # session, user, the second factor's device, the assessment with its reviewer,
    # permissions (2), the content type for the record's history link, and the review history
    with django_assert_num_queries(8):
        response = client.get(f"{LIST}{reviewed.pk}/change/")
    assert response.status_code == 200
    assert "reviewer@example.org" in response.text


def test_export_runs_one_query_for_all_its_rows(data, django_assert_num_queries):
    client, made = data
    # the list's count of what its filters select (in its savepoint), then the rows
    with django_assert_num_queries(9):
        response = client.get(f"{LIST}export/")
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") >= len(made) + 1
