"""The rule engine's full table: pure Python, no database."""

import itertools

import pytest

from advice import factors, rules
from advice.rules import CAUTION, GO, PASS, InvalidAnswers, evaluate

YNU = ("yes", "no", "unsure")
EXCEPTION_FACTS = (
    "can_interview_confidentially",
    "job_at_risk_if_discovered",
    "agreement_bars_employer",
    "time_off_puts_job_at_risk",
)
# Every combination of the five facts; None means the question was not asked (skipped).
EMPLOYED_TABLE = list(itertools.product(YNU, (*YNU, None), YNU, YNU))


def expected_states(can_hide, at_risk, agreement, time_off):
    """Restate the contract's engine reading independently of the engine's code."""
    if can_hide == "yes" or at_risk == "no":
        confidentiality = "clear"
    elif can_hide == "no" and at_risk == "yes":
        confidentiality = "applies"
    else:
        confidentiality = "uncertain"

    def single(answer):
        return {"yes": "applies", "no": "clear"}.get(answer, "uncertain")

    return {
        "confidentiality": confidentiality,
        "employment_agreement": single(agreement),
        "attendance_policy": single(time_off),
    }


def answers_for(combo):
    answers = {"employed": "yes"}
    for fact, value in zip(EXCEPTION_FACTS, combo, strict=True):
        if value is not None:
            answers[fact] = value
    return answers


@pytest.mark.parametrize("combo", EMPLOYED_TABLE, ids=lambda c: "-".join(map(str, c)))
def test_employed_verdict_follows_the_contract(combo):
    states = expected_states(*combo)
    applies = tuple(e for e in factors.EXCEPTION_IDS if states[e] == "applies")
    uncertain = tuple(e for e in factors.EXCEPTION_IDS if states[e] == "uncertain")

    evaluation = evaluate(answers_for(combo))

    assert evaluation.exceptions == applies
    assert evaluation.uncertain == uncertain
    assert evaluation.verdict == (PASS if applies else CAUTION if uncertain else GO)
    # The reasons that hold for anyone employed and approached are always cited.
    assert {"networking", "nothing_to_lose"} <= set(evaluation.reasons)
    assert "unemployed" not in evaluation.reasons
    if evaluation.verdict == GO:
        assert evaluation.what_would_change == ()
    else:
        assert evaluation.what_would_change, "a caution or pass must say what would change it"


@pytest.mark.parametrize("combo", list(itertools.product(YNU, YNU, YNU, YNU)))
def test_unemployed_person_is_told_to_go_whatever_else_was_answered(combo):
    answers = {"employed": "no", **dict(zip(EXCEPTION_FACTS, combo, strict=True))}
    evaluation = evaluate(answers)
    assert evaluation.verdict == GO
    assert evaluation.reasons == ("unemployed",)
    assert evaluation.exceptions == evaluation.uncertain == ()


def test_confidentiality_needs_both_halves_to_apply():
    base = {"employed": "yes", "agreement_bars_employer": "no", "time_off_puts_job_at_risk": "no"}
    cannot_hide = {**base, "can_interview_confidentially": "no"}
    assert evaluate({**cannot_hide, "job_at_risk_if_discovered": "yes"}).verdict == PASS
    assert evaluate({**cannot_hide, "job_at_risk_if_discovered": "no"}).verdict == GO
    can_hide = {**base, "can_interview_confidentially": "yes"}
    assert evaluate({**can_hide, "job_at_risk_if_discovered": "yes"}).verdict == GO


def test_skipped_job_risk_question_is_clear_when_the_person_can_interview_discreetly():
    evaluation = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "yes",
            "agreement_bars_employer": "no",
            "time_off_puts_job_at_risk": "no",
        }
    )
    assert evaluation.verdict == GO


def test_pass_cites_every_exception_that_applies_in_catalogue_order():
    evaluation = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "no",
            "job_at_risk_if_discovered": "yes",
            "agreement_bars_employer": "yes",
            "time_off_puts_job_at_risk": "yes",
        }
    )
    assert evaluation.exceptions == ("confidentiality", "employment_agreement", "attendance_policy")
    assert evaluation.cited[:3] == evaluation.exceptions


def test_single_exception_says_the_answer_would_be_go_without_it():
    evaluation = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "yes",
            "agreement_bars_employer": "yes",
            "time_off_puts_job_at_risk": "no",
        }
    )
    assert evaluation.what_would_change == (
        "If your agreement does not cover this employer, the answer is go.",
    )


def test_caution_says_what_to_verify_and_what_each_outcome_means():
    evaluation = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "yes",
            "agreement_bars_employer": "unsure",
            "time_off_puts_job_at_risk": "no",
        }
    )
    assert evaluation.verdict == CAUTION
    assert evaluation.uncertain == ("employment_agreement",)
    assert evaluation.what_would_change[0] == (
        "If your agreement does bar you from working for this employer, the answer is pass."
    )
    assert "go" in evaluation.what_would_change[-1]


GO_CORE = {
    "employed": "yes",
    "can_interview_confidentially": "yes",
    "agreement_bars_employer": "no",
    "time_off_puts_job_at_risk": "no",
}


def test_only_the_always_true_reasons_are_cited_without_personal_answers():
    assert evaluate(GO_CORE).reasons == ("networking", "nothing_to_lose")


@pytest.mark.parametrize(
    ("personal", "reason"),
    [
        ({"last_interviewed": "one_to_three_years"}, "practice"),
        ({"last_interviewed": "over_three_years"}, "preparedness"),
        ({"role_security": "uncertain"}, "preparedness"),
        ({"role_security": "some_change"}, "preparedness"),
        ({"would_negotiate": "yes"}, "leverage"),
        ({"would_negotiate": "unsure"}, "leverage"),
        ({"open_to_other_roles": "yes"}, "other_roles"),
    ],
)
def test_personal_answers_add_the_reasons_they_fit(personal, reason):
    assert reason not in evaluate(GO_CORE).reasons
    assert reason in evaluate({**GO_CORE, **personal}).reasons


@pytest.mark.parametrize(
    "personal",
    [
        {"last_interviewed": "within_year"},
        {"role_security": "settled"},
        {"would_negotiate": "no"},
        {"open_to_other_roles": "no"},
    ],
)
def test_personal_answers_that_do_not_fit_add_nothing(personal):
    assert evaluate({**GO_CORE, **personal}).reasons == ("networking", "nothing_to_lose")


def test_priorities_come_first_then_the_other_fitting_reasons_in_catalogue_order():
    evaluation = evaluate(
        {
            **GO_CORE,
            "open_to_other_roles": "yes",
            "role_security": "uncertain",
            "priorities": ["other_roles", "practice"],
        }
    )
    # Chosen priorities in catalogue order, then the rest that fit.
    assert evaluation.reasons == (
        "practice",
        "other_roles",
        "networking",
        "preparedness",
        "nothing_to_lose",
    )
    assert evaluation.priorities == ("practice", "other_roles")


def test_pass_still_lists_the_reasons_it_outweighs():
    evaluation = evaluate({**GO_CORE, "time_off_puts_job_at_risk": "yes"})
    assert evaluation.verdict == PASS
    assert evaluation.reasons == ("networking", "nothing_to_lose")


def test_verdict_is_frozen():
    evaluation = evaluate(GO_CORE)
    with pytest.raises(AttributeError):
        evaluation.verdict = PASS


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"employed": "unsure"},
        {"employed": "maybe"},
        {"employed": "yes", "agreement_bars_employer": "perhaps"},
        {"employed": "yes", "shoe_size": "9"},
        {"employed": "yes", "priorities": "practice"},
        {"employed": "yes", "priorities": ["unemployed"]},
    ],
)
def test_invalid_answers_are_refused(answers):
    with pytest.raises(InvalidAnswers):
        evaluate(answers)


def test_engine_imports_nothing_from_django():
    import ast
    from pathlib import Path

    for module in (rules, factors):
        tree = ast.parse(Path(module.__file__).read_text())
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [name for name in imported if name and name.startswith("django")]
