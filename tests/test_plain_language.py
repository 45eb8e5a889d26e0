"""Every text a person reads is plain: Flesch-Kincaid grade 8 or below, no sentence over 25
words. The article's quotes are its own words and are not graded.

Flesch-Kincaid needs sentences to mean anything: a two-word label scores as if it were dense
prose. So a text of fewer than six words (a label, a title, a heading) is graded with the
others of its kind, as one passage; every longer text is graded on its own.
"""

import re
from collections import defaultdict
from pathlib import Path

import pytest
import textstat

from advice import rules, snapshot
from advice.factors import EMPHASES, FACTORS, QUESTIONS
from tests.helpers.texts import every_wording

GRADE = 8
LONGEST_SENTENCE = 25
SHORT = 6
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "advice"


def readable_texts():
    """Return {kind: [text, ...]} for every text of the questionnaire and its results."""
    texts = defaultdict(list)
    for question in QUESTIONS.values():
        texts["question"] += [question.text, question.short_text]
        texts["hint"].append(question.help_text)
        texts["error"] += [question.error] if question.error else []
        texts["answer label"] += [choice.label for choice in question.choices]
    for factor in FACTORS.values():
        for kind in ("title", "explanation", "next_step", "check"):
            texts[kind] += every_wording(getattr(factor, kind))
        texts["title"] += every_wording(factor.unsure_title)
        texts["explanation"] += every_wording(factor.unsure_explanation)
        for condition in (*every_wording(factor.clear_if), *every_wording(factor.applies_if)):
            texts["what would change"] += [
                f"If {condition}, {end}." for end in rules.OUTCOMES.values()
            ]
    for condition in (rules.NONE_APPLIED, rules.ANY_TURNS_OUT, rules.ALL_CLEAR):
        texts["what would change"] += [f"If {condition}, {end}." for end in rules.OUTCOMES.values()]
    texts["explanation"] += [emphasis.note.words for emphasis in EMPHASES]
    texts["title"] += list(snapshot.HEADLINES.values())
    texts["next_step"] += [
        snapshot.GO_OPENING,
        snapshot.GO_NEXT_STEP,
        snapshot.UNEMPLOYED_OPENING,
        snapshot.UNEMPLOYED_NEXT_STEP,
        *snapshot.CAUTION_OPENINGS,
        *snapshot.PASS_OPENINGS,
        *snapshot.CAUTION_NEXT_STEPS,
        *every_wording(snapshot.PASS_NEXT_STEP),
        snapshot.DISCLAIMER,
    ]
    for reason, (_, _, why) in rules.RULED_OUT_BY.items():
        label = QUESTIONS["priorities"].label_for(reason)
        texts["explanation"].append(snapshot.PRIORITY_NOTE.format(label=label, why=why))
    privacy = (TEMPLATES / "_privacy.html").read_text()
    privacy = re.sub(r"{%.*?%}", "Example Careers", privacy).replace("{{ retention_days }}", "180")
    texts["privacy"] += [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", privacy)
    ]
    return texts


def graded(texts):
    """Yield (text as graded, grade) for a kind's texts: short ones together, the rest alone."""
    short = [t for t in texts if len(t.split()) < SHORT]
    for text in texts:
        if len(text.split()) >= SHORT:
            yield text, textstat.flesch_kincaid_grade(text)
    if short:
        passage = " ".join(t if t.endswith((".", "?", ":")) else f"{t}." for t in short)
        yield passage, textstat.flesch_kincaid_grade(passage)


TEXTS = readable_texts()


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_every_text_reads_at_grade_8_or_below(kind):
    too_hard = [(grade, text) for text, grade in graded(TEXTS[kind]) if grade > GRADE]
    assert not too_hard, too_hard


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_no_sentence_is_over_25_words(kind):
    for text in TEXTS[kind]:
        for sentence in re.split(r"(?<=[.?!:])\s+", text):
            assert len(sentence.split()) <= LONGEST_SENTENCE, sentence
