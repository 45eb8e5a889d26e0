"""Question pages reuse rendered HTML only where it is identical to a fresh render."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django.test import Client
from django.utils.datastructures import MultiValueDict

from advice.factors import QUESTIONS, STEPS
from advice.forms import STEP_FORMS, question_html
from advice.views import QuestionnaireView

from .walk import STEP_FOR_FACT, VERDICT_WALKS, step_post, step_url, walk


def bound(step, values):
    key = f"{step.name}-{step.question}"
    return STEP_FORMS[step.name](data=MultiValueDict({key: values}), prefix=step.name)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_reused_html_matches_a_fresh_render_for_every_answer(step):
    unbound = STEP_FORMS[step.name](prefix=step.name)
    assert question_html(unbound) == render_crispy_form(unbound)
    for value in QUESTIONS[step.question].values:
        form = bound(step, [value])
        assert form.is_valid()
        html = question_html(form)
        assert html == render_crispy_form(form)
        assert f'value="{value}" id=' in html and " checked" in html


def test_ticked_boxes_in_any_order_share_one_rendering():
    step = next(s for s in STEPS if s.name == "priorities")
    one = question_html(bound(step, ["practice", "leverage"]))
    other = question_html(bound(step, ["leverage", "practice", "practice"]))
    assert one is other
    assert one.count(" checked") == 2


def test_form_with_errors_is_rendered_afresh_with_its_errors():
    step = STEPS[0]
    form = bound(step, ["maybe"])
    assert not form.is_valid()
    html = question_html(form)
    assert "Select whether you have a job at the moment from the list" in html
    assert question_html(bound(step, ["yes"])).count("Error:") == 0


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _pages_along(client, answers: dict, *, change: bool = False) -> dict[str, str]:
    """GET every question page on the way through ``answers``; return them by step.

    Each page is fetched after its step was answered, so it shows the ticked choice; with
    ``change``, each is fetched as a Change link from the check page opens it.
    """
    walk(client, answers)
    pages = {}
    for fact in answers:
        step = STEP_FOR_FACT[fact]
        response = client.get(step_url(step) + ("?change" if change else ""))
        assert response.status_code == 200
        pages[step] = CSRF_FIELD.sub(
            'name="csrfmiddlewaretoken" value="T"', response.content.decode()
        )
        assert pages[step].count('value="T"') == 1
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("walk_name", VERDICT_WALKS)
def test_cached_question_pages_match_the_template_rendering(walk_name, monkeypatch):
    answers, _ = VERDICT_WALKS[walk_name]
    QuestionnaireView._pages.clear()
    # Both ways of reaching a page share one cache, so a key that missed something the
    # page shows (here, where Back leads) would serve one way's page for the other.
    cached = [_pages_along(Client(), answers, change=change) for change in (False, True) * 2]
    monkeypatch.setattr(QuestionnaireView, "cache_pages", False)
    rendered = [_pages_along(Client(), answers, change=change) for change in (False, True)]
    assert cached == rendered * 2
    assert rendered[0] != rendered[1]


@pytest.mark.django_db
def test_each_person_gets_their_own_csrf_token_on_a_cached_page():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        response = client.get("/questions/employment/")
        assert response.status_code == 200
        assert "csrftoken" in response.cookies
        tokens.append(CSRF_FIELD.search(response.content.decode()).group(1))
    assert tokens[0] != tokens[1]
    # Each token works for its own person: the answer is taken, not refused with a 403.
    for client, token in zip((first, second), tokens, strict=True):
        data = step_post("employment", "employed", "yes", csrfmiddlewaretoken=token)
        assert client.post("/questions/employment/", data).status_code == 302


@pytest.mark.django_db
def test_a_page_with_errors_is_never_served_from_the_cache():
    client = Client()
    client.get("/questions/")
    response = client.post("/questions/employment/", step_post("employment", "employed", "maybe"))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not any("There is a problem" in page for page in QuestionnaireView._pages.values())
