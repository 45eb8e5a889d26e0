"""Property-based fuzzing of the HR admin's review form, actions, list and summary.

Whatever a reviewer's browser sends: never a 5xx, never a changed answer or verdict, never a
deleted or added assessment, and a review status only ever one of its choices. The lookups and
values reach the database, which PostgreSQL and SQLite read differently.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advice.admin import LIST_PARAMETERS
from advice.models import Assessment, ReviewStatus
from tests.helpers.assessments import make_assessment
from tests.helpers.fuzz import nasty_text

pytestmark = [pytest.mark.django_db, pytest.mark.db_engine]

LIST = "/admin/advice/assessment/"
REVIEW_NAMES = [
    "review_status",
    "review_notes",
    "reviewed_by",
    "reviewed_at",
    "answers",
    "verdict",
    "shown",
    "_save",
    "_review_next",
    "_continue",
    "_addanother",
    "id",
]
ACTION_NAMES = ["action", "_selected_action", "select_across", "index", "e", "q", "p", "o"]
ACTIONS = ["mark_reviewed", "download_selected", "delete_selected", "", "nope"]
# mark_reviewed is an action no longer offered: posting it must change nothing either.
# Query parameters: the list's own, Django's, and lookups a reviewer could type by hand.
QUERY_NAMES = [*sorted(LIST_PARAMETERS), "q", "o", "p", "all", "e", "_to_field", "_popup"]
FIELDS = ["answers", "shown", "review_notes", "token_hash", "created_at", "verdict", "id"]
FIELDS += ["reviewed_by__username", "reviewed_by__password"]
LOOKUPS = ["", "__exact", "__regex", "__iregex", "__contains", "__startswith", "__in"]
LOOKUPS += ["__gte", "__isnull", "__year", "__has_key", "__date"]
QUERY_VALUES = ["2026-03-31", "2026", "12", "31", "9999", "0", "-1", "1.5", "{}", "(", "[a"]
QUERY_VALUES += [*ReviewStatus.values, "go", "pass", "applies", "networking", "yes", "1,2"]


def bodies(names, special):
    name = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=30))
    value = st.one_of(nasty_text, special)
    return st.dictionaries(name, st.lists(value, min_size=1, max_size=3), max_size=6)


@pytest.fixture
def saved(db):
    """Return two assessments and what must not change about them."""
    rows = [make_assessment()[0], make_assessment()[0]]
    frozen = list(Assessment.objects.values_list("pk", "answers", "verdict", "shown"))
    return rows, frozen


def assert_intact(frozen):
    now = list(Assessment.objects.values_list("pk", "answers", "verdict", "shown"))
    assert now == frozen
    statuses = set(Assessment.objects.values_list("review_status", flat=True))
    assert statuses <= set(ReviewStatus.values)


# The review form of the first assessment ("{pk}" filled in), or the list's actions.
POSTS = st.one_of(
    st.tuples(
        st.just("{pk}/change/"),
        bodies(REVIEW_NAMES, st.sampled_from([*ReviewStatus.values, "go", "pass", "1", "-1"])),
    ),
    st.tuples(
        st.just(""),
        bodies(ACTION_NAMES, st.sampled_from([*ACTIONS, "1", "2", "-1", "0", "99999999999"])),
    ),
)


@given(post=POSTS)
def test_review_form_and_actions_never_fail_or_change_an_assessment(reviewer_client, saved, post):
    rows, frozen = saved
    path, body = post
    response = reviewer_client.post(LIST + path.format(pk=rows[0].pk), body)
    assert response.status_code < 500
    assert_intact(frozen)


@pytest.mark.parametrize("selected", ["x", "1x", "²", ""])
def test_a_selection_that_is_not_ids_is_refused_with_a_message(reviewer_client, saved, selected):
    _, frozen = saved
    body = {"action": "download_selected", "_selected_action": [selected], "index": "0"}
    response = reviewer_client.post(LIST, body, follow=True)
    assert response.status_code == 200
    assert "The selection was not understood." in response.content.decode()
    assert set(Assessment.objects.values_list("review_status", flat=True)) == {ReviewStatus.NEW}
    assert_intact(frozen)


@given(
    page=st.sampled_from([LIST, f"{LIST}summary/"]),
    query=st.dictionaries(
        st.one_of(
            st.sampled_from(QUERY_NAMES),
            st.builds(str.__add__, st.sampled_from(FIELDS), st.sampled_from(LOOKUPS)),
            st.text(min_size=1, max_size=20),
        ),
        st.lists(st.one_of(nasty_text, st.sampled_from(QUERY_VALUES)), min_size=1, max_size=2),
        max_size=5,
    ),
)
def test_list_and_summary_query_strings_never_fail(reviewer_client, saved, page, query):
    _, frozen = saved
    response = reviewer_client.get(page, query)
    assert response.status_code < 500
    assert_intact(frozen)
