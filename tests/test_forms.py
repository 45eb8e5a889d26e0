"""Question forms and pages: one value stored per answer, and no visitor's page from another's."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from advice.factors import QUESTIONS
from advice.flow import STEPS
from advice.forms import QuestionForm
from advice.models import Assessment
from tests.helpers.questionnaire import (
    GO_ANSWERS,
    PASS_ANSWERS,
    STEP_FOR_FACT,
    answer,
    confirm,
    step_url,
    walk,
)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
CHECKED = re.compile(r'<input [^>]*value="([^"]+)"[^>]*\bchecked')


def ticked(html: str) -> set[str]:
    return set(CHECKED.findall(html))


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_a_question_form_names_its_field_by_the_fact_id(step):
    question = QUESTIONS[step.fact]
    value = question.values[0]
    form = QuestionForm(question, data={question.id: [value] if question.multiple else value})
    assert form.is_valid()
    assert list(form.fields) == [question.id]
    assert form.answer() == ([value] if question.multiple else value)


def test_a_multiple_choice_answer_is_stored_once_per_value_in_catalogue_order():
    question = QUESTIONS["priorities"]
    form = QuestionForm(question, data={"priorities": ["leverage", "practice", "leverage"]})
    assert form.is_valid()
    assert form.answer() == ["practice", "leverage"]


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_a_value_not_on_the_list_is_refused_without_naming_it(step):
    question = QUESTIONS[step.fact]
    made_up = "nothing_to_lose"  # an id of the catalogue, but no answer to any question
    form = QuestionForm(question, data={question.id: [made_up] if question.multiple else made_up})
    assert not form.is_valid()
    [message] = form.errors[question.id]
    assert made_up not in message and "from the list" in message


@pytest.mark.django_db
@pytest.mark.parametrize("answers", [GO_ANSWERS, PASS_ANSWERS], ids=["go", "pass"])
def test_a_crafted_visitor_never_changes_what_an_honest_one_sees(answers):
    """One visitor posts every offered value of each question and opens every Change page;
    another, on the same server process, sees only their own answers."""
    cache.clear()
    crafted, honest = Client(), Client()
    walk(honest, answers)
    walk(crafted, answers)
    # Last question first, so that changing one answer does not close the questions before it.
    for fact in reversed(list(answers)):
        offered = list(QUESTIONS[fact].values)
        honest_value = answers[fact]
        if not QUESTIONS[fact].multiple:  # the form takes the last value: make it another one
            offered = [honest_value, *(v for v in offered if v != honest_value)]
        step = STEP_FOR_FACT[fact]
        crafted.post(step_url(step), {fact: offered})
        assert crafted.get(step_url(step) + "?change").status_code == 200
    for fact, value in answers.items():
        html = honest.get(step_url(STEP_FOR_FACT[fact]) + "?change").content.decode()
        assert ticked(html) == set(value if isinstance(value, list) else [value]), fact
    confirm(honest)
    assert Assessment.objects.get().answers == answers


@pytest.mark.django_db
def test_a_page_from_the_cache_is_the_page_rendered_afresh():
    client = Client()
    walk(client, GO_ANSWERS)
    cache.clear()

    def pages():
        return {
            fact: CSRF.sub("", client.get(step_url(STEP_FOR_FACT[fact])).content.decode())
            for fact in GO_ANSWERS
        }

    assert pages() == pages()  # the first rendered afresh and cached, the second from cache


@pytest.mark.django_db
def test_a_page_with_errors_shows_them_even_when_the_same_page_is_cached():
    client = Client()
    client.get("/questions/")
    client.get(step_url("employment"))  # the error-free page, now cached
    html = client.post(step_url("employment"), {"employed": "maybe"}).content.decode()
    assert "Select whether you have a job at the moment from the list" in html


def _session_size(client) -> int:
    return len(
        Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value).session_data
    )


@pytest.mark.django_db
def test_a_session_stays_small_whatever_a_post_carries():
    client = Client()
    walk(client, GO_ANSWERS)
    junk = "x" * 15_000  # four of these stay under the cap on a request's size
    for fact, value in GO_ANSWERS.items():
        question = QUESTIONS[fact]
        values = [junk, *question.values, junk] if question.multiple else [junk, value]
        client.post(
            step_url(STEP_FOR_FACT[fact]),
            {fact: values, "extra": junk, f"{fact}-{fact}": junk, "back": ""},
        )
    assert client.session["questionnaire"]["answers"] == GO_ANSWERS
    assert _session_size(client) < 2048
    answer(client, "employed", "yes")
    assert _session_size(client) < 2048
