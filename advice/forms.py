"""Forms for the questionnaire, built from the question catalogue in ``factors``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

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
