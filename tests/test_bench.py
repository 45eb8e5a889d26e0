"""The benchmark's own pieces: reading forms off pages, and the table `make bench` prints.

`make bench` and `make loadtest` themselves are not part of the test run; tests/test_load.py
runs the load test's walk on a small scale.
"""

import random
from urllib.parse import urlencode

import pytest

from bench import report
from bench.page import name_of, post_form, preferring, weighted

# A question page as the questionnaire serves it today (a formtools wizard).
WIZARD_PAGE = """
<form method="get" action="/search/"><input type="text" name="q"></form>
<form method="post" action="/questions/employment/" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
  <input type="hidden" name="questionnaire_view-current_step" value="employment">
  <input type="radio" class="form-check-input" name="employment-employed" value="yes">
  <input type="radio" class="form-check-input" name="employment-employed" value="no">
  <button type="submit" name="wizard_goto_step" value="check">Back</button>
</form>
<form method="post" action="/elsewhere/"><input type="hidden" name="x" value="1"></form>
"""
# The same question with fields named by fact, ticks, and Back as a named button.
PLAIN_PAGE = """
<form method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input type="radio" name="approached_how" value="recruiter">
  <input type="radio" name="approached_how" value="applied">
  <input type="checkbox" name="priorities" value="practice">
  <button type="submit" name="back">Back</button>
</form>
"""


def test_the_wizard_page_is_answered_with_its_hidden_inputs_and_one_radio_value():
    form = post_form(WIZARD_PAGE)
    assert form.action == "/questions/employment/"
    assert form.answer(preferring({"employed": "no"})) == [
        ("csrfmiddlewaretoken", "tok&en"),
        ("questionnaire_view-current_step", "employment"),
        ("employment-employed", "no"),
    ]


def test_a_page_without_an_action_posts_to_itself_ticks_nothing_and_never_sends_back():
    form = post_form(PLAIN_PAGE, "/questions/approach/")
    assert form.action == "/questions/approach/"
    assert form.answer(preferring({})) == [
        ("csrfmiddlewaretoken", "abc"),
        ("approached_how", "recruiter"),
    ]


def test_a_page_without_a_post_form_has_nothing_to_answer():
    assert post_form('<form method="get"><input name="q"></form>') is None


def test_a_preferred_value_the_page_does_not_offer_falls_back_to_the_first():
    assert preferring({"employed": "maybe"})("employment-employed", ["yes", "no"]) == "yes"


def test_weighted_choices_never_pick_a_value_of_weight_zero():
    choose = weighted({"employed": {"yes": 1, "no": 0}}, random.Random(1))
    assert {choose("employed", ["yes", "no"]) for _ in range(50)} == {"yes"}
    unknown = {choose("role_security", ["a", "b"]) for _ in range(50)}
    assert unknown == {"a", "b"}


def test_every_result_page_is_one_locust_entry():
    assert name_of("/result/abcdefghijklmnopqrstuvwxyz012345/") == "/result/<token>/"
    assert name_of("http://127.0.0.1:8000/questions/job-risk/") == "/questions/job-risk/"


@pytest.mark.django_db
def test_the_served_questionnaire_can_be_completed_from_its_pages_alone(client):
    """Follow only what each page's form says, as the load does, up to a saved result."""
    path = client.get("/questions/")["Location"]
    for _ in range(20):
        form = post_form(client.get(path).content.decode(), path)
        answered = client.post(
            form.action,
            urlencode(form.answer(preferring({"employed": "yes"}))),
            content_type="application/x-www-form-urlencoded",
        )
        assert answered.status_code == 302, answered.content.decode()[:2000]
        path = answered["Location"]
        if path.startswith("/result/"):
            break
    assert client.get(path).status_code == 200


def page(name, rps, connections=16):
    return {"name": name, "rps": rps, "connections": connections, "p99_ms": 9.5, "errors": 0}


def results(question_rps=600.0, summary_rps=10.0):
    return {
        "database": "SQLite",
        "machine": "2 CPUs (test)",
        "finished": "2026-01-01 00:00 UTC",
        "load_before": "0.10 0.10 0.10",
        "load_after": "2.00 1.00 0.50",
        "minutes": 5.0,
        "connections": 16,
        "seconds": 5,
        "pages": [
            page("bare view (first)", 4200.0),
            page("GET /questions/employment/", 2000.0),
            page("GET /questions/agreement/", question_rps),
            page("GET /questions/check/", 300.0),
            page("bare view (last)", 3800.0),
            page("admin list, 100,000 assessments", 25.0, connections=2),
            page("admin summary, 100,000 assessments", summary_rps, connections=2),
        ],
        "walk": {
            "questionnaires": 1000,
            "clients": 32,
            "requests": 23000,
            "per_second": 50.0,
            "errors": 0,
            "completed": 1000,
            "confirmations": 1000,
            "rows_saved": 1000,
        },
        "csv": {"status": 200, "rows": 100000, "mb": 12.0, "seconds": 3.0, "growth_mb": 0.5},
    }


def test_the_table_gives_each_page_as_a_share_of_the_mean_bare_view():
    text = report.table(results())
    assert "the bare view at 4,000 req/s" in text
    assert "| GET /questions/employment/ | 16 | 2,000.0 | 50.0% | 9.5 | 0 |" in text
    # The admin runs at other concurrency than the bare view: no share.
    assert "| admin list, 100,000 assessments | 2 | 25.0 |  | 9.5 | 0 |" in text
    assert "| 32 people | 50.0 | 1.25% |" in text


def test_the_slowest_question_page_is_named_but_the_check_page_is_not_a_question():
    text = report.table(results(question_rps=600.0))
    assert "**Slowest question page: GET /questions/agreement/ at 15.0% of the bare view**" in text
    assert "(target: at least 15%): met." in text
    assert "at 14.7% of the bare view** (target: at least 15%): NOT MET." in report.table(
        results(question_rps=588.0)
    )


def test_the_summary_is_compared_with_the_list_at_the_largest_size():
    assert "Summary / list at 100,000 assessments: 2.50× the time a request" in report.table(
        results(summary_rps=10.0)
    )
    assert "5.00× the time a request (target: at most 3×): NOT MET" in report.table(
        results(summary_rps=5.0)
    )
