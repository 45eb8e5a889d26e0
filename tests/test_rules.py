"""The rule engine's full table: pure Python, no database."""

import itertools
import re

import pytest

from advice import factors, rules
from advice.factors import EXCEPTION_IDS, QUESTIONS, REASON_IDS, pick
from advice.rules import CAUTION, GO, PASS, InvalidAnswers, evaluate
from tests.helpers.questionnaire import CLOSED_PERSONAL
from tests.helpers.texts import every_wording

YNU = ("yes", "no", "unsure")
EXCEPTION_FACTS = factors.CORE_FACTS[1:]  # can keep it private, job at risk, agreement, time off
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


# The article's cases, as docs/rules.md reads them, one row each: what the person answered
# (None: not asked) and the state of the exception.
CONFIDENTIALITY = {
    # (can keep the interview private, job at risk if found out): state
    ("no", "yes"): "applies",
    ("no", "no"): "clear",
    ("no", "unsure"): "uncertain",
    ("no", None): "uncertain",
    ("unsure", "yes"): "uncertain",
    ("unsure", "no"): "clear",
    ("unsure", "unsure"): "uncertain",
    ("unsure", None): "uncertain",
    ("yes", "yes"): "clear",
    ("yes", "no"): "clear",
    ("yes", "unsure"): "clear",
    ("yes", None): "clear",
    (None, None): "uncertain",
}
# The agreement and the attendance policy each rest on one question.
ONE_QUESTION = {"yes": "applies", "no": "clear", "unsure": "uncertain", None: "uncertain"}


def answers_for(combo, personal=()):
    answers = {"employed": "yes", **dict(personal)}
    for fact, value in zip(EXCEPTION_FACTS, combo, strict=True):
        if value is not None:
            answers[fact] = value
    return answers


EVERY_EMPLOYED_CASE = [
    answers_for(combo, PERSONAL[name]) for combo in EMPLOYED_TABLE for name in PERSONAL
]


def test_each_exception_takes_the_state_the_article_gives_it_and_decides_the_verdict():
    for can_hide, at_risk, agreement, time_off in [*EMPLOYED_TABLE, (None, None, None, None)]:
        answers = answers_for((can_hide, at_risk, agreement, time_off))
        states = {
            "confidentiality": CONFIDENTIALITY[can_hide, at_risk],
            "employment_agreement": ONE_QUESTION[agreement],
            "attendance_policy": ONE_QUESTION[time_off],
        }
        applies = tuple(e for e in EXCEPTION_IDS if states[e] == "applies")
        uncertain = tuple(e for e in EXCEPTION_IDS if states[e] == "uncertain")

        verdict = evaluate(answers)

        assert rules.exception_states(answers) == states, answers
        assert (verdict.exceptions, verdict.uncertain) == (applies, uncertain), answers
        assert verdict.cited == (*applies, *uncertain, *verdict.reasons)
        assert verdict.verdict == (PASS if applies else CAUTION if uncertain else GO), answers
        assert "unemployed" not in verdict.reasons
        # Only a caution or a pass says what would change it.
        assert bool(verdict.what_would_change) == (verdict.verdict != GO), answers


def test_every_employed_person_is_cited_what_always_holds_and_no_reason_a_pass_contradicts():
    for answers in EVERY_EMPLOYED_CASE:
        verdict = evaluate(answers)
        assert {"networking", "practice", "preparedness"} <= set(verdict.reasons), answers
        # Whether going costs something is what a check-first or a pass leaves open; an
        # agreement that bars the employer leaves no offer to negotiate and no other role.
        assert ("nothing_to_lose" in verdict.reasons) == (verdict.verdict == GO), answers
        if "employment_agreement" in verdict.exceptions:
            assert not {"leverage", "other_roles"} & set(verdict.reasons), answers


def test_every_stated_change_gives_the_verdict_its_sentence_promises():
    for answers in EVERY_EMPLOYED_CASE:
        verdict = evaluate(answers)
        for change in verdict.what_would_change:
            assert change.verdict != verdict.verdict, change.text
            assert change.text.endswith(f", {rules.OUTCOMES[change.verdict]}."), change.text
            assert change.alternatives
            for alternative in change.alternatives:
                if verdict.verdict == CAUTION:  # only what the person was unsure of changes
                    assert all(
                        answers.get(fact, "unsure") in ("unsure", value)
                        for fact, value in alternative
                    ), (change.text, alternative)
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
    """Return every wording of ``kind`` ("clear_if" or "applies_if") of any one exception."""
    found = set()
    for exception in EXCEPTION_IDS:
        found |= set(every_wording(getattr(factors.FACTORS[exception], kind)))
    return found


def test_each_what_would_change_sentence_names_the_condition_that_changes_it():
    for answers in EVERY_EMPLOYED_CASE:
        verdict = evaluate(answers)
        changes = verdict.what_would_change
        for change in changes:
            assert sentence_parts(change.text)[1] == rules.OUTCOMES[change.verdict]
        conditions = [sentence_parts(change.text)[0] for change in changes]
        if verdict.exceptions:
            # One sentence: what would happen if every reason to pass went away.
            [condition] = conditions
            if len(verdict.exceptions) == 1:
                clear_if = factors.FACTORS[verdict.exceptions[0]].clear_if
                assert condition == pick(clear_if, answers, verdict.verdict)
            else:
                # Clearing one of several would change nothing, so no single one is named.
                assert condition not in single_conditions("clear_if")
                assert condition == rules.NONE_APPLIED
        elif verdict.uncertain:
            # Two sentences: what if the check finds it so, and what if it does not.
            turns_out, settled = conditions
            assert [c.verdict for c in changes] == [PASS, GO]
            if len(verdict.uncertain) == 1:
                exception = factors.FACTORS[verdict.uncertain[0]]
                assert (turns_out, settled) == (
                    pick(exception.applies_if, answers, CAUTION),
                    pick(exception.clear_if, answers, CAUTION),
                )
            else:
                assert turns_out not in single_conditions("applies_if")
                assert settled not in single_conditions("clear_if")
                assert "any" in turns_out.split()
                assert "all" in settled.split()
        else:
            assert conditions == []


def test_unemployed_person_is_told_to_go_whatever_else_was_answered():
    for combo in itertools.product(YNU, YNU, YNU, YNU):
        verdict = evaluate({"employed": "no", **dict(zip(EXCEPTION_FACTS, combo, strict=True))})
        assert verdict.verdict == GO
        assert verdict.reasons == ("unemployed",)
        assert verdict.exceptions == verdict.uncertain == verdict.what_would_change == ()


GO_CORE = {
    "employed": "yes",
    "can_interview_confidentially": "yes",
    "agreement_bars_employer": "no",
    "time_off_puts_job_at_risk": "no",
}


def test_without_personal_answers_every_reason_is_cited_in_the_article_s_order():
    assert evaluate(GO_CORE).reasons == REASON_IDS


EMPHASISED = [
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
]


def test_personal_answers_move_the_reasons_they_fit_forward_and_say_why():
    for personal, reason in EMPHASISED:
        verdict = evaluate({**GO_CORE, "last_interviewed": "within_year", **personal})
        emphasised = {r for r, _ in verdict.emphasis}
        assert reason in emphasised, personal
        # Emphasised reasons come before every reason that is not.
        position = verdict.reasons.index(reason)
        assert all(r in emphasised for r in verdict.reasons[:position]), personal


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


def test_an_answer_that_closes_a_reason_leaves_it_out():
    for fact, reason in (("would_negotiate", "leverage"), ("open_to_other_roles", "other_roles")):
        assert reason not in evaluate({**GO_CORE, fact: "no"}).reasons
        # Even if the person ticked it: the result says why it is left out.
        ticked = evaluate({**GO_CORE, fact: "no", "priorities": [reason]})
        assert reason not in ticked.reasons and reason not in ticked.priorities
        assert [r for r, _ in ticked.unmet_priorities] == [reason]


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


def test_every_question_changes_the_verdict_or_the_citations_or_their_order():
    for question in QUESTIONS.values():
        assert any(
            len({outcome({**base, question.id: value}) for value in choices_of(question)}) > 1
            for base in BASES
        ), f"no answer to {question.id!r} changes what the person is told"


def test_verdict_is_frozen():
    verdict = evaluate(GO_CORE)
    with pytest.raises(AttributeError):
        verdict.verdict = PASS


INVALID = {
    "'employed' must be answered yes or no": {},
    "'unsure' is not an answer to 'employed'": {"employed": "unsure"},
    "'maybe' is not an answer to 'employed'": {"employed": "maybe"},
    "'perhaps' is not an answer to 'agreement_bars_employer'": {
        "employed": "yes",
        "agreement_bars_employer": "perhaps",
    },
    "unknown fact 'shoe_size'": {"employed": "yes", "shoe_size": "9"},
    "'priorities' takes a list of values": {"employed": "yes", "priorities": "practice"},
    "'unemployed' is not an answer to 'priorities'": {
        "employed": "yes",
        "priorities": ["unemployed"],
    },
}


def test_invalid_answers_are_refused_saying_which_answer_is_wrong():
    for message, answers in INVALID.items():
        with pytest.raises(InvalidAnswers) as error:
            evaluate(answers)
        assert str(error.value) == message
    with pytest.raises(InvalidAnswers, match="^'employed' must be answered yes or no$"):
        evaluate({"can_interview_confidentially": "yes"})


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
