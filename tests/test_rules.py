"""The rule engine's full table: pure Python, no database."""

import itertools
import re

import pytest

from advice import factors, rules
from advice.factors import EXCEPTION_IDS, QUESTIONS, REASON_IDS
from advice.rules import CAUTION, GO, PASS, InvalidAnswers, evaluate
from tests.walk import CLOSED_PERSONAL

YNU = ("yes", "no", "unsure")
EXCEPTION_FACTS = (
    "can_interview_confidentially",
    "job_at_risk_if_discovered",
    "agreement_bars_employer",
    "time_off_puts_job_at_risk",
)
# Every combination of the four exception facts; None means the question was not asked.
EMPLOYED_TABLE = list(itertools.product(YNU, (*YNU, None), YNU, YNU))
# Two sets of personal answers: one that leaves every reason open, one that rules two out.
PERSONAL = {
    "open": {
        "approached_how": "recruiter",
        "last_interviewed": "over_three_years",
        "role_security": "uncertain",
        "open_to_other_roles": "yes",
        "would_negotiate": "yes",
        "priorities": ["practice"],
    },
    "closed": CLOSED_PERSONAL,
}


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


def answers_for(combo, personal=()):
    answers = {"employed": "yes", **dict(personal)}
    for fact, value in zip(EXCEPTION_FACTS, combo, strict=True):
        if value is not None:
            answers[fact] = value
    return answers


EVERY_EMPLOYED_CASE = [
    pytest.param(answers_for(combo, PERSONAL[name]), id=f"{name}-" + "-".join(map(str, combo)))
    for combo in EMPLOYED_TABLE
    for name in PERSONAL
]


@pytest.mark.parametrize("combo", EMPLOYED_TABLE, ids=lambda c: "-".join(map(str, c)))
def test_employed_verdict_follows_the_contract(combo):
    states = expected_states(*combo)
    applies = tuple(e for e in EXCEPTION_IDS if states[e] == "applies")
    uncertain = tuple(e for e in EXCEPTION_IDS if states[e] == "uncertain")

    verdict = evaluate(answers_for(combo))

    assert rules.exception_states(answers_for(combo)) == states
    assert verdict.exceptions == applies
    assert verdict.uncertain == uncertain
    assert verdict.verdict == (PASS if applies else CAUTION if uncertain else GO)
    assert "unemployed" not in verdict.reasons
    if verdict.verdict == GO:
        assert verdict.what_would_change == ()
    else:
        assert verdict.what_would_change, "a caution or pass must say what would change it"


@pytest.mark.parametrize("answers", EVERY_EMPLOYED_CASE)
def test_reasons_the_article_says_always_hold_are_cited_for_every_employed_person(answers):
    cited = evaluate(answers).reasons
    assert {"networking", "practice", "preparedness"} <= set(cited)


@pytest.mark.parametrize("answers", EVERY_EMPLOYED_CASE)
def test_pass_never_cites_a_reason_the_deciding_exception_contradicts(answers):
    verdict = evaluate(answers)
    if verdict.verdict != PASS:
        assert "nothing_to_lose" in verdict.reasons
        return
    assert "nothing_to_lose" not in verdict.reasons
    if "employment_agreement" in verdict.exceptions:
        assert not {"leverage", "other_roles"} & set(verdict.reasons)


@pytest.mark.parametrize("answers", EVERY_EMPLOYED_CASE)
def test_every_stated_change_gives_the_verdict_its_sentence_promises(answers):
    verdict = evaluate(answers)
    for change in verdict.what_would_change:
        assert change.verdict != verdict.verdict, change.text
        assert change.text.endswith(f", {rules.OUTCOMES[change.verdict]}."), change.text
        assert change.alternatives
        for alternative in change.alternatives:
            changed = {**answers, **dict(alternative)}
            assert evaluate(changed).verdict == change.verdict, (
                f"{change.text!r} is not so for {changed}"
            )


def sentence_parts(text):
    """Split "If <condition>, <outcome>." into its condition and outcome, or fail."""
    match = re.fullmatch(r"If ([a-z][a-z ,']*[a-z]), (the answer would be [a-z ,]+)\.", text)
    assert match, f"{text!r} is not a plain sentence of the form 'If ..., the answer would be ...'"
    return match[1], match[2]


def single_conditions(kind):
    return {getattr(factors.FACTORS[e], kind) for e in EXCEPTION_IDS}


@pytest.mark.parametrize("answers", EVERY_EMPLOYED_CASE)
def test_each_what_would_change_sentence_names_the_condition_that_changes_it(answers):
    verdict = evaluate(answers)
    changes = verdict.what_would_change
    for change in changes:
        assert sentence_parts(change.text)[1] == rules.OUTCOMES[change.verdict]
    conditions = [sentence_parts(change.text)[0] for change in changes]
    if verdict.exceptions:
        # One sentence: what would happen if every reason to pass went away.
        [condition] = conditions
        if len(verdict.exceptions) == 1:
            assert condition == factors.FACTORS[verdict.exceptions[0]].clear_if
        else:
            # Clearing one of several would change nothing, so no single one is named.
            assert condition not in single_conditions("clear_if")
            assert {"none", "pass"} <= set(condition.split())
    elif verdict.uncertain:
        # Two sentences: what if the check finds it so, and what if it does not.
        turns_out, settled = conditions
        assert [c.verdict for c in changes] == [PASS, GO]
        if len(verdict.uncertain) == 1:
            exception = factors.FACTORS[verdict.uncertain[0]]
            assert (turns_out, settled) == (exception.applies_if, exception.clear_if)
        else:
            assert turns_out not in single_conditions("applies_if")
            assert settled not in single_conditions("clear_if")
            assert "any" in turns_out.split()
            assert "none" in settled.split()
    else:
        assert conditions == []


def test_one_reason_to_pass_and_one_unsure_says_the_answer_becomes_check_first():
    verdict = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "yes",
            "agreement_bars_employer": "yes",
            "time_off_puts_job_at_risk": "unsure",
        }
    )
    assert [c.verdict for c in verdict.what_would_change] == [CAUTION]
    assert verdict.what_would_change[0].text == (
        "If your agreement does not cover the employer you would interview with, the answer "
        "would be go, after you check the rest."
    )


@pytest.mark.parametrize("combo", list(itertools.product(YNU, YNU, YNU, YNU)))
def test_unemployed_person_is_told_to_go_whatever_else_was_answered(combo):
    answers = {"employed": "no", **dict(zip(EXCEPTION_FACTS, combo, strict=True))}
    verdict = evaluate(answers)
    assert verdict.verdict == GO
    assert verdict.reasons == ("unemployed",)
    assert verdict.exceptions == verdict.uncertain == ()
    assert verdict.what_would_change == ()


def test_confidentiality_needs_both_halves_to_apply():
    base = {"employed": "yes", "agreement_bars_employer": "no", "time_off_puts_job_at_risk": "no"}
    cannot_hide = {**base, "can_interview_confidentially": "no"}
    assert evaluate({**cannot_hide, "job_at_risk_if_discovered": "yes"}).verdict == PASS
    assert evaluate({**cannot_hide, "job_at_risk_if_discovered": "no"}).verdict == GO
    can_hide = {**base, "can_interview_confidentially": "yes"}
    assert evaluate({**can_hide, "job_at_risk_if_discovered": "yes"}).verdict == GO


def test_skipped_job_risk_question_is_clear_when_the_person_can_interview_discreetly():
    verdict = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "yes",
            "agreement_bars_employer": "no",
            "time_off_puts_job_at_risk": "no",
        }
    )
    assert verdict.verdict == GO


def test_pass_cites_every_exception_that_applies_in_catalogue_order():
    verdict = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "no",
            "job_at_risk_if_discovered": "yes",
            "agreement_bars_employer": "yes",
            "time_off_puts_job_at_risk": "yes",
        }
    )
    assert verdict.exceptions == ("confidentiality", "employment_agreement", "attendance_policy")
    assert verdict.cited[:3] == verdict.exceptions
    assert verdict.reasons == ("networking", "practice", "preparedness")


def test_single_exception_says_the_answer_would_be_go_without_it():
    verdict = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "yes",
            "agreement_bars_employer": "yes",
            "time_off_puts_job_at_risk": "no",
        }
    )
    assert [c.text for c in verdict.what_would_change] == [
        "If your agreement does not cover the employer you would interview with, the answer "
        "would be go."
    ]


def test_caution_says_what_each_outcome_of_the_check_means():
    verdict = evaluate(
        {
            "employed": "yes",
            "can_interview_confidentially": "yes",
            "agreement_bars_employer": "unsure",
            "time_off_puts_job_at_risk": "no",
        }
    )
    assert verdict.verdict == CAUTION
    assert verdict.uncertain == ("employment_agreement",)
    assert [(c.verdict, c.text) for c in verdict.what_would_change] == [
        (
            PASS,
            "If your agreement does bar you from the employer you would interview with, the "
            "answer would be pass.",
        ),
        (
            GO,
            "If your agreement does not cover the employer you would interview with, the "
            "answer would be go.",
        ),
    ]


GO_CORE = {
    "employed": "yes",
    "can_interview_confidentially": "yes",
    "agreement_bars_employer": "no",
    "time_off_puts_job_at_risk": "no",
}


def test_without_personal_answers_every_reason_is_cited_in_the_article_s_order():
    assert evaluate(GO_CORE).reasons == REASON_IDS


@pytest.mark.parametrize(
    ("personal", "reason"),
    [
        ({"approached_how": "recruiter"}, "networking"),
        ({"approached_how": "word_of_mouth"}, "networking"),
        ({"last_interviewed": "one_to_three_years"}, "practice"),
        ({"last_interviewed": "over_three_years"}, "practice"),
        ({"last_interviewed": "over_three_years"}, "preparedness"),
        ({"role_security": "uncertain"}, "preparedness"),
        ({"role_security": "some_change"}, "preparedness"),
        ({"approached_how": "recruiter"}, "leverage"),
        ({"would_negotiate": "yes"}, "leverage"),
        ({"open_to_other_roles": "yes"}, "other_roles"),
    ],
)
def test_personal_answers_move_the_reasons_they_fit_forward_and_say_why(personal, reason):
    verdict = evaluate({**GO_CORE, "last_interviewed": "within_year", **personal})
    emphasised = {r for r, _ in verdict.emphasis}
    assert reason in emphasised
    # Emphasised reasons come before every reason that is not.
    position = verdict.reasons.index(reason)
    assert all(r in emphasised for r in verdict.reasons[:position])


def test_a_reason_two_answers_fit_carries_both_notes():
    verdict = evaluate(
        {**GO_CORE, "last_interviewed": "over_three_years", "role_security": "uncertain"}
    )
    notes = [note for reason, note in verdict.emphasis if reason == "preparedness"]
    assert len(notes) == 2
    assert len(set(notes)) == 2


def test_a_person_who_applied_is_not_told_they_were_sought_out():
    verdict = evaluate({**GO_CORE, "approached_how": "applied"})
    assert verdict.emphasis == ()
    assert verdict.reasons == REASON_IDS


@pytest.mark.parametrize(
    ("personal", "reason"),
    [({"would_negotiate": "no"}, "leverage"), ({"open_to_other_roles": "no"}, "other_roles")],
)
def test_an_answer_that_closes_a_reason_leaves_it_out(personal, reason):
    assert reason not in evaluate({**GO_CORE, **personal}).reasons
    # Unless the person named it as what they want.
    assert reason in evaluate({**GO_CORE, **personal, "priorities": [reason]}).reasons


def test_priorities_come_first_then_the_emphasised_reasons_then_the_rest():
    verdict = evaluate(
        {
            **GO_CORE,
            "open_to_other_roles": "yes",
            "role_security": "uncertain",
            "priorities": ["other_roles", "practice"],
        }
    )
    assert verdict.reasons == (
        "practice",
        "other_roles",
        "preparedness",
        "networking",
        "leverage",
        "nothing_to_lose",
    )
    assert verdict.priorities == ("practice", "other_roles")


def outcome(answers):
    verdict = evaluate(answers)
    return verdict.verdict, verdict.cited


def choices_of(question):
    if question.multiple:
        return [[], *([value] for value in question.values)]
    return list(question.values)


# Answer sets to vary one question at a time: each verdict, with and without a reason open.
BASES = [
    {**GO_CORE, **PERSONAL[name], **core}
    for name in PERSONAL
    for core in (
        {},
        {"agreement_bars_employer": "unsure"},
        {"time_off_puts_job_at_risk": "yes"},
        {"can_interview_confidentially": "unsure"},
    )
]


@pytest.mark.parametrize("question", QUESTIONS.values(), ids=lambda q: q.id)
def test_every_question_changes_the_verdict_or_the_citations_or_their_order(question):
    changed = [
        base
        for base in BASES
        if len({outcome({**base, question.id: value}) for value in choices_of(question)}) > 1
    ]
    assert changed, f"no answer to {question.id!r} changes what the person is told"


def test_verdict_is_frozen():
    verdict = evaluate(GO_CORE)
    with pytest.raises(AttributeError):
        verdict.verdict = PASS


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


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({"employed": "yes", "shoe_size": "9"}, ["'shoe_size'"]),
        ({"employed": "yes", "priorities": "practice"}, ["'priorities'", "list"]),
        ({"employed": "yes", "agreement_bars_employer": "perhaps"}, ["'perhaps'", "'agreement"]),
    ],
)
def test_invalid_answers_say_which_answer_is_wrong(answers, named):
    with pytest.raises(InvalidAnswers) as error:
        evaluate(answers)
    for words in named:
        assert words in str(error.value)


def test_a_missing_employment_answer_says_it_must_be_yes_or_no():
    with pytest.raises(InvalidAnswers) as error:
        evaluate({"can_interview_confidentially": "yes"})
    message = str(error.value)
    assert message.startswith("'employed'")
    assert message.endswith("yes or no")


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
