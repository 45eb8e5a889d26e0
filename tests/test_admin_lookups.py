"""Every admin list takes only the parameters its own filters and date links send.

Any other lookup on the model (``answers__contains``, ``review_notes__regex``, a NUL byte in
a value) was a 500 or a 503, or ran a reviewer's regular expression in the database. Now it
is left out like any filter the list cannot read: a clean page, on SQLite and PostgreSQL.
The same holds for the superuser's lists of users, groups and login records.
"""

import html
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice.admin_input import StrictInput
from advice.models import Assessment
from tests.helpers.assessments import make_assessment
from tests.helpers.questionnaire import CAUTION_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS

pytestmark = pytest.mark.db_engine

LIST = "/admin/advice/assessment/"
SUMMARY = f"{LIST}summary/"
EXPORT = f"{LIST}export/"
REGEX_SQL = re.compile(r"\bREGEXP\b|\s~\*?\s", re.IGNORECASE)

REFUSED = [
    # The review's three.
    "answers__contains={}",
    "review_notes__regex=(",
    "token_hash__startswith=%00",
    # Others of the same kind.
    "review_notes__iregex=.*",
    "answers__has_key=employed",
    "reviewed_by__password__startswith=md5",
    "id__in=1,2",
    "created_at__gte=2026-01-01",
    # A filter's own parameter with a NUL byte.
    "verdict__exact=%00",
    "review_status__exact=new%00",
    "applies=%00",
    "created_at__year=%00",
    "from=%00",
]


@pytest.mark.parametrize("query", REFUSED)
@pytest.mark.parametrize("page", [LIST, SUMMARY, EXPORT])
def test_a_lookup_the_filters_do_not_send_is_left_out(reviewer_client, page, query):
    make_assessment()
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get(f"{page}?{query}", follow=True)
    assert response.status_code == 200
    assert [url for url, _ in response.redirect_chain] in ([f"{LIST}?e=1"], [page])
    assert not [q["sql"] for q in queries if REGEX_SQL.search(q["sql"])]


def test_every_link_of_the_list_s_filters_and_dates_is_taken(reviewer_client):
    make_assessment()
    make_assessment(PASS_ANSWERS)
    make_assessment(CAUTION_ANSWERS)
    old, _ = make_assessment(UNEMPLOYED_ANSWERS)
    Assessment.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=400))
    page = reviewer_client.get(LIST).text
    links = {html.unescape(link) for link in re.findall(r'href="(\?[^"]+)"', page)}
    assert len(links) > 20
    for link in links:
        response = reviewer_client.get(f"{LIST}{link}")
        assert response.status_code == 200, link
        assert "Some filters were not understood" not in response.text, link
    # The date range form's two fields.
    assert reviewer_client.get(LIST, {"from": "2026-01-01", "to": "2026-12-31"}).status_code == 200


# -- the stock lists: users, groups and django-axes' login records ------------------------------

USERS, GROUPS = "/admin/auth/user/", "/admin/auth/group/"
ATTEMPTS, LOGINS, FAILURES = (
    f"/admin/axes/{name}/" for name in ("accessattempt", "accesslog", "accessfailurelog")
)
LOGIN_RECORD_LOOKUPS = [
    "username__regex=(",
    "username=admin",
    "user_agent__iregex=.*",
    "attempt_time__year=9999",
    "attempt_time__year=2026&attempt_time__month=13",
    "attempt_time__gte=2026-01-01&id__gt=0",
    "path_info=%00",
]
STOCK_REFUSED = [
    *(
        (USERS, query)
        for query in (
            "username__regex=(",
            "last_login__year=99999",
            "password__startswith=md5",
            "groups__name__regex=(",
            "username=admin",
            "is_staff__exact=%00",
        )
    ),
    *((GROUPS, query) for query in ("name__regex=(", "permissions__codename__startswith=view")),
    *((page, query) for page in (ATTEMPTS, LOGINS, FAILURES) for query in LOGIN_RECORD_LOOKUPS),
    (ATTEMPTS, "post_data__contains=password"),
]


@pytest.fixture
def stock_records(admin_user):
    """A user in a group, and one of each of django-axes's records, for the lists to show."""
    group = Group.objects.create(name="Recruiters")
    User.objects.create_user("it@example.org", is_staff=True).groups.add(group)
    admin_user.groups.add(group)
    who = {"username": "reviewer@example.org", "ip_address": "203.0.113.7"}
    who.update(user_agent="Browser", http_accept="*/*", path_info="/admin/login/")
    AccessAttempt.objects.create(**who, get_data="", post_data="", failures_since_start=5)
    AccessFailureLog.objects.create(**who)
    AccessLog.objects.create(**who)


@pytest.mark.parametrize(("page", "query"), STOCK_REFUSED)
def test_a_lookup_the_stock_lists_filters_do_not_send_is_left_out(
    admin_client, stock_records, page, query
):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(f"{page}?{query}", follow=True)
    assert response.status_code == 200
    assert [url for url, _ in response.redirect_chain] == [f"{page}?e=1"]
    assert not [q["sql"] for q in queries if REGEX_SQL.search(q["sql"])]


@pytest.mark.parametrize("page", [USERS, GROUPS, ATTEMPTS, LOGINS, FAILURES])
def test_a_search_or_date_the_database_refuses_gives_the_plain_list(
    admin_client, stock_records, settings, page
):
    # PostgreSQL refuses a NUL in text; no datetime holds the first moment of 0001-01-01 in
    # UTC when the time zone is east of it.
    settings.TIME_ZONE = "Pacific/Auckland"
    for query in (
        "q=%00",
        "attempt_time__gte=0001-01-01+00:00:00%2B13:00",
        "e=1&username__regex=(",
    ):
        response = admin_client.get(f"{page}?{query}", follow=True)
        assert response.status_code == 200, query
        assert [url for url, _ in response.redirect_chain] in ([], [f"{page}?e=1"]), query
        assert "database installation" not in response.text, query


@pytest.mark.parametrize("page", [USERS, GROUPS, ATTEMPTS, LOGINS, FAILURES])
def test_every_link_of_the_stock_lists_filters_is_taken(admin_client, stock_records, page):
    listing = admin_client.get(page).text
    links = {html.unescape(link) for link in re.findall(r'href="(\?[^"]+)"', listing)}
    assert links
    for link in links:
        response = admin_client.get(f"{page}{link}")
        assert response.status_code == 200, link


def test_every_admin_takes_only_its_own_filters():
    registered = [model for model in apps.get_models() if admin.site.is_registered(model)]
    assert {Assessment, User, Group, AccessAttempt, AccessLog, AccessFailureLog} <= {*registered}
    for model in registered:
        assert isinstance(admin.site.get_model_admin(model), StrictInput), model


def test_a_selection_beyond_the_database_s_integers_is_not_understood_on_the_users(
    admin_client, stock_records
):
    other = User.objects.get(username="it@example.org")
    response = admin_client.post(
        USERS,
        {"action": "delete_selected", "_selected_action": [other.pk, 2**63], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert "The selection was not understood." in response.text
    assert User.objects.filter(pk=other.pk).exists()
