"""Each verdict's result, in Chromium: the first phone screen holds the verdict, what decides it
and the next step, and the reasons open without JavaScript.

Screenshots of each result at 375 px and 1280 px go to ``artifacts/screenshots/``, one saved
under older rules among them.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from advice.models import Assessment
from tests.helpers.assessments import make_assessment
from tests.helpers.browser.checks import assert_fits_phone, axe_violations
from tests.helpers.browser.site import artifacts_dir
from tests.helpers.questionnaire import (
    CAUTION_ANSWERS,
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
)

pytest_plugins = ["tests.helpers.browser.site"]  # the site and chromium fixtures
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_HEIGHT = 667
RESULTS = {
    "go": GO_ANSWERS,
    "caution": CAUTION_ANSWERS,
    "pass": PASS_ANSWERS,
    "unemployed": UNEMPLOYED_ANSWERS,
    # The longest openings: every exception applies, or every one is unsure.
    "pass-three-reasons": {
        **PASS_ANSWERS,
        "agreement_bars_employer": "yes",
        "time_off_puts_job_at_risk": "yes",
    },
    "caution-three-checks": {
        **GO_ANSWERS,
        "can_interview_confidentially": "unsure",
        "job_at_risk_if_discovered": "unsure",
        "agreement_bars_employer": "unsure",
        "time_off_puts_job_at_risk": "unsure",
    },
}


def save_screenshot(page, name):
    folder = artifacts_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png")  # what the first screen shows
    page.screenshot(path=folder / f"{name}-full.png", full_page=True)


# A result saved under older rules: the page says so, and what today's rules give.
OLDER = Path(__file__).parent / "snapshots" / "2026-12-02.1-pass.json"


def open_results(site, **options):
    """Yield (name, page) for a saved result of each of RESULTS, opened by its private link,
    and for one saved under older rules."""
    for name, answers in RESULTS.items():
        _, token = make_assessment(answers)
        page = site.open(Assessment.result_url(token), **options)
        expect(page.locator(".advice-updated")).to_have_count(0)
        yield name, page
    saved = json.loads(OLDER.read_text())
    assessment, token = make_assessment(saved["answers"])
    Assessment.objects.filter(pk=assessment.pk).update(
        shown=saved["shown"], rules_version=saved["shown"]["rules_version"]
    )
    page = site.open(Assessment.result_url(token), **options)
    expect(page.locator(".advice-updated")).to_be_visible()
    expect(page.locator("#advice-today")).to_be_visible()
    yield "older-rules", page


def test_verdict_reason_and_next_step_fit_the_first_phone_screen(site):
    for name, page in open_results(site, phone=True):
        assert_fits_phone(page, f"result-{name}")
        save_screenshot(page, f"result-{name}-375")
        first_screen = [
            page.locator("h1"),
            page.locator(".verdict .lead"),
            page.locator(".next-step-lead"),
        ]
        # The first reason that decides it, when there is one.
        deciding = page.locator(".verdict summary")
        if deciding.count():
            first_screen.append(deciding.first)
        for part in first_screen:
            box = part.bounding_box()
            assert box is not None and box["y"] + box["height"] <= PHONE_HEIGHT, (
                f"{name}: {part} ends at {box and box['y'] + box['height']}px, below the fold"
            )


def test_result_with_every_reason_open_has_no_accessibility_violations(site):
    violations = []
    for name, page in open_results(site):
        save_screenshot(page, f"result-{name}-1280")
        summaries = page.locator("summary")
        for index in range(summaries.count()):
            summaries.nth(index).click()
        expect(page.locator("details:not([open])")).to_have_count(0)
        violations += axe_violations(page, f"result-{name} opened")
    assert not violations, "axe-core found violations:\n" + "\n".join(violations)


def test_a_reason_opens_to_its_explanation_and_quote_without_javascript(site):
    _, token = make_assessment(GO_ANSWERS)
    page = site.open(Assessment.result_url(token), java_script_enabled=False)
    reason = page.locator('[data-factor="networking"]')
    quote = reason.locator("blockquote")
    expect(quote).to_be_hidden()
    reason.locator("summary").click()
    expect(quote).to_be_visible()
    expect(quote).to_have_text("Each interview is a networking opportunity.")
