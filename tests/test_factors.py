"""The factor catalogue keeps to the ids in docs/rules.md and cites the article briefly."""

import os
import re
from pathlib import Path

import pytest

from advice import factors
from advice.factors import ARTICLE, FACTORS, QUESTIONS, STEPS

# The article is kept beside the project, not in it: it is cited, not republished. Its folder
# is ADVICE_ARTICLE_DIR, or else shared/article/ next to the repository.
ARTICLE_DIR = Path(
    os.environ.get("ADVICE_ARTICLE_DIR")
    or Path(__file__).resolve().parents[2] / "shared" / "article"
)
ARTICLE_TEXT = ARTICLE_DIR / "the-many-reasons-to-go-on-that-interview.txt"


def test_catalogue_has_exactly_the_contract_ids():
    assert factors.REASON_IDS == (
        "networking",
        "practice",
        "preparedness",
        "leverage",
        "nothing_to_lose",
        "other_roles",
    )
    assert factors.EXCEPTION_IDS == ("confidentiality", "employment_agreement", "attendance_policy")
    assert set(FACTORS) == {*factors.REASON_IDS, *factors.EXCEPTION_IDS, "unemployed"}


def test_contract_facts_are_questions_with_the_contract_answers():
    assert QUESTIONS["employed"].values == ("yes", "no")
    for fact in factors.CORE_FACTS[1:]:
        assert QUESTIONS[fact].values == ("yes", "no", "unsure")


def test_every_question_is_asked_on_exactly_one_step():
    asked = [step.question for step in STEPS]
    assert sorted(asked) == sorted(QUESTIONS)


@pytest.mark.parametrize("factor", FACTORS.values(), ids=lambda f: f.id)
def test_each_factor_has_our_words_and_a_short_quote(factor):
    assert factor.title and factor.explanation and factor.quote
    assert len(factor.quote) <= 200
    sentences = re.findall(r"[.!?](?:\s|$)", factor.quote)
    assert 1 <= len(sentences) <= 2
    # The explanation is ours, not the quote again.
    assert factor.quote not in factor.explanation


@pytest.mark.parametrize("factor", factors.EXCEPTIONS, ids=lambda f: f.id)
def test_each_exception_says_what_to_check_and_what_settles_it(factor):
    assert factor.next_step and factor.clear_if and factor.applies_if


def test_employment_agreement_points_to_verifying_the_agreement():
    assert "contract" in FACTORS["employment_agreement"].next_step


@pytest.mark.skipif(
    not ARTICLE_TEXT.exists(),
    reason=f"no article at {ARTICLE_TEXT}: set ADVICE_ARTICLE_DIR to the folder that holds it",
)
@pytest.mark.parametrize("factor", FACTORS.values(), ids=lambda f: f.id)
def test_quote_is_verbatim_from_the_article(factor):
    assert factor.quote in ARTICLE_TEXT.read_text()


def test_attribution_names_title_author_publisher_and_date():
    assert ARTICLE.attribution == (
        "Joe Stein, WNY Human Resources Professional, "
        "“The Many Reasons to Go on That Interview”, WNYJobs, 9 March 2020"
    )
