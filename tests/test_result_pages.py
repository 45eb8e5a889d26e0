"""Every result page, rendered for every combination of the five core facts, reads right.

Each page is saved through the real write path and opened by its private link, so what is
checked is what a person would be shown.
"""

import html as html_lib
import itertools
import re

import pytest

from advice.factors import FACTORS, QUESTIONS
from advice.models import Assessment, new_result_token
from advice.services import assessment_create
from tests.walk import CLOSED_PERSONAL
from tests.words import visible_words

pytestmark = pytest.mark.django_db

WORD_LIMIT = 350
YNU = ("yes", "no", "unsure")
PERSONAL_FACTS = (
    "approached_how",
    "last_interviewed",
    "role_security",
    "open_to_other_roles",
    "would_negotiate",
)


def _longest(fact):
    return max(QUESTIONS[fact].choices, key=lambda choice: len(choice.label.split())).value


# The wordiest answers a person can give, every priority ticked; and answers that close the
# reasons they can.
PERSONAL = {
    "wordiest": {
        **{fact: _longest(fact) for fact in PERSONAL_FACTS},
        "priorities": list(QUESTIONS["priorities"].values),
    },
    "closed": CLOSED_PERSONAL,
}


def employed_answers(can_hide, at_risk, agreement, time_off):
    answers = {"employed": "yes", "can_interview_confidentially": can_hide}
    if can_hide != "yes":  # the questionnaire asks about the risk only then
        answers["job_at_risk_if_discovered"] = at_risk
    answers["agreement_bars_employer"] = agreement
    answers["time_off_puts_job_at_risk"] = time_off
    return answers


CASES = [pytest.param({"employed": "no"}, id="unemployed")] + [
    pytest.param({**PERSONAL[name], **employed_answers(*combo)}, id=f"{name}-{'-'.join(combo)}")
    for name in PERSONAL
    for combo in itertools.product(YNU, YNU, YNU, YNU)
    if combo[0] != "yes" or combo[1] == "yes"  # at_risk is not asked when can_hide is yes
]


def render(client, answers):
    token = new_result_token()
    assessment = assessment_create(answers=answers, token=token)
    response = client.get(Assessment.result_url(token))
    assert response.status_code == 200
    return assessment, response.content.decode()


def text_of(html):
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("answers", CASES)
def test_result_page_reads_right(client, answers):
    assessment, html = render(client, answers)
    shown = assessment.shown
    page = " ".join(text_of(html.split("<main", 1)[1].split("</main>", 1)[0]).split())
    cited = re.findall(r'data-factor="([a-z_]+)"', html)

    words = visible_words(html)
    assert len(words) <= WORD_LIMIT, f"{len(words)} words with every <details> closed"

    # The verdict, the point that decides it and what to do next come first.
    opening, next_step = html.split('class="verdict ', 1)[1].split('class="next-step-lead"', 1)
    box = " ".join(text_of(opening + next_step.split("</p>", 1)[0]).split())
    assert shown["headline"] in box
    assert shown["summary"] in box
    assert f"What to do next: {shown['next_step']}" in box

    if shown["verdict"] == "pass":
        assert "nothing_to_lose" not in cited
        if "employment_agreement" in assessment.exceptions:
            assert not {"leverage", "other_roles"} & set(cited)
    for exception in assessment.uncertain:
        assert FACTORS[exception].unsure_title in page
        assert FACTORS[exception].title not in page, "an unsure exception reads as a fact"
    for exception in assessment.exceptions:
        assert FACTORS[exception].title in page
    if answers["employed"] == "yes":
        assert {"networking", "practice", "preparedness"} <= set(cited)
    for sentence in shown["what_would_change"]:
        assert sentence in page


def test_word_count_leaves_out_closed_details_but_counts_their_summary():
    html = (
        "<header>Site name</header><main><p>One two</p>"
        "<details><summary>Three</summary><p>hidden words here</p></details>"
        "<details open><summary>Four</summary><p>Five</p></details>"
        "<script>var x = 1;</script></main><footer>Footer</footer>"
    )
    assert visible_words(html) == ["One", "two", "Three", "Four", "Five"]
