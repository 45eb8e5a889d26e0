"""The HR summary page: numbers against hand-counted assessments, filters, charts, access."""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from advice.charts import CHART_WIDTH, LABEL_WIDTH, VALUE_SPACE, bar_chart, column_chart
from advice.factors import EXCEPTION_IDS, FACTORS, QUESTIONS, REASON_IDS
from advice.models import (
    Assessment,
)
from advice.summary import MAX_WEEKS, share, summarise, week_starts
from tests.helpers.assessments import make_assessment, mark_reviewed
from tests.helpers.questionnaire import (
    CAUTION_ANSWERS,
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
)

# The counts are the database's own aggregates, which each engine computes its own way.
pytestmark = pytest.mark.db_engine

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
    """Move ``assessment`` back in time, as an UPDATE outside the write path would."""
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
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
    mark_reviewed(Assessment.objects.filter(pk__in=[made[0].pk, made[6].pk]), reviewer=reviewer)
    return made


def test_summary_counts_match_the_hand_count(counted):
    summary = summarise(Assessment.objects.all())
    assert summary.total == 10
    assert summary.reviewed == 2
    assert summary.to_review == 8
    assert summary.employed == 9
    assert summary.between_jobs == 1
    # Of the people with a job: the unemployed person's go is counted apart.
    assert {row.key: row.count for row in summary.verdicts} == {"go": 3, "caution": 2, "pass": 4}
    assert {row.key: (row.applies, row.uncertain) for row in summary.exceptions} == {
        "confidentiality": (3, 0),
        "employment_agreement": (1, 1),
        "attendance_policy": (1, 1),
    }
    reasons = {row.key: row.count for row in summary.reasons}
    # Every employed person is told about networking, practice and preparedness. Only a go
    # says there is little to lose (3 of them); an agreement that bars the employer rules out
    # leverage and other roles (1); "would not negotiate" (2) and "no other role" (1) close
    # those reasons.
    assert summary.reasons_for_everyone == ("Networking", "Interview practice", "Ready for change")
    assert reasons == {"nothing_to_lose": 3, "leverage": 6, "other_roles": 7}
    # Everyone with a job ticked other roles as mattering most, but one who ticked nothing.
    assert {row.key: row.count for row in summary.priorities} == {
        "networking": 0,
        "practice": 0,
        "preparedness": 0,
        "leverage": 0,
        "other_roles": 8,
    }
    assert summary.no_priority == 1


def test_summary_page_shows_the_hand_counted_numbers(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY).text
    # Every share is of the nine people with a job.
    assert table(page, "hr-verdicts") == {
        "go": ["3", "33%"],
        "caution": ["2", "22%"],
        "pass": ["4", "44%"],
    }
    assert table(page, "hr-exceptions") == {
        "confidentiality": ["3", "33%", "0", "0%"],
        "employment_agreement": ["1", "11%", "1", "11%"],
        "attendance_policy": ["1", "11%", "1", "11%"],
    }
    assert table(page, "hr-reasons") == {
        "nothing_to_lose": ["3", "33%"],
        "leverage": ["6", "67%"],
        "other_roles": ["7", "78%"],
    }
    assert "Given to everyone with a job: Networking, Interview practice, Ready for change." in page
    assert table(page, "hr-priorities")["other_roles"] == ["8", "89%"]
    assert table(page, "hr-priorities")["none"] == ["1", "11%"]
    assert "<strong>9</strong> people had a job" in page
    assert "<strong>1</strong> person was between jobs" in page
    assert "<strong>10</strong> assessments" in page
    assert "2 reviewed, 8 still to review" in page


def test_summary_comes_from_one_count_a_week_count_and_both_ends_of_the_dates(
    counted, django_assert_num_queries
):
    with django_assert_num_queries(4):
        summarise(Assessment.objects.all())


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
    # Three people with a job, all told to go; the fourth, between jobs, is counted apart.
    assert table(older, "hr-verdicts")["go"] == ["3", "100%"]
    assert "<strong>4</strong> assessments" in older


def test_summary_respects_the_list_filters(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY, {"verdict__exact": "pass"}).text
    assert table(page, "hr-verdicts") == {
        "go": ["0", "0%"],
        "caution": ["0", "0%"],
        "pass": ["4", "100%"],
    }
    assert "<strong>Verdict:</strong> Pass" in page
    filtered = reviewer_client.get(SUMMARY, {"applies": "attendance_policy"}).text
    assert "<strong>1</strong> assessment," in filtered
    reviewed = reviewer_client.get(SUMMARY, {"review": "reviewed"}).text
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
    page = reviewer_client.get(SUMMARY, {"q": old.reference}).text
    counts = [cells[0] for cells in table(page, "hr-weeks").values()]
    assert counts[-1] == "1"
    assert sum(int(count) for count in counts) == 1


def test_summary_with_nothing_to_count_says_so(reviewer_client, db):
    page = reviewer_client.get(SUMMARY).text
    assert "No assessments match these filters." in page
    assert '<svg class="hr-chart"' not in page


def test_summary_draws_a_bar_for_each_number(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY).text
    assert page.count('<rect class="bar-pass"') == 1
    assert page.count('<rect class="bar-applies"') == 3
    assert page.count('<rect class="bar-uncertain"') == 3
    # Three of the six reasons to go were given to everyone with a job: a line, not bars.
    assert page.count('<rect class="bar-reason"') == 3
    assert page.count('<rect class="bar-priority"') == 5
    assert page.count('<svg class="hr-chart"') == 5
    # Each chart is hidden from screen readers, which read the table beside it instead.
    assert page.count('aria-hidden="true" focusable="false"') == 5
    # Each chart's table, and the question counts' (nothing counted here, so no chart).
    assert len(re.findall(r'<table class="hr-numbers"[^>]*>\s*<caption>', page)) == 6
    # The charts' tables are folded away under each chart.
    assert page.count("<details><summary>The numbers</summary>") == 5


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
        # The list has no date links since the daily tallies went: a year is no filter of it.
        "created_at__year=2026&created_at__month=13",
        "created_at__year=9999",
    ],
)
def test_filters_the_summary_cannot_read_are_dropped_with_a_message(reviewer_client, query):
    make_assessment()
    response = reviewer_client.get(f"{SUMMARY}?{query}")
    assert response.status_code == 302
    assert response["Location"] == SUMMARY
    page = reviewer_client.get(SUMMARY).text
    assert "Some filters were not understood, so they were removed." in page


@pytest.mark.parametrize(
    "query",
    [
        "from=someday",
        "to=2026-02-30",
        "applies=bogus",
        "p=nine",
    ],
)
def test_bad_values_give_a_clean_summary(reviewer_client, query):
    make_assessment()
    assert reviewer_client.get(f"{SUMMARY}?{query}").status_code == 200


def test_summary_date_form_keeps_the_other_filters(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY, {"verdict__exact": "pass", "q": "ab"}).text
    form = page[page.index('class="hr-date-range') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="verdict__exact" value="pass">' in form
    assert '<input type="hidden" name="q" value="ab">' in form


def test_summary_links_to_the_same_list_and_export(reviewer_client, counted):
    page = reviewer_client.get(SUMMARY, {"verdict__exact": "pass"}).text
    assert 'href="/admin/advice/assessment/?verdict__exact=pass"' in page
    assert 'href="/admin/advice/assessment/export/?verdict__exact=pass"' in page


def test_list_links_to_its_summary(reviewer_client, counted):
    page = reviewer_client.get("/admin/advice/assessment/?applies=confidentiality").text
    assert 'href="/admin/advice/assessment/summary/?applies=confidentiality&amp;review=new"' in page


# -- the counts follow the rows, however they were written ----------------------------------

ANSWERS = [
    GO_ANSWERS,
    CAUTION_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
    {**GO_ANSWERS, "time_off_puts_job_at_risk": "unsure"},
    {**PASS_ANSWERS, "agreement_bars_employer": "yes", "would_negotiate": "no"},
]


def hand_count() -> dict:
    """Count the summary's numbers one saved assessment at a time, from its JSON fields."""
    rows = list(Assessment.objects.all())
    return {
        "total": len(rows),
        "reviewed": sum(a.review_status == "reviewed" for a in rows),
        "employed": sum(a.answers["employed"] == "yes" for a in rows),
        "between_jobs": sum(a.answers["employed"] == "no" for a in rows),
        "verdicts": {
            v: sum(a.verdict == v and a.answers["employed"] == "yes" for a in rows)
            for v in ("go", "caution", "pass")
        },
        "exceptions": {
            e: (sum(e in a.exceptions for a in rows), sum(e in a.uncertain for a in rows))
            for e in EXCEPTION_IDS
        },
        "reasons": {r: sum(r in a.reasons for a in rows) for r in REASON_IDS},
        "priorities": {
            r: sum(r in a.answers.get("priorities", []) for a in rows)
            for r in QUESTIONS["priorities"].values
        },
        "no_priority": sum(
            a.answers["employed"] == "yes" and not a.answers.get("priorities") for a in rows
        ),
    }


def summary_counts(client, query=None) -> dict:
    """Return the numbers of the summary page, in the shape of ``hand_count()``."""
    response = client.get(SUMMARY, query or {})
    assert response.status_code == 200
    return counts_of(response.context["summary"])


def counts_of(summary) -> dict:
    """Return the numbers of ``summary`` in the shape of ``hand_count()``."""
    return {
        "total": summary.total,
        "reviewed": summary.reviewed,
        "employed": summary.employed,
        "between_jobs": summary.between_jobs,
        "verdicts": {row.key: row.count for row in summary.verdicts},
        "exceptions": {row.key: (row.applies, row.uncertain) for row in summary.exceptions},
        "priorities": {row.key: row.count for row in summary.priorities},
        "no_priority": summary.no_priority,
        "reasons": {
            **{row.key: row.count for row in summary.reasons},
            **{
                reason: summary.employed
                for reason in REASON_IDS
                if FACTORS[reason].label in summary.reasons_for_everyone
            },
        },
    }


def assert_summary_is_the_hand_count(client):
    expected = hand_count()
    assert summary_counts(client) == expected
    # The weekly chart covers every assessment of the last 26 weeks.
    weeks = reviewer_weeks(client)
    recent = timezone.now() - timedelta(weeks=MAX_WEEKS - 1, days=6)
    assert sum(weeks) == Assessment.objects.filter(created_at__gte=recent).count()


def reviewer_weeks(client) -> list[int]:
    return [row.count for row in client.get(SUMMARY).context["summary"].weeks]


def test_summary_is_the_hand_count_after_every_write_path(client, reviewer_client, admin_client):
    LIST = "/admin/advice/assessment/"
    made = [make_assessment(answers) for answers in ANSWERS * 3]
    for days, (assessment, _) in zip((1, 3, 3, 40, 200), made, strict=False):
        days_ago(days, assessment)
    assert_summary_is_the_hand_count(reviewer_client)
    assert summary_counts(reviewer_client)["total"] == 18

    # The person deletes their own assessment.
    assert client.post(f"/result/{made[0][1]}/delete/").status_code == 302
    assert_summary_is_the_hand_count(reviewer_client)

    # A reviewer records a review, sets another back to new, and edits notes only.
    form = {"review_status": "reviewed", "review_notes": "seen"}
    for assessment, _ in made[1:3]:
        assert reviewer_client.post(f"{LIST}{assessment.pk}/change/", form).status_code == 302
    form = {"review_status": "new", "review_notes": "again"}
    assert reviewer_client.post(f"{LIST}{made[2][0].pk}/change/", form).status_code == 302
    assert_summary_is_the_hand_count(reviewer_client)
    assert summary_counts(reviewer_client)["reviewed"] == 1

    # "Save and review next", down the queue.
    form = {"review_status": "reviewed", "review_notes": "", "_review_next": "1"}
    for assessment, _ in made[3:8]:
        response = reviewer_client.post(f"{LIST}{assessment.pk}/change/", form)
        assert response.status_code == 302
    assert_summary_is_the_hand_count(reviewer_client)
    assert summary_counts(reviewer_client)["reviewed"] == 6

    # A superuser deletes one, then a selection.
    assert admin_client.post(f"{LIST}{made[3][0].pk}/delete/", {"post": "yes"}).status_code == 302
    selection = {"action": "delete_selected", "post": "yes"}
    selection["_selected_action"] = [a.pk for a, _ in made[4:7]]
    assert admin_client.post(f"{LIST}?review=all", selection).status_code == 302
    assert_summary_is_the_hand_count(reviewer_client)
    assert summary_counts(reviewer_client)["total"] == 13

    # The daily purge, after an UPDATE moves one back in time.
    days_ago(40, made[10][0])
    assert_summary_is_the_hand_count(reviewer_client)
    call_command("purge_assessments", "--older-than", "30", stdout=StringIO())
    assert_summary_is_the_hand_count(reviewer_client)
    assert summary_counts(reviewer_client)["total"] == 12


def test_summary_counts_demo_assessments_spread_over_weeks(reviewer_client):
    call_command(
        "seed_assessments", "--count", "60", "--days", "120", "--seed", "3", stdout=StringIO()
    )
    assert_summary_is_the_hand_count(reviewer_client)
    assert summary_counts(reviewer_client)["total"] == 60


@pytest.mark.parametrize(
    "query",
    [
        {"verdict__exact": "pass"},
        {"uncertain": "attendance_policy"},
        {"employed": "no"},
        {"review": "new", "reason": "leverage"},
    ],
    ids=str,
)
def test_a_filtered_summary_is_the_hand_count_of_the_filtered_list(reviewer_client, query):
    for answers in ANSWERS * 2:
        make_assessment(answers)
    listed = reviewer_client.get("/admin/advice/assessment/", query).context["cl"]
    shown = summary_counts(reviewer_client, query)
    assert shown["total"] == listed.result_count > 0
    wanted = set(listed.queryset.values_list("pk", flat=True))
    Assessment.objects.exclude(pk__in=wanted).delete()
    assert shown == hand_count()
