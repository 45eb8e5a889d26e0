from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods, require_safe
from formtools.wizard.views import NamedUrlSessionWizardView

from .factors import CHECK_STEP, QUESTIONS, STEPS, step_applies
from .forms import STEP_FORMS, chosen_values, question_html
from .models import Assessment, hash_token, new_result_token
from .services import assessment_create, assessment_delete
from .snapshot import answer_rows

STEPS_BY_NAME = {step.name: step for step in STEPS}
# Stands in for the CSRF token in a cached question page (see QuestionnaireView._question_page).
CSRF_SLOT = "csrf-token-slot"
PAGE_CACHE_SIZE = 1024
RESULT_HEADERS = {
    # The result URL is the person's only key to their answers: keep it out of caches,
    # referrers and search engines.
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "advice/start.html",
        {
            "operator": settings.ADVICE_OPERATOR,
            "retention_days": settings.ADVICE_RETENTION_DAYS,
        },
    )


def _shown_answer(step, data) -> tuple[str, ...] | None:
    """Return the choices a page shows ticked for ``data``, or None if its form would refuse it.

    Nothing stored is a page with nothing ticked; a stored answer the form would not accept
    (after the catalogue changed, say) must be rendered by the form, with its errors.
    """
    if data is None:
        return ()
    value = _valid_answer(step, data)
    if value is None or (value == [] and QUESTIONS[step.question].required):
        return None
    return tuple(sorted(set(value))) if isinstance(value, list) else (value,)


def _valid_answer(step, data):
    """Return the answer stored for ``step`` if the catalogue still accepts it, else None."""
    if data is None:
        return None
    question = QUESTIONS[step.question]
    key = f"{step.name}-{step.question}"
    if question.multiple:
        values = data.getlist(key)
        return values if key in data and set(values) <= set(question.values) else None
    value = data.get(key)
    return value if value in question.values else None


class QuestionnaireView(NamedUrlSessionWizardView):
    """The questionnaire: one question per step, then check your answers, then save.

    formtools provides the per-step URLs and session storage; this class adds what a public
    form needs on top: steps can't be skipped by URL, Back keeps what was chosen, a change
    from the check page returns there, and the final POST saves exactly once.
    """

    form_list = list(STEP_FORMS.items())
    template_name = "advice/step.html"
    storage_name = "advice.storage.QuietSessionStorage"
    # Question pages as rendered, by everything that shows on them except the CSRF token.
    # Filled per process; a page depends only on the step, the choice ticked on it and the
    # step's place in the questionnaire, never on who is filling it in.
    cache_pages = True
    _pages: dict[tuple, str] = {}

    # -- state ------------------------------------------------------------------------------

    def stored_answers(self) -> dict:
        """Return every stored answer that is still a valid answer, asked now or not.

        Read straight from the catalogue rather than by building each step's form: this runs
        on every request, for every step.
        """
        if getattr(self, "_stored", None) is None:
            self._stored = {}
            for step in STEPS:
                value = _valid_answer(step, self.storage.get_step_data(step.name))
                if value is not None:
                    self._stored[step.question] = value
        return self._stored

    def get_cleaned_data_for_step(self, step):
        question = STEPS_BY_NAME[step].question if step in STEPS_BY_NAME else None
        answers = self.stored_answers()
        return {question: answers[question]} if question in answers else None

    def answers(self) -> dict:
        """Return the answers of the steps that apply, as the engine takes them."""
        answers = self.stored_answers()
        asked = {STEPS_BY_NAME[s].question for s in self.get_form_list() if s != CHECK_STEP}
        return {fact: value for fact, value in answers.items() if fact in asked}

    def first_unfinished_step(self) -> str:
        answers = self.stored_answers()
        for step in self.get_form_list():
            if step == CHECK_STEP or STEPS_BY_NAME[step].question not in answers:
                return step
        return CHECK_STEP

    def _index(self, step: str) -> int:
        return list(self.get_form_list()).index(step)

    def _is_ahead(self, step: str) -> bool:
        """Return whether ``step`` lies beyond the first unanswered one."""
        return self._index(step) > self._index(self.first_unfinished_step())

    def get_form_list(self):
        """Return the steps asked, given the answers so far, and the check page.

        Worked out from the catalogue's ``step_applies`` once per set of answers, instead of
        through formtools' conditions, which it checks again on every call.
        """
        if getattr(self, "_steps_now", None) is None:
            answers = self.stored_answers()
            self._steps_now = {
                name: form
                for name, form in self.form_list.items()
                if name == CHECK_STEP or step_applies(STEPS_BY_NAME[name], answers)
            }
        return self._steps_now.copy()

    def _store_answer(self, step: str, data: dict) -> None:
        """Store ``data`` as the answer to ``step``, and take it into the stored answers.

        Only this step's answer changed, so the others are not read from the session again.
        """
        self.storage.set_step_data(step, data)
        answers = self.stored_answers()
        question = STEPS_BY_NAME[step].question
        value = _valid_answer(STEPS_BY_NAME[step], MultiValueDict(data))
        if value is None:
            answers.pop(question, None)
        else:
            answers[question] = value
        self._steps_now = None

    def _has_progress(self) -> bool:
        return bool(self.storage.data.get(self.storage.step_data_key))

    # -- requests ---------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step is None or step not in self.get_form_list() or self._is_ahead(step):
            return redirect(self.get_step_url(self.first_unfinished_step()))
        if "change" in request.GET:
            self._set_extra(returning=True)
        elif step == CHECK_STEP:
            self._set_extra(returning=False)
        self.storage.current_step = step
        if step == CHECK_STEP:
            return self.render(self._fresh_confirm_form())
        data = self.storage.get_step_data(step)
        chosen = _shown_answer(STEPS_BY_NAME[step], data)
        if chosen is not None and self.cache_pages:
            # The stored answer is one the form accepts, so the page has no errors: the
            # cached page will do, without building the form.
            return self._question_page(chosen, lambda: self.get_form(data=data))
        return self.render(self.get_form(data=data))

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if not self._has_progress() and step != self.steps.first:
            return self._without_progress(step)
        if step not in self.get_form_list():
            return redirect(self.get_step_url(self.first_unfinished_step()))
        # The wizard's management field must name this step (what formtools' ManagementForm
        # checks, without building a form for it).
        if request.POST.get(f"{self.prefix}-current_step") != step:
            return bad_request(request, "The form was altered or sent from an old page.")
        self.storage.current_step = step
        form = self.get_form(data=request.POST)

        back_to = request.POST.get("wizard_goto_step")
        if back_to:
            if back_to not in self.get_form_list():
                return bad_request(request, "There is no such question to go back to.")
            if step != CHECK_STEP and form.is_valid():
                self._store_answer(step, self.process_step(form))
            return self.render_goto_step(back_to)

        if self._is_ahead(step):
            return redirect(self.get_step_url(self.first_unfinished_step()))
        if not form.is_valid():
            if step == CHECK_STEP:
                return self.render(self._fresh_confirm_form(), stale=True)
            return self.render(form)
        if step == CHECK_STEP:
            return self._confirm(form)
        self._store_answer(step, self.process_step(form))
        if self.storage.extra_data.get("returning"):
            return redirect(self.get_step_url(self.first_unfinished_step()))
        return redirect(self.get_step_url(self.get_next_step(step)))

    def _without_progress(self, step):
        """Answer a POST that arrives with no questionnaire in the session."""
        if step == CHECK_STEP:
            # The questionnaire was already saved: a double-click or a re-sent form. The
            # token in the form proves it came from the page that saved it.
            token = self.request.POST.get(f"{CHECK_STEP}-token", "")
            if token and Assessment.objects.for_token(token).exists():
                return redirect(Assessment.result_url(token))
        return render(self.request, "advice/expired.html", status=400)

    def _confirm(self, form):
        """Save the assessment once, clear the questionnaire, and show the result."""
        token = form.cleaned_data["token"]
        if hash_token(token) != self.storage.extra_data.get("token_hash"):
            return self.render(self._fresh_confirm_form(), stale=True)
        first_unfinished = self.first_unfinished_step()
        if first_unfinished != CHECK_STEP:
            return redirect(self.get_step_url(first_unfinished))
        assessment_create(answers=self.answers(), token=token)
        self.storage.reset()
        return redirect(Assessment.result_url(token))

    def _fresh_confirm_form(self):
        # A new token for each showing of the check page: the page carries it, the session
        # keeps only its hash, and the saved assessment is found by it.
        token = new_result_token()
        self._set_extra(token_hash=hash_token(token))
        form = self.get_form(step=CHECK_STEP)
        form.initial = {"token": token}
        return form

    def _set_extra(self, **values) -> None:
        self.storage.extra_data = {**self.storage.extra_data, **values}

    def get_form(self, step=None, data=None, files=None):
        # Build from the full list, so answers to a step that is skipped for now can still
        # be read (formtools looks only among the steps that currently apply).
        step = step or self.steps.current
        return self.form_list[step](data=data, prefix=step)

    def process_step(self, form):
        """Return only the step's own fields for storage, never the whole POST."""
        return {
            form.add_prefix(name): form.data.getlist(form.add_prefix(name)) for name in form.fields
        }

    # -- rendering --------------------------------------------------------------------------

    def get_template_names(self):
        if self.steps.current == CHECK_STEP:
            return ["advice/check.html"]
        return [self.template_name]

    def render(self, form=None, **kwargs):
        """Render the step; a question page without errors comes from the page cache.

        Rendering the page is most of what a question's GET costs, and the same few pages
        are shown to everyone, so each is rendered once with a placeholder where the CSRF
        token goes, and the token is put in for each request.
        """
        form = form or self.get_form()
        if not self.cache_pages or kwargs or self.steps.current == CHECK_STEP or form.errors:
            return super().render(form, **kwargs)
        return self._question_page(chosen_values(form), lambda: form)

    def _question_page(self, chosen: tuple[str, ...], make_form) -> HttpResponse:
        """Return the current question's page with ``chosen`` ticked, from the page cache.

        ``make_form`` gives the step's form, needed only to render a page not cached yet.
        """
        current = self.steps.current
        place = self._place(current)
        key = (current, chosen, *place.values())
        page = self._pages.get(key)
        if page is None:
            context = self.get_context_data(form=make_form())
            context["csrf_token"] = CSRF_SLOT
            page = render_to_string(self.get_template_names(), context)
            if len(self._pages) >= PAGE_CACHE_SIZE:
                self._pages.clear()
            self._pages[key] = page
        token = get_token(self.request)
        return HttpResponse(page.replace(f'value="{CSRF_SLOT}"', f'value="{token}"', 1))

    def _place(self, current: str) -> dict:
        """Return where ``current`` stands: its number, the likely total, and Back's step."""
        returning = self.storage.extra_data.get("returning", False)
        return {
            "step_number": list(self.get_form_list()).index(current) + 1,
            "question_count": self._question_count(),
            "back_step": (CHECK_STEP if returning and current != CHECK_STEP else None)
            or self.get_prev_step(current),
        }

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        context.update(self._place(current))
        if current == CHECK_STEP:
            context["rows"] = self._check_rows()
        else:
            context["question"] = QUESTIONS[STEPS_BY_NAME[current].question]
            context["question_html"] = question_html(form)
        return context

    def _question_count(self) -> int:
        """Return how many questions this person is likely to be asked in all.

        Until they say otherwise, assume the longest path (employed, unsure about keeping it
        private), so the count only ever shrinks as they answer.
        """
        answers = {"employed": "yes", "can_interview_confidentially": "unsure"}
        answers.update(self.stored_answers())
        return sum(step_applies(step, answers) for step in STEPS)

    def _check_rows(self) -> list[dict]:
        answers = self.answers()
        step_for = {STEPS_BY_NAME[s].question: s for s in self.get_form_list() if s != CHECK_STEP}
        rows = answer_rows(answers)
        for row in rows:
            row["change_url"] = self.get_step_url(step_for[row["fact"]]) + "?change"
        return rows

    def render_goto_step(self, goto_step, **kwargs):
        return redirect(self.get_step_url(goto_step))


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "advice/bad_request.html", {"message": message}, status=400)


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in RESULT_HEADERS.items():
        response[header] = value
    return response


@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    # The page is drawn from the snapshot alone; the other JSON columns are not read.
    assessment = get_object_or_404(Assessment.objects.for_token(token).only("token_hash", "shown"))
    return _private(
        render(
            request,
            "advice/result.html",
            {
                "shown": assessment.shown,
                "assessment": assessment,
                "token": token,
                "result_url": request.build_absolute_uri(Assessment.result_url(token)),
            },
        )
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    """Ask, then delete the person's assessment for good."""
    if request.method == "POST":
        if not assessment_delete(token=token):
            raise Http404("No such result")
        return redirect("advice:deleted")
    assessment = get_object_or_404(Assessment.objects.for_token(token))
    return _private(
        render(request, "advice/delete.html", {"assessment": assessment, "token": token})
    )


@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "advice/deleted.html")
