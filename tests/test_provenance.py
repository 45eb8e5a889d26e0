"""How old a saved result is, and what today's rules give for its answers, without a database."""

import json
from datetime import date
from pathlib import Path

import pytest

from advice.provenance import age, version_key
from advice.rules import RULES_VERSION, evaluate
from advice.snapshot import build_snapshot
from tests.helpers.questionnaire import CAUTION_ANSWERS, GO_ANSWERS, PASS_ANSWERS

OLD_SNAPSHOTS = sorted((Path(__file__).parent / "snapshots").glob("*.json"))
OLDER = "2026-11-26.1"


def saved(answers):
    return build_snapshot(evaluate(answers), answers)


def test_versions_are_ordered_by_date_then_number():
    assert version_key("2026-12-03.1") == (date(2026, 12, 3), 1)
    assert version_key("2026-12-02.9") < version_key("2026-12-03.1") < version_key("2026-12-03.10")
    assert version_key("not a version") is None
    # A day without a number comes before that day's first numbered version.
    assert version_key("2026-12-03") == (date(2026, 12, 3), 0) < version_key("2026-12-03.1")


def test_a_result_made_under_today_s_rules_is_current_and_dated():
    shown = saved(GO_ANSWERS)
    result = age(RULES_VERSION, GO_ANSWERS, shown)
    assert not result.outdated
    assert result.as_of == version_key(RULES_VERSION)[0]
    assert result.today is None and not result.retired and not result.unasked
    assert result.updated == version_key(RULES_VERSION)[0]


@pytest.mark.parametrize("path", OLD_SNAPSHOTS, ids=lambda path: path.stem)
def test_an_older_result_says_what_today_s_rules_give_for_its_answers(path):
    old = json.loads(path.read_text())
    result = age(old["shown"]["rules_version"], old["answers"], old["shown"])
    today = saved(old["answers"])
    assert result.outdated
    assert result.as_of == version_key(old["shown"]["rules_version"])[0]
    assert result.updated == version_key(RULES_VERSION)[0]
    assert (result.today.verdict, result.today.headline, result.today.opening) == (
        today["verdict"],
        today["headline"],
        today["summary"],
    )
    assert not result.retired and not result.unasked


@pytest.mark.parametrize(
    ("answers", "deciding"),
    [
        (GO_ANSWERS, ()),
        (CAUTION_ANSWERS, ("An agreement may stop you joining this employer",)),
        (PASS_ANSWERS, ("You can't keep it private, and your job would be at risk",)),
    ],
    ids=["go", "caution", "pass"],
)
def test_today_s_advice_names_what_decides_it(answers, deciding):
    result = age(OLDER, answers, saved(answers))
    assert result.today.deciding == deciding


def test_a_question_today_s_rules_no_longer_ask_is_named_in_the_words_shown_then():
    answers = {**GO_ANSWERS, "retired_fact": "yes"}
    shown = saved(GO_ANSWERS)
    retired_row = {"fact": "retired_fact", "question": "Do you like Mondays?", "answer": "Yes"}
    result = age(OLDER, answers, {**shown, "answers": [*shown["answers"], retired_row]})
    assert result.retired == (
        {"question": "Do you like Mondays?", "answer": "Yes", "gone": "question"},
    )
    # Nothing today's questions need is missing: today's advice is given without it.
    assert result.today.verdict == "go"


def test_without_an_answer_today_s_questions_need_there_is_no_verdict_for_today():
    answers = {k: v for k, v in GO_ANSWERS.items() if k != "agreement_bars_employer"}
    answers["time_off_puts_job_at_risk"] = "sometimes"  # no longer a choice
    result = age(OLDER, answers, saved(GO_ANSWERS))
    assert result.today is None
    # A question never answered is asked "also"; one whose answer is no longer a choice is not.
    assert result.unasked == ("Does an agreement stop you joining them?",)
    [retired] = result.retired
    assert retired["question"] == "Would time off put your job at risk?"
    assert retired["gone"] == "choice"


def test_a_version_that_cannot_be_read_counts_as_older_and_has_no_date():
    result = age("legacy", GO_ANSWERS, saved(GO_ANSWERS))
    assert result.outdated and result.as_of is None and result.today.verdict == "go"


def test_an_answer_saved_without_its_words_is_named_by_what_is_left():
    """Every snapshot names its answers; one that did not would still not be a 500."""
    result = age(OLDER, {**GO_ANSWERS, "retired_fact": "yes"}, {"answers": []})
    assert result.retired == ({"question": "retired_fact", "answer": "", "gone": "question"},)
