"""Question pages reuse rendered HTML only where it is identical to a fresh render."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.utils.datastructures import MultiValueDict

from advice.factors import QUESTIONS, STEPS
from advice.forms import STEP_FORMS, question_html


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
