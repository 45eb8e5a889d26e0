"""How old a saved result is, and what today's rules give for the same answers. Pure Python,
no Django.

A saved result is shown as it was (its snapshot). When the rules that made it are older than
today's, the page also says what today's rules give for the answers saved with it, or, when
today's questions no longer fit those answers, which answers no longer exist and which
questions were never asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from . import flow
from .factors import CAUTION, PASS, QUESTIONS
from .rules import RULES_VERSION, evaluate
from .snapshot import build_snapshot


def version_key(version: str) -> tuple[date, int] | None:
    """Return a rules version ("2026-12-03.1": a date and a number) in an order that can be
    compared, or None for one that is not of that form."""
    day, _, number = version.partition(".")
    try:
        return date.fromisoformat(day), int(number or 0)
    except ValueError:
        return None


@dataclass(frozen=True)
class Today:
    """What today's rules give for a saved result's answers."""

    verdict: str
    headline: str
    opening: str  # the sentence that says what decides it
    deciding: tuple[str, ...]  # the titles that follow it: the reasons to pass, or the checks


@dataclass(frozen=True)
class Age:
    as_of: date | None  # the day of the rules that made the saved advice
    outdated: bool  # made under rules older than today's
    updated: date  # the day of today's rules
    today: Today | None = None
    # Saved answers today's questions no longer take, in the words the person saw:
    # {"question", "answer", "gone"}, where "gone" is "question" when the question itself is
    # no longer asked, and "choice" when only that answer is no longer offered.
    retired: tuple[dict, ...] = field(default=())
    # Today's questions, in short, that the saved answers do not answer at all.
    unasked: tuple[str, ...] = field(default=())


def _retired(saved: Mapping[str, object], kept: Mapping[str, object], rows) -> tuple[dict, ...]:
    words = {row.get("fact"): row for row in rows if isinstance(row, dict)}
    return tuple(
        {
            "question": words.get(fact, {}).get("question", fact),
            "answer": words.get(fact, {}).get("answer", ""),
            "gone": "choice" if fact in QUESTIONS else "question",
        }
        for fact in saved
        if fact not in kept
    )


def _today(answers: Mapping[str, object]) -> Today:
    shown = build_snapshot(evaluate(answers), answers)
    verdict = shown["verdict"]
    deciding = {PASS: shown["exceptions"], CAUTION: shown["uncertain"]}.get(verdict, [])
    return Today(
        verdict=verdict,
        headline=shown["headline"],
        opening=shown["summary"],
        deciding=tuple(factor["title"] for factor in deciding),
    )


def age(rules_version: str, saved_answers: Mapping[str, object], shown: Mapping) -> Age:
    """Return how old the advice saved as ``shown`` is, and, if the rules have changed since,
    what today's rules give for ``saved_answers``."""
    saved_key, current_key = version_key(rules_version), version_key(RULES_VERSION)
    as_of = saved_key[0] if saved_key else None
    if saved_key is not None and saved_key >= current_key:
        return Age(as_of=as_of, outdated=False, updated=current_key[0])
    kept = flow.clean_answers(saved_answers)
    retired = _retired(saved_answers, kept, shown.get("answers") or ())
    asked = flow.answers_asked(kept)
    needed = [
        step.fact
        for step in flow.STEPS
        if flow.step_applies(step, kept) and step.fact not in kept and QUESTIONS[step.fact].required
    ]
    unasked = tuple(QUESTIONS[fact].short_text for fact in needed if fact not in saved_answers)
    today = None if needed else _today(asked)
    return Age(
        as_of=as_of,
        outdated=True,
        updated=current_key[0],
        today=today,
        retired=retired,
        unasked=unasked,
    )
