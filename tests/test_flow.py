"""The questionnaire's flow, tested exhaustively without a request or a database.

Which steps are asked depends only on two answers (having a job, and whether the interview
can be kept private). Every value of those two, unanswered included, is combined with every
subset of the other questions being answered, and the flow's functions are checked against
each other and against the paths a person can take.
"""

from itertools import chain, combinations, product

import pytest

from advice import flow
from advice.factors import QUESTIONS
from advice.flow import CHECK_STEP, STEPS

NOT_ANSWERED = object()
DECIDING = ("employed", "can_interview_confidentially")
OTHERS = tuple(step.fact for step in STEPS if step.fact not in DECIDING)
# One valid answer for each question, used wherever a subset says it was answered.
SOME_ANSWER = {
    fact: ([q.values[0]] if q.multiple else q.values[-1]) for fact, q in QUESTIONS.items()
}

EMPLOYED_PATH = [s.name for s in STEPS if s.name != "job-risk"]
PATHS = {
    # (employed, can interview confidentially) -> the question steps asked, in order
    ("no", "yes"): ["employment"],
    ("no", "no"): ["employment"],
    ("yes", "yes"): EMPLOYED_PATH,
    ("yes", "no"): [s.name for s in STEPS],
    ("yes", "unsure"): [s.name for s in STEPS],
}


def _subsets(items):
    return chain.from_iterable(combinations(items, n) for n in range(len(items) + 1))


def _answer_sets():
    values = {fact: (NOT_ANSWERED, *QUESTIONS[fact].values) for fact in DECIDING}
    for deciding in product(*values.values()):
        for others in _subsets(OTHERS):
            answers = {
                f: v for f, v in zip(DECIDING, deciding, strict=True) if v is not NOT_ANSWERED
            }
            answers.update({fact: SOME_ANSWER[fact] for fact in others})
            yield answers


ANSWER_SETS = list(_answer_sets())


def test_every_combination_is_covered():
    assert len(ANSWER_SETS) == 3 * 4 * 2 ** len(OTHERS)


@pytest.mark.parametrize(("deciding", "path"), PATHS.items(), ids=str)
def test_a_person_answering_in_order_walks_exactly_their_path(deciding, path):
    answers: dict = {}
    walked = []
    while (step := flow.first_unanswered(answers)) != CHECK_STEP:
        walked.append(step)
        fact = flow.STEP_BY_NAME[step].fact
        answers[fact] = dict(zip(DECIDING, deciding, strict=True)).get(fact, SOME_ANSWER[fact])
    assert walked == path
    assert flow.steps_asked(answers) == path


@pytest.mark.parametrize(("deciding", "path"), PATHS.items(), ids=str)
def test_the_progress_shown_along_every_route_never_misleads(deciding, path):
    """Walking forward along each route, the count goes up by one each page, the total asked
    in the end lies within every range shown before, and the range is one number once every
    answer that decides the route is given."""
    answers = {
        fact: dict(zip(DECIDING, deciding, strict=True)).get(fact, SOME_ANSWER[fact])
        for fact in flow.FACTS_IN_ORDER
    }
    given: dict = {}
    shown = []
    for step in path:
        here = flow.progress(step, given)
        # Only the answers before this question count: coming back to it with later answers
        # already given shows the same.
        assert flow.progress(step, answers) == here
        shown.append(here)
        if all(fact in given for fact in DECIDING if flow.STEP_FOR_FACT[fact] in path):
            assert here.fewest == here.most == len(path)
        given[flow.STEP_BY_NAME[step].fact] = answers[flow.STEP_BY_NAME[step].fact]
    assert [p.number for p in shown] == list(range(1, len(path) + 1))
    for earlier, later in zip(shown, shown[1:], strict=False):
        assert earlier.fewest <= later.fewest <= later.most <= earlier.most
    assert all(p.fewest <= len(path) <= p.most for p in shown)


def test_a_route_s_length_before_any_answer_and_for_people_with_a_job():
    assert flow.route_length({}) == (1, 11)
    assert flow.route_length({"employed": "yes"}) == (10, 11)
    assert flow.route_length({"employed": "no"}) == (1, 1)


def test_whether_a_step_is_asked_depends_only_on_answers_before_it():
    """So the questions before a step, and its number, are known when it is shown."""
    for index, step in enumerate(STEPS):
        earlier = {s.fact for s in STEPS[:index]}
        assert {fact for fact, _ in step.when} <= earlier, step.name


def test_the_first_step_is_always_asked_and_has_no_previous_step():
    for answers in ANSWER_SETS:
        assert flow.steps_asked(answers)[0] == flow.FIRST_STEP
        assert flow.previous_step(flow.FIRST_STEP, answers) is None


def test_people_between_jobs_are_asked_nothing_more():
    for answers in ANSWER_SETS:
        if answers.get("employed") == "no":
            assert flow.steps_asked(answers) == ["employment"]


def test_next_and_previous_walk_the_steps_asked_both_ways():
    for answers in ANSWER_SETS:
        order = [*flow.steps_asked(answers), CHECK_STEP]
        for here, after in zip(order, order[1:], strict=False):
            assert flow.next_step(here, answers) == after
            assert flow.previous_step(after, answers) == here


def test_first_unanswered_is_the_first_step_asked_without_an_answer():
    for answers in ANSWER_SETS:
        first = flow.first_unanswered(answers)
        asked = flow.steps_asked(answers)
        missing = [s for s in asked if flow.STEP_BY_NAME[s].fact not in answers]
        assert first == (missing[0] if missing else CHECK_STEP)


def test_only_steps_beyond_the_first_unanswered_lie_ahead():
    for answers in ANSWER_SETS:
        order = [*flow.steps_asked(answers), CHECK_STEP]
        first = order.index(flow.first_unanswered(answers))
        assert [flow.is_ahead(step, answers) for step in order] == [
            index > first for index in range(len(order))
        ]


def test_answers_asked_keeps_exactly_the_answers_to_steps_asked():
    for answers in ANSWER_SETS:
        kept = flow.answers_asked(answers)
        asked = {flow.STEP_BY_NAME[s].fact for s in flow.steps_asked(answers)}
        assert kept == {fact: value for fact, value in answers.items() if fact in asked}


def test_every_step_maps_to_its_fact_and_back():
    for step in STEPS:
        assert flow.STEP_FOR_FACT[step.fact] == step.name
        assert flow.STEP_BY_NAME[step.name] is step


@pytest.mark.parametrize(
    ("stored", "clean"),
    [
        ({"employed": "yes"}, {"employed": "yes"}),
        ({"employed": "maybe"}, {}),
        ({"employed": ["yes"]}, {}),
        ({"employed": None}, {}),
        ({"no_such_fact": "yes"}, {}),
        ({"no_such_fact": "yes", "employed": "yes"}, {"employed": "yes"}),
        (
            {"priorities": list(QUESTIONS["priorities"].values)},
            {"priorities": list(QUESTIONS["priorities"].values)},
        ),
        (
            {"priorities": ["leverage", "practice", "leverage"]},
            {"priorities": ["practice", "leverage"]},
        ),
        ({"priorities": []}, {"priorities": []}),
        ({"priorities": ["practice", "junk"]}, {}),
        ({"priorities": "practice"}, {}),
    ],
)
def test_clean_answers_keeps_one_valid_value_per_fact(stored, clean):
    assert flow.clean_answers(stored) == clean
