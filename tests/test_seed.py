"""Demo data: seed_assessments saves realistic answers through the questionnaire's service."""

import random
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from advice.demo import demo_answers
from advice.flow import STEPS, step_applies
from advice.models import Assessment, to_the_hour, verdict_columns
from advice.rules import evaluate
from advice.services import assessment_create


def seed(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("seed_assessments", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("seed_value", range(40))
def test_demo_answers_are_what_the_questionnaire_would_ask(seed_value):
    answers = demo_answers(random.Random(seed_value))
    evaluate(answers)  # raises on an unknown fact or value
    asked = {s.fact for s in STEPS if step_applies(s, answers)}
    assert set(answers) == asked


def test_demo_answers_give_every_verdict_and_exception():
    rng = random.Random(0)
    verdicts = [evaluate(demo_answers(rng)) for _ in range(300)]
    assert {v.verdict for v in verdicts} == {"go", "caution", "pass"}
    assert {e for v in verdicts for e in v.exceptions} == {
        "confidentiality",
        "employment_agreement",
        "attendance_policy",
    }
    assert any(v.reasons == ("unemployed",) for v in verdicts)


def test_seed_creates_through_the_service(db, monkeypatch):
    calls = []

    def spy(*, answers, token):
        calls.append(token)
        return assessment_create(answers=answers, token=token)

    monkeypatch.setattr("advice.management.commands.seed_assessments.assessment_create", spy)
    out = seed("--count", "30", "--seed", "1")
    assert "Created 30 demo assessments" in out
    assert len(calls) == len(set(calls)) == 30
    assert Assessment.objects.count() == 30


def test_seeded_rows_are_complete_and_consistent(db):
    seed("--count", "60", "--seed", "2")
    for assessment in Assessment.objects.all():
        evaluation = evaluate(assessment.answers)
        assert assessment.verdict == evaluation.verdict
        assert assessment.shown["verdict"] == evaluation.verdict
        assert assessment.shown["answers"]
        for column, value in verdict_columns(evaluation, assessment.answers).items():
            assert getattr(assessment, column) == value
    assert Assessment.objects.values("verdict").distinct().count() == 3


def test_seed_spreads_dates_over_the_days_asked(db):
    seed("--count", "50", "--days", "30", "--seed", "3")
    now = timezone.now()
    dates = list(Assessment.objects.values_list("created_at", flat=True))
    # Each to the hour, so up to an hour before the 30 days.
    assert all(now - timedelta(days=30, hours=1) <= d <= now for d in dates)
    assert all(d == to_the_hour(d) for d in dates)
    assert max(dates) - min(dates) > timedelta(days=10)


def test_seed_with_no_days_keeps_them_now(db):
    hour = to_the_hour(timezone.now())
    seed("--count", "3", "--days", "0")
    assert all(d >= hour for d in Assessment.objects.values_list("created_at", flat=True))


def test_same_seed_gives_the_same_answers(db):
    seed("--count", "5", "--seed", "7")
    first = sorted(map(str, Assessment.objects.values_list("answers", flat=True)))
    Assessment.objects.all().delete()
    seed("--count", "5", "--seed", "7")
    assert sorted(map(str, Assessment.objects.values_list("answers", flat=True))) == first


@pytest.mark.parametrize("args", [["--count", "0"], ["--days", "-1"]])
def test_seed_refuses_bad_numbers(db, args):
    with pytest.raises(CommandError):
        seed(*args)
    assert not Assessment.objects.exists()
