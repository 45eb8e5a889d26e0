"""Walk the questionnaire through the test client, as a browser without JavaScript would."""

import re

import pytest

from advice.flow import CHECK_STEP
from advice.models import Assessment, hash_token
from tests.helpers.questionnaire import (
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
    VERDICT_WALKS,
    answer,
    confirm,
    confirm_token,
    step_post,
    step_url,
    walk,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("answers", "verdict"), list(VERDICT_WALKS.values()), ids=list(VERDICT_WALKS)
)
def test_walk_saves_one_assessment_with_the_verdict(client, answers, verdict):
    walk(client, answers)
    assert Assessment.objects.count() == 0, "nothing is saved before confirming"

    response = confirm(client)

    assert response.status_code == 302
    assert response["Location"].startswith("/result/")
    saved = Assessment.objects.get()
    assert saved.verdict == verdict
    assert saved.answers == answers
    result = client.get(response["Location"])
    assert f'data-verdict="{verdict}"' in result.content.decode()


def caption(client, step):
    """The caption in the question's legend, or None."""
    html = client.get(step_url(step)).content.decode()
    legend = re.search(r"<legend>(.*?)</legend>", html, re.S).group(1)
    found = re.search(
        r'<span class="question-caption">([^<]*)<span class="visually-hidden">', legend
    )
    return found.group(1) if found else None


def test_each_question_says_where_it_lies_on_the_route_as_far_as_is_known(client):
    client.get("/questions/")
    assert caption(client, "employment") == "Question 1 of up to 11"
    answer(client, "employed", "yes")
    assert caption(client, "approach") == "Question 2 of 10 or 11"
    for fact in (
        "approached_how",
        "last_interviewed",
        "role_security",
        "open_to_other_roles",
        "would_negotiate",
        "priorities",
    ):
        answer(client, fact, PASS_ANSWERS[fact])
    assert caption(client, "confidentiality") == "Question 8 of 10 or 11"
    answer(client, "can_interview_confidentially", "no")
    assert caption(client, "job-risk") == "Question 9 of 11"
    answer(client, "job_at_risk_if_discovered", "yes")
    assert caption(client, "agreement") == "Question 10 of 11"
    # Going back to an earlier question counts from the answers before it only.
    assert caption(client, "confidentiality") == "Question 8 of 10 or 11"
    answer(client, "can_interview_confidentially", "yes")
    assert caption(client, "agreement") == "Question 9 of 10"


def test_a_change_from_the_check_page_shows_no_count(client):
    walk(client, GO_ANSWERS)
    client.get(step_url("agreement") + "?change")
    assert caption(client, "agreement") is None


def test_step_shows_the_question_as_heading_and_its_position(client):
    client.get("/questions/")
    answer(client, "employed", "yes")
    html = client.get(step_url("approach")).content.decode()
    assert '<h1 class="question-heading">How did this interview come about?</h1>' in html
    back = re.search(r'<button[^>]*class="back-link"[^>]*>Back</button>', html).group(0)
    assert 'form="question-form"' in back and 'name="back"' in back and "formnovalidate" in back
    assert html.index(back) < html.index("<h1")


def test_empty_answer_shows_error_summary_and_inline_error(client):
    client.get("/questions/")
    response = client.post(step_url("employment"), step_post())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert 'href="#id_employed_0"' in html
    assert 'id="id_employed_0"' in html
    assert html.count("Select whether you have a job at the moment") == 2  # summary + inline


@pytest.mark.parametrize("value", ["maybe", "", "yes\x00", "x" * 10_000])
def test_invalid_choice_is_an_error_not_a_crash(client, value):
    client.get("/questions/")
    response = client.post(step_url("employment"), step_post("employed", value))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_a_later_step_or_the_check_page_opened_early_goes_to_the_first_unanswered(client):
    client.get("/questions/")
    answer(client, "employed", "yes")
    for step in ("agreement", CHECK_STEP):
        response = client.get(step_url(step))
        assert response.status_code == 302
        assert response["Location"] == step_url("approach")
    assert Assessment.objects.count() == 0


def test_later_step_posted_before_earlier_ones_saves_nothing(client):
    client.get("/questions/")
    answer(client, "employed", "yes")
    response = answer(client, "agreement_bars_employer", "yes")
    assert response["Location"] == step_url("approach")
    walk(client, {fact: value for fact, value in GO_ANSWERS.items() if fact != "employed"})
    confirm(client)
    assert Assessment.objects.get().answers["agreement_bars_employer"] == "no"


def test_unknown_step_names_go_to_the_first_unfinished_step(client):
    client.get("/questions/")
    assert client.get(step_url("no-such-step"))["Location"] == step_url("employment")
    response = client.post(step_url("no-such-step"), step_post("employed", "yes"))
    assert response.status_code in (302, 400)


def test_done_url_never_saves(client):
    walk(client, GO_ANSWERS)
    response = client.get(step_url("done"))
    assert response.status_code == 302
    assert Assessment.objects.count() == 0


def test_back_returns_to_the_previous_step_keeping_the_current_choice(client):
    client.get("/questions/")
    answer(client, "employed", "yes")
    response = client.post(
        step_url("approach"),
        step_post("approached_how", "word_of_mouth", back="1"),
    )
    assert response["Location"] == step_url("employment")
    html = client.get(step_url("approach")).content.decode()
    assert re.search(r'<input [^>]*value="word_of_mouth"[^>]*checked', html)
    assert len(re.findall(r"<input [^>]*checked", html)) == 1


def test_back_without_a_choice_shows_no_error_on_return(client):
    client.get("/questions/")
    answer(client, "employed", "yes")
    client.post(step_url("approach"), step_post(back="1"))
    html = client.get(step_url("approach")).content.decode()
    assert "There is a problem" not in html


def test_check_page_lists_each_answer_with_a_change_link(client):
    walk(client, PASS_ANSWERS)
    html = client.get(step_url(CHECK_STEP)).content.decode()
    assert "Check your answers" in html
    assert "Can you go without your employer knowing?" in html
    assert html.count("?change") == len(PASS_ANSWERS)
    assert f'href="{step_url("agreement")}?change"' in html


def test_change_from_check_page_returns_there_and_changes_the_verdict(client):
    walk(client, GO_ANSWERS)
    client.get(step_url("agreement") + "?change")
    response = answer(client, "agreement_bars_employer", "yes")
    assert response["Location"] == step_url(CHECK_STEP)
    result = client.get(confirm(client)["Location"])
    assert 'data-verdict="pass"' in result.content.decode()


def test_change_that_opens_new_questions_asks_them_before_check_answers(client):
    walk(client, UNEMPLOYED_ANSWERS)
    client.get(step_url("employment") + "?change")
    response = answer(client, "employed", "yes")
    assert response["Location"] == step_url("approach")


def test_change_that_skips_a_question_drops_its_answer(client):
    answers = {
        **PASS_ANSWERS,
        "can_interview_confidentially": "no",
        "job_at_risk_if_discovered": "yes",
    }
    walk(client, answers)
    client.get(step_url("confidentiality") + "?change")
    answer(client, "can_interview_confidentially", "yes")
    confirm(client)
    saved = Assessment.objects.get()
    assert "job_at_risk_if_discovered" not in saved.answers
    assert saved.verdict == "go"


def test_second_final_post_saves_nothing_new_and_shows_the_same_result(client):
    walk(client, GO_ANSWERS)
    token = confirm_token(client)
    first = confirm(client, token)
    second = confirm(client, token)
    assert Assessment.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_replayed_final_post_with_a_guessed_token_is_refused(client):
    walk(client, GO_ANSWERS)
    confirm(client)
    response = confirm(client, "A" * 32)
    assert response.status_code == 400
    assert Assessment.objects.count() == 1


def test_stale_check_page_saves_nothing_and_asks_to_confirm_again(client):
    walk(client, GO_ANSWERS)
    old_token = confirm_token(client)
    confirm_token(client)  # the page was shown again, e.g. in another tab
    response = confirm(client, old_token)
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_check_page_left_open_while_answers_change_in_another_tab_saves_nothing(client):
    walk(client, GO_ANSWERS)
    shown = confirm_token(client)  # the first tab's check page, showing "go" answers
    # The second tab opens a question on its own and changes the answer, without coming
    # back to the check page.
    client.get(step_url("agreement"))
    answer(client, "agreement_bars_employer", "yes")
    response = confirm(client, shown)
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert Assessment.objects.count() == 0
    # The page shown now, with the answers as they are, confirms them.
    result = client.get(confirm(client)["Location"])
    assert 'data-verdict="pass"' in result.content.decode()
    assert Assessment.objects.get().answers["agreement_bars_employer"] == "yes"


def test_session_holds_no_answers_after_saving(client):
    walk(client, GO_ANSWERS)
    confirm(client)
    assert "questionnaire" not in client.session
    assert client.get("/questions/")["Location"] == step_url("employment")


def test_token_is_stored_only_as_its_hash(client):
    walk(client, GO_ANSWERS)
    token = confirm_token(client)
    confirm(client, token)
    saved = Assessment.objects.get()
    assert saved.token_hash == hash_token(token)
    assert token not in str(Assessment.objects.values().get())
    assert hash_token(token) != token


def test_expired_session_mid_way_shows_the_start_again_page(client):
    client.get("/questions/")
    answer(client, "employed", "yes")
    client.cookies.clear()  # the session is gone, as after an idle hour
    response = answer(client, "approached_how", "recruiter")
    assert response.status_code == 400
    assert "you need to start again" in response.content.decode()
    assert Assessment.objects.count() == 0


@pytest.mark.db_engine
def test_viewing_a_step_reads_the_session_and_writes_nothing(client, django_assert_num_queries):
    walk(client, GO_ANSWERS)
    client.get(step_url("agreement"))
    with django_assert_num_queries(1):  # the session's SELECT, no UPDATE
        assert client.get(step_url("agreement")).status_code == 200
