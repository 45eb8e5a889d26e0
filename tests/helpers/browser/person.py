"""Fill in the questionnaire in the browser the way a person does: read, click, continue."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from advice.factors import QUESTIONS

QUESTION_BY_HEADING = {question.text: question for question in QUESTIONS.values()}
CHECK_HEADING = "Check your answers"


def current_question(page: Page):
    """Return the question the page asks, read from its heading."""
    heading = page.locator("h1").first.inner_text().strip()
    assert heading in QUESTION_BY_HEADING, f"not a question page: {heading!r} at {page.url}"
    return QUESTION_BY_HEADING[heading]


def on_question_page(page: Page) -> bool:
    return page.locator("h1.question-heading").count() == 1


def choose(page: Page, answers: dict) -> str:
    """Click the labels of the answers to the question on the page; return its fact id."""
    question = current_question(page)
    assert question.id in answers, f"asked {question.id!r}, which the test did not answer"
    value = answers[question.id]
    for one in value if isinstance(value, list) else [value]:
        label = question.label_for(one)
        page.locator("label").filter(has_text=label).get_by_text(label, exact=True).click()
        expect(page.get_by_label(label, exact=True)).to_be_checked()
    return question.id


def click_and_wait(page: Page, name: str) -> None:
    """Click the button called ``name`` and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def answer_questions(
    page: Page, answers: dict, *, on_each: Callable[[Page], None] | None = None
) -> list[str]:
    """Answer every question asked until the check page; return the facts asked, in order.

    Fail if a question is asked that ``answers`` lacks, or one in ``answers`` is never asked.
    """
    asked = []
    while on_question_page(page):
        if on_each:
            on_each(page)
        asked.append(choose(page, answers))
        click_and_wait(page, "Continue")
    expect(page.locator("h1")).to_have_text(CHECK_HEADING)
    assert sorted(asked) == sorted(answers), f"asked {asked}, expected {sorted(answers)}"
    return asked


def check_rows(page: Page) -> dict[str, str]:
    """Return the check page's answers as {question summary: answer}."""
    rows = page.locator(".summary-row")
    return {
        rows.nth(i).locator("dt").inner_text().strip(): rows.nth(i)
        .locator(".summary-answer")
        .inner_text()
        .strip()
        for i in range(rows.count())
    }


def expected_rows(answers: dict) -> dict[str, str]:
    rows = {}
    for fact, value in answers.items():
        question = QUESTIONS[fact]
        values = value if isinstance(value, list) else [value]
        rows[question.short_text] = ", ".join(question.label_for(v) for v in values)
    return rows


def verdict_and_citations(page: Page) -> tuple[str, list[str]]:
    """Return the result page's ``data-verdict`` and its ``data-factor`` ids in page order."""
    verdicts = page.locator("[data-verdict]")
    expect(verdicts).to_have_count(1)
    factors = page.locator("[data-factor]")
    cited = [factors.nth(i).get_attribute("data-factor") for i in range(factors.count())]
    return verdicts.get_attribute("data-verdict"), cited
