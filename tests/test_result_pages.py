"""Every result page, for every combination of the five core facts, opens on the verdict and
fits the word limit.

The page is drawn from the saved snapshot alone, so each is rendered from the snapshot that
saving the answers makes, without a database; one is checked against the page the view serves.
"""

import html as html_lib
import itertools
import json
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from advice.factors import CORE_FACTS, QUESTIONS
from advice.models import Assessment, hash_token, new_result_token
from advice.rules import evaluate
from advice.snapshot import build_snapshot
from advice.views import result_context
from tests.helpers.assessments import make_assessment
from tests.helpers.questionnaire import CLOSED_PERSONAL
from tests.helpers.words import visible_words

WORD_LIMIT = 350
YNU = ("yes", "no", "unsure")
PERSONAL_FACTS = [fact for fact in QUESTIONS if fact not in (*CORE_FACTS, "priorities")]


def _longest(fact):
    return max(QUESTIONS[fact].choices, key=lambda choice: len(choice.label.split())).value


# The wordiest answers a person can give, every priority ticked; and answers that close the
# reasons they can.
PERSONAL = [
    {
        **{fact: _longest(fact) for fact in PERSONAL_FACTS},
        "priorities": list(QUESTIONS["priorities"].values),
    },
    CLOSED_PERSONAL,
    # Every priority ticked, two of them ruled out by the answers: each is explained.
    {
        **{fact: _longest(fact) for fact in PERSONAL_FACTS},
        "open_to_other_roles": "no",
        "would_negotiate": "no",
        "priorities": list(QUESTIONS["priorities"].values),
    },
]


def employed_answers(can_hide, at_risk, agreement, time_off):
    answers = {"employed": "yes", "can_interview_confidentially": can_hide}
    if can_hide != "yes":  # the questionnaire asks about the risk only then
        answers["job_at_risk_if_discovered"] = at_risk
    answers["agreement_bars_employer"] = agreement
    answers["time_off_puts_job_at_risk"] = time_off
    return answers


CASES = [{"employed": "no"}] + [
    {**personal, **employed_answers(*combo)}
    for personal in PERSONAL
    for combo in itertools.product(YNU, YNU, YNU, YNU)
    if combo[0] != "yes" or combo[1] == "yes"  # at_risk is not asked when can_hide is yes
]


def render(answers, token):
    """Return the snapshot saving ``answers`` makes, as read back, and the page the view draws."""
    shown = json.loads(json.dumps(build_snapshot(evaluate(answers), answers)))
    request = RequestFactory().get(Assessment.result_url(token))
    assessment = Assessment(
        token_hash=hash_token(token),
        shown=shown,
        answers=answers,
        rules_version=shown["rules_version"],
    )
    context = result_context(request, assessment, token)
    return shown, render_to_string("advice/result.html", context, request)


def text_of(html):
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_every_result_page_opens_on_the_verdict_and_fits_the_word_limit():
    for answers in CASES:
        shown, html = render(answers, new_result_token())
        words = visible_words(html)
        assert len(words) <= WORD_LIMIT, f"{len(words)} words with <details> closed: {answers}"

        # The verdict, the point that decides it and what to do next come first.
        opening, next_step = html.split('class="verdict ', 1)[1].split('class="next-step-lead"')
        box = text_of(opening + next_step.split("</p>", 1)[0])
        assert shown["headline"] in box and shown["summary"] in box, answers
        assert f"What to do next: {shown['next_step']}" in box, answers
        page = text_of(html.split("<main", 1)[1].split("</main>", 1)[0])
        for key in ("exceptions", "uncertain", "reasons"):
            assert all(factor["title"] in page for factor in shown[key]), answers
        assert all(sentence in page for sentence in shown["what_would_change"]), answers


@pytest.mark.django_db
def test_the_page_drawn_from_the_snapshot_is_the_page_served(client):
    token = new_result_token()
    wordiest = max(CASES, key=lambda answers: len(visible_words(render(answers, token)[1])))
    make_assessment(wordiest, token=token)
    assert client.get(Assessment.result_url(token)).content.decode() == render(wordiest, token)[1]


def test_word_count_leaves_out_closed_details_but_counts_their_summary():
    html = (
        "<header>Site name</header><main><p>One two</p>"
        "<details><summary>Three</summary><p>hidden words here</p></details>"
        "<details open><summary>Four</summary><p>Five</p></details>"
        "<script>var x = 1;</script></main><footer>Footer</footer>"
    )
    assert visible_words(html) == ["One", "two", "Three", "Four", "Five"]
