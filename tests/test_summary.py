"""The HR summary page: numbers against hand-counted assessments, filters, charts, access."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advice.admin import tallied_days
from advice.models import Assessment
from advice.summary import (
    CHART_WIDTH,
    LABEL_WIDTH,
    MAX_WEEKS,
    VALUE_SPACE,
    bar_chart,
    column_chart,
    share,
    summarise,
    summarise_days,
    week_starts,
)
from advice.tallies import recount
from tests.conftest import make_assessment
from tests.walk import CAUTION_ANSWERS, GO_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS

SUMMARY = "/admin/advice/assessment/summary/"


def table(page: str, table_id: str) -> dict[str, list[str]]:
    """Return a summary table's rows as {key: [cell, ...]}, numbers as written."""
    body = page[page.index(f'id="{table_id}"') :]
    body = body[: body.index("</table>")]
    return {
        key: re.findall(r"<td>([^<]*)</td>", cells)
        for key, cells in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', body)
    }


def days_ago(days: int, assessment: Assessment) -> Assessment:
    """Move ``assessment`` back in time with SQL, then recount the tallies as after a repair."""
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    recount()
    return assessment


@pytest.fixture
def counted(db, reviewer):
    """Ten assessments whose numbers are counted by hand in the tests below.

    go 3 (+1 unemployed = 4), caution 2, pass 4 (confidentiality 2, attendance 1,
    confidentiality and agreement 1); employed 9; reviewed 2.
    """
    made = [
        make_assessment(GO_ANSWERS)[0],
        make_assessment(GO_ANSWERS, would_negotiate="no")[0],
        make_assessment(GO_ANSWERS, open_to_other_roles="no", priorities=[])[0],
        make_assessment(UNEMPLOYED_ANSWERS)[0],
        make_assessment(CAUTION_ANSWERS)[0],
        make_assessment(GO_ANSWERS, time_off_puts_job_at_risk="unsure")[0],
        make_assessment(PASS_ANSWERS)[0],
        make_assessment(PASS_ANSWERS, would_negotiate="no")[0],
        make_assessment(GO_ANSWERS, time_off_puts_job_at_risk="yes")[0],
        make_assessment(PASS_ANSWERS, agreement_bars_employer="yes")[0],
    ]
    Assessment.objects.filter(pk__in=[made[0].pk, made[6].pk]).mark_reviewed(reviewer=reviewer)
    return made


def test_summary_counts_match_the_hand_count(counted):
    summary = summarise(Assessment.objects.all())
    assert summary.total == 10
    assert summary.reviewed == 2
    assert summary.to_review == 8
    assert summary.employed == 9
    assert {row.key: row.count for row in summary.verdicts} == {"go": 4, "caution": 2, "pass": 4}
    assert {row.key: (row.applies, row.unsure) for row in summary.exceptions} == {
        "confidentiality": (3, 0),
        "employment_agreement": (1, 1),
        "attendance_policy": (1, 1),
    }
    reasons = {row.key: row.count for row in summary.reasons}
    # Every employed person is told about networking, practice and preparedness. A pass never
    # says there is little to lose (4 passes), nor, when an agreement bars the employer, cites
    # leverage or other roles (1); "would not negotiate" (2) and "no other role" (1) close
    # those reasons.
    assert reasons == {
        "networking": 9,
        "nothing_to_lose": 5,
        "practice": 9,
        "preparedness": 9,
        "leverage": 6,
        "other_roles": 7,
    }


def test_summary_page_shows_the_hand_counted_numbers(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY).text
    assert table(page, "hr-verdicts") == {
        "go": ["4", "40%"],
        "caution": ["2", "20%"],
        "pass": ["4", "40%"],
    }
    assert table(page, "hr-exceptions") == {
        "confidentiality": ["3", "30%", "0", "0%"],
        "employment_agreement": ["1", "10%", "1", "10%"],
        "attendance_policy": ["1", "10%", "1", "10%"],
    }
    assert table(page, "hr-reasons")["leverage"] == ["6", "60%"]
    assert "<strong>10</strong> assessments" in page
    assert "2 reviewed, 8 still to review" in page


def test_summary_counts_come_from_two_queries(counted, django_assert_num_queries):
    with django_assert_num_queries(2):
        summarise(Assessment.objects.all())


def test_tallied_summary_comes_from_two_queries(counted, django_assert_num_queries):
    with django_assert_num_queries(2):
        summarise_days(None, None)


def test_summary_respects_the_date_range(reviewer_client, counted):
    for assessment in counted[:4]:  # three go and the unemployed person
        days_ago(30, assessment)
    today = timezone.localdate()
    recent = reviewer_client.get(SUMMARY, {"from": (today - timedelta(days=7)).isoformat()}).text
    assert table(recent, "hr-verdicts")["go"] == ["0", "0%"]
    assert "<strong>6</strong> assessments" in recent
    older = reviewer_client.get(
        SUMMARY,
        {
            "from": (today - timedelta(days=40)).isoformat(),
            "to": (today - timedelta(days=20)).isoformat(),
        },
    ).text
    assert table(older, "hr-verdicts")["go"] == ["4", "100%"]
    assert "<strong>4</strong> assessments" in older


def test_summary_respects_the_list_filters(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY, {"recommendation__exact": "pass"}).text
    assert table(page, "hr-verdicts") == {
        "go": ["0", "0%"],
        "caution": ["0", "0%"],
        "pass": ["4", "100%"],
    }
    assert "<strong>Verdict:</strong> Pass" in page
    filtered = reviewer_client.get(SUMMARY, {"applies": "attendance_policy"}).text
    assert "<strong>1</strong> assessment," in filtered
    reviewed = reviewer_client.get(SUMMARY, {"review_status__exact": "reviewed"}).text
    assert "<strong>2</strong> assessments" in reviewed


def test_summary_respects_the_search(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY, {"q": counted[6].reference}).text
    assert table(page, "hr-verdicts")["pass"] == ["1", "100%"]
    assert f"<strong>Reference starts with:</strong> {counted[6].reference}" in page


def test_summary_counts_assessments_per_week(reviewer_client, db):
    today = timezone.localdate()
    this_week = today - timedelta(days=today.weekday())
    for days in (0, 7, 7, 21):
        days_ago(days, make_assessment()[0])
    page = reviewer_client.get(SUMMARY).text
    weeks = table(page, "hr-weeks")
    expected = {
        (this_week - timedelta(weeks=n)).isoformat(): count
        for n, count in ((0, "1"), (1, "2"), (2, "0"), (3, "1"))
    }
    assert {key: cells[0] for key, cells in weeks.items()} == expected


def test_weekly_chart_shows_at_most_the_last_26_weeks(db):
    for days in (0, 400):
        days_ago(days, make_assessment()[0])
    summary = summarise(Assessment.objects.all())
    assert len(summary.weeks) == MAX_WEEKS
    assert sum(row.count for row in summary.weeks) == 1


def test_weekly_chart_follows_filters_that_point_to_the_past(reviewer_client, db):
    old = days_ago(400, make_assessment()[0])
    make_assessment()
    year = timezone.localtime(Assessment.objects.get(pk=old.pk).created_at).year
    page = reviewer_client.get(SUMMARY, {"created_at__year": year}).text
    counts = [cells[0] for cells in table(page, "hr-weeks").values()]
    assert counts[-1] == "1"
    assert f"<strong>Saved in:</strong> {year}" in page


def test_summary_with_nothing_to_count_says_so(reviewer_client, db):
    page = reviewer_client.get(SUMMARY).text
    assert "No assessments match these filters." in page
    assert '<svg class="hr-chart"' not in page


def test_summary_draws_a_bar_for_each_number(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY).text
    assert page.count('<rect class="bar-pass"') == 1
    assert page.count('<rect class="bar-applies"') == 3
    assert page.count('<rect class="bar-unsure"') == 3
    assert page.count('<rect class="bar-reason"') == 6
    assert page.count('<svg class="hr-chart"') == 4
    # Each chart is hidden from screen readers, which read the table beside it instead.
    assert page.count('aria-hidden="true" focusable="false"') == 4
    assert len(re.findall(r'<table class="hr-numbers"[^>]*>\s*<caption>', page)) == 4


def test_bars_are_scaled_against_the_largest():
    chart = bar_chart([("a", [(10, "x", "s")]), ("b", [(5, "x", "s")]), ("c", [(0, "x", "s")])])
    lengths = [group.bars[0].length for group in chart.groups]
    assert lengths == [CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE, lengths[0] / 2, 0]
    tops = [group.bars[0].y for group in chart.groups]
    assert tops == sorted(set(tops))
    assert chart.height > tops[-1]


def test_bar_chart_of_zeros_draws_empty_bars():
    chart = bar_chart([("a", [(0, "x", "s")])])
    assert chart.groups[0].bars[0].length == 0


def test_columns_rise_to_the_largest_week():
    monday = date(2026, 3, 2)
    chart = column_chart([(monday + timedelta(weeks=i), n) for i, n in enumerate((4, 2, 0))])
    heights = [column.height for column in chart.columns]
    assert heights[0] == 2 * heights[1] > 0 == heights[2]
    assert chart.columns[0].y + heights[0] == chart.baseline
    assert chart.columns[0].label == "2 Mar"
    assert chart.largest == 4


def test_column_chart_labels_about_eight_weeks():
    monday = date(2026, 1, 5)
    chart = column_chart([(monday + timedelta(weeks=i), 1) for i in range(26)])
    labelled = [column for column in chart.columns if column.label]
    assert 7 <= len(labelled) <= 9
    assert chart.columns[-1].label_x < chart.width


def test_week_starts_are_mondays_ending_with_the_last_week():
    weeks = week_starts(date(2026, 3, 4), date(2026, 3, 18))
    assert weeks == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert len(week_starts(date(2020, 1, 1), date(2026, 3, 18))) == MAX_WEEKS


def test_share_rounds_to_whole_percent():
    assert share(1, 3) == "33%"
    assert share(2, 3) == "67%"
    assert share(0, 0) == "–"


@pytest.mark.parametrize(
    "query",
    [
        "nonsense=1",
        "created_at__year=abc",
        "created_at__year=2026&created_at__month=13",
        "created_at__year=2026&created_at__day=32",
        "created_at__year=9999",
        "created_at__year=9999&created_at__month=12",
    ],
)
def test_filters_the_summary_cannot_read_are_dropped_with_a_message(reviewer_client, query):
    make_assessment()
    response = reviewer_client.get(f"{SUMMARY}?{query}")
    assert response.status_code == 302
    assert response["Location"] == SUMMARY
    page = reviewer_client.get(SUMMARY).text
    assert "Some filters were not understood, so they were removed." in page


@pytest.mark.parametrize("query", ["from=someday", "to=2026-02-30", "applies=bogus", "p=nine"])
def test_bad_values_give_a_clean_summary(reviewer_client, query):
    make_assessment()
    assert reviewer_client.get(f"{SUMMARY}?{query}").status_code == 200


def test_summary_date_form_keeps_the_other_filters(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY, {"recommendation__exact": "pass", "q": "ab"}).text
    form = page[page.index('class="hr-date-range') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="recommendation__exact" value="pass">' in form
    assert '<input type="hidden" name="q" value="ab">' in form


def test_summary_links_to_the_same_list_and_export(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY, {"recommendation__exact": "pass"}).text
    assert 'href="/admin/advice/assessment/?recommendation__exact=pass"' in page
    assert 'href="/admin/advice/assessment/export/?recommendation__exact=pass"' in page


def test_list_links_to_its_summary(reviewer_client, counted):
    page = reviewer_client.get("/admin/advice/assessment/?applies=confidentiality").text
    assert 'href="/admin/advice/assessment/summary/?applies=confidentiality"' in page


def test_anonymous_visitor_gets_the_login_page(client, db):
    response = client.get(SUMMARY)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={SUMMARY}"


def test_staff_outside_the_hr_group_get_403(client, db):
    client.force_login(get_user_model().objects.create_user("it@example.org", is_staff=True))
    make_assessment()
    response = client.get(SUMMARY)
    assert response.status_code == 403
    assert "Verdicts" not in response.text


# -- the daily tallies ----------------------------------------------------------------------


@pytest.fixture
def spread(counted, reviewer):
    """The ten counted assessments today, and more over the past year and more."""
    answers = [GO_ANSWERS, PASS_ANSWERS, CAUTION_ANSWERS, UNEMPLOYED_ANSWERS]
    for i, days in enumerate((1, 6, 7, 30, 31, 45, 45, 200, 400, 401)):
        assessment = make_assessment(answers[i % len(answers)])[0]
        if i % 3 == 0:
            Assessment.objects.filter(pk=assessment.pk).mark_reviewed(reviewer=reviewer)
        days_ago(days, assessment)


def summary_and_queries(client, query: dict):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SUMMARY, query)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


def counted_row_by_row(response) -> object:
    """Return the summary of the list the page shows, counted from the rows."""
    date_range = response.context["date_range"]
    return summarise(response.context["cl"].queryset, until=date_range.dates.get("to"))


def date_only_queries() -> dict[str, dict]:
    today = timezone.localdate()
    month_ago = today - timedelta(days=30)
    year_ago = today - timedelta(days=400)
    return {
        "everything": {},
        "a range": {
            "from": (today - timedelta(days=45)).isoformat(),
            "to": (today - timedelta(days=6)).isoformat(),
        },
        "from a day": {"from": (today - timedelta(days=7)).isoformat()},
        "up to a day": {"to": (today - timedelta(days=31)).isoformat()},
        "a range the wrong way round": {
            "from": today.isoformat(),
            "to": (today - timedelta(days=7)).isoformat(),
        },
        "a year": {"created_at__year": year_ago.year},
        "a month": {"created_at__year": month_ago.year, "created_at__month": month_ago.month},
        "a day": {
            "created_at__year": month_ago.year,
            "created_at__month": month_ago.month,
            "created_at__day": month_ago.day,
        },
        "a year and a range": {
            "created_at__year": today.year,
            "from": (today - timedelta(days=31)).isoformat(),
        },
        "a range outside the year": {
            "created_at__year": today.year - 5,
            "from": today.isoformat(),
        },
        "sorted, with an empty search": {"o": "-2", "q": " "},
        "a date that is not one": {"from": "someday"},
    }


@pytest.mark.parametrize("name", list(date_only_queries()))
def test_summary_by_date_only_adds_up_the_tallies(reviewer_client, spread, name):
    response, queries = summary_and_queries(reviewer_client, date_only_queries()[name])
    assert not [sql for sql in queries if "advice_assessment" in sql]
    assert response.context["summary"] == counted_row_by_row(response)


def test_summary_of_everything_shows_the_tallied_numbers(reviewer_client, spread):
    page = reviewer_client.get(SUMMARY).text
    assert "<strong>20</strong> assessments" in page
    first = timezone.localdate() - timedelta(days=401)
    assert f"saved between {first:%-d %b %Y} and {timezone.localdate():%-d %b %Y}" in page
    weeks = table(page, "hr-weeks")
    assert len(weeks) == MAX_WEEKS
    # All but the three from more than 26 weeks ago.
    assert sum(int(cells[0]) for cells in weeks.values()) == 17


@pytest.mark.parametrize(
    "query",
    [
        {"recommendation__exact": "pass"},
        {"review_status__exact": "reviewed", "from": "2020-01-01"},
        {"q": "0"},
        {"created_at__month": "1"},  # a month without a year: January of every year
        {"all": ""},
    ],
    ids=str,
)
def test_summary_with_any_other_filter_counts_the_rows(reviewer_client, spread, query):
    response, queries = summary_and_queries(reviewer_client, query)
    assert [sql for sql in queries if "advice_assessment" in sql]
    assert not [sql for sql in queries if "advice_dailytally" in sql]
    assert response.context["summary"] == counted_row_by_row(response)


def test_summaries_after_a_review_and_a_delete_are_right(reviewer_client, admin_client, counted):
    form = {"review_status": "reviewed", "review_notes": ""}
    reviewer_client.post(f"/admin/advice/assessment/{counted[7].pk}/change/", form)
    admin_client.post(f"/admin/advice/assessment/{counted[8].pk}/delete/", {"post": "yes"})

    everything = reviewer_client.get(SUMMARY).context["summary"]
    assert (everything.total, everything.reviewed) == (9, 3)
    assert {row.key: row.count for row in everything.verdicts} == {"go": 4, "caution": 2, "pass": 3}
    passed = reviewer_client.get(SUMMARY, {"recommendation__exact": "pass"}).context["summary"]
    assert (passed.total, passed.reviewed) == (3, 2)


@pytest.mark.parametrize(
    ("query", "days"),
    [
        ("", (None, None)),
        ("o=1", (None, None)),
        ("created_at__year=2024", (date(2024, 1, 1), date(2024, 12, 31))),
        ("created_at__year=2024&created_at__month=2", (date(2024, 2, 1), date(2024, 2, 29))),
        ("created_at__year=2025&created_at__month=12", (date(2025, 12, 1), date(2025, 12, 31))),
        (
            "created_at__year=2025&created_at__month=12&created_at__day=31",
            (date(2025, 12, 31), date(2025, 12, 31)),
        ),
        # Django reads a day without a month as a day of January.
        ("created_at__year=2025&created_at__day=5", (date(2025, 1, 5), date(2025, 1, 5))),
        (
            "from=2025-03-10&created_at__year=2025&created_at__month=3",
            (date(2025, 3, 10), date(2025, 3, 31)),
        ),
        ("to=2025-03-10&from=2025-04-01", (date(2025, 3, 10), date(2025, 4, 1))),
        ("to=2025-03-10&created_at__year=2025", (date(2025, 1, 1), date(2025, 3, 10))),
        ("created_at__year=2025&recommendation__exact=go", None),
        ("q=ab", None),
        ("created_at__day=5", None),
    ],
)
def test_date_only_filters_give_the_days_to_add_up(reviewer_client, query, days):
    context = reviewer_client.get(f"{SUMMARY}?{query}").context
    assert tallied_days(context["cl"], context["date_range"]) == days
