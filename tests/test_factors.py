"""The factor catalogue keeps to the ids in docs/rules.md and cites the article briefly."""

import os
import re
from pathlib import Path

import pytest

from advice import factors
from advice.factors import ARTICLE, FACTORS, QUESTIONS
from advice.flow import STEPS
from tests.helpers.texts import every_wording

# The article is kept beside the project, not in it: it is cited, not republished. Its folder
# is ADVICE_ARTICLE_DIR, or else shared/article/ next to the repository.
ARTICLE_DIR = Path(
    os.environ.get("ADVICE_ARTICLE_DIR")
    or Path(__file__).resolve().parents[2] / "shared" / "article"
)
ARTICLE_TEXT = ARTICLE_DIR / "the-many-reasons-to-go-on-that-interview.txt"


def test_catalogue_has_exactly_the_contract_ids():
    reasons = "networking practice preparedness leverage nothing_to_lose other_roles"
    assert tuple(reasons.split()) == factors.REASON_IDS
    assert factors.EXCEPTION_IDS == ("confidentiality", "employment_agreement", "attendance_policy")
    assert set(FACTORS) == {*factors.REASON_IDS, *factors.EXCEPTION_IDS, "unemployed"}


def test_every_factor_has_its_own_short_label_for_hr():
    labels = [factor.label for factor in FACTORS.values()]
    assert all(labels) and len(set(labels)) == len(labels)
    assert all(len(label) <= 30 for label in labels)


def test_contract_facts_are_questions_with_the_contract_answers():
    assert QUESTIONS["employed"].values == ("yes", "no")
    for fact in factors.CORE_FACTS[1:]:
        assert QUESTIONS[fact].values == ("yes", "no", "unsure")


def test_every_question_is_asked_on_exactly_one_step():
    asked = [step.fact for step in STEPS]
    assert sorted(asked) == sorted(QUESTIONS)


@pytest.mark.parametrize("factor", FACTORS.values(), ids=lambda f: f.id)
def test_each_factor_has_our_words_and_a_short_quote(factor):
    assert factor.title and factor.explanation and factor.quote
    for quote in every_wording(factor.quote):
        assert len(quote) <= 200
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", quote)) <= 2
        # The explanation is ours, not the quote again.
        assert quote not in str(factor.explanation)


@pytest.mark.parametrize("factor", factors.EXCEPTIONS, ids=lambda f: f.id)
def test_each_exception_has_its_own_words_when_it_applies_and_when_unsure(factor):
    assert factor.title and factor.next_step and factor.unsure_title and factor.check
    assert factor.unsure_title != factor.title
    assert factor.unsure_explanation != factor.explanation
    assert factor.clear_if and factor.applies_if


@pytest.mark.parametrize("factor", factors.EXCEPTIONS, ids=lambda f: f.id)
def test_the_answers_that_settle_each_exception_are_answers_to_its_questions(factor):
    for answers in (*factor.clears_when, factor.applies_when):
        assert answers
        for fact, value in answers:
            assert fact in factors.CORE_FACTS[1:]
            assert value in QUESTIONS[fact].values


def test_employment_agreement_points_to_verifying_the_agreement_in_both_states():
    agreement = FACTORS["employment_agreement"]
    for text in agreement.next_step:
        assert "agreement" in text.words and "advice" in text.words
    assert "contract" in agreement.check


def test_unemployed_quote_does_not_call_the_reader_unfortunate():
    assert "unfortunate" not in FACTORS["unemployed"].quote


def test_agreement_question_names_the_employer_they_would_interview_with():
    question = QUESTIONS["agreement_bars_employer"]
    assert "the employer you would be interviewing with" in question.text
    assert "non-compete" not in question.text
    assert "non-compete" in question.help_text
    assert len(question.text) <= 80  # five short lines at 375 px


def test_priorities_question_says_what_the_priorities_are_for():
    question = QUESTIONS["priorities"]
    assert "interview" in question.text
    assert "result" in question.help_text


@pytest.mark.parametrize("question", QUESTIONS.values(), ids=lambda q: q.id)
def test_answers_are_summed_up_as_short_questions(question):
    assert question.short_text.endswith("?")
    assert len(question.short_text.split()) <= 9


@pytest.mark.skipif(
    not ARTICLE_TEXT.exists(),
    reason=f"no article at {ARTICLE_TEXT}: set ADVICE_ARTICLE_DIR to the folder that holds it",
)
@pytest.mark.parametrize("factor", FACTORS.values(), ids=lambda f: f.id)
def test_quote_is_verbatim_from_the_article(factor):
    # A leading ellipsis marks words left out before the quote; the rest is word for word.
    for quote in every_wording(factor.quote):
        assert quote.removeprefix("…") in ARTICLE_TEXT.read_text()


def test_attribution_names_title_author_publisher_and_date():
    assert ARTICLE.attribution == (
        "Joe Stein, WNY Human Resources Professional, "
        "“The Many Reasons to Go on That Interview”, WNYJobs, 9 March 2020"
    )
