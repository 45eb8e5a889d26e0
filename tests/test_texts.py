"""Every sentence a result shows is true for the person who reads it, over every answer.

The catalogue says what each text presumes (``factors.Text``). These tests read the pages
back independently, as a reader would: ``CLAIMS`` lists what sentences assert about the
person, and when their own answers make that false. Pure Python, no database: the pages'
texts all come from the snapshot.
"""

import functools
import itertools
import re
from dataclasses import fields, replace

import pytest

from advice import flow
from advice.factors import EMPHASES, FACTORS, QUESTIONS, Text
from advice.rules import evaluate
from advice.snapshot import build_snapshot

APPROACHED = ("recruiter", "word_of_mouth")
HIDE, RISK = "can_interview_confidentially", "job_at_risk_if_discovered"
PERSONAL = ("approached_how", "last_interviewed", "role_security")
PRIORITIES = QUESTIONS["priorities"].values


def _is(fact, *values):
    return lambda a, v: a.get(fact) in values


def _not(fact, *values):
    return lambda a, v: a.get(fact) not in values


def _verdict_not(*verdicts):
    return lambda a, v: v not in verdicts


def _on_caution(untrue):
    """On a check-first only: a pass's condition is what would have to change, sure or not."""
    return lambda a, v: v == "caution" and untrue(a, v)


# What a sentence asserts about its reader (a pattern), and when the reader's own answers or
# verdict make it false. Sentences that begin "If" suppose; they are checked in CONDITIONS.
CLAIMS = (
    (r"They came to you|you did not apply", _not("approached_how", *APPROACHED)),
    (r"A recruiter sought you out", _not("approached_how", "recruiter")),
    (r"Someone passed your name on", _not("approached_how", "word_of_mouth")),
    (r"little is at stake|do not need to win", _is("role_security", "uncertain")),
    (r"little is at stake|do not need to win", _verdict_not("go")),
    (r"You said your job may change", _not("role_security", "some_change", "uncertain")),
    (r"last interview was more than a year ago", _is("last_interviewed", "within_year")),
    (r"more than three years without", _not("last_interviewed", "over_three_years")),
    (r"You would negotiate an offer", _not("would_negotiate", "yes")),
    (r"would not negotiate", _not("would_negotiate", "no")),
    (r"You would consider another job", _not("open_to_other_roles", "yes")),
    (r"want no other job", _not("open_to_other_roles", "no")),
    (r"costs you (little|nothing)", _verdict_not("go")),
    (r"costs you nothing", _not(HIDE, "yes")),  # their employer may know
    (r"employer may find out", _not(HIDE, "unsure")),
    (r"employer will find out", _not(HIDE, "no")),
    (r"less stressful|do not need to win|little is at stake", _not("approached_how", *APPROACHED)),
    (r"less stressful|little is at stake", _not("role_security", "settled")),
    (r"less stressful", _verdict_not("go")),
    (r"Even a settled job", _not("role_security", "settled")),
    (r"passive job seekers", _not("approached_how", *APPROACHED)),
    (r"Say no politely", _is("approached_how", "applied")),  # they withdraw
    (r"Withdraw your application", _not("approached_how", "applied")),
    (r"^Say yes|open mind", _verdict_not("go")),
    (r"Say no politely|rules it out", _verdict_not("pass")),
    (r"You were not sure|Before you say yes", _verdict_not("caution")),
    (r"Nothing you told us", _verdict_not("go")),
    (r"between jobs", _not("employed", "no")),
    # A pass advises against going: nothing on it arranges the interview.
    (r"video|outside your working hours|Before the interview", _verdict_not("caution")),
    # Keeping it private: a sure answer is never a "may" or "might", nor a question to check.
    (r"may not be able to keep it private|might find out", _not(HIDE, "unsure")),
    (r"would find out|can't keep it private", _not(HIDE, "no")),
    (r"Can you go without your employer finding out", _not(HIDE, "unsure")),
    (r"and your job would be at risk", _not(RISK, "yes")),
    (r"your job might be at risk|really be at risk|would that put your job", _not(RISK, "unsure")),
    (r"[Aa]n agreement stops you", _not("agreement_bars_employer", "yes")),
    (r"agreement may stop you|Does it stop you", _not("agreement_bars_employer", "unsure")),
    (r"time off would put", _not("time_off_puts_job_at_risk", "yes")),
    (r"time off might put|Check your leave rules", _not("time_off_puts_job_at_risk", "unsure")),
)
# What a "what would change" condition supposes: on a check-first, only an answer the person
# was unsure of may turn out otherwise.
CONDITIONS = (
    # Finding out is for what the person does not know yet, whatever the verdict.
    (r"you find you can", _not(HIDE, "unsure")),
    (r"^If your job would( not)? be at risk", _on_caution(_not(RISK, "unsure"))),
    (
        r"If you can take the time|If taking the time",
        _on_caution(_not("time_off_puts_job_at_risk", "unsure")),
    ),
    (r"your agreement does", _on_caution(_not("agreement_bars_employer", "unsure"))),
)

# How a check or a condition speaks of each answer it asks the person to find out.
MENTIONS = {
    HIDE: r"keep it private|finding out",
    RISK: r"at risk",
    "agreement_bars_employer": r"stop you joining|does not cover",
    "time_off_puts_job_at_risk": r"the time|leave rules",
}


# A person with a job and the most common answers, for tests that change one or two of them.
TYPICAL = {
    "employed": "yes",
    "approached_how": "recruiter",
    "last_interviewed": "within_year",
    "role_security": "settled",
    "open_to_other_roles": "yes",
    "would_negotiate": "yes",
    "priorities": [],
    HIDE: "yes",
    "agreement_bars_employer": "no",
    "time_off_puts_job_at_risk": "no",
}


def answer_sets():
    """Yield every answer set the questionnaire can produce for someone with a job, but with
    the priorities only none or all ticked; ``priority_sets`` covers the rest."""
    values = {fact: QUESTIONS[fact].values for fact in flow.FACTS_IN_ORDER}
    open_facts = [f for f in flow.FACTS_IN_ORDER if f not in ("employed", "priorities", RISK)]
    for combo in itertools.product(*(values[f] for f in open_facts)):
        answers = {"employed": "yes", **dict(zip(open_facts, combo, strict=True))}
        for ticked in ([], list(PRIORITIES)):
            for risk in ("yes", "no", "unsure") if answers[HIDE] != "yes" else (None,):
                full = {**answers, "priorities": ticked}
                if risk:
                    full[RISK] = risk
                yield full


def priority_sets():
    """Yield every set of priorities with every answer that rules a reason in or out."""
    deciding = ["open_to_other_roles", "would_negotiate", "agreement_bars_employer", HIDE]
    values = [QUESTIONS[f].values for f in deciding]
    for n in range(len(PRIORITIES) + 1):
        for ticked in itertools.combinations(PRIORITIES, n):
            for combo in itertools.product(*values):
                answers = {
                    "employed": "yes",
                    "approached_how": "applied",
                    "last_interviewed": "within_year",
                    "role_security": "settled",
                    "priorities": list(ticked),
                    RISK: "yes",
                    "time_off_puts_job_at_risk": "no",
                    **dict(zip(deciding, combo, strict=True)),
                }
                yield flow.answers_asked(answers)


def shown_texts(shown):
    """Yield (where, text) for every sentence the result page can show, details included."""
    for key in ("headline", "summary", "next_step", "disclaimer"):
        yield key, shown[key]
    for group in ("exceptions", "uncertain", "reasons"):
        for factor in shown[group]:
            for key in ("title", "explanation", "quote", "next_step", "check"):
                if key in factor:
                    yield f"{factor['id']}.{key}", factor[key]
            for note in factor.get("notes", ()):
                yield f"{factor['id']}.note", note
    for note in shown["priority_notes"]:
        yield "priority_note", note
    for sentence in shown["what_would_change"]:
        yield "what_would_change", sentence


@functools.cache
def checks_for(text):
    """Return (sentence, the rules whose pattern it matches) for each sentence of ``text``."""
    found = []
    for sentence in (s for s in re.split(r"(?<=[.?:])\s+", text) if s):
        rules = CONDITIONS if sentence.startswith("If ") else CLAIMS
        matching = tuple(untrue for pattern, untrue in rules if re.search(pattern, sentence))
        found.append((sentence, matching))
    return tuple(found)


def problems(answers):
    """Return what is wrong, for a reader with ``answers``, with the page they are shown."""
    evaluation = evaluate(answers)
    shown = build_snapshot(evaluation, answers)
    verdict = evaluation.verdict
    found = []
    for where, text in shown_texts(shown):
        if not text:
            found.append(f"{where} is empty")
        for sentence, matching in checks_for(text):
            if any(untrue(answers, verdict) for untrue in matching):
                found.append(f"{where}: {sentence!r} is untrue for them")
    given = [{"question": r["question"], "answer": r["answer"]} for r in shown["answers"]]
    for factor in shown["exceptions"] + shown["uncertain"] + shown["reasons"]:
        for row in factor.get("because", ()):
            if row not in given:
                found.append(f"{factor['id']}: 'You answered' {row} is not their answer")
    ticked = answers.get("priorities", [])
    reasons = [r["id"] for r in shown["reasons"]]
    firsts = reasons[: len([r for r in shown["reasons"] if r.get("priority")])]
    for reason in ticked:
        label = QUESTIONS["priorities"].label_for(reason)
        explained = any(f"“{label}”" in note for note in shown["priority_notes"])
        if reason not in firsts and not explained:
            found.append(f"ticked {reason} is neither shown first nor explained")
    # On a check-first, each check, and each condition about one exception, names every
    # answer the person was unsure of.
    unsure = {
        factor["id"]: [
            f for f in FACTORS[factor["id"]].facts if answers.get(f, "unsure") == "unsure"
        ]
        for factor in shown["uncertain"]
    }
    about_one = shown["what_would_change"] if len(unsure) == 1 else []
    for exception, facts in unsure.items():
        check = next(f.get("check", "") for f in shown["uncertain"] if f["id"] == exception)
        for text in [check, *about_one] if verdict == "caution" else []:
            for fact in facts:
                if not re.search(MENTIONS[fact], text):
                    found.append(f"{text!r} says nothing of {fact}, which they were unsure of")
    # On a pass for one reason, what would change names every answer that decided it.
    if len(shown["exceptions"]) == 1:
        [sentence] = shown["what_would_change"]
        for fact, _ in FACTORS[shown["exceptions"][0]["id"]].applies_when:
            if not re.search(MENTIONS[fact], sentence):
                found.append(f"{sentence!r} says nothing of {fact}, which decided it")
    if evaluation.verdict == "pass" and any("check" in f for f in shown["uncertain"]):
        found.append("a pass asks the person to check something before the interview")
    return found


@pytest.mark.parametrize("sets", [answer_sets, priority_sets], ids=["all answers", "priorities"])
def test_every_page_is_true_for_its_reader(sets):
    pages = 0
    for answers in sets():
        assert not problems(answers), (answers, problems(answers))
        pages += 1
    assert pages > 1000


def test_a_person_between_jobs_reads_only_what_is_true_for_them():
    assert not problems({"employed": "no"})


def test_the_answer_sets_reach_every_pair_of_answers():
    """The sweep is exhaustive but for the priorities; with the priority sets it reaches every
    pair of answers, each ticked or unticked priority counting as an answer."""

    def facts(answers):
        ticked = set(answers.get("priorities", ()))
        pairs = {(f, v) for f, v in answers.items() if f != "priorities"}
        return pairs | {(f"priority:{p}", p in ticked) for p in PRIORITIES}

    reached = set()
    for answers in itertools.chain(answer_sets(), priority_sets()):
        reached |= set(itertools.combinations(sorted(facts(answers), key=str), 2))
    every = set()
    for answers in itertools.chain(answer_sets(), priority_sets()):
        every |= facts(answers)
    missing = [
        (a, b)
        for a, b in itertools.combinations(sorted(every, key=str), 2)
        if a[0] != b[0]
        and (a, b) not in reached
        # Not a pair the questionnaire can produce: job-risk is asked only when it matters.
        and not ({a[0], b[0]} == {HIDE, RISK} and "yes" in (a[1], b[1]))
    ]
    assert not missing, missing[:10]


def covering_sets():
    """Yield a few hundred answer sets: every personal answer, every answer that decides the
    verdict, and every set of priorities, each with the others at a typical value."""
    personal = [*PERSONAL, "open_to_other_roles", "would_negotiate"]
    for combo in itertools.product(*(QUESTIONS[f].values for f in personal)):
        yield {**TYPICAL, **dict(zip(personal, combo, strict=True))}
    core = [HIDE, RISK, "agreement_bars_employer", "time_off_puts_job_at_risk"]
    for combo in itertools.product(*(QUESTIONS[f].values for f in core)):
        yield flow.answers_asked({**TYPICAL, **dict(zip(core, combo, strict=True))})
    yield from priority_sets()


def presumptions():
    """Yield (name, Text, the same Text without one of its presumptions), for each of them."""
    texts = [
        (f"{factor.id}.{field.name}[{i}]", text)
        for factor in FACTORS.values()
        for field in fields(factor)
        if isinstance(getattr(factor, field.name), tuple)
        for i, text in enumerate(getattr(factor, field.name))
        if isinstance(text, Text)
    ]
    texts += [(f"{e.reason} note {e.note.words[:20]!r}", e.note) for e in EMPHASES]
    for name, text in texts:
        for i, (fact, _) in enumerate(text.presumes):
            rest = text.presumes[:i] + text.presumes[i + 1 :]
            yield f"{name} on {fact}", text, replace(text, presumes=rest)
        if text.verdicts:
            yield f"{name} on the verdict", text, replace(text, verdicts=())


@pytest.mark.parametrize("name,text,weaker", list(presumptions()), ids=lambda x: str(x)[:50])
def test_every_presumption_is_needed(name, text, weaker, monkeypatch):
    """Drop one presumption of one text: some reader must then be told something untrue."""
    fits = Text.fits
    monkeypatch.setattr(
        Text,
        "fits",
        lambda self, answers, verdict=None: fits(
            weaker if self is text else self, answers, verdict
        ),
    )
    for answers in covering_sets():
        if problems(answers):
            return
    pytest.fail(f"{name}: no reader's answers need this presumption")


# -- what readers found on earlier result pages, one person each -------------------------------


def page_of(**answers):
    answers = flow.answers_asked({**TYPICAL, **answers})
    return build_snapshot(evaluate(answers), answers)


def everything(shown):
    return " ".join(text for _, text in shown_texts(shown))


def test_a_risk_the_person_is_sure_of_is_never_a_maybe():
    shown = page_of(**{HIDE: "unsure", RISK: "yes"})
    [confidentiality] = shown["uncertain"]
    assert "might be at risk" not in confidentiality["title"]
    assert "treats" not in confidentiality["check"]  # they told us how it treats job hunting
    assert not any("not be at risk" in s for s in shown["what_would_change"])


def test_a_check_first_never_says_going_costs_little():
    shown = page_of(agreement_bars_employer="unsure")
    assert shown["verdict"] == "caution"
    assert "nothing_to_lose" not in [r["id"] for r in shown["reasons"]]
    assert "costs you little" not in everything(shown).lower()


def test_a_pass_says_how_to_decline_not_how_to_go():
    for answers in (
        {HIDE: "no", RISK: "yes"},
        {HIDE: "no", RISK: "yes", "time_off_puts_job_at_risk": "yes"},
    ):
        shown = page_of(**answers)
        assert shown["verdict"] == "pass"
        for text in [shown["next_step"], *(e["next_step"] for e in shown["exceptions"])]:
            assert "no politely" in text and "video" not in text and "hours" not in text


def test_an_unsure_agreement_is_checked_before_the_interview_not_before_an_offer():
    shown = page_of(agreement_bars_employer="unsure")
    assert shown["next_step"].startswith("Before you agree to the interview")
    [agreement] = shown["uncertain"]
    assert "offer" not in agreement["check"] and "contract" in agreement["check"]


def test_the_risk_questions_ask_what_the_article_asks():
    for fact in (RISK, "time_off_puts_job_at_risk"):
        text = QUESTIONS[fact].text
        assert "job at risk" in text or "job be at risk" in text
        assert "treated worse" not in text and not text.startswith("Could")


def test_reasons_never_presume_the_person_was_approached_or_settled():
    shown = page_of(approached_how="applied", role_security="uncertain")
    assert not re.search(r"came to you|did not apply|do not need this job", everything(shown))
    assert "happily employed" not in everything(shown)


def test_a_ticked_priority_the_answers_rule_out_is_explained_not_listed_first():
    shown = page_of(
        priorities=["leverage", "other_roles"], would_negotiate="no", open_to_other_roles="no"
    )
    assert not [r["id"] for r in shown["reasons"] if r.get("priority")]
    assert len(shown["priority_notes"]) == 2
    shown = page_of(priorities=["leverage", "other_roles"], agreement_bars_employer="yes")
    assert shown["verdict"] == "pass"
    assert (
        all("agreement" in note for note in shown["priority_notes"])
        and len(shown["priority_notes"]) == 2
    )


def test_what_would_change_stands_alone_with_several_reasons_to_pass():
    shown = page_of(agreement_bars_employer="yes", time_off_puts_job_at_risk="yes")
    assert not any("these" in sentence for sentence in shown["what_would_change"])
