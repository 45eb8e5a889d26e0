"""HR review in the admin: who gets in, what the list and the record show, recording reviews."""

import html
import re
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advice.models import (
    HR_REVIEWER_GROUP,
    Assessment,
    ReviewStatus,
)
from advice.rules import evaluate
from tests.helpers.assessments import make_assessment, mark_reviewed
from tests.helpers.questionnaire import (
    CAUTION_ANSWERS,
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
)
from tests.helpers.second_factor import code, confirmed_device, log_in_verified

LIST = "/admin/advice/assessment/"
SUMMARY = "/admin/advice/assessment/summary/"
EXPORT = "/admin/advice/assessment/export/"
EXPORT_IDS = "/admin/advice/assessment/export/ids/"
BAD_DATE = "A date was not understood, so it was left out. Dates look like 2026-03-31."


def change_url(assessment):
    return f"{LIST}{assessment.pk}/change/"


def delete_url(assessment):
    return f"{LIST}{assessment.pk}/delete/"


@pytest.fixture
def outsider_client(client, db):
    """A staff member who is not in the HR reviewer group."""
    user = get_user_model().objects.create_user("it@example.org", password="x", is_staff=True)
    log_in_verified(client, user)
    return client


def references(response) -> list[str]:
    """Return the references in a list page, in the order shown."""
    return re.findall(r'<th class="field-reference"><a [^>]*>([0-9a-f]{10})</a>', response.text)


def at(days_ago: float, assessment: Assessment) -> Assessment:
    """Move ``assessment`` ``days_ago`` days into the past."""
    assessment.created_at = timezone.now() - timedelta(days=days_ago)
    assessment.save(update_fields=["created_at"])
    return assessment


# -- who gets in ----------------------------------------------------------------------------


def test_reviewer_group_holds_exactly_view_and_review(db):
    group = Group.objects.get(name=HR_REVIEWER_GROUP)
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("advice", "review_assessment"),
        ("advice", "view_assessment"),
    ]


def test_nobody_holds_add_or_change_permissions_for_assessments(db):
    codenames = set(
        Permission.objects.filter(content_type__app_label="advice").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_assessment", "review_assessment"}


@pytest.mark.parametrize("url", [LIST, SUMMARY, EXPORT, "/admin/"])
def test_anonymous_visitor_is_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitor_cannot_open_a_record(client, assessment_with_token):
    assessment, _ = assessment_with_token
    response = client.get(change_url(assessment))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", [LIST, SUMMARY, EXPORT])
def test_staff_outside_the_hr_group_are_refused(outsider_client, url):
    assert outsider_client.get(url).status_code == 403


def test_staff_outside_the_hr_group_cannot_open_a_record(outsider_client):
    assessment, _ = make_assessment()
    assert outsider_client.get(change_url(assessment)).status_code == 403
    assert assessment.reference not in outsider_client.get("/admin/").text


def test_staff_outside_the_hr_group_do_not_see_the_hr_box(outsider_client):
    assert "Summary of assessments" not in outsider_client.get("/admin/").text


def test_logged_in_non_staff_user_is_sent_to_the_login_page(client, db):
    user = get_user_model().objects.create_user("person@example.org", password="x")
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_reviewer_cannot_reach_the_user_admin(reviewer_client, url):
    assert reviewer_client.get(url).status_code == 403


def test_reviewer_cannot_reach_the_delete_view(reviewer_client):
    assessment, _ = make_assessment()
    assert reviewer_client.get(delete_url(assessment)).status_code == 403
    assert reviewer_client.post(delete_url(assessment), {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_reviewer_is_offered_the_download_but_no_bulk_delete_or_review(reviewer_client):
    make_assessment()
    page = reviewer_client.get(LIST).text
    assert 'value="download_selected"' in page
    assert 'value="delete_selected"' not in page
    assert 'value="mark_reviewed"' not in page


def test_reviewer_cannot_bulk_delete_by_posting_the_action(reviewer_client):
    assessment, _ = make_assessment()
    reviewer_client.post(
        LIST, {"action": "delete_selected", "_selected_action": [assessment.pk], "post": "yes"}
    )
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_superuser_can_delete(admin_client):
    assessment, _ = make_assessment()
    assert admin_client.get(delete_url(assessment)).status_code == 200
    admin_client.post(delete_url(assessment), {"post": "yes"})
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.parametrize("client_name", ["admin_client", "reviewer_client"])
def test_nobody_can_add_an_assessment(request, db, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(f"{LIST}add/").status_code == 403
    assert f'href="{LIST}add/"' not in client.get(LIST).text


def test_reviewer_sees_the_hr_box_on_the_admin_index(reviewer_client):
    page = reviewer_client.get("/admin/").text
    assert 'href="/admin/advice/assessment/">Assessments to review</a>' in page
    assert 'href="/admin/advice/assessment/summary/?review=all"' in page
    assert 'href="/admin/advice/assessment/?review=all"' in page
    # The model's own links are the list; there is nothing to change or add.
    assert "Change</a>" not in page


def test_reviewer_logs_in_with_the_email_the_password_and_a_code(client, reviewer):
    device = confirmed_device(reviewer)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "reviewer@example.org", "password": "a-long-test-password"},
    )
    assert response["Location"] == "/admin/second-factor/?next=%2Fadmin%2F"
    response = client.post(response["Location"], {"code": code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get(SUMMARY).status_code == 200


# -- the verdict columns ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (GO_ANSWERS, {"confidentiality": "clear", "employment_agreement": "clear"}),
        (CAUTION_ANSWERS, {"confidentiality": "clear", "employment_agreement": "uncertain"}),
        (PASS_ANSWERS, {"confidentiality": "applies", "attendance_policy": "clear"}),
        (UNEMPLOYED_ANSWERS, {"confidentiality": "", "employment_agreement": ""}),
    ],
)
def test_saving_fills_the_verdict_columns(db, answers, expected):
    assessment, _ = make_assessment(answers)
    for column, state in expected.items():
        assert getattr(assessment, column) == state
    assert assessment.employed == (answers["employed"] == "yes")
    evaluation = evaluate(answers)
    for reason in ("networking", "practice", "preparedness", "leverage", "other_roles"):
        assert getattr(assessment, f"cites_{reason}") == (reason in evaluation.reasons)


# -- the list -------------------------------------------------------------------------------


def test_list_shows_the_columns_in_plain_words(reviewer_client):
    make_assessment(PASS_ANSWERS)
    page = reviewer_client.get(LIST).text
    assert '<span class="hr-badge verdict-pass">Pass</span>' in page
    assert "Can&#x27;t keep it private" in page
    assert "Has a job" in page
    assert '<span class="hr-badge review-new">New</span>' in page
    for heading in ("Reference", "Created", "Verdict", "Reasons to pass", "Employment", "Review"):
        assert f">{heading}</" in page


def test_list_names_the_uncertain_exception_for_a_check_first_verdict(reviewer_client):
    make_assessment(CAUTION_ANSWERS)
    page = reviewer_client.get(LIST).text
    assert '<span class="hr-badge verdict-caution">Check first</span>' in page
    assert "not sure: employment agreement" in page


def test_list_opens_on_the_queue_oldest_first(reviewer_client, reviewer):
    old = at(10, make_assessment()[0])
    new = make_assessment()[0]
    middle = at(5, make_assessment()[0])
    done = at(20, make_assessment()[0])
    mark_reviewed(Assessment.objects.filter(pk=done.pk), reviewer=reviewer)
    assert references(reviewer_client.get(LIST)) == [
        old.reference,
        middle.reference,
        new.reference,
    ]


def test_list_of_all_assessments_shows_newest_first(reviewer_client, reviewer):
    old = at(10, make_assessment()[0])
    new = make_assessment()[0]
    middle = at(5, make_assessment()[0])
    mark_reviewed(Assessment.objects.filter(pk=middle.pk), reviewer=reviewer)
    assert references(reviewer_client.get(LIST, {"review": "all"})) == [
        new.reference,
        middle.reference,
        old.reference,
    ]


def test_list_is_paginated(reviewer_client):
    for _ in range(51):
        make_assessment()
    first = references(reviewer_client.get(LIST))
    second = references(reviewer_client.get(f"{LIST}?p=2"))
    assert len(first) == 50
    assert len(second) == 1
    assert not set(first) & set(second)


@pytest.fixture
def mixed(db):
    """One assessment of each kind, keyed by name."""
    return {
        "go": make_assessment(GO_ANSWERS)[0],
        "caution": make_assessment(CAUTION_ANSWERS)[0],
        "pass": make_assessment(PASS_ANSWERS)[0],
        "time_off": make_assessment(GO_ANSWERS, time_off_puts_job_at_risk="yes")[0],
        "unemployed": make_assessment(UNEMPLOYED_ANSWERS)[0],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("verdict__exact=go", {"go", "unemployed"}),
        ("verdict__exact=caution", {"caution"}),
        ("verdict__exact=pass", {"pass", "time_off"}),
        ("applies=confidentiality", {"pass"}),
        ("applies=attendance_policy", {"time_off"}),
        ("applies=employment_agreement", set()),
        ("uncertain=employment_agreement", {"caution"}),
        ("reason=networking", {"go", "caution", "pass", "time_off"}),
        ("reason=other_roles", {"go", "caution", "pass", "time_off"}),
        ("employed=no", {"unemployed"}),
        ("employed=yes", {"go", "caution", "pass", "time_off"}),
        ("verdict__exact=pass&applies=attendance_policy", {"time_off"}),
    ],
)
def test_list_filters(reviewer_client, mixed, query, expected):
    shown = set(references(reviewer_client.get(f"{LIST}?{query}")))
    assert shown == {mixed[name].reference for name in expected}


def test_list_filters_by_reason_cited(reviewer_client):
    no_leverage, _ = make_assessment(GO_ANSWERS, would_negotiate="no", priorities=[])
    assert not no_leverage.cites_leverage
    other, _ = make_assessment(GO_ANSWERS)
    assert references(reviewer_client.get(f"{LIST}?reason=leverage")) == [other.reference]


def test_list_filters_by_review_status(reviewer_client, reviewer):
    done, _ = make_assessment()
    mark_reviewed(Assessment.objects.filter(pk=done.pk), reviewer=reviewer)
    waiting, _ = make_assessment()
    assert references(reviewer_client.get(f"{LIST}?review=new")) == [waiting.reference]
    assert references(reviewer_client.get(f"{LIST}?review=reviewed")) == [done.reference]
    assert references(reviewer_client.get(f"{LIST}?review=bogus")) == [waiting.reference]


@pytest.mark.db_engine
def test_list_filters_by_date_range(reviewer_client):
    today = timezone.localdate()
    old = at(40, make_assessment()[0])
    recent = at(3, make_assessment()[0])
    now = make_assessment()[0]
    start = (today - timedelta(days=10)).isoformat()
    end = (today - timedelta(days=1)).isoformat()
    assert references(reviewer_client.get(f"{LIST}?from={start}&to={end}")) == [recent.reference]
    assert references(reviewer_client.get(f"{LIST}?from={start}")) == [
        recent.reference,
        now.reference,
    ]
    assert references(reviewer_client.get(f"{LIST}?to={end}")) == [old.reference, recent.reference]


@pytest.mark.db_engine
def test_date_range_includes_the_whole_last_day(reviewer_client):
    assessment = make_assessment()[0]
    today = timezone.localdate()
    late = timezone.make_aware(datetime.combine(today, datetime.max.time()))
    Assessment.objects.filter(pk=assessment.pk).update(created_at=late)
    page = reviewer_client.get(f"{LIST}?from={today}&to={today}")
    assert references(page) == [assessment.reference]


def test_date_range_given_backwards_is_read_the_right_way_round(reviewer_client):
    recent = at(3, make_assessment()[0])
    today = timezone.localdate()
    start, end = today - timedelta(days=10), today - timedelta(days=1)
    assert references(reviewer_client.get(f"{LIST}?from={end}&to={start}")) == [recent.reference]


def test_date_range_filter_form_keeps_the_other_filters(reviewer_client):
    make_assessment()
    page = reviewer_client.get(f"{LIST}?verdict__exact=go&from=2026-01-01").text
    form = page[page.index('class="hr-date-range"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="verdict__exact" value="go">' in form
    assert 'name="from" value="2026-01-01"' in form


@pytest.mark.db_engine
def test_search_finds_by_reference(reviewer_client):
    wanted, _ = make_assessment()
    make_assessment()
    for term in (wanted.reference, wanted.reference[:6], wanted.reference.upper()):
        assert references(reviewer_client.get(LIST, {"q": term})) == [wanted.reference]


@pytest.mark.parametrize("term", ["not a reference", "zz", "' OR 1=1 --", "x" * 200])
def test_search_for_something_that_is_not_a_reference_finds_nothing(reviewer_client, term):
    make_assessment()
    response = reviewer_client.get(LIST, {"q": term})
    assert response.status_code == 200
    assert references(response) == []


@pytest.mark.db_engine
def test_list_does_not_count_the_whole_table(reviewer_client):
    make_assessment(PASS_ANSWERS)
    make_assessment(GO_ANSWERS)
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get(f"{LIST}?verdict__exact=pass")
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "WHERE" in counts[0]
    # The page shows the filtered count, and links to "show all" rather than counting.
    assert "1 result" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "applies=bogus",
        "uncertain=bogus",
        "reason=bogus",
        "employed=maybe",
        "verdict__exact=bogus",
        "review_status__exact=bogus",
        "p=abc",
        "p=-1",
        "p=999",
        "o=99",
        "o=abc",
        "from=2026-13-45",
        "to=yesterday",
        "from=",
        "q=%00",
        "e=1&nonsense=1",
        "e=1&created_at__year=abc",
        "e=1&verdict__exact=go",
        "created_at__year=2026&created_at__month=13",
        "created_at__year=9999",
    ],
)
@pytest.mark.db_engine
def test_unknown_filter_values_give_a_clean_page(reviewer_client, query):
    make_assessment()
    response = reviewer_client.get(f"{LIST}?{query}", follow=True)
    assert response.status_code == 200
    assert "Saved assessments" in response.text
    assert "database installation" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "p=999",
        "nonsense=1",
        "created_at__year=abc",
    ],
)
def test_impossible_filters_or_pages_lead_back_to_the_list(reviewer_client, query):
    for _ in range(51):  # two pages, so that a page number beyond them is checked
        make_assessment()
    response = reviewer_client.get(f"{LIST}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?e=1"
    assert reviewer_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "value", ["2026-02-30", "<b>Your account is locked.</b> Call 0800 000 000 now"]
)
def test_a_date_that_is_not_a_date_is_left_out_with_a_message_that_does_not_repeat_it(
    reviewer_client, value
):
    make_assessment()
    page = reviewer_client.get(LIST, {"from": value}).text
    warnings = re.search(r'<ul class="messagelist">.*?</ul>', page, re.DOTALL).group()
    assert BAD_DATE in warnings
    # The message is the admin's, not the link's: whatever the address says stays out of it.
    assert value not in warnings
    assert html.escape(value) not in warnings


# Dates at the ends of the calendar: the day after 9999-12-31, and the first moment of
# 0001-01-01 east of UTC, are beyond what Python's datetime holds. (query, time zone, whether
# the assessment saved today is in the list once the date is left out)
EDGE_DATES = [
    pytest.param("to=9999-12-31", "UTC", True, id="last-day"),
    pytest.param("from=9999-12-31&to=2000-01-01", "UTC", False, id="backwards"),
    pytest.param("from=0001-01-01", "Pacific/Auckland", True, id="first-day-east-of-utc"),
]


@pytest.mark.db_engine
@pytest.mark.parametrize(("query", "zone", "listed"), EDGE_DATES)
@pytest.mark.parametrize("page", [LIST, SUMMARY])
def test_a_date_at_the_end_of_the_calendar_is_left_out_with_a_message(
    reviewer_client, settings, page, query, zone, listed
):
    settings.TIME_ZONE = zone
    assessment = make_assessment()[0]
    response = reviewer_client.get(f"{page}?review=all&{query}")
    assert response.status_code == 200
    assert BAD_DATE in response.text
    if page == LIST:
        assert references(response) == ([assessment.reference] if listed else [])


@pytest.mark.db_engine
@pytest.mark.parametrize(("query", "zone", "listed"), EDGE_DATES)
@pytest.mark.parametrize("page", [EXPORT, EXPORT_IDS])
def test_a_date_at_the_end_of_the_calendar_is_left_out_of_the_csv(
    reviewer_client, settings, page, query, zone, listed
):
    settings.TIME_ZONE = zone
    make_assessment()
    response = reviewer_client.get(f"{page}?{query}")
    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == (2 if listed else 1)  # the header, and the assessment if it is listed


@pytest.mark.db_engine
@pytest.mark.parametrize(("query", "zone", "listed"), EDGE_DATES)
def test_save_and_review_next_leaves_out_a_date_at_the_end_of_the_calendar(
    reviewer_client, settings, query, zone, listed
):
    settings.TIME_ZONE = zone
    first, following = (at(days, make_assessment()[0]) for days in (2, 1))
    filters = f"_changelist_filters={quote(query)}"
    response = reviewer_client.post(
        f"{change_url(first)}?{filters}",
        {"review_status": "reviewed", "review_notes": "", "_review_next": ""},
    )
    assert response.status_code == 302
    expected = f"{change_url(following)}?{filters}" if listed else f"{LIST}?{query}"
    assert response["Location"] == expected
    assert Assessment.objects.get(pk=first.pk).review_status == ReviewStatus.REVIEWED


# -- the record -----------------------------------------------------------------------------


def test_record_shows_the_answers_in_plain_words(reviewer_client):
    assessment, _ = make_assessment(PASS_ANSWERS)
    page = reviewer_client.get(change_url(assessment)).text
    answers = page[page.index('class="hr-answers"') :]
    answers = answers[: answers.index("</table>")]
    assert '<th scope="row">Do you have a job?</th><td>Yes, I have a job</td>' in answers
    assert "More than three years ago" in answers
    assert "Other roles there" in answers
    for raw in ("over_three_years", "recruiter", "other_roles", "yes", "no"):
        assert f">{raw}<" not in answers


def test_record_shows_the_verdict_and_every_cited_factor_with_its_quote(reviewer_client):
    assessment, _ = make_assessment(PASS_ANSWERS)
    page = reviewer_client.get(change_url(assessment)).text
    assert "It is probably best to pass on this one" in page
    shown = assessment.shown
    for factor in [*shown["exceptions"], *shown["uncertain"], *shown["reasons"]]:
        assert f'data-factor="{factor["id"]}"' in page
        # The template escapes apostrophes; compare the quote as it is written out.
        assert factor["quote"].replace("'", "&#x27;") in page
    assert assessment.rules_version in page


def test_record_is_rendered_from_the_saved_snapshot(reviewer_client):
    assessment, _ = make_assessment(GO_ANSWERS)
    shown = assessment.shown
    shown["headline"] = "Wording from an older version of the rules"
    shown["answers"][0]["answer"] = "An answer worded the old way"
    shown["rules_version"] = "2020-01-01.1"
    Assessment.objects.filter(pk=assessment.pk).update(shown=shown)
    page = reviewer_client.get(change_url(assessment)).text
    assert "Wording from an older version of the rules" in page
    assert "An answer worded the old way" in page
    assert "2020-01-01.1" in page
    assert "The rules have changed since" in page


@pytest.mark.parametrize("client_name", ["admin_client", "reviewer_client"])
def test_the_form_holds_only_the_review_fields(request, db, client_name):
    client = request.getfixturevalue(client_name)
    assessment, _ = make_assessment()
    form = client.get(change_url(assessment)).context["adminform"].form
    assert set(form.fields) == {"review_status", "review_notes"}


@pytest.mark.parametrize("client_name", ["admin_client", "reviewer_client"])
def test_posting_answer_fields_changes_nothing_the_person_saw(request, db, client_name):
    client = request.getfixturevalue(client_name)
    assessment, _ = make_assessment(GO_ANSWERS)
    before = Assessment.objects.values().get(pk=assessment.pk)
    response = client.post(
        change_url(assessment),
        {
            "review_status": "new",
            "review_notes": "",
            "answers": '{"employed": "no"}',
            "verdict": "pass",
            "shown": "{}",
            "exceptions": '["confidentiality"]',
            "rules_version": "forged",
            "created_at": "2000-01-01 00:00",
            "token_hash": "0" * 64,
            "reviewed_by": "1",
            "reviewed_at": "2000-01-01 00:00",
        },
    )
    assert response.status_code == 302
    after = Assessment.objects.values().get(pk=assessment.pk)
    assert after == before


def test_review_records_the_reviewer_and_time(reviewer_client, reviewer):
    assessment, _ = make_assessment()
    before = timezone.now()
    response = reviewer_client.post(
        change_url(assessment),
        {"review_status": "reviewed", "review_notes": "Offered an evening slot."},
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.review_status == ReviewStatus.REVIEWED
    assert assessment.review_notes == "Offered an evening slot."
    assert assessment.reviewed_by == reviewer
    assert before <= assessment.reviewed_at <= timezone.now()
    page = reviewer_client.get(change_url(assessment)).text
    assert "reviewer@example.org" in page


def test_a_second_reviewer_editing_the_notes_becomes_the_reviewer(reviewer_client, admin_user):
    assessment, _ = make_assessment()
    reviewer_client.post(change_url(assessment), {"review_status": "reviewed", "review_notes": "a"})
    first = Assessment.objects.get(pk=assessment.pk).reviewed_at
    log_in_verified(reviewer_client, admin_user)
    reviewer_client.post(change_url(assessment), {"review_status": "reviewed", "review_notes": "b"})
    assessment.refresh_from_db()
    assert assessment.reviewed_by == admin_user
    assert assessment.reviewed_at >= first


def test_saving_without_changes_keeps_the_review(reviewer_client, reviewer, admin_user):
    assessment, _ = make_assessment()
    reviewer_client.post(change_url(assessment), {"review_status": "reviewed", "review_notes": "a"})
    log_in_verified(reviewer_client, admin_user)
    reviewer_client.post(change_url(assessment), {"review_status": "reviewed", "review_notes": "a"})
    assert Assessment.objects.get(pk=assessment.pk).reviewed_by == reviewer


def test_setting_a_review_back_to_new_clears_who_and_when(reviewer_client):
    assessment, _ = make_assessment()
    reviewer_client.post(change_url(assessment), {"review_status": "reviewed", "review_notes": ""})
    reviewer_client.post(change_url(assessment), {"review_status": "new", "review_notes": "redo"})
    assessment.refresh_from_db()
    assert assessment.review_status == ReviewStatus.NEW
    assert assessment.reviewed_by is None
    assert assessment.reviewed_at is None


def test_an_unknown_review_status_is_refused(reviewer_client):
    assessment, _ = make_assessment()
    response = reviewer_client.post(
        change_url(assessment), {"review_status": "approved", "review_notes": ""}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Assessment.objects.get(pk=assessment.pk).review_status == ReviewStatus.NEW


def test_view_only_staff_can_read_a_record_but_not_review_it(client, db):
    user = get_user_model().objects.create_user("auditor@example.org", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    log_in_verified(client, user)
    assessment, _ = make_assessment()
    page = client.get(change_url(assessment))
    assert page.status_code == 200
    assert 'name="review_status"' not in page.text
    response = client.post(change_url(assessment), {"review_status": "reviewed"})
    assert response.status_code == 403


def test_a_missing_record_is_a_clean_page(reviewer_client):
    response = reviewer_client.get(f"{LIST}999999/change/", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist" in response.text


# Beyond the 64-bit integers of both databases, and far beyond.
OUT_OF_RANGE_IDS = ["9223372036854775808", "-9223372036854775809", "1" + "0" * 30]


@pytest.mark.db_engine
@pytest.mark.parametrize("selected", OUT_OF_RANGE_IDS)
@pytest.mark.parametrize("action", ["delete_selected", "download_selected"])
def test_a_selection_beyond_the_database_s_integers_is_not_understood(
    admin_client, action, selected
):
    assessment = make_assessment()[0]
    response = admin_client.post(
        LIST,
        {"action": action, "_selected_action": [assessment.pk, selected], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert "The selection was not understood." in response.text
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_posting_the_former_bulk_review_action_marks_nothing(reviewer_client):
    chosen = [make_assessment()[0] for _ in range(2)]
    reviewer_client.post(
        LIST, {"action": "mark_reviewed", "_selected_action": [a.pk for a in chosen]}
    )
    assert set(Assessment.objects.values_list("review_status", flat=True)) == {ReviewStatus.NEW}


@pytest.mark.db_engine
def test_a_review_must_have_a_time(db):
    assessment, _ = make_assessment()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(review_status="reviewed")
    assert Assessment.objects.get(pk=assessment.pk).review_status == ReviewStatus.NEW


# -- no inline code: the pages must work under a strict Content-Security-Policy --------------

# -- the review queue -------------------------------------------------------------------------


def test_save_and_review_next_opens_the_next_one_of_the_same_filtered_list(reviewer_client):
    first = at(30, make_assessment(PASS_ANSWERS)[0])
    at(20, make_assessment(GO_ANSWERS)[0])  # not in the filtered list
    second = at(10, make_assessment(PASS_ANSWERS)[0])
    filters = "_changelist_filters=verdict__exact%3Dpass"
    response = reviewer_client.post(
        f"{change_url(first)}?{filters}",
        {
            "review_status": "reviewed",
            "review_notes": "Asked for a discreet slot.",
            "_review_next": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{change_url(second)}?{filters}"
    page = reviewer_client.get(response["Location"]).text
    assert f"Review saved for {first.reference}." in page
    assert Assessment.objects.get(pk=first.pk).review_notes == "Asked for a discreet slot."


def test_save_and_review_next_follows_the_queue_oldest_first(reviewer_client):
    oldest, following, newest = (make_assessment()[0] for _ in range(3))
    for days, assessment in ((3, oldest), (2, following)):
        at(days, assessment)
    response = reviewer_client.post(
        f"{change_url(oldest)}?_changelist_filters=",
        {"review_status": "reviewed", "review_notes": "", "_review_next": ""},
    )
    assert response["Location"].startswith(change_url(following))


def test_save_and_review_next_at_the_end_of_the_queue_goes_back_to_the_list(reviewer_client):
    only = make_assessment()[0]
    response = reviewer_client.post(
        change_url(only), {"review_status": "reviewed", "review_notes": "", "_review_next": ""}
    )
    assert response["Location"] == LIST


def test_saving_says_in_plain_words_what_was_saved(reviewer_client):
    assessment = make_assessment()[0]
    response = reviewer_client.post(
        change_url(assessment), {"review_status": "reviewed", "review_notes": ""}, follow=True
    )
    assert f"Review saved for {assessment.reference}." in response.text
    assert "was changed successfully" not in response.text


def test_the_record_opens_on_the_review_with_its_buttons_above_the_answers(reviewer_client):
    page = reviewer_client.get(change_url(make_assessment()[0])).text
    review = page.index('name="review_status"')
    assert review < page.index('value="Save and review next"') < page.index("What they answered")
    assert "History</a>" not in page


def test_superusers_keep_the_history_of_a_record(admin_client):
    assessment = make_assessment()[0]
    assert "History</a>" in admin_client.get(change_url(assessment)).text
    assert admin_client.get(f"{LIST}{assessment.pk}/history/").status_code == 200


def test_reviewers_cannot_open_the_history_of_a_record(reviewer_client, admin_client):
    # The history names each reviewer and the minute of their change.
    assessment = make_assessment()[0]
    admin_client.post(change_url(assessment), {"review_status": "reviewed", "review_notes": ""})
    assert reviewer_client.get(f"{LIST}{assessment.pk}/history/").status_code == 403


def test_the_list_has_no_navigation_sidebar_and_shows_notes_in_short(reviewer_client):
    assessment = make_assessment()[0]
    Assessment.objects.filter(pk=assessment.pk).update(review_notes="Called back. " * 20)
    page = reviewer_client.get(LIST).text
    assert 'id="nav-sidebar"' not in page
    notes = re.search(r'<td class="field-notes">([^<]*)</td>', page).group(1)
    assert notes.startswith("Called back.") and notes.endswith("…") and len(notes) <= 60


@pytest.mark.parametrize(
    "pasted",
    [
        lambda ref: f"Reference: {ref}",
        lambda ref: f"reference:{ref}",
        lambda ref: f"  {ref}\t",
        lambda ref: f"{ref[:5]} {ref[5:]}",
        lambda ref: f"REFERENCE: {ref[:3]} {ref[3:6]}",
    ],
)
def test_search_finds_a_reference_pasted_with_its_label_or_spaces(reviewer_client, pasted):
    wanted = make_assessment()[0]
    make_assessment()
    term = pasted(wanted.reference)
    assert references(reviewer_client.get(LIST, {"q": term})) == [wanted.reference]


def test_date_inputs_take_the_form_their_hint_gives(reviewer_client):
    page = reviewer_client.get(LIST).text
    assert 'type="date"' not in page
    assert 'placeholder="2026-03-31"' in page
    assert "Dates look like 2026-03-31." in page


def test_list_filters_by_rules_version(reviewer_client):
    current = make_assessment()[0]
    older = make_assessment()[0]
    Assessment.objects.filter(pk=older.pk).update(rules_version="2020-01-01.1")
    shown = {"current": [current.reference], "earlier": [older.reference]}
    for value, expected in shown.items():
        assert references(reviewer_client.get(LIST, {"rules": value})) == expected
