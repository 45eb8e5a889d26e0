"""The result page tells the person exactly what was decided and why, quoting the article."""

import dataclasses
import html as html_lib
import re

import pytest

from advice import factors
from advice.factors import FACTORS
from advice.models import Assessment, new_result_token
from tests.conftest import make_assessment
from tests.walk import CAUTION_ANSWERS, GO_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS

pytestmark = pytest.mark.django_db


def result_html(client, answers):
    _, token = make_assessment(answers)
    response = client.get(Assessment.result_url(token))
    assert response.status_code == 200
    return response, html_lib.unescape(response.content.decode())


def cited_ids(html):
    return re.findall(r'data-factor="([a-z_]+)"', html)


@pytest.mark.parametrize(
    ("answers", "verdict", "cited"),
    [
        (GO_ANSWERS, "go", ["other_roles", "networking", "practice", "preparedness",
                            "leverage", "nothing_to_lose"]),
        (CAUTION_ANSWERS, "caution", ["employment_agreement", "other_roles", "networking",
                                      "practice", "preparedness", "leverage",
                                      "nothing_to_lose"]),
        (PASS_ANSWERS, "pass", ["confidentiality", "other_roles", "networking", "practice",
                                "preparedness", "leverage", "nothing_to_lose"]),
        (UNEMPLOYED_ANSWERS, "go", ["unemployed"]),
    ],
    ids=["go", "caution", "pass", "unemployed"],
)  # fmt: skip
def test_result_marks_the_verdict_and_exactly_the_cited_factors(client, answers, verdict, cited):
    _, html = result_html(client, answers)
    assert re.findall(r'data-verdict="(\w+)"', html) == [verdict]
    assert cited_ids(html) == cited


@pytest.mark.parametrize("answers", [GO_ANSWERS, CAUTION_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS])
def test_each_cited_factor_shows_its_title_explanation_and_quote_with_attribution(client, answers):
    _, html = result_html(client, answers)
    for factor_id in cited_ids(html):
        factor = FACTORS[factor_id]
        block = html.split(f'data-factor="{factor_id}"', 1)[1].split("</article>", 1)[0]
        assert factor.title in block
        assert factor.explanation in block
        assert re.search(rf"<blockquote[^>]*><p>{re.escape(factor.quote)}</p></blockquote>", block)
        assert f"<cite>{factors.ARTICLE.title}</cite>, Joe Stein, WNYJobs, 9 March 2020" in block


def test_pass_result_says_what_to_do_and_what_would_change_it(client):
    _, html = result_html(client, {**GO_ANSWERS, "agreement_bars_employer": "yes"})
    assert "The reason to pass" in html
    assert FACTORS["employment_agreement"].next_step in html
    assert "If your agreement does not cover this employer, the answer is go." in html
    assert "The reasons to go that this outweighs" in html


def test_caution_result_says_what_to_check(client):
    _, html = result_html(client, CAUTION_ANSWERS)
    assert "What to check before you go" in html
    assert "What to check:" in html
    assert "the answer is pass" in html


def test_result_carries_the_disclaimer_and_the_person_s_answers(client):
    _, html = result_html(client, PASS_ANSWERS)
    assert "not legal or professional advice" in html
    assert "check your own agreement" in html
    assert "Can interview without the employer finding out" in html


def test_priorities_are_marked_on_the_result(client):
    _, html = result_html(client, {**GO_ANSWERS, "priorities": ["practice"]})
    assert cited_ids(html)[0] == "practice"
    block = html.split('data-factor="practice"', 1)[1].split("</h3>", 1)[0]
    assert "Matters to you" in block


def test_result_page_is_private_and_reloadable(client):
    _, token = make_assessment()
    url = Assessment.result_url(token)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize(
    "path",
    [
        f"/result/{new_result_token()}/",  # well-formed, never issued
        "/result/short/",
        "/result/1/",
        "/result/" + "A" * 65 + "/",
    ],
)
def test_wrong_or_guessed_token_is_a_404(client, path):
    make_assessment()
    assert client.get(path).status_code == 404


def test_result_url_with_the_stored_hash_is_not_a_way_in(client):
    assessment, _ = make_assessment()
    assert client.get(f"/result/{assessment.token_hash}/").status_code == 404


def test_result_is_rendered_from_the_saved_snapshot_after_the_wording_changes(client, monkeypatch):
    _, token = make_assessment()
    original = FACTORS["networking"].title
    reworded = dataclasses.replace(FACTORS["networking"], title="Reworded later")
    monkeypatch.setitem(FACTORS, "networking", reworded)
    html = client.get(Assessment.result_url(token)).content.decode()
    assert original in html
    assert "Reworded later" not in html


def test_result_page_refuses_post(client):
    _, token = make_assessment()
    assert client.post(Assessment.result_url(token)).status_code == 405


def test_delete_asks_first_then_removes_the_assessment_for_good(client):
    _, token = make_assessment()
    url = Assessment.result_url(token)
    assert 'href="' + url + 'delete/"' in client.get(url).content.decode()

    confirm_page = client.get(url + "delete/")
    assert confirm_page.status_code == 200
    assert "Are you sure" in confirm_page.content.decode()
    assert "no-store" in confirm_page["Cache-Control"]
    assert Assessment.objects.count() == 1  # asking deletes nothing

    response = client.post(url + "delete/")
    assert response.status_code == 302
    assert response["Location"] == "/deleted/"
    assert Assessment.objects.count() == 0
    assert client.get(url).status_code == 404
    assert client.post(url + "delete/").status_code == 404


def test_delete_with_a_wrong_token_deletes_nothing(client):
    make_assessment()
    assert client.post(f"/result/{new_result_token()}/delete/").status_code == 404
    assert Assessment.objects.count() == 1


def test_head_requests_are_answered_like_get(client):
    _, token = make_assessment()
    assert client.head("/").status_code == 200
    assert client.head(Assessment.result_url(token)).status_code == 200
