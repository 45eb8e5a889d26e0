"""The questionnaire in a real browser: Debian's Chromium driven by Playwright.

Every test here also fails if the browser sent a request anywhere but the site, a stylesheet or
other file failed to load, a page broke the Content-Security-Policy, or a script raised an error
(``tests/helpers/browser/site.py`` watches each browser context). Screenshots and axe-core's
report are saved under ``artifacts/`` for a person to look at.
"""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from advice.factors import QUESTIONS
from advice.models import HR_REVIEWER_GROUP, Assessment, QuestionCount
from tests.helpers.assessments import make_assessment
from tests.helpers.browser.checks import (
    assert_fits_phone,
    assert_focus_visible,
    axe_violations,
    focused,
    screenshot,
)
from tests.helpers.browser.person import (
    answer_questions,
    check_rows,
    choose,
    click_and_wait,
    current_question,
    expected_rows,
    on_question_page,
    verdict_and_citations,
)
from tests.helpers.questionnaire import CAUTION_ANSWERS, GO_ANSWERS, PASS_ANSWERS
from tests.helpers.second_factor import code, confirmed_device

pytest_plugins = ["tests.helpers.browser.site"]  # the site and chromium fixtures
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_URL = re.compile(r"/result/[A-Za-z0-9_-]{32,64}/$")


def step_url(step: str) -> re.Pattern:
    return re.compile(rf"/questions/{step}/$")


def saved_result() -> tuple[str, list[str]]:
    """Return the saved assessment's verdict and cited factors, as its page should mark them.

    Which verdict and factors answers give is tests/test_rules.py's to show.
    """
    saved = Assessment.objects.get()
    return saved.verdict, [*saved.exceptions, *saved.uncertain, *saved.reasons]


def test_a_person_clicks_through_goes_back_reloads_and_deletes_their_answers(site):
    answers = PASS_ANSWERS
    page = site.open("/")
    click_and_wait(page, "Start now")
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
    assert Assessment.objects.count() == 0, "nothing is saved before confirming"

    # A double click sends the form twice: the second arrives after the first has saved.
    page.get_by_role("button", name="Save and see my result").dblclick()
    expect(page).to_have_url(RESULT_URL)
    assert verdict_and_citations(page) == saved_result()
    result_url = page.url

    page.go_back()
    page.reload()
    page.go_forward()
    expect(page).to_have_url(result_url)
    page.reload()
    assert verdict_and_citations(page) == saved_result()
    assert Assessment.objects.get().answers == answers

    # The browser's own POST, with the Origin header its referrer policy makes it send.
    click_and_wait(page, "Delete my answers")
    expect(page.locator("h1")).to_have_text("Are you sure you want to delete your answers?")
    click_and_wait(page, "Yes, delete my answers")
    expect(page.locator("h1")).to_have_text("Your answers have been deleted")
    assert Assessment.objects.count() == 0
    assert page.goto(result_url).status == 404


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
    """Answer the question on the page with Tab, arrow keys and Space, then go on with Enter:
    on Continue, or for a single choice on the choice itself, which must not go Back."""
    question = current_question(page)
    value = answers[question.id]
    if question.multiple:
        for label in (question.label_for(v) for v in value):
            tab_until(page, lambda el, label=label: el["text"] == label)
            page.keyboard.press("Space")
            expect(page.get_by_label(label, exact=True)).to_be_checked()
        tab_until(page, lambda el: el["text"] == "Continue")
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

    # Nothing chosen: the error summary takes focus, and its link moves focus to the field.
    tab_until(page, lambda el: el["text"] == "Continue")
    press_and_wait(page, "Enter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_employed_0")
    tab_until(page, lambda el: el["text"] == "Select whether you have a job at the moment")
    page.keyboard.press("Enter")
    expect(page.locator("#id_employed_0")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Yes, I have a job", exact=True)).to_be_checked()
    press_and_wait(page, "Enter")
    expect(page).to_have_url(step_url("approach"))
    # The caption is in the question's group name: a screen reader reads it with the question.
    question = re.compile(r"^Question 2 of 10 or 11\s*\.?\s*How did this interview come about\?$")
    expect(page.get_by_role("group", name=question)).to_be_visible()

    visited = []
    while on_question_page(page):
        assert page.url not in visited, f"sent back to {page.url}"
        visited.append(page.url)
        answer_with_keyboard(page, CAUTION_ANSWERS)
    expect(page.locator("h1")).to_have_text("Check your answers")
    passed = tab_until(page, lambda el: el["text"] == "Save and see my result")
    assert sum(el["text"].startswith("Change") for el in passed) == len(CAUTION_ANSWERS)
    press_and_wait(page, "Enter")

    expect(page).to_have_url(RESULT_URL)
    assert verdict_and_citations(page) == saved_result()
    tab_until(page, lambda el: el["text"] == "Start again")
    assert Assessment.objects.get().answers == CAUTION_ANSWERS


def test_with_javascript_off_every_page_fits_a_phone_screen_with_buttons_big_enough_to_tap(site):
    """The questionnaire at 375 px; the result pages are tests/test_result_screen.py's."""
    page = site.open("/", phone=True, java_script_enabled=False)
    assert_fits_phone(page, "start")
    click_and_wait(page, "Start now")
    screenshot(page, "375-question")
    click_and_wait(page, "Continue")  # nothing chosen
    assert_fits_phone(page, "step with errors")
    screenshot(page, "375-question-error")
    expect(page.locator(".error-summary")).to_be_focused()
    page.locator(".error-summary a").click()
    expect(page.locator("#id_employed_0")).to_be_focused()

    # Back, above the heading, keeps what was chosen on the page it leaves.
    choose(page, {"employed": "yes"})
    click_and_wait(page, "Continue")
    choose(page, {"approached_how": "word_of_mouth"})
    back = page.get_by_role("button", name="Back", exact=True)
    assert back.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    click_and_wait(page, "Back")
    expect(page).to_have_url(step_url("employment"))
    expect(page.get_by_label("Yes, I have a job", exact=True)).to_be_checked()
    click_and_wait(page, "Continue")
    label = QUESTIONS["approached_how"].label_for("word_of_mouth")
    expect(page.get_by_label(label, exact=True)).to_be_checked()

    answers = {k: v for k, v in PASS_ANSWERS.items() if k != "employed"}
    answer_questions(page, answers, on_each=lambda step: assert_fits_phone(step, step.url))
    assert_fits_phone(page, "check answers")
    screenshot(page, "375-check-answers")
    click_and_wait(page, "Save and see my result")
    expect(page).to_have_url(RESULT_URL)
    assert verdict_and_citations(page) == saved_result()
    missing = site.open("/", phone=True)
    missing.goto("/no-such-page/")
    assert_fits_phone(missing, "404")


def test_every_page_has_no_accessibility_violations(site):
    """Run axe-core on every page of the questionnaire a person can reach, and the admin's
    login, collecting all violations. The result pages are tests/test_result_screen.py's."""
    page = site.open("/")
    violations = axe_violations(page, "start")
    click_and_wait(page, "Start now")
    screenshot(page, "1280-question")
    click_and_wait(page, "Continue")
    violations += axe_violations(page, "step with errors")
    screenshot(page, "1280-question-error")

    def check_step(page):
        nonlocal violations
        violations += axe_violations(page, f"step {page.url.rstrip('/').rsplit('/', 1)[-1]}")

    asked = answer_questions(page, PASS_ANSWERS, on_each=check_step)
    assert len(asked) == len(QUESTIONS), "the pass path asks every question"
    violations += axe_violations(page, "check answers")
    screenshot(page, "1280-check-answers")

    violations += axe_violations(site.open("/about/"), "about")

    missing = site.open("/")
    response = missing.goto("/no-such-page/")
    assert response.status == 404
    violations += axe_violations(missing, "404")

    # The session ends between two questions: an idle hour, or the browser was closed.
    expired = site.open("/questions/")
    choose(expired, {"employed": "yes"})
    click_and_wait(expired, "Continue")
    expired.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
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

    login = site.open("/admin/")
    expect(login).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    violations += axe_violations(login, "admin login")

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


def log_in(site, username: str) -> tuple[Page, list[str]]:
    """Log in to the admin at 1280 px by its own forms, with the tests' password and a code
    made here; return the page and what axe-core found on the second factor's pages.

    An account with an authenticator app types its code; one without sets one up from the
    QR code page's key, and goes on past its backup codes."""
    page = site.open("/admin/login/")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-pass")
    click_and_wait(page, "Log in")
    expect(page).to_have_url(re.compile(r"/admin/second-factor/"))
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        violations = axe_violations(page, "the code step")
        page.get_by_label("Code").fill(code(device))
        click_and_wait(page, "Continue")
        # The index's icons are CSS backgrounds, fetched after the load event; the next page
        # would abort them.
        page.wait_for_load_state("networkidle")
        return page, violations
    violations = axe_violations(page, "enrolment")
    qr_code = page.get_by_role("img", name="QR code to scan with your authenticator app")
    assert qr_code.evaluate("image => image.naturalWidth") > 0  # drawn under the CSP
    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{totp(b32decode(secret)):06d}")
    click_and_wait(page, "Confirm")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    violations += axe_violations(page, "the backup codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_load_state("networkidle")
    return page, violations


# One day's question counts: (page, shown, answered), people dropping off along the way.
FUNNEL_DAY = [
    ("employment", 40, 36),
    ("approach", 30, 29),
    ("last-interview", 29, 28),
    ("job-security", 28, 28),
    ("other-roles", 28, 27),
    ("negotiating", 27, 27),
    ("priorities", 27, 25),
    ("confidentiality", 25, 24),
    ("job-risk", 9, 8),
    ("agreement", 24, 22),
    ("time-off", 22, 22),
    ("check", 22, 19),
    ("check-between-jobs", 6, 6),
]


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
    oldest, following, _ = (make_assessment(PASS_ANSWERS)[0] for _ in range(3))
    for days, assessment in ((3, oldest), (2, following)):
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=timezone.now() - timedelta(days=days),
            review_notes="Called them back about an evening interview slot, as they asked",
        )
    # No authenticator app yet: the reviewer sets one up after the password.
    page, violations = log_in(site, "reviewer@example.org")
    violations += axe_violations(page, "admin index, as a reviewer")

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
    assert max(widths["page"], widths["review"], widths["table"]) <= widths["view"], widths
    assert widths["results"] >= 0, widths
    # Which assessment comes first, and what a review saves, are tests/test_admin.py's to show.
    page.locator("#result_list tbody tr .field-reference a").first.click()
    page.wait_for_load_state()
    violations += axe_violations(page, "an assessment, as a reviewer")
    page.get_by_label("Reviewed").check()
    page.get_by_label("Notes").fill("Offered a discreet slot; they will confirm by Friday.")
    click_and_wait(page, "Save and review next")
    expect(page.locator(".messagelist")).to_have_text(f"Review saved for {oldest.reference}.")
    expect(page).to_have_url(re.compile(rf"/admin/advice/assessment/{following.pk}/change/"))

    # A week of people starting and stopping, for the summary's "where people stop".
    today = timezone.localdate()
    QuestionCount.objects.bulk_create(
        [
            QuestionCount(
                day=today - timedelta(days=days), stage=stage, shown=shown, answered=answered
            )
            for days in range(7)
            for stage, shown, answered in FUNNEL_DAY
        ]
    )
    page.goto(reverse("admin:advice_assessment_summary"))
    violations += axe_violations(page, "the summary, as a reviewer")
    expect(page.locator("#hr-funnel")).to_be_visible()
    screenshot(page, "hr-summary-1280")
    assert not violations, "axe-core found violations:\n" + "\n".join(violations)


def test_every_admin_form_works_when_a_browser_submits_it(site, tmp_path):
    """The admin's own forms, sent by Chromium with its real Origin and cookies: log in, the
    CSV download, the download and delete actions, the delete confirmation, log out; and the
    pages a superuser sees that a reviewer does not, checked by axe-core."""
    superuser = get_user_model().objects.create_superuser(
        "admin@example.org", "", "a-long-test-pass"
    )
    confirmed_device(superuser)  # the code step, with a code made here
    kept, _ = make_assessment(GO_ANSWERS)
    deleted, _ = make_assessment(PASS_ANSWERS)
    page, violations = log_in(site, "admin@example.org")
    expect(page.locator("#user-tools")).to_contain_text("admin@example.org")
    page.goto(reverse("admin:advice_assessment_change", args=[kept.pk]))
    violations += axe_violations(page, "an assessment, as a superuser")

    page.goto("/admin/advice/assessment/?review=all")
    violations += axe_violations(page, "the list, as a superuser")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list (CSV)").click()
    download.value.save_as(tmp_path / "list.csv")
    body = (tmp_path / "list.csv").read_bytes()
    assert body.startswith(b"\xef\xbb\xbfReference,")
    assert body.count(b"\r\n") == 3  # the header and both assessments

    # "Download the new ones": the first time, both; then only what was saved since.
    page.goto("/admin/advice/assessment/?review=all")
    expect(page.locator(".hr-new-count")).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Download the 2 new")).click()
    download.value.save_as(tmp_path / "first-new.csv")
    assert (tmp_path / "first-new.csv").read_bytes().count(b"\r\n") == 3
    newer, _ = make_assessment(GO_ANSWERS)
    page.reload()
    expect(page.locator(".hr-new-count")).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Download the 1 new")).click()
    download.value.save_as(tmp_path / "new.csv")
    new_rows = (tmp_path / "new.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [row.split(",")[0] for row in new_rows] == [newer.reference]
    page.reload()
    expect(page.locator(".hr-new-count")).to_have_text("0")

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
    violations += axe_violations(page, "the delete confirmation")
    click_and_wait(page, "Yes, I’m sure")
    assert set(Assessment.objects.values_list("pk", flat=True)) == {kept.pk, newer.pk}

    click_and_wait(page, "Log out")
    expect(page.locator("h1")).to_have_text("Logged out")
    assert not violations, "axe-core found violations:\n" + "\n".join(violations)
