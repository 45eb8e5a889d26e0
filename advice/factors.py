"""The article's factors, questions and texts, kept as data.

Ids are stable (docs/rules.md lists them): the engine, the database, the CSV export and the
result page's ``data-factor`` attributes all use them. Quotes are short verbatim extracts
from the article; everything else is written in the project's own words. A change here is a
reviewed code change, and a change that alters what people are told needs a new
``rules.RULES_VERSION``.

Every text a result can show either holds for anyone (a plain string) or is a tuple of
``Text`` variants, each saying what it presumes about the reader; the page shows the first
variant whose presumptions the person's answers and verdict satisfy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Source:
    title: str
    author: str
    author_role: str
    publisher: str
    published: str  # ISO date
    published_display: str

    @property
    def attribution(self) -> str:
        return (
            f"{self.author}, {self.author_role}, “{self.title}”, "
            f"{self.publisher}, {self.published_display}"
        )


ARTICLE = Source(
    title="The Many Reasons to Go on That Interview",
    author="Joe Stein",
    author_role="WNY Human Resources Professional",
    publisher="WNYJobs",
    published="2020-03-09",
    published_display="9 March 2020",
)

YES = "yes"
NO = "no"
UNSURE = "unsure"
# An answer to a question that was not asked, as a presumption names it.
NOT_ASKED = ""

GO = "go"
CAUTION = "caution"
PASS = "pass"

REASON = "reason"
EXCEPTION = "exception"
SPECIAL = "special"

Answers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Text:
    """Words a person reads, and what they take for granted about that person.

    ``presumes`` pairs a fact with the answers the words hold for (``NOT_ASKED`` for a
    question the person was not asked); ``verdicts`` names the verdicts they hold for, or any
    verdict if empty.
    """

    words: str
    presumes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    verdicts: tuple[str, ...] = ()

    def fits(self, answers: Mapping[str, object], verdict: str | None = None) -> bool:
        """Return whether the words hold for someone with ``answers`` and ``verdict``."""
        if self.verdicts and verdict not in self.verdicts:
            return False
        return all(answers.get(fact, NOT_ASKED) in values for fact, values in self.presumes)


# A text: plain words that hold for anyone, or variants, the first that fits being shown.
Words = str | tuple[Text, ...]


def pick(words: Words, answers: Mapping[str, object], verdict: str) -> str:
    """Return the words to show someone with ``answers`` and ``verdict``, or "" if none fit."""
    if isinstance(words, str):
        return words
    return next((text.words for text in words if text.fits(answers, verdict)), "")


@dataclass(frozen=True)
class Factor:
    id: str
    kind: str  # REASON, EXCEPTION or SPECIAL
    label: str  # its short name on HR's screens: the admin, the summary and the CSV
    title: Words  # for an exception: its title when it applies
    explanation: Words
    quote: Words  # verbatim from the article
    # Exceptions only. What to do when it applies (on a pass: how to decline); its title,
    # explanation and check when the person is not sure; and the answers that settle it.
    next_step: Words = ""
    unsure_title: Words = ""
    unsure_explanation: Words = ""
    check: Words = ""  # a question the person can answer before the interview
    clear_if: Words = ""  # completes "If ..., ": when the exception would not apply
    applies_if: Words = ""  # completes "If ..., ": when it would
    # The exception's rule, read by the engine: answers that make it clear (any one set of
    # them), and answers that, all together, make it apply. Anything else is uncertain.
    clears_when: tuple[Answers, ...] = ()
    applies_when: Answers = ()
    # Reasons only: the short label used when asking which reasons matter most.
    priority_label: str = ""

    @property
    def facts(self) -> tuple[str, ...]:
        """Return the facts whose answers settle this exception, in the order asked."""
        pairs = [*(pair for answers in self.clears_when for pair in answers), *self.applies_when]
        return tuple(dict.fromkeys(fact for fact, _ in pairs))


APPROACHED = ("recruiter", "word_of_mouth")  # they came to the person, who did not apply
# The person's two answers on keeping it private.
_HIDE, _RISK = "can_interview_confidentially", "job_at_risk_if_discovered"


def decline(then: str) -> tuple[Text, ...]:
    """Return how to say no, followed by ``then``: someone who applied withdraws."""
    return (
        Text(
            f"Withdraw your application politely. {then}",
            presumes=(("approached_how", ("applied",)),),
        ),
        Text(f"Say no politely. {then}"),
    )


REASONS: tuple[Factor, ...] = (
    Factor(
        id="networking",
        kind=REASON,
        label="Networking",
        title="You widen your network",
        explanation=(
            "Every interview puts you in front of people who hire, such as a recruiter or a "
            "hiring manager. If they like you, they may call you when the next job comes up."
        ),
        quote="Each interview is a networking opportunity.",
        priority_label="Contacts for later",
    ),
    Factor(
        id="practice",
        kind=REASON,
        label="Interview practice",
        title=(
            # Beside a reason to pass or a check, going has something at stake.
            Text(
                "You practise while little is at stake",
                presumes=(("role_security", ("settled",)), ("approached_how", APPROACHED)),
                verdicts=(GO,),
            ),
            Text("You get practice at interviews"),
        ),
        explanation=(
            Text(
                "Interviewing is a skill, and it fades if you do not use it. An interview you "
                "do not need to win is a calm place to sharpen your answers.",
                presumes=(("role_security", ("settled",)), ("approached_how", APPROACHED)),
                verdicts=(GO,),
            ),
            Text(
                "Interviewing is a skill, and it fades if you do not use it. Each interview "
                "lets you sharpen your answers and try out new examples."
            ),
        ),
        quote=(
            Text(
                "Interviewing under this less stressful situation can help prepare you for when "
                "the position is something you covet.",
                presumes=(("role_security", ("settled",)), ("approached_how", APPROACHED)),
                verdicts=(GO,),
            ),
            Text(
                "While practicing your interview may not make perfect (doubt anyone can interview "
                "perfectly), it can certainly, however, improve your skills."
            ),
        ),
        priority_label="Interview practice",
    ),
    Factor(
        id="preparedness",
        kind=REASON,
        label="Ready for change",
        title="You are ready if your job changes",
        explanation=(
            Text(
                "Even a settled job can change with little warning. If you go to an interview "
                "now and then, you can start a real job search much faster.",
                presumes=(("role_security", ("settled",)),),
            ),
            Text(
                "Jobs can change with little warning. If you go to an interview now and then, "
                "you can start a real job search much faster."
            ),
        ),
        quote=(
            "It can take considerable time to get a job search started, but that time can be "
            "cut significantly if you have been going out on the occasional interview."
        ),
        priority_label="Being ready for change",
    ),
    Factor(
        id="leverage",
        kind=REASON,
        label="Negotiating strength",
        title="You can ask for good terms",
        explanation=(
            Text(
                "They came to you, and you already have a job. Employers often value people like "
                "that, so you can ask for terms that would make a move worth it.",
                presumes=(("approached_how", APPROACHED),),
            ),
            Text(
                "You already have a job, and employers often value people who do. That gives you "
                "room to ask for terms that would make a move worth it."
            ),
        ),
        quote=(
            Text(
                "Employers often covet those passive job seekers who are gainfully employed.",
                presumes=(("approached_how", APPROACHED),),
            ),
            Text(
                "You may find yourself being able to negotiate something beyond what you thought "
                "possible and enough to cause you to leave your current position."
            ),
        ),
        priority_label="Better pay or terms",
    ),
    Factor(
        id="nothing_to_lose",
        kind=REASON,
        label="Little to lose",
        # Cited on a go only (the engine cites a reason only where its title fits): on the
        # other verdicts, what going costs is the very question left open.
        title=(Text("It costs you little", verdicts=(GO,)),),
        explanation=(
            Text(
                "Apart from the time it takes, going usually costs you nothing. The job may "
                "surprise you. If it does not, you can say no politely.",
                presumes=((_HIDE, (YES,)),),
            ),
            Text(
                "Your employer may find out, but you said that would not put your job at risk. "
                "Apart from that and the time it takes, going usually costs you little.",
                presumes=((_HIDE, (UNSURE,)),),
            ),
            Text(
                "Your employer will find out, but you said that would not put your job at risk. "
                "Apart from that and the time it takes, going usually costs you little."
            ),
        ),
        quote="You usually have nothing to lose (other than some time out of your calendar).",
    ),
    Factor(
        id="other_roles",
        kind=REASON,
        label="Other roles",
        title="Another job there may suit you better",
        explanation=(
            "Once they have met you, they may think of you for a different job. It may be one "
            "you would like more."
        ),
        quote=("The position you are interviewing for may not be the one they consider you for."),
        priority_label="Other roles there",
    ),
)

# A confidentiality text for when the person is unsure presumes only the half they were sure
# of: the other half is then the one they were unsure of. A condition of "what would change" is
# also shown on a pass, where both halves are sure, so it presumes both.
_SURE_AT_RISK = ((_RISK, (YES,)),)
_SURE_FOUND_OUT = ((_HIDE, (NO,)),)


def _privately(can_hide: tuple[str, ...], at_risk: tuple[str, ...]):
    return ((_HIDE, can_hide), (_RISK, at_risk))


EXCEPTIONS: tuple[Factor, ...] = (
    Factor(
        id="confidentiality",
        kind=EXCEPTION,
        label="Can't keep it private",
        title="You can't keep it private, and your job would be at risk",
        explanation=(
            "You can't go without your employer finding out, and that would put your job at "
            "risk. So the interview could cost you more than it gives."
        ),
        quote=(
            "If you are in a situation where you don’t feel that you can interview for the "
            "position confidentially and it places your current job at risk, it makes sense "
            "to pass."
        ),
        next_step=decline("You do not have to give a reason."),
        unsure_title=(
            Text(
                "You may not be able to keep it private, and your job would be at risk",
                presumes=_SURE_AT_RISK,
            ),
            Text(
                "Your employer would find out, and your job might be at risk",
                presumes=_SURE_FOUND_OUT,
            ),
            Text("Your employer might find out, and your job might be at risk"),
        ),
        unsure_explanation=(
            "If your employer found out and that put your job at risk, the interview could cost "
            "you more than it gives."
        ),
        check=(
            Text(
                "Can you go without your employer finding out? For example, could you meet by "
                "video, outside your working hours?",
                presumes=_SURE_AT_RISK,
            ),
            Text(
                "Would your job really be at risk if your employer found out? Think of how they "
                "treated others who looked for jobs.",
                presumes=_SURE_FOUND_OUT,
            ),
            Text(
                "Can you go without your employer finding out? If not, would that put your job "
                "at risk?"
            ),
        ),
        clear_if=(
            Text("you find you can keep it private", presumes=_privately((UNSURE,), (YES,))),
            Text("your job would not be at risk", presumes=_privately((NO,), (UNSURE,))),
            Text("you could keep it private, or your job would not be at risk"),
        ),
        applies_if=(
            Text("you find you can't keep it private", presumes=_SURE_AT_RISK),
            Text("your job would be at risk", presumes=_SURE_FOUND_OUT),
            Text("you can't keep it private and your job would be at risk"),
        ),
        clears_when=(((_HIDE, YES),), ((_RISK, NO),)),
        applies_when=((_HIDE, NO), (_RISK, YES)),
    ),
    Factor(
        id="employment_agreement",
        kind=EXCEPTION,
        label="Employment agreement",
        title="An agreement stops you joining this employer",
        explanation=(
            "You signed an agreement, such as a non-compete, that stops you working for this "
            "employer. So any offer they made is one you could not take."
        ),
        quote=(
            "You may be in a situation where you have an employment agreement that would not "
            "allow you to accept a position with this prospective employer."
        ),
        next_step=decline(
            "Check when the agreement ends. If the wording is unclear, get independent advice."
        ),
        unsure_title="An agreement may stop you joining this employer",
        unsure_explanation=(
            "Some contracts stop you joining certain employers, such as a direct rival. If yours "
            "does, any offer they made is one you could not take."
        ),
        check=(
            "Read your contract and any agreement you signed. Does it stop you joining this "
            "employer? If the wording is unclear, get independent advice, not your employer's."
        ),
        clear_if="your agreement does not cover this employer",
        applies_if="your agreement does stop you joining this employer",
        clears_when=((("agreement_bars_employer", NO),),),
        applies_when=(("agreement_bars_employer", YES),),
    ),
    Factor(
        id="attendance_policy",
        kind=EXCEPTION,
        label="Time off puts job at risk",
        title="Taking the time off would put your job at risk",
        explanation=(
            "Time away for an interview would put your job at risk, for example under an "
            "attendance policy. So the interview is probably not a good idea."
        ),
        quote=(
            "If carving out the time to interview would place you at risk, perhaps with your "
            "company’s Attendance Policy, then interviewing is probably not a good idea."
        ),
        next_step=decline("You can ask them to keep you in mind for later."),
        unsure_title="Taking the time off might put your job at risk",
        unsure_explanation=(
            "If time off for an interview would put your job at risk, the interview is probably "
            "not a good idea. An attendance policy is one example."
        ),
        check=(
            "Check your leave rules. Could you take the time without risk, or meet them by video "
            "or outside your working hours?"
        ),
        clear_if="you can take the time without putting your job at risk",
        applies_if="taking the time would put your job at risk",
        clears_when=((("time_off_puts_job_at_risk", NO),),),
        applies_when=(("time_off_puts_job_at_risk", YES),),
    ),
)

UNEMPLOYED = Factor(
    id="unemployed",
    kind=SPECIAL,
    label="Between jobs",
    title="You are looking for work",
    explanation=(
        "The article weighs up interviews for people who already have a job. If you are between "
        "jobs, there is nothing to weigh: an invitation to interview is worth taking."
    ),
    quote="…it may seem very odd to spend this time on whether or not to go on an interview.",
)

FACTORS: dict[str, Factor] = {f.id: f for f in (*REASONS, *EXCEPTIONS, UNEMPLOYED)}
REASON_IDS: tuple[str, ...] = tuple(f.id for f in REASONS)
EXCEPTION_IDS: tuple[str, ...] = tuple(f.id for f in EXCEPTIONS)


@dataclass(frozen=True)
class Emphasis:
    """An answer that makes one of the article's reasons weigh more for this person."""

    reason: str
    note: Text  # shown with the reason: why it fits this person; presumes the answer

    @property
    def fact(self) -> str:
        """Return the fact whose answer makes the reason weigh more."""
        return self.note.presumes[0][0]


def _because(fact: str, values: tuple[str, ...], note: str) -> Text:
    return Text(note, presumes=((fact, values),))


EMPHASES: tuple[Emphasis, ...] = (
    Emphasis(
        "networking",
        _because(
            "approached_how",
            ("recruiter",),
            "A recruiter sought you out. Good recruiters keep a list of people to call again.",
        ),
    ),
    Emphasis(
        "networking",
        _because(
            "approached_how",
            ("word_of_mouth",),
            "Someone passed your name on: the people you meet may do the same later.",
        ),
    ),
    Emphasis(
        "practice",
        _because(
            "last_interviewed",
            ("one_to_three_years", "over_three_years"),
            "Your last interview was more than a year ago.",
        ),
    ),
    Emphasis(
        "preparedness",
        _because("role_security", ("some_change", "uncertain"), "You said your job may change."),
    ),
    Emphasis(
        "preparedness",
        _because(
            "last_interviewed",
            ("over_three_years",),
            "After more than three years without an interview, a search takes longer to start.",
        ),
    ),
    # The article's passive candidate: approached for a job they did not apply for.
    Emphasis(
        "leverage", _because("approached_how", APPROACHED, "They came to you: you did not apply.")
    ),
    Emphasis("leverage", _because("would_negotiate", (YES,), "You would negotiate an offer.")),
    Emphasis(
        "other_roles",
        _because("open_to_other_roles", (YES,), "You would consider another job there."),
    ),
)
# A reason the person's answer rules out, even if they ticked it: they would not negotiate,
# or want no other job there. (fact, answer, what the result says if they ticked it)
RULED_OUT_BY: dict[str, tuple[str, str, str]] = {
    "leverage": ("would_negotiate", NO, "you would not negotiate"),
    "other_roles": ("open_to_other_roles", NO, "you want no other job there"),
}
# Reasons an exception that applies rules out: an agreement that bars the employer leaves no
# offer to negotiate and no other job there. (reasons, what the result says if ticked)
RULED_OUT_BY_EXCEPTION: dict[str, tuple[tuple[str, ...], str]] = {
    "employment_agreement": (
        ("leverage", "other_roles"),
        "an agreement stops you joining them",
    ),
}


# --- Questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help_text: str
    choices: tuple[Choice, ...]
    multiple: bool = False
    required: bool = True
    # The short question shown beside the answer: on the check page, the result, the admin.
    short_text: str = ""
    # The message shown when a required answer is missing.
    error: str = ""

    def label_for(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value

    @cached_property
    def values(self) -> tuple[str, ...]:
        # Read for every stored answer on every request of the questionnaire: built once.
        return tuple(c.value for c in self.choices)


def _yes_no_unsure(yes: str = "Yes", no: str = "No", unsure: str = "I'm not sure"):
    return (Choice(YES, yes), Choice(NO, no), Choice(UNSURE, unsure))


QUESTIONS: dict[str, Question] = {
    q.id: q
    for q in (
        Question(
            id="employed",
            text="Do you have a job at the moment?",
            short_text="Do you have a job?",
            help_text="Count any paid job, full-time or part-time.",
            choices=(Choice(YES, "Yes, I have a job"), Choice(NO, "No, I'm between jobs")),
            error="Select whether you have a job at the moment",
        ),
        Question(
            id="approached_how",
            text="How did this interview come about?",
            short_text="How did it come about?",
            help_text="If they came to you, they already want to meet you.",
            choices=(
                Choice("recruiter", "A recruiter found my CV or profile"),
                Choice("word_of_mouth", "Someone passed my name on"),
                Choice("applied", "I applied for the job myself"),
                Choice("other", "Some other way"),
            ),
            error="Select how this interview came about",
        ),
        Question(
            id="last_interviewed",
            text="When did you last go to a job interview?",
            short_text="When was your last interview?",
            help_text="Include interviews for jobs you did not take.",
            choices=(
                Choice("within_year", "In the last 12 months"),
                Choice("one_to_three_years", "One to three years ago"),
                Choice("over_three_years", "More than three years ago"),
            ),
            error="Select when you last went to a job interview",
        ),
        Question(
            id="role_security",
            text="How settled does your current job feel?",
            short_text="How settled is your job?",
            help_text="Think about the next year or so: restructuring, new managers, funding.",
            choices=(
                Choice("settled", "Settled: no big change expected"),
                Choice("some_change", "Some change is in the air"),
                Choice("uncertain", "It could change at short notice"),
            ),
            error="Select how settled your current job feels",
        ),
        Question(
            id="open_to_other_roles",
            text="Would you consider a different role there from the one first mentioned?",
            short_text="Would you consider another role there?",
            help_text="They may suggest another job after they meet you.",
            choices=_yes_no_unsure(),
            error="Select whether you would consider a different role there",
        ),
        Question(
            id="would_negotiate",
            text="If they made you an offer, would you try to negotiate the terms?",
            short_text="Would you negotiate an offer?",
            help_text="For example pay, hours, remote working or job title.",
            choices=_yes_no_unsure(),
            error="Select whether you would try to negotiate the terms",
        ),
        Question(
            id="priorities",
            text="What would you most like this interview to give you?",
            short_text="What do you want from it?",
            help_text=(
                "Select any that apply, or none. Your result shows these first, or says why "
                "your other answers rule one out."
            ),
            choices=tuple(Choice(f.id, f.priority_label) for f in REASONS if f.priority_label),
            multiple=True,
            required=False,
        ),
        Question(
            id="can_interview_confidentially",
            text="Can you go to the interview without your employer finding out?",
            short_text="Can you go without your employer knowing?",
            help_text=(
                "Think about taking the time, where it would be held and who might see you. A "
                "video call outside your working hours may be easier to keep private."
            ),
            choices=_yes_no_unsure(),
            error="Select whether you can go without your employer finding out",
        ),
        Question(
            id="job_at_risk_if_discovered",
            text="If your employer found out, would your job be at risk?",
            short_text="Would your job be at risk if found out?",
            help_text=(
                "For example, if people who look for other jobs are pushed out where you work."
            ),
            choices=_yes_no_unsure(),
            error="Select whether your job would be at risk if your employer found out",
        ),
        Question(
            id="agreement_bars_employer",
            text="Does an agreement stop you joining the employer you would be interviewing with?",
            short_text="Does an agreement stop you joining them?",
            help_text=(
                "For example a non-compete clause in your contract or a separate agreement. "
                "Joining a competitor is not a problem in itself: what matters is what you "
                "agreed to."
            ),
            choices=_yes_no_unsure(no="No, or I have no such agreement"),
            error="Select whether an agreement stops you joining this employer",
        ),
        Question(
            id="time_off_puts_job_at_risk",
            text="Would taking time off for the interview put your job at risk?",
            short_text="Would time off put your job at risk?",
            help_text=(
                "For example, under an attendance policy. If you could meet them by video or "
                "outside your working hours, you may not need time off."
            ),
            choices=_yes_no_unsure(),
            error="Select whether taking time off would put your job at risk",
        ),
    )
}

# The five facts the engine decides on; the rest make the reasons personal.
CORE_FACTS: tuple[str, ...] = (
    "employed",
    "can_interview_confidentially",
    "job_at_risk_if_discovered",
    "agreement_bars_employer",
    "time_off_puts_job_at_risk",
)
