"""The snapshot records what the person is shown: pure Python, no database."""

import re

import pytest

from advice import snapshot
from advice.factors import FACTORS, QUESTIONS, pick
from advice.flow import STEPS
from advice.rules import CAUTION, GO, PASS, RULES_VERSION, evaluate
from advice.snapshot import answer_rows, build_snapshot
from tests.helpers.questionnaire import (
    CAUTION_ANSWERS,
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
)

TWO_TO_PASS = {**PASS_ANSWERS, "agreement_bars_employer": "yes"}
TWO_UNSURE = {**CAUTION_ANSWERS, "time_off_puts_job_at_risk": "unsure"}


def shown_for(answers):
    return build_snapshot(evaluate(answers), answers)


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [(GO_ANSWERS, GO), (CAUTION_ANSWERS, CAUTION), (PASS_ANSWERS, PASS), (UNEMPLOYED_ANSWERS, GO)],
    ids=["go", "caution", "pass", "unemployed"],
)
def test_the_headline_says_the_verdict_in_words(answers, verdict):
    words = re.findall(r"[a-z]+", shown_for(answers)["headline"].lower())
    if verdict == PASS:
        assert "pass" in words
        assert "go" not in words
    else:
        assert "go" in words
        assert "pass" not in words
        # Only a caution asks the person to check first.
        assert ("check" in words) == (verdict == CAUTION)


def test_each_verdict_has_its_own_headline_and_summary():
    shown = [shown_for(a) for a in (GO_ANSWERS, CAUTION_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS)]
    assert len({s["summary"] for s in shown}) == 4
    assert len({s["headline"] for s in shown[:3]}) == 3
    assert shown[3]["headline"] == shown[0]["headline"]


def test_only_a_person_between_jobs_is_told_so():
    assert "between jobs" in shown_for(UNEMPLOYED_ANSWERS)["summary"]
    for answers in (GO_ANSWERS, CAUTION_ANSWERS, PASS_ANSWERS):
        assert "between jobs" not in shown_for(answers)["summary"]


@pytest.mark.parametrize(
    ("one", "several", "key"),
    [(PASS_ANSWERS, TWO_TO_PASS, "exceptions"), (CAUTION_ANSWERS, TWO_UNSURE, "uncertain")],
    ids=["pass", "caution"],
)
def test_the_summary_speaks_of_one_deciding_answer_or_of_several(one, several, key):
    single, many = shown_for(one), shown_for(several)
    assert len(single[key]) == 1
    assert len(many[key]) == 2
    assert single["summary"] != many["summary"]
    summaries = snapshot.PASS_OPENINGS if key == "exceptions" else snapshot.CAUTION_OPENINGS
    assert (single["summary"], many["summary"]) == summaries
    if key == "exceptions":
        # One reason to pass: how to decline for it; several: one step for them all.
        assert single["next_step"] == single[key][0]["next_step"]
        assert many["next_step"] == pick(snapshot.PASS_NEXT_STEP, several, PASS)
    else:  # the checks follow the next step, one for each
        assert (single["next_step"], many["next_step"]) == snapshot.CAUTION_NEXT_STEPS
        assert all(factor["check"] for factor in many[key])


@pytest.mark.parametrize(
    "answers",
    [GO_ANSWERS, CAUTION_ANSWERS, PASS_ANSWERS, TWO_TO_PASS, TWO_UNSURE, UNEMPLOYED_ANSWERS],
)
def test_every_factor_records_its_kind_its_state_and_its_title(answers):
    shown = shown_for(answers)
    for key, status in (
        ("exceptions", "applies"),
        ("uncertain", "uncertain"),
        ("reasons", "reason"),
    ):
        for factor in shown[key]:
            catalogue = FACTORS[factor["id"]]
            assert (factor["status"], factor["kind"]) == (status, catalogue.kind)
            # An exception the person is unsure of has its own title: it may not apply.
            unsure = status == "uncertain"
            title = catalogue.unsure_title if unsure else catalogue.title
            assert factor["title"] == pick(title, answers, shown["verdict"])


@pytest.mark.parametrize(
    "answers",
    [
        GO_ANSWERS,
        {**GO_ANSWERS, "priorities": []},
        {**CAUTION_ANSWERS, "priorities": ["practice", "leverage"]},
        {**TWO_TO_PASS, "priorities": ["networking"]},
    ],
)
def test_only_the_reasons_the_person_chose_are_marked_as_mattering_to_them(answers):
    shown = shown_for(answers)
    marked = {factor["id"] for factor in shown["reasons"] if factor.get("priority")}
    assert marked == set(answers["priorities"]) & {factor["id"] for factor in shown["reasons"]}
    for factor in shown["exceptions"] + shown["uncertain"]:
        assert "priority" not in factor


def test_a_reason_two_answers_fit_shows_both_notes():
    answers = {**GO_ANSWERS, "last_interviewed": "over_three_years", "role_security": "uncertain"}
    [preparedness] = [f for f in shown_for(answers)["reasons"] if f["id"] == "preparedness"]
    assert len(preparedness["notes"]) == 2


def test_the_snapshot_records_the_rules_it_was_made_under():
    assert shown_for(GO_ANSWERS)["rules_version"] == RULES_VERSION


def test_answers_after_a_skipped_question_are_all_listed_in_the_order_asked():
    # Someone who can keep it private is not asked whether their job would be at risk.
    rows = answer_rows(GO_ANSWERS)
    assert "job_at_risk_if_discovered" not in GO_ANSWERS
    asked = [step.fact for step in STEPS if step.fact in GO_ANSWERS]
    assert [row["fact"] for row in rows] == asked
    assert asked[-1] == "time_off_puts_job_at_risk"
    for row in rows:
        question = QUESTIONS[row["fact"]]
        assert row["question"] == question.short_text
        if not question.multiple:
            assert row["answer"] == question.label_for(GO_ANSWERS[row["fact"]])
            assert row["answer"] != GO_ANSWERS[row["fact"]], "an answer is shown in words"


def test_several_chosen_answers_are_listed_in_words():
    [row] = [r for r in answer_rows({**GO_ANSWERS, "priorities": ["practice", "leverage"]})
             if r["fact"] == "priorities"]  # fmt: skip
    labels = [QUESTIONS["priorities"].label_for(v) for v in ("practice", "leverage")]
    assert row["answer"].split(", ") == labels


def test_no_chosen_answer_reads_as_none_of_them():
    [row] = [r for r in answer_rows({**GO_ANSWERS, "priorities": []}) if r["fact"] == "priorities"]
    answer = row["answer"]
    assert answer.split()[0] == "None"
    assert answer == answer.capitalize(), "reads as a phrase, not shouted"


def test_each_exception_names_the_answers_that_decided_it_in_the_words_of_the_questions():
    answers = {**GO_ANSWERS, "can_interview_confidentially": "unsure"}
    answers["job_at_risk_if_discovered"] = "yes"
    [privately] = shown_for(answers)["uncertain"]
    assert privately["explanation"] == FACTORS["confidentiality"].unsure_explanation
    assert privately["because"] == [
        {
            "question": QUESTIONS["can_interview_confidentially"].short_text,
            "answer": "I'm not sure",
        },
        {"question": QUESTIONS["job_at_risk_if_discovered"].short_text, "answer": "Yes"},
    ]
    # An exception that applies keeps its own words, and a question not asked is not named.
    agreement = shown_for({**GO_ANSWERS, "agreement_bars_employer": "yes"})["exceptions"][0]
    assert agreement["explanation"] == FACTORS["employment_agreement"].explanation
    assert [row["answer"] for row in agreement["because"]] == ["Yes"]


def test_a_reason_names_only_the_answers_that_made_it_weigh_more():
    shown = shown_for(
        {**GO_ANSWERS, "role_security": "uncertain", "last_interviewed": "within_year"}
    )
    reasons = {reason["id"]: reason for reason in shown["reasons"]}
    assert reasons["preparedness"]["because"] == [
        {
            "question": QUESTIONS["role_security"].short_text,
            "answer": "It could change at short notice",
        }
    ]
    assert "because" not in reasons["practice"]


def test_texts_are_chosen_for_the_reader_s_answers_and_verdict():
    settled = {**GO_ANSWERS, "role_security": "settled", "approached_how": "recruiter"}
    practice = next(r for r in shown_for(settled)["reasons"] if r["id"] == "practice")
    assert "do not need to win" in practice["explanation"]
    assert "less stressful" in practice["quote"]
    # Two reasons to pass, the first with its own words: the page gives one step for both,
    # and someone who applied withdraws.
    applied = {**GO_ANSWERS, "approached_how": "applied", "agreement_bars_employer": "yes"}
    shown = shown_for({**applied, "time_off_puts_job_at_risk": "yes"})
    assert (
        shown["next_step"]
        == "Withdraw your application politely. You do not have to give a reason."
    )


def test_a_ticked_priority_left_out_is_named_by_its_label():
    shown = shown_for({**GO_ANSWERS, "would_negotiate": "no", "priorities": ["leverage"]})
    assert shown["priority_notes"] == [
        "You ticked “Better pay or terms”, but you would not negotiate."
    ]


def test_a_person_between_jobs_gets_the_short_disclaimer():
    assert shown_for(UNEMPLOYED_ANSWERS)["disclaimer"] == snapshot.UNEMPLOYED_DISCLAIMER
    assert shown_for(GO_ANSWERS)["disclaimer"] == snapshot.DISCLAIMER
