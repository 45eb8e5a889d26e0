"""Forms for the questionnaire, built from the question catalogue in ``factors``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from .factors import Question

QUESTION_TEMPLATE = "advice/fields/question.html"
MULTIPLE_CHOICE_ERROR = "Select only choices from the list"


def _field(question: Question) -> forms.Field:
    choices = [(c.value, c.label) for c in question.choices]
    if question.multiple:
        # Django's own message names the value sent, which may be anything a visitor made up.
        field = forms.MultipleChoiceField(
            choices=choices,
            required=question.required,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": MULTIPLE_CHOICE_ERROR,
                "invalid_list": MULTIPLE_CHOICE_ERROR,
            },
        )
    else:
        field = forms.ChoiceField(
            choices=choices,
            required=question.required,
            widget=forms.RadioSelect,
            error_messages={
                "required": question.error,
                "invalid_choice": f"{question.error} from the list",
            },
        )
    field.label = question.text
    # Read by the question template, which shows it above the choices as GOV.UK does;
    # Bootstrap's pack would put a field's help_text below them.
    field.hint = question.help_text
    return field


class QuestionForm(forms.Form):
    """One step's form: a single question, its field named by the question's fact id."""

    def __init__(self, question: Question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[question.id] = _field(question)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field(question.id, template=QUESTION_TEMPLATE))

    def answer(self) -> object:
        """Return the cleaned answer as stored: one value, or a list without repeats."""
        value = self.cleaned_data[self.question.id]
        if self.question.multiple:
            return [v for v in self.question.values if v in value]
        return value


class ConfirmForm(forms.Form):
    """The check-your-answers page: confirming saves the assessment under ``token``."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=32)
