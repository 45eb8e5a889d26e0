"""The result page tells the person exactly what was decided and why, quoting the article."""

import dataclasses
import html as html_lib
import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from advice import factors, rules
from advice.factors import FACTORS
from advice.models import Assessment, new_result_token
from tests.helpers.assessments import make_assessment
from tests.helpers.questionnaire import (
    CAUTION_ANSWERS,
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
    step_url,
    walk,
)
from tests.helpers.words import visible_words

pytestmark = pytest.mark.django_db


def privacy_promise(html):
    return html_lib.unescape(html.split('<ul class="privacy-promise">', 1)[1].split("</ul>", 1)[0])


def result_html(client, answers):
    _, token = make_assessment(answers)
    response = client.get(Assessment.result_url(token))
    assert response.status_code == 200
    return response, html_lib.unescape(response.content.decode())


def cited_ids(html):
    return re.findall(r'data-factor="([a-z_]+)"', html)


@pytest.mark.parametrize("answers", [GO_ANSWERS, CAUTION_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS])
def test_result_marks_the_verdict_and_exactly_the_cited_factors_in_order(client, answers):
    # Which verdict and factors the answers give is tests/test_rules.py's to show.
    _, html = result_html(client, answers)
    saved = Assessment.objects.get()
    assert re.findall(r'data-verdict="(\w+)"', html) == [saved.verdict]
    assert cited_ids(html) == [*saved.exceptions, *saved.uncertain, *saved.reasons]


def factor_block(html, factor_id):
    return html.split(f'data-factor="{factor_id}"', 1)[1].split("</details>", 1)[0]


@pytest.mark.parametrize("answers", [GO_ANSWERS, CAUTION_ANSWERS, UNEMPLOYED_ANSWERS])
def test_each_reason_s_explanation_and_quote_wait_behind_its_title(client, answers):
    _, html = result_html(client, answers)
    assessment = Assessment.objects.get()
    shown = {
        factor["id"]: factor
        for key in ("exceptions", "uncertain", "reasons")
        for factor in assessment.shown[key]
    }
    for factor_id in cited_ids(html):
        block = factor_block(html, factor_id)
        summary, body = block.split("</summary>", 1)
        assert "<details>" in summary
        assert shown[factor_id]["title"] in summary
        assert shown[factor_id]["explanation"] in body
        assert f'<blockquote class="quote"><p>{shown[factor_id]["quote"]}</p></blockquote>' in body


@pytest.mark.parametrize("answers", [GO_ANSWERS, CAUTION_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS])
def test_the_article_is_attributed_once_under_where_this_comes_from(client, answers):
    _, html = result_html(client, answers)
    assert html.count(factors.ARTICLE.title) == 1
    source = html.split('id="source-heading"', 1)[1].split("</section>", 1)[0]
    assert factors.ARTICLE.attribution in source


def test_pass_result_puts_the_reason_and_how_to_decline_first(client):
    _, html = result_html(client, {**GO_ANSWERS, "agreement_bars_employer": "yes"})
    [agreement] = Assessment.objects.get().shown["exceptions"]
    verdict_box = html.split("</h1>", 1)[1].split('class="next-step-lead"', 1)[0]
    assert agreement["title"] in verdict_box
    assert f"<strong>What to do next:</strong> {agreement['next_step']}" in html
    assert agreement["next_step"].startswith("Say no politely")
    assert "If your agreement does not cover this employer, the answer would be go." in html


def test_pass_lists_the_reasons_it_outweighs_by_title_only(client):
    answers = {**GO_ANSWERS, "agreement_bars_employer": "yes", "priorities": ["other_roles"]}
    _, html = result_html(client, answers)
    reasons = html.split('id="reasons-heading"', 1)[1].split("</section>", 1)[0]
    assert "Good reasons to go, outweighed here" in reasons
    cited = re.findall(r'data-factor="([a-z_]+)"', reasons)
    assert cited == ["networking", "practice", "preparedness"]
    assert FACTORS["networking"].title in reasons
    assert FACTORS["networking"].explanation not in reasons
    # The ticked reasons the agreement rules out are explained, not dropped without a word.
    assert "an agreement stops you joining them" in reasons


def test_caution_result_uses_the_unsure_title_and_shows_each_check_without_opening_anything(
    client,
):
    answers = {**CAUTION_ANSWERS, "time_off_puts_job_at_risk": "unsure"}
    _, html = result_html(client, answers)
    agreement = FACTORS["employment_agreement"]
    assert agreement.unsure_title in html
    assert agreement.title not in html
    verdict_box = html.split("</h1>", 1)[1].split("<section", 1)[0]
    checks = verdict_box.split('<ul class="checks">', 1)[1].split("</ul>", 1)[0]
    assert "<details" not in checks
    assert re.findall(r'data-check="([a-z_]+)"', checks) == [
        "employment_agreement",
        "attendance_policy",
    ]
    assert agreement.check in checks
    assert "What to check:" not in html
    assert "the answer would be pass" in html


def test_result_carries_the_disclaimer_and_the_answers_as_short_questions(client):
    _, html = result_html(client, PASS_ANSWERS)
    assert "not legal advice" in html
    assert "Check your own contract" in html
    assert "<dt>Can you go without your employer knowing?</dt>" in html


def test_result_makes_the_privacy_promise_of_the_start_and_check_pages(client, settings):
    settings.ADVICE_OPERATOR = "Example Jobs Ltd"
    settings.ADVICE_CONTACT = "https://example.org/privacy"
    walk(client, GO_ANSWERS)
    check = client.get(step_url("check")).content.decode()
    _, html = result_html(client, GO_ANSWERS)
    assert privacy_promise(html) == privacy_promise(client.get("/").content.decode())
    assert privacy_promise(html) == privacy_promise(check)
    assert 'Staff of Example Jobs Ltd (<a href="https://example.org/privacy">' in html
    assert "never can" not in html and "cannot see" not in html
    main = html.split("<main", 1)[1]
    assert "contact HR" not in main
    assert "HR staff" not in main


def test_unemployed_result_is_short_and_says_nothing_about_an_employer_s_rules(client):
    _, html = result_html(client, UNEMPLOYED_ANSWERS)
    main = html.split("<main", 1)[1]
    assert "employer's policies" not in main
    assert "workplace rules" not in main
    assert "unfortunate" not in main
    assert len(visible_words(html)) <= 170


def test_priorities_come_first_under_what_the_person_said_matters(client):
    _, html = result_html(client, {**GO_ANSWERS, "priorities": ["practice"]})
    assert cited_ids(html)[0] == "practice"
    reasons = html.split('id="reasons-heading"', 1)[1]
    chosen, rest = reasons.split("Also:", 1)
    assert "What you said matters most:" in chosen
    assert re.findall(r'data-factor="([a-z_]+)"', chosen) == ["practice"]
    assert 'data-factor="networking"' in rest


def test_nothing_is_said_to_matter_most_when_the_person_chose_nothing(client):
    _, html = result_html(client, {**GO_ANSWERS, "priorities": []})
    assert "What you said matters most:" not in html
    assert "Also:" not in html


@pytest.mark.parametrize(
    ("answers", "uncertain"),
    [
        (GO_ANSWERS, []),
        (CAUTION_ANSWERS, ["employment_agreement"]),
        ({**CAUTION_ANSWERS, "time_off_puts_job_at_risk": "unsure"},
         ["employment_agreement", "attendance_policy"]),
    ],
)  # fmt: skip
def test_the_saved_row_records_what_was_unsure_and_the_rules_version(answers, uncertain):
    assessment, _ = make_assessment(answers)
    assessment.refresh_from_db()
    assert assessment.uncertain == uncertain
    assert assessment.rules_version == rules.RULES_VERSION
    assert assessment.shown["rules_version"] == rules.RULES_VERSION


@pytest.mark.db_engine
def test_saving_twice_under_one_token_returns_the_first_row(client):
    first, token = make_assessment(GO_ANSWERS)
    again, _ = make_assessment(PASS_ANSWERS, token=token)
    assert again.pk == first.pk
    assert again.verdict == "go"
    assert Assessment.objects.count() == 1


def test_why_a_reason_fits_the_person_is_shown_with_it(client):
    _, html = result_html(client, {**GO_ANSWERS, "approached_how": "applied"})
    assert "A recruiter sought you out" not in html
    _, html = result_html(client, {**GO_ANSWERS, "approached_how": "recruiter"})
    assert "A recruiter sought you out" in factor_block(html, "networking")


def test_result_page_is_private_and_reloadable(client):
    _, token = make_assessment()
    url = Assessment.result_url(token)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response["X-Robots-Tag"]


def test_a_wrong_or_guessed_token_or_the_stored_hash_is_a_404(client):
    assessment, _ = make_assessment()
    for path in (
        f"/result/{new_result_token()}/",  # well-formed, never issued
        "/result/short/",
        "/result/1/",
        "/result/" + "A" * 65 + "/",
        f"/result/{assessment.token_hash}/",
    ):
        assert client.get(path).status_code == 404, path


def test_result_is_rendered_from_the_saved_snapshot_after_the_wording_changes(client, monkeypatch):
    _, token = make_assessment()
    original = FACTORS["networking"].title
    reworded = dataclasses.replace(FACTORS["networking"], title="Reworded later")
    monkeypatch.setitem(FACTORS, "networking", reworded)
    html = client.get(Assessment.result_url(token)).content.decode()
    assert original in html
    assert "Reworded later" not in html


# Snapshots as the result page saved them under earlier rules, one file per verdict.
OLD_SNAPSHOTS = sorted((Path(__file__).parent / "snapshots").glob("*.json"))


@pytest.mark.parametrize("path", OLD_SNAPSHOTS, ids=lambda path: path.stem)
def test_a_result_saved_under_older_rules_reads_as_it_did(client, path):
    saved = json.loads(path.read_text())
    shown = saved["shown"]
    assessment, token = make_assessment(saved["answers"])
    Assessment.objects.filter(pk=assessment.pk).update(
        shown=shown, rules_version=shown["rules_version"]
    )
    html = html_lib.unescape(client.get(Assessment.result_url(token)).content.decode())

    assert re.findall(r'data-verdict="(\w+)"', html) == [shown["verdict"]]
    assert shown["headline"] in html and shown["summary"] in html
    factors_shown = [f for key in ("exceptions", "uncertain", "reasons") for f in shown[key]]
    assert cited_ids(html) == [f["id"] for f in factors_shown]
    for factor in factors_shown:
        block = factor_block(html, factor["id"])
        assert factor["title"] in block
        if shown.get("layout") and shown["verdict"] == "pass" and factor["kind"] == "reason":
            continue  # listed by title only
        assert factor["explanation"] in block
        assert factor["quote"] in block
        if "next_step" in factor and factor["next_step"] != shown.get("next_step"):
            assert factor["next_step"] in block
    for sentence in shown["what_would_change"]:
        assert sentence in html
    assert shown["disclaimer"] in html
    for row in shown["answers"]:
        assert f"<dt>{row['question']}</dt>" in html
    if "layout" in shown:
        assert f"<strong>What to do next:</strong> {shown['next_step']}" in html
    else:  # the newer opening is not made up for it
        assert "What to do next" not in html

    # It says which advice is which: the saved advice, dated, then today's for the same answers.
    as_of = date.fromisoformat(shown["rules_version"].split(".")[0])
    day = f"{as_of.day} {as_of:%B %Y}"
    assert f"This advice comes from our rules of {day}. Our rules have changed since" in html
    today = rules.evaluate(saved["answers"]).verdict
    assert re.findall(r'data-today-verdict="(\w+)"', html) == [today]
    assert html.index(shown["headline"]) < html.index("Today’s advice for the same answers")
    assert f"The advice at the top comes from our rules of {day}." in html


def test_a_result_under_today_s_rules_is_dated_and_says_nothing_of_changes(client):
    _, html = result_html(client, GO_ANSWERS)
    rules_day = date.fromisoformat(rules.RULES_VERSION.split(".")[0])
    assert f"Advice as of {rules_day.day} {rules_day:%B %Y}." in html
    assert "has been updated" not in html and "data-today-verdict" not in html


def test_an_old_result_whose_answers_today_s_questions_lack_names_them_and_gives_no_verdict(
    client,
):
    answers = {**GO_ANSWERS, "time_off_puts_job_at_risk": "sometimes"}
    del answers["agreement_bars_employer"]
    assessment, token = make_assessment(GO_ANSWERS)
    shown = assessment.shown
    for row in shown["answers"]:
        if row["fact"] == "time_off_puts_job_at_risk":
            row["answer"] = "Sometimes"
    Assessment.objects.filter(pk=assessment.pk).update(
        answers=answers, shown=shown, rules_version="2026-11-26.1"
    )
    response = client.get(Assessment.result_url(token))
    assert response.status_code == 200
    html = " ".join(html_lib.unescape(response.content.decode()).split())
    assert (
        "You answered “Sometimes” to “Would time off put your job at risk?”. That answer is no"
        " longer one of the choices." in html
    )
    unasked = re.search(r'<ul class="unasked">(.*?)</ul>', html).group(1)
    assert re.findall(r"<li>([^<]+)</li>", unasked) == ["Does an agreement stop you joining them?"]
    assert "So we cannot say what today’s rules give for your answers." in html
    assert "see what this means for your answers" in html
    assert "data-today-verdict" not in html


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


@pytest.mark.db_engine
def test_deleting_answers_deletes_the_admin_s_record_of_them_too(client, admin_client, admin_user):
    deleted, token = make_assessment()
    kept = make_assessment()[0]
    for assessment in (deleted, kept):
        admin_client.post(
            f"/admin/advice/assessment/{assessment.pk}/change/",
            {"review_status": "reviewed", "review_notes": ""},
        )
    # A record of another kind of thing that happens to have the same id stays.
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(deleted.pk),
        object_repr="a user",
        action_flag=CHANGE,
    )
    assert deleted.reference in admin_client.get("/admin/").text  # "Recent actions"

    client.post(Assessment.result_url(token) + "delete/")

    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == [str(kept), "a user"]
    assert deleted.reference not in admin_client.get("/admin/").text


def test_head_requests_are_answered_like_get(client):
    _, token = make_assessment()
    assert client.head("/").status_code == 200
    assert client.head(Assessment.result_url(token)).status_code == 200


def test_delete_page_names_who_would_no_longer_see_the_answers(client, settings):
    settings.ADVICE_OPERATOR = "Example Jobs Ltd"
    _, token = make_assessment()
    html = " ".join(client.get(f"/result/{token}/delete/").content.decode().split())
    assert "Staff of Example Jobs Ltd (" in html and "will no longer see them" in html
    assert "HR staff" not in html
