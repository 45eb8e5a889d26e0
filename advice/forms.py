"""Forms for the questionnaire, built from the question catalogue in ``factors``."""

from functools import lru_cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString

from .factors import CHECK_STEP, QUESTIONS, STEPS, Question

QUESTION_TEMPLATE = "advice/fields/question.html"


class QuestionForm(forms.Form):
    """A step's form: one question, the field named by its fact id."""

    question: Question

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field(self.question.id, template=QUESTION_TEMPLATE))


def question_html(form: QuestionForm) -> SafeString:
    """Return the step's question rendered by crispy-forms.

    A question without errors looks the same for everyone who gave the same answer, so its
    HTML is rendered once per step and answer, then reused: rendering is most of the cost of
    a question page. A form with errors is rendered afresh.
    """
    if form.is_bound and form.errors:
        return render_crispy_form(form)
    return _question_html(type(form), form.prefix, chosen_values(form))


def chosen_values(form: QuestionForm) -> tuple[str, ...]:
    """Return the choices ticked on ``form``'s page: all that shows of the answer given."""
    if not form.is_bound:
        return ()
    # Only which choices are ticked shows on the page, not their order or repeats.
    return tuple(sorted(set(form.data.getlist(form.add_prefix(form.question.id)))))


@lru_cache(maxsize=512)
def _question_html(form_class, prefix: str, chosen: tuple[str, ...]) -> SafeString:
    if not chosen:
        return render_crispy_form(form_class(prefix=prefix))
    data = MultiValueDict({f"{prefix}-{form_class.question.id}": list(chosen)})
    return render_crispy_form(form_class(data=data, prefix=prefix))


def _field(question: Question) -> forms.Field:
    choices = [(c.value, c.label) for c in question.choices]
    if question.multiple:
        return forms.MultipleChoiceField(
            label=question.text,
            help_text=question.help_text,
            choices=choices,
            required=question.required,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ChoiceField(
        label=question.text,
        help_text=question.help_text,
        choices=choices,
        required=question.required,
        widget=forms.RadioSelect,
        error_messages={
            "required": question.error,
            "invalid_choice": f"{question.error} from the list",
        },
    )


def question_form(question: Question) -> type[QuestionForm]:
    """Return the form class that asks ``question``."""
    attrs = {"question": question, question.id: _field(question)}
    name = "".join(part.title() for part in question.id.split("_")) + "Form"
    return type(name, (QuestionForm,), attrs)


class ConfirmForm(forms.Form):
    """The check-your-answers page: confirming saves the assessment under ``token``."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=32)


STEP_FORMS: dict[str, type[forms.Form]] = {
    **{step.name: question_form(QUESTIONS[step.question]) for step in STEPS},
    CHECK_STEP: ConfirmForm,
}
