"""Helpers that fill in the questionnaire through Django's test client."""

import re

from advice.flow import CHECK_STEP, STEPS

STEP_FOR_FACT = {step.fact: step.name for step in STEPS}

# Complete answer sets, one per verdict.
GO_ANSWERS = {
    "employed": "yes",
    "approached_how": "recruiter",
    "last_interviewed": "over_three_years",
    "role_security": "settled",
    "open_to_other_roles": "yes",
    "would_negotiate": "yes",
    "priorities": ["other_roles"],
    "can_interview_confidentially": "yes",
    "agreement_bars_employer": "no",
    "time_off_puts_job_at_risk": "no",
}
CAUTION_ANSWERS = {**GO_ANSWERS, "agreement_bars_employer": "unsure"}
PASS_ANSWERS = {
    **GO_ANSWERS,
    "can_interview_confidentially": "no",
    "job_at_risk_if_discovered": "yes",
}
UNEMPLOYED_ANSWERS = {"employed": "no"}
# Personal answers that close every reason they can: no negotiating, no other role.
CLOSED_PERSONAL = {
    "approached_how": "applied",
    "last_interviewed": "within_year",
    "role_security": "settled",
    "open_to_other_roles": "no",
    "would_negotiate": "no",
    "priorities": [],
}
# One walk per verdict, for tests that parametrize over them: (answers, expected verdict).
VERDICT_WALKS = {
    "go": (GO_ANSWERS, "go"),
    "caution": (CAUTION_ANSWERS, "caution"),
    "pass": (PASS_ANSWERS, "pass"),
    "unemployed": (UNEMPLOYED_ANSWERS, "go"),
}


def step_url(step: str) -> str:
    return f"/questions/{step}/"


def step_post(fact: str | None = None, value=None, **extra) -> dict:
    """Return the POST body of a question page answering ``fact`` with ``value``."""
    return {**extra} if fact is None else {fact: value, **extra}


def answer(client, fact: str, value):
    step = STEP_FOR_FACT[fact]
    return client.post(step_url(step), step_post(fact, value))


def confirm_token(client) -> str:
    """Open the check page and return the token its form carries."""
    html = client.get(step_url(CHECK_STEP)).content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def confirm(client, token: str | None = None):
    token = token or confirm_token(client)
    return client.post(step_url(CHECK_STEP), {"token": token})


def walk(client, answers: dict):
    """Answer every step the questionnaire asks, following its redirects; return the last.

    Fail if the questionnaire asks for a fact that ``answers`` lacks, or skips one it has.
    """
    response = client.get("/questions/")
    asked = set()
    while True:
        assert response.status_code == 302, response.status_code
        step = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        if step == CHECK_STEP:
            break
        fact = next(s.fact for s in STEPS if s.name == step)
        assert fact in answers, f"asked {fact!r}, which the test did not answer"
        asked.add(fact)
        response = answer(client, fact, answers[fact])
    assert asked == set(answers), f"not asked: {set(answers) - asked}"
    return response
