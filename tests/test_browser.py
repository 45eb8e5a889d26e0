"""The questionnaire in a real browser: Debian's Chromium driven by Playwright.

Every test here also fails if the browser sent a request anywhere but the site, a stylesheet or
other file failed to load, a page broke the Content-Security-Policy, or a script raised an error
(``tests/browser/site.py`` watches each browser context). Screenshots and axe-core's report are
saved under ``artifacts/`` for a person to look at.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from advice.factors import QUESTIONS
from advice.models import HR_REVIEWER_GROUP, Assessment
from tests.browser.checks import (
    assert_accessible,
    assert_fits_phone,
    assert_focus_visible,
    axe_violations,
    focused,
    screenshot,
    write_axe_report,
)
from tests.browser.person import (
    answer_questions,
    check_rows,
    choose,
    click_and_wait,
    current_question,
    expected_rows,
    on_question_page,
    verdict_and_citations,
)
from tests.conftest import make_assessment
from tests.walk import CAUTION_ANSWERS, GO_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS

pytest_plugins = ["tests.browser.site"]  # the site and chromium fixtures
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASONS_GO = [
    "other_roles",
    "networking",
    "practice",
    "preparedness",
    "leverage",
    "nothing_to_lose",
]
VERDICTS = {
    "go": (GO_ANSWERS, "go", REASONS_GO),
    "caution": (CAUTION_ANSWERS, "caution", ["employment_agreement", *REASONS_GO]),
    # A reason to pass means there is something to lose.
    "pass": (PASS_ANSWERS, "pass", ["confidentiality", *REASONS_GO[:-1]]),
    "unemployed": (UNEMPLOYED_ANSWERS, "go", ["unemployed"]),
}
RESULT_URL = re.compile(r"/result/[A-Za-z0-9_-]{32,64}/$")


def step_url(step: str) -> re.Pattern:
    return re.compile(rf"/questions/{step}/$")


@pytest.fixture(scope="module", autouse=True)
def axe_report():
    yield
    write_axe_report()


@pytest.mark.parametrize(("answers", "verdict", "cited"), VERDICTS.values(), ids=VERDICTS.keys())
def test_each_verdict_is_reached_by_clicking_through_the_questions(
    site, request, answers, verdict, cited
):
    page = site.open("/")
    click_and_wait(page, "Start now")
    answer_questions(page, answers)
    assert check_rows(page) == expected_rows(answers)
    assert Assessment.objects.count() == 0, "nothing is saved before confirming"

    click_and_wait(page, "Save and see my result")

    expect(page).to_have_url(RESULT_URL)
    assert verdict_and_citations(page) == (verdict, cited)
    saved = Assessment.objects.get()
    assert (saved.verdict, saved.answers) == (verdict, answers)
    screenshot(page, f"result-{request.node.callspec.id}")


def tab_until(page: Page, wanted, *, limit: int = 40) -> list[dict]:
    """Press Tab until ``wanted(focused element)``; fail if focus is ever invisible."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = assert_focus_visible(page)
        seen.append(element)
        if wanted(element):
            return seen
    pytest.fail(f"Tab never reached the control; it went through {[e['text'] for e in seen]}")


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def answer_with_keyboard(page: Page, answers: dict) -> None:
    """Answer the question on the page with Tab, arrow keys and Space, then Enter on Continue."""
    question = current_question(page)
    value = answers[question.id]
    if question.multiple:
        for label in (question.label_for(v) for v in value):
            tab_until(page, lambda el, label=label: el["text"] == label)
            page.keyboard.press("Space")
            expect(page.get_by_label(label, exact=True)).to_be_checked()
    else:
        tab_until(page, lambda el: el["type"] == "radio")
        position = question.values.index(value)
        # Arrow keys move through a radio group and select as they go; Space selects the first.
        for _ in range(position):
            page.keyboard.press("ArrowDown")
        if position == 0:
            page.keyboard.press("Space")
        assert_focus_visible(page)
        expect(page.get_by_label(question.label_for(value), exact=True)).to_be_checked()
    tab_until(page, lambda el: el["text"] == "Continue")
    press_and_wait(page, "Enter")


def test_keyboard_alone_completes_the_questionnaire_with_focus_always_visible(site):
    page = site.open("/")
    passed = tab_until(page, lambda el: el["text"] == "Start now")
    assert passed[0]["text"] == "Skip to main content", "the skip link comes first"
    press_and_wait(page, "Enter")

    # The skip link moves focus past the header to the question.
    tab_until(page, lambda el: el["text"] == "Skip to main content")
    page.keyboard.press("Enter")
    assert (focused(page) or {}).get("id") == "main"

    while on_question_page(page):
        answer_with_keyboard(page, CAUTION_ANSWERS)
    expect(page.locator("h1")).to_have_text("Check your answers")
    passed = tab_until(page, lambda el: el["text"] == "Save and see my result")
    assert sum(el["text"].startswith("Change") for el in passed) == len(CAUTION_ANSWERS)
    press_and_wait(page, "Enter")

    expect(page).to_have_url(RESULT_URL)
    assert verdict_and_citations(page) == VERDICTS["caution"][1:]
    tab_until(page, lambda el: el["text"] == "Start a new assessment")
    assert Assessment.objects.get().verdict == "caution"


def test_back_button_then_reload_loses_no_answer_skips_no_step_and_saves_once(site):
    answers = PASS_ANSWERS
    page = site.open("/questions/")
    for _ in range(4):  # employment, approach, last-interview, job-security
        choose(page, answers)
        click_and_wait(page, "Continue")
    expect(page).to_have_url(step_url("other-roles"))

    page.go_back()
    expect(page).to_have_url(step_url("job-security"))
    settled = QUESTIONS["role_security"].label_for(answers["role_security"])
    expect(page.get_by_label(settled, exact=True)).to_be_checked()
    page.reload()
    expect(page).to_have_url(step_url("job-security"))
    expect(page.get_by_label(settled, exact=True)).to_be_checked()

    click_and_wait(page, "Continue")
    expect(page).to_have_url(step_url("other-roles"))  # the next step, none skipped
    answered = {"employed", "approached_how", "last_interviewed", "role_security"}
    answer_questions(page, {k: v for k, v in answers.items() if k not in answered})
    assert check_rows(page) == expected_rows(answers), "an answer was lost"

    # A double click sends the form twice: the second arrives after the first has saved.
    page.get_by_role("button", name="Save and see my result").dblclick()
    expect(page).to_have_url(RESULT_URL)
    assert verdict_and_citations(page) == VERDICTS["pass"][1:]
    result_url = page.url

    page.go_back()
    page.reload()
    page.go_forward()
    expect(page).to_have_url(result_url)
    page.reload()
    assert verdict_and_citations(page) == VERDICTS["pass"][1:]
    assert Assessment.objects.count() == 1


def test_changing_an_answer_on_the_check_page_changes_the_verdict(site):
    page = site.open("/questions/")
    answer_questions(page, GO_ANSWERS)
    page.get_by_role("link", name="Change can you go without your employer knowing?").click()
    expect(page).to_have_url(re.compile(r"/questions/confidentiality/\?change$"))

    choose(page, {"can_interview_confidentially": "no"})
    click_and_wait(page, "Continue")
    # "No" makes the follow-up question apply: it is asked, not skipped.
    expect(page).to_have_url(step_url("job-risk"))
    choose(page, {"job_at_risk_if_discovered": "yes"})
    click_and_wait(page, "Continue")
    expect(page.locator("h1")).to_have_text("Check your answers")  # straight back, no re-asking
    assert check_rows(page) == expected_rows(PASS_ANSWERS)

    click_and_wait(page, "Save and see my result")
    assert verdict_and_citations(page) == VERDICTS["pass"][1:]
    assert Assessment.objects.get().answers == PASS_ANSWERS


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_back_above_the_heading_keeps_what_was_chosen_on_the_page(site, javascript):
    page = site.open("/questions/", java_script_enabled=javascript)
    choose(page, {"employed": "yes"})
    click_and_wait(page, "Continue")
    choose(page, {"approached_how": "word_of_mouth"})
    back = page.get_by_role("button", name="Back", exact=True)
    assert back.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]

    click_and_wait(page, "Back")
    expect(page).to_have_url(step_url("employment"))
    expect(page.get_by_label("Yes, I have a job", exact=True)).to_be_checked()
    click_and_wait(page, "Continue")
    expect(page).to_have_url(step_url("approach"))
    label = QUESTIONS["approached_how"].label_for("word_of_mouth")
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def test_enter_on_a_choice_continues_rather_than_going_back(site):
    page = site.open("/questions/")
    choose(page, {"employed": "yes"})
    click_and_wait(page, "Continue")
    choose(page, {"approached_how": "applied"})
    page.get_by_label(QUESTIONS["approached_how"].label_for("applied"), exact=True).focus()
    press_and_wait(page, "Enter")
    expect(page).to_have_url(step_url("last-interview"))


def test_deleting_answers_from_the_result_page_removes_them_for_good(site):
    _, token = make_assessment()
    url = Assessment.result_url(token)
    page = site.open(url)
    page.locator(f'a[href="{url}delete/"]').click()
    expect(page.locator("h1")).to_have_text("Are you sure you want to delete your answers?")

    # The browser's own POST, with the Origin header its referrer policy makes it send.
    click_and_wait(page, "Yes, delete my answers")
    expect(page.locator("h1")).to_have_text("Your answers have been deleted")
    assert Assessment.objects.count() == 0
    assert page.goto(url).status == 404


def test_questionnaire_works_with_javascript_disabled(site):
    page = site.open("/", java_script_enabled=False)
    click_and_wait(page, "Start now")
    click_and_wait(page, "Continue")  # nothing chosen
    expect(page.locator(".error-summary")).to_be_focused()
    page.locator(".error-summary a").click()
    expect(page.locator("#id_employed_0")).to_be_focused()

    answer_questions(page, PASS_ANSWERS)
    click_and_wait(page, "Save and see my result")
    expect(page).to_have_url(RESULT_URL)
    assert verdict_and_citations(page) == VERDICTS["pass"][1:]
    assert Assessment.objects.count() == 1


def test_error_summary_takes_focus_and_its_link_moves_focus_to_the_field(site):
    page = site.open("/questions/")
    click_and_wait(page, "Continue")

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select whether you have a job at the moment")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_employed_0")

    tab_until(page, lambda el: el["text"] == "Select whether you have a job at the moment")
    page.keyboard.press("Enter")
    expect(page.locator("#id_employed_0")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Yes, I have a job", exact=True)).to_be_checked()
    click_and_wait(page, "Continue")
    expect(page).to_have_url(step_url("approach"))


def visit_results(open_page, names=("go", "caution", "unemployed")):
    """Yield (name, page) for a saved result of each verdict, opened by its private link."""
    for name in names:
        _, token = make_assessment(VERDICTS[name][0])
        yield f"result-{name}", open_page(Assessment.result_url(token))


def test_every_page_fits_a_phone_screen_with_buttons_big_enough_to_tap(site):
    page = site.open("/", phone=True)
    assert_fits_phone(page, "start")
    click_and_wait(page, "Start now")
    click_and_wait(page, "Continue")  # nothing chosen
    assert_fits_phone(page, "step with errors")
    answer_questions(page, PASS_ANSWERS, on_each=lambda step: assert_fits_phone(step, step.url))
    assert_fits_phone(page, "check answers")
    click_and_wait(page, "Save and see my result")
    assert_fits_phone(page, "result-pass")
    screenshot(page, "phone-result-pass")

    for name, result in visit_results(lambda path: site.open(path, phone=True)):
        assert_fits_phone(result, name)
    missing = site.open("/", phone=True)
    missing.goto("/no-such-page/")
    assert_fits_phone(missing, "404")

    approach = site.open("/questions/", phone=True)
    choose(approach, {"employed": "yes"})
    click_and_wait(approach, "Continue")
    screenshot(approach, "phone-step-approach")


@pytest.mark.parametrize("phone", [True, False], ids=["375px", "1280px"])
def test_screenshots_of_the_pages_a_person_sees(site, phone):
    """Save what a person sees under artifacts/screenshots/: a question, the same with an
    error, check answers and each verdict, at phone and desktop width."""
    width = "375" if phone else "1280"
    page = site.open("/questions/", phone=phone)
    screenshot(page, f"{width}-question")
    click_and_wait(page, "Continue")
    expect(page.locator(".error-summary")).to_be_visible()
    screenshot(page, f"{width}-question-error")
    answer_questions(page, CAUTION_ANSWERS)
    screenshot(page, f"{width}-check-answers")
    for name in VERDICTS:
        _, token = make_assessment(VERDICTS[name][0])
        result = site.open(Assessment.result_url(token), phone=phone)
        heading = result.locator("h1").bounding_box()
        assert heading["y"] + heading["height"] <= result.viewport_size["height"], name
        screenshot(result, f"{width}-result-{name}")


def test_every_page_has_no_accessibility_violations(site):
    """Run axe-core on every page a person can reach, collecting all violations."""
    page = site.open("/")
    violations = axe_violations(page, "start")
    click_and_wait(page, "Start now")
    click_and_wait(page, "Continue")
    violations += axe_violations(page, "step with errors")

    def check_step(page):
        nonlocal violations
        violations += axe_violations(page, f"step {page.url.rstrip('/').rsplit('/', 1)[-1]}")

    asked = answer_questions(page, PASS_ANSWERS, on_each=check_step)
    assert len(asked) == len(QUESTIONS), "the pass path asks every question"
    violations += axe_violations(page, "check answers")
    click_and_wait(page, "Save and see my result")
    violations += axe_violations(page, "result-pass")
    for name, result in visit_results(site.open):
        violations += axe_violations(result, name)

    missing = site.open("/")
    response = missing.goto("/no-such-page/")
    assert response.status == 404
    violations += axe_violations(missing, "404")

    # The session ends between two questions: an idle hour, or the browser was closed.
    expired = site.open("/questions/")
    choose(expired, {"employed": "yes"})
    click_and_wait(expired, "Continue")
    expired.context.clear_cookies(name="sessionid")
    choose(expired, {"approached_how": "recruiter"})
    click_and_wait(expired, "Continue")
    expect(expired.locator("h1")).to_have_text("Sorry, you need to start again")
    violations += axe_violations(expired, "session expired")

    # The browser refuses cookies, so the form's CSRF check fails.
    refused = site.open("/questions/")
    refused.context.clear_cookies()
    choose(refused, {"employed": "yes"})
    click_and_wait(refused, "Continue")
    expect(refused.locator("h1")).to_have_text("Sorry, you cannot do that")
    violations += axe_violations(refused, "cookies refused (403)")

    assert not violations, "axe-core found violations:\n" + "\n".join(violations)


def test_admin_login_page_has_no_accessibility_violations(site):
    page = site.open("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    assert_accessible(page, "admin login")


def test_hr_review_pages_have_no_accessibility_violations(site):
    """Check the admin as HR staff see it: the index, the list, a record and the summary."""
    get_user_model().objects.create_superuser("hr-admin", "hr@example.org", "a-long-test-pass")
    assessment, _ = make_assessment(PASS_ANSWERS)
    page = site.open("/admin/login/")
    page.get_by_label("Username").fill("hr-admin")
    page.get_by_label("Password").fill("a-long-test-pass")
    click_and_wait(page, "Log in")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    violations = axe_violations(page, "admin index")

    pages = {
        "admin assessment list": reverse("admin:advice_assessment_changelist"),
        "admin assessment detail": reverse("admin:advice_assessment_change", args=[assessment.pk]),
        "admin summary": reverse("admin:advice_assessment_summary"),
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        violations += axe_violations(page, name)

    assert not violations, "axe-core found violations:\n" + "\n".join(violations)


def test_the_watch_fails_a_test_that_leaves_the_site_or_breaks_the_policy(site):
    """The checks every test relies on can fail: an inline script and a link off the site."""
    page = site.open("/")
    watch = site.watch(page)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.body.append(script);
          const away = document.createElement("a");
          away.href = "https://analytics.example.com/collect";
          away.textContent = "away";
          document.body.append(away);
        }"""
    )
    with page.expect_event("requestfailed"):
        page.get_by_role("link", name="away").click()
    assert watch.foreign == ["https://analytics.example.com/collect"]
    assert any("/static/css/site." in request for request in watch.requests), watch.requests
    assert any("script-src" in line for line in watch.csp_violations), watch.csp_violations
    assert page.evaluate("() => window.inlineRan") is None, "the inline script ran"
    watch.foreign.clear()
    watch.csp_violations.clear()


def test_hr_reviewer_works_down_the_queue_at_1280_pixels(site):
    """An HR reviewer opens the queue, saves a review with a note, lands on the next one."""
    reviewer = get_user_model().objects.create_user(
        "reviewer@example.org", "reviewer@example.org", "a-long-test-pass", is_staff=True
    )
    # The data migration's group, made again: this test's database is emptied between tests.
    group, _ = Group.objects.get_or_create(name=HR_REVIEWER_GROUP)
    group.permissions.set(
        Permission.objects.filter(codename__in=["view_assessment", "review_assessment"])
    )
    reviewer.groups.add(group)
    oldest, following, newest = (make_assessment(PASS_ANSWERS)[0] for _ in range(3))
    for days, assessment in ((3, oldest), (2, following)):
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=timezone.now() - timedelta(days=days),
            review_notes="Called them back about an evening interview slot, as they asked",
        )
    page = site.open("/admin/login/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Username").fill("reviewer@example.org")
    page.get_by_label("Password").fill("a-long-test-pass")
    click_and_wait(page, "Log in")
    violations = axe_violations(page, "admin index, as a reviewer")

    page.get_by_role("link", name="Assessments to review").click()
    expect(page.locator("#result_list")).to_be_visible()
    violations += axe_violations(page, "the review queue at 1280 px")
    screenshot(page, "hr-queue-1280")
    # The Review column is whole on screen, and nothing scrolls sideways.
    widths = page.evaluate(
        """() => ({
          page: document.documentElement.scrollWidth,
          view: document.documentElement.clientWidth,
          review: Math.max(...[...document.querySelectorAll("#result_list .field-review")]
            .map(cell => cell.getBoundingClientRect().right)),
          table: document.querySelector("#result_list").getBoundingClientRect().right,
          results: document.querySelector(".results").clientWidth
            - document.querySelector(".results").scrollWidth,
        })"""
    )
    assert widths["page"] <= widths["view"], widths
    assert widths["results"] >= 0, widths
    assert widths["review"] <= widths["view"], widths
    assert widths["table"] <= widths["view"], widths
    first = page.locator("#result_list tbody tr").first
    expect(first.locator(".field-reference")).to_have_text(oldest.reference)
    expect(first.locator(".field-review")).to_have_text("New")

    first.locator(".field-reference a").click()
    page.wait_for_load_state()
    violations += axe_violations(page, "an assessment, as a reviewer")
    page.get_by_label("Reviewed").check()
    page.get_by_label("Notes").fill("Offered a discreet slot; they will confirm by Friday.")
    click_and_wait(page, "Save and review next")
    expect(page.locator(".messagelist")).to_have_text(f"Review saved for {oldest.reference}.")
    expect(page).to_have_url(re.compile(rf"/admin/advice/assessment/{following.pk}/change/"))
    assert page.get_by_role("link", name="History").count() == 0
    saved = Assessment.objects.get(pk=oldest.pk)
    assert (saved.review_status, saved.review_notes, saved.reviewed_by) == (
        "reviewed",
        "Offered a discreet slot; they will confirm by Friday.",
        reviewer,
    )
    assert Assessment.objects.get(pk=newest.pk).review_status == "new"
    assert not violations, "axe-core found violations:\n" + "\n".join(violations)


def test_every_admin_form_works_when_a_browser_submits_it(site, tmp_path):
    """The admin's own forms, sent by Chromium with its real Origin and cookies: log in, the
    CSV download, the download and delete actions, the delete confirmation, log out."""
    get_user_model().objects.create_superuser("admin@example.org", "", "a-long-test-pass")
    kept, _ = make_assessment(GO_ANSWERS)
    deleted, _ = make_assessment(PASS_ANSWERS)
    page = site.open("/admin/login/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Username").fill("admin@example.org")
    page.get_by_label("Password").fill("a-long-test-pass")
    click_and_wait(page, "Log in")
    expect(page.locator("#user-tools")).to_contain_text("admin@example.org")

    page.goto("/admin/advice/assessment/?review=all")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list (CSV)").click()
    download.value.save_as(tmp_path / "list.csv")
    body = (tmp_path / "list.csv").read_bytes()
    assert body.startswith(b"\xef\xbb\xbfReference,")
    assert body.count(b"\r\n") == 3  # the header and both assessments

    page.locator(f'input[name="_selected_action"][value="{kept.pk}"]').check()
    page.locator('select[name="action"]').select_option("download_selected")
    with page.expect_download() as download:
        page.get_by_role("button", name="Go").click()
    download.value.save_as(tmp_path / "selected.csv")
    assert (tmp_path / "selected.csv").read_bytes().count(b"\r\n") == 2

    page.goto("/admin/advice/assessment/?review=all")
    page.locator(f'input[name="_selected_action"][value="{deleted.pk}"]').check()
    page.locator('select[name="action"]').select_option("delete_selected")
    click_and_wait(page, "Go")
    click_and_wait(page, "Yes, I’m sure")
    assert list(Assessment.objects.values_list("pk", flat=True)) == [kept.pk]

    click_and_wait(page, "Log out")
    expect(page.locator("h1")).to_have_text("Logged out")
