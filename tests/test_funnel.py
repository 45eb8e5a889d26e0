"""Where people stop: counts per day and page, each person once per page, and nothing else."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from advice.flow import STEPS
from advice.funnel import CHECK_BETWEEN_JOBS, CHECK_EMPLOYED
from advice.models import QuestionCount
from tests.helpers.questionnaire import (
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
    answer,
    confirm,
    step_url,
)

pytestmark = pytest.mark.django_db
EMPLOYED_ROUTE = [s.name for s in STEPS if s.name != "job-risk"]


def start() -> Client:
    client = Client()
    assert client.post("/questions/")["Location"] == step_url("employment")
    return client


def answer_in_order(client, answers, until=None):
    for step in STEPS:
        if step.name == until:
            return
        if step.fact in answers:
            assert answer(client, step.fact, answers[step.fact]).status_code == 302


def counts() -> dict[str, tuple[int, int]]:
    return {row.stage: (row.shown, row.answered) for row in QuestionCount.objects.all()}


def test_people_on_different_routes_each_count_once_per_page():
    expected = Counter()

    def walked(stages, *, answered_all=True):
        for stage in stages:
            expected[stage, "shown"] += 1
        for stage in stages if answered_all else stages[:-1]:
            expected[stage, "answered"] += 1

    # With a job, confirmed, reloading and going back on the way.
    person = start()
    for _ in range(3):
        person.get(step_url("employment"))
    answer(person, "employed", "yes")
    person.post(step_url("approach"), {"approached_how": "recruiter", "back": "1"})
    answer_in_order(person, GO_ANSWERS)
    person.get(step_url("check"))
    confirm(person)
    walked([*EMPLOYED_ROUTE, CHECK_EMPLOYED])

    # Between jobs, changing the answer from the check page and back again, then confirming.
    person = start()
    answer(person, "employed", "no")
    person.get(step_url("employment") + "?change")
    answer(person, "employed", "yes")  # the route opens: the next question is shown
    answer(person, "employed", "no")
    confirm(person)
    walked(["employment", CHECK_BETWEEN_JOBS])
    expected["approach", "shown"] += 1
    expected[CHECK_EMPLOYED, "shown"] += 0  # never reached with a job

    # Stops at the agreement question, on the longer route, having reloaded it.
    person = start()
    answer_in_order(person, PASS_ANSWERS, until="agreement")
    person.get(step_url("agreement"))
    walked(
        [s.name for s in STEPS][: [s.name for s in STEPS].index("agreement") + 1],
        answered_all=False,
    )

    # Opens the first question and leaves.
    start()
    walked(["employment"], answered_all=False)

    # Between jobs, leaves at the check page.
    person = start()
    answer_in_order(person, UNEMPLOYED_ANSWERS)
    walked(["employment", CHECK_BETWEEN_JOBS], answered_all=False)

    stages = {stage for stage, _ in expected}
    assert {s: v for s, v in counts().items() if v != (0, 0)} == {
        stage: (expected[stage, "shown"], expected[stage, "answered"]) for stage in stages
    }


def test_a_count_goes_to_today_s_row_only():
    yesterday = date.today() - timedelta(days=1)
    QuestionCount.objects.create(day=yesterday, stage="employment", shown=5, answered=4)
    answer(start(), "employed", "yes")
    assert QuestionCount.objects.get(day=yesterday, stage="employment").answered == 4
    assert QuestionCount.objects.get(day=date.today(), stage="employment").answered == 1


def test_only_counts_per_day_and_page_are_stored():
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), QuestionCount._meta.db_table
        )
    }
    assert columns == {"day", "stage", "shown", "answered"}


def test_an_answer_costs_one_write_once_the_day_s_rows_exist():
    start()  # creates today's rows
    person = start()
    with CaptureQueriesContext(connection) as queries:
        answer(person, "employed", "yes")
    writes = [q["sql"] for q in queries if "advice_questioncount" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("UPDATE")
    # Answering again (Back, Change) writes nothing.
    with CaptureQueriesContext(connection) as queries:
        answer(person, "employed", "yes")
    assert not [q for q in queries if "advice_questioncount" in q["sql"]]


@pytest.mark.db_engine
def test_a_missing_counter_table_costs_the_count_not_the_page():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE advice_questioncount RENAME TO advice_questioncount_away")
    person = Client()
    assert person.post("/questions/").status_code == 302
    assert answer(person, "employed", "yes").status_code == 302
    assert person.get(step_url("approach")).status_code == 200


def test_the_summary_shows_the_counts_of_the_date_range(admin_client):
    today = date.today()
    QuestionCount.objects.bulk_create(
        [
            QuestionCount(day=today, stage="employment", shown=10, answered=8),
            QuestionCount(day=today, stage="approach", shown=6, answered=3),
            QuestionCount(day=today, stage=CHECK_EMPLOYED, shown=2, answered=1),
            QuestionCount(day=today, stage=CHECK_BETWEEN_JOBS, shown=2, answered=2),
            QuestionCount(day=today - timedelta(days=40), stage="employment", shown=99),
            QuestionCount(day=today + timedelta(days=1), stage="employment", shown=77),
        ]
    )
    since, until = (today - timedelta(days=7)).isoformat(), today.isoformat()
    summary = f"/admin/advice/assessment/summary/?from={since}&to={until}"
    html = admin_client.get(summary).content.decode()
    table = html.split('id="hr-funnel"', 1)[1].split("</table>", 1)[0]
    rows = {
        key: re.findall(r"<td>([^<]*)</td>", row)
        for key, row in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', table, re.S)
    }
    assert rows["employment"] == ["10", "8", "2 (20%)"]
    assert rows["approach"] == ["6", "3", "3 (50%)"]
    assert rows["last-interview"] == ["0", "0", "0 (–)"]
    assert rows[CHECK_EMPLOYED] == ["2", "1", "1 (50%)"]
    assert rows[CHECK_BETWEEN_JOBS] == ["2", "2", "0 (0%)"]
    assert '<th scope="row">Do you have a job?</th>' in table
    # Started and confirmed, drawn as two bars with their numbers.
    chart = html.split('id="hr-funnel-heading"', 1)[1].split('id="hr-funnel"', 1)[0]
    assert chart.count('<rect class="bar-funnel"') == 2
    assert re.findall(r'class="hr-chart-value"[^>]*>(\d+)<', chart) == ["10", "3"]
    assert re.findall(r'class="hr-chart-label"[^>]*>([^<]+)<', chart) == ["Started", "Confirmed"]
    # The question only some are asked says so; the others do not.
    assert "(asked only of some)" in table.split('data-key="job-risk"', 1)[1].split("</tr>", 1)[0]
    assert table.count("(asked only of some)") == 1
    day = f"{today.day} {today:%b %Y}"
    assert (
        f"From {day} to {day}, <strong>10</strong> people started the questionnaire and"
        " <strong>3</strong> confirmed their answers." in html
    )
