"""The questionnaire's pages: plain views over the flow in ``advice.flow``."""

import hashlib
import json
from collections.abc import Mapping

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from . import flow, funnel, provenance
from .factors import ARTICLE, QUESTIONS, YES
from .flow import CHECK_STEP
from .forms import ConfirmForm, QuestionForm
from .models import Assessment, hash_token, new_result_token
from .rules import RULES_VERSION
from .services import assessment_create, assessment_delete
from .snapshot import answer_rows

# The session holds the questionnaire under this key: {"answers": {fact id: cleaned value},
# "returning": whether a change was started from the check page, "token_hash": the hash of
# the token the check page last showed, "shown_hash": the hash of the answers it showed,
# "counted": which pages this person has been counted as shown or answering (see funnel)}.
SESSION_KEY = "questionnaire"
NOINDEX = "noindex, nofollow"


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    fewest, most = flow.route_length({"employed": YES})
    return render(request, "advice/start.html", {"fewest": fewest, "most": most})


def _state(request: HttpRequest) -> dict:
    state = request.session.get(SESSION_KEY)
    return state if isinstance(state, dict) else {}


def _answers(request: HttpRequest) -> dict:
    stored = _state(request).get("answers")
    return flow.clean_answers(stored) if isinstance(stored, dict) else {}


def _save_state(request: HttpRequest, **changes) -> None:
    request.session[SESSION_KEY] = {**_state(request), **changes}


def _hash_answers(answers: Mapping[str, object]) -> str:
    """Return a hash of ``answers`` that is the same whatever order they were given in."""
    return hashlib.sha256(json.dumps(answers, sort_keys=True).encode()).hexdigest()


def _to_step(step: str) -> HttpResponse:
    return redirect("advice:step", step=step)


def _counted(request: HttpRequest) -> list[str]:
    counted = _state(request).get("counted")
    return [c for c in counted if isinstance(c, str)] if isinstance(counted, list) else []


@never_cache
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    ahead = flow.first_unanswered(answers)
    if request.method == "POST":
        # "Start now": the page it leads to is counted as shown, once.
        counted = funnel.count(_counted(request), shown=funnel.stage_of(ahead, answers))
        _save_state(request, counted=counted)
    return _to_step(ahead)


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    fewest, most = flow.route_length({"employed": YES})
    context = {
        "article": ARTICLE,
        "fewest": fewest,
        "most": most,
        "rules_version": RULES_VERSION,
        "rules_date": provenance.version_key(RULES_VERSION)[0],
    }
    return render(request, "advice/about.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, step: str) -> HttpResponse:
    answers = _answers(request)
    if request.method == "POST" and not answers and step != flow.FIRST_STEP:
        return render(request, "advice/expired.html", status=400)
    if step not in flow.steps_asked(answers) or flow.is_ahead(step, answers):
        return _to_step(flow.first_unanswered(answers))
    # Only for a questionnaire already started: a GET never creates a session.
    if "change" in request.GET and answers:
        _save_state(request, returning=True)
    returning = _state(request).get("returning", False)
    back = CHECK_STEP if returning else flow.previous_step(step, answers)
    fact = flow.STEP_BY_NAME[step].fact

    if request.method == "POST":
        form = QuestionForm(QUESTIONS[fact], data=request.POST)
        going_back = "back" in request.POST
        if form.is_valid():
            answers[fact] = form.answer()
            ahead = flow.first_unanswered(answers) if returning else flow.next_step(step, answers)
            # One write: this question answered, and the page it leads to shown (Back leads
            # to one already counted).
            counted = funnel.count(
                _counted(request),
                answered=step,
                shown=None if going_back else funnel.stage_of(ahead, answers),
            )
            _save_state(request, answers=flow.answers_asked(answers), counted=counted)
        if going_back:
            return _to_step(back) if back else redirect("advice:start")
        if form.is_valid():
            return _to_step(ahead)
    else:
        form = QuestionForm(QUESTIONS[fact], initial={fact: answers.get(fact)})
    chosen = answers.get(fact, "")
    context = {
        "form": form,
        "step": step,
        "back_step": back,
        # Where the question lies on the route; none on a change from the check page, which
        # is not on a route.
        "progress": None if returning else flow.progress(step, answers),
        # What the question's cached fragment shows: the step and the answer ticked on it.
        "chosen": ",".join(chosen) if isinstance(chosen, list) else chosen,
    }
    return render(request, "advice/step.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if request.method == "POST" and not answers:
        # Already saved (a double-click or a re-sent form): the token proves which result.
        token = request.POST.get("token", "")
        if token and Assessment.objects.for_token(token).exists():
            return redirect(Assessment.result_url(token))
        return render(request, "advice/expired.html", status=400)
    first_unanswered = flow.first_unanswered(answers)
    if first_unanswered != CHECK_STEP:
        return _to_step(first_unanswered)
    asked = flow.answers_asked(answers)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        state = _state(request)
        # Only the page shown last confirms, and only the answers it showed: another tab may
        # have changed them since.
        if (
            form.is_valid()
            and hash_token(form.cleaned_data["token"]) == state.get("token_hash")
            and _hash_answers(asked) == state.get("shown_hash")
        ):
            token = form.cleaned_data["token"]
            _, created = assessment_create(answers=asked, token=token)
            if created:  # a second, simultaneous confirmation saved nothing: nor is it counted
                funnel.count(_counted(request), answered=funnel.stage_of(CHECK_STEP, asked))
            del request.session[SESSION_KEY]
            return redirect(Assessment.result_url(token))
    # A new token for each showing of the page: the page carries it, the session keeps only
    # its hash, beside the hash of the answers shown, and the saved assessment is found by it.
    token = new_result_token()
    _save_state(
        request, returning=False, token_hash=hash_token(token), shown_hash=_hash_answers(asked)
    )
    rows = answer_rows(asked)
    for row in rows:
        row["change_step"] = flow.STEP_FOR_FACT[row["fact"]]
    context = {
        "form": ConfirmForm(initial={"token": token}),
        "rows": rows,
        "back_step": flow.previous_step(CHECK_STEP, answers),
        "stale": request.method == "POST",
    }
    return render(request, "advice/check.html", context)


def result_context(request: HttpRequest, assessment: Assessment, token: str) -> dict:
    return {
        "shown": assessment.shown,
        "age": provenance.age(assessment.rules_version, assessment.answers, assessment.shown),
        "assessment": assessment,
        "token": token,
        "result_url": request.build_absolute_uri(Assessment.result_url(token)),
    }


@never_cache
@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    # The page is drawn from the snapshot; the answers are read to say what today's rules
    # give for them, when the rules have changed since.
    assessment = get_object_or_404(
        Assessment.objects.for_token(token).only("token_hash", "shown", "answers", "rules_version")
    )
    response = render(request, "advice/result.html", result_context(request, assessment, token))
    # The result URL is the person's only key to their answers: no referrer carries it away.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = NOINDEX
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    """Ask, then delete the person's assessment for good."""
    if request.method == "POST":
        if not assessment_delete(token=token):
            raise Http404("No such result")
        response = redirect("advice:deleted")
    else:
        assessment = get_object_or_404(Assessment.objects.for_token(token))
        context = {"assessment": assessment, "token": token}
        response = render(request, "advice/delete.html", context)
        response["X-Robots-Tag"] = NOINDEX
    # The address holds the token, so a referrer carries only the origin, on the form's POST
    # and on the redirect that follows it. Not no-referrer: then Chromium sends
    # "Origin: null" with the POST, and Django's CSRF check refuses it.
    response["Referrer-Policy"] = "strict-origin"
    return response


@never_cache
@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "advice/deleted.html")
