"""The article's factors, questions and steps, kept as data.

Ids are stable (docs/rules.md lists them): the engine, the database, the CSV export and the
result page's ``data-factor`` attributes all use them. Quotes are short verbatim extracts
from the article; everything else is written in the project's own words. A change here is a
reviewed code change, and a change that alters what people are told needs a new
``rules.RULES_VERSION``.
"""

from __future__ import annotations

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

REASON = "reason"
EXCEPTION = "exception"
SPECIAL = "special"


@dataclass(frozen=True)
class Factor:
    id: str
    kind: str  # REASON, EXCEPTION or SPECIAL
    label: str  # its short name on HR's screens: the admin, the summary and the CSV
    title: str  # for an exception: its title when it applies
    explanation: str
    quote: str
    # Exceptions only. What to do when it applies; its title and what to check when the
    # person is not sure; and the answers that settle it either way.
    next_step: str = ""
    unsure_title: str = ""
    unsure_next_step: str = ""
    clear_if: str = ""  # completes "If ..., ": when the exception does not apply
    applies_if: str = ""  # completes "If ..., ": when it does
    # Answers that make it not apply (any one of them), and answers that make it apply.
    clears_when: tuple[tuple[tuple[str, str], ...], ...] = ()
    applies_when: tuple[tuple[str, str], ...] = ()
    # Reasons only: the short label used when asking which reasons matter most.
    priority_label: str = ""


REASONS: tuple[Factor, ...] = (
    Factor(
        id="networking",
        kind=REASON,
        label="Networking",
        title="You widen your network",
        explanation=(
            "Every interview puts you in front of people who hire: the recruiter, the hiring "
            "manager, perhaps their colleagues. Leaving a good impression now helps the next "
            "time you need a contact, and recruiters remember people they would like to call "
            "again."
        ),
        quote="Each interview is a networking opportunity.",
        priority_label="Contacts for later",
    ),
    Factor(
        id="practice",
        kind=REASON,
        label="Interview practice",
        title="You practise while little is at stake",
        explanation=(
            "Interviewing is a skill that fades without use. An interview you do not need to "
            "win is a calm place to sharpen your answers or try an example you were unsure of."
        ),
        quote=(
            "Interviewing under this less stressful situation can help prepare you for when "
            "the position is something you covet."
        ),
        priority_label="Interview practice",
    ),
    Factor(
        id="preparedness",
        kind=REASON,
        label="Ready for change",
        title="You are ready if your job changes",
        explanation=(
            "Even secure roles can change with little warning. Someone who interviews now and "
            "then can start a real search much faster than someone starting from cold."
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
        title="You negotiate from strength",
        explanation=(
            "You do not need this job, and employers know that people who are happily "
            "employed are in demand. That gives you room to ask for terms that would truly "
            "be worth a move."
        ),
        quote="Employers often covet those passive job seekers who are gainfully employed.",
        priority_label="Better pay or terms",
    ),
    Factor(
        id="nothing_to_lose",
        kind=REASON,
        label="Little to lose",
        title="It costs you little",
        explanation=(
            "Apart from the time in your diary, going usually costs nothing. The role may "
            "surprise you; if it does not, you can turn it down politely and carry on."
        ),
        quote="You usually have nothing to lose (other than some time out of your calendar).",
    ),
    Factor(
        id="other_roles",
        kind=REASON,
        label="Other roles",
        title="Another role may fit better",
        explanation=(
            "Once they have met you, an employer may think of you for a different opening "
            "than the one first mentioned, perhaps one you would like more."
        ),
        quote=("The position you are interviewing for may not be the one they consider you for."),
        priority_label="Other roles there",
    ),
)

EXCEPTIONS: tuple[Factor, ...] = (
    Factor(
        id="confidentiality",
        kind=EXCEPTION,
        label="Can't keep it private",
        title="You cannot keep it private, and your job could suffer",
        explanation=(
            "If you cannot interview without your employer finding out, and finding out "
            "could cost you your job or get you treated worse, the interview could cost more "
            "than it gives."
        ),
        quote=(
            "If you are in a situation where you don’t feel that you can interview for the "
            "position confidentially and it places your current job at risk, it makes sense "
            "to pass."
        ),
        next_step=(
            "Ask for a discreet video call or an out-of-hours slot. If that is not possible, "
            "decline politely."
        ),
        unsure_title="Your employer might find out, and your job might suffer",
        unsure_next_step=(
            "Ask for a discreet time or a video call, and find out how your employer treats "
            "job hunting."
        ),
        clear_if="you could keep it private, or your job would not suffer",
        applies_if="you cannot keep it private and your job would suffer",
        clears_when=(
            (("can_interview_confidentially", "yes"),),
            (("job_at_risk_if_discovered", "no"),),
        ),
        applies_when=(("can_interview_confidentially", "no"), ("job_at_risk_if_discovered", "yes")),
    ),
    Factor(
        id="employment_agreement",
        kind=EXCEPTION,
        label="Employment agreement",
        title="An employment agreement stops you taking this job",
        explanation=(
            "A non-compete or similar clause may forbid you from joining the employer you "
            "would interview with, for example a direct competitor. If it does, an offer "
            "would be one you could not accept."
        ),
        quote=(
            "You may be in a situation where you have an employment agreement that would not "
            "allow you to accept a position with this prospective employer."
        ),
        next_step=(
            "Check the agreement's wording and end date, and take advice if it is unclear. "
            "If it does bar them, decline politely."
        ),
        unsure_title="An agreement may stop you taking this job",
        unsure_next_step=(
            "Before you accept an offer, check your contract and any agreement you signed, "
            "and take advice if the wording is unclear."
        ),
        clear_if="your agreement does not cover the employer you would interview with",
        applies_if="your agreement does bar you from the employer you would interview with",
        clears_when=((("agreement_bars_employer", "no"),),),
        applies_when=(("agreement_bars_employer", "yes"),),
    ),
    Factor(
        id="attendance_policy",
        kind=EXCEPTION,
        label="Time off puts job at risk",
        title="Taking the time would count against you at work",
        explanation=(
            "If your employer's attendance rules, or your situation at work, mean that time "
            "away for an interview could count against you, the interview is not worth that "
            "risk."
        ),
        quote=(
            "If carving out the time to interview would place you at risk, perhaps with your "
            "company’s Attendance Policy, then interviewing is probably not a good idea."
        ),
        next_step=(
            "Ask for a time outside working hours or a video call. If that is not possible, "
            "decline politely."
        ),
        unsure_title="Taking the time might count against you at work",
        unsure_next_step=(
            "Check your leave rules, and ask for a time outside working hours or a video call."
        ),
        clear_if="you can take the time without it counting against you at work",
        applies_if="taking the time would count against you at work",
        clears_when=((("time_off_puts_job_at_risk", "no"),),),
        applies_when=(("time_off_puts_job_at_risk", "yes"),),
    ),
)

UNEMPLOYED = Factor(
    id="unemployed",
    kind=SPECIAL,
    label="Between jobs",
    title="You are looking for work",
    explanation=(
        "The article weighs up interviews for people who already have a job. If you are "
        "between jobs, there is nothing to weigh: an invitation to interview is worth taking."
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
    fact: str
    values: tuple[str, ...]
    note: str  # shown with the reason: why it fits this person


EMPHASES: tuple[Emphasis, ...] = (
    Emphasis(
        "networking",
        "approached_how",
        ("recruiter",),
        "A recruiter sought you out. Good recruiters keep a list of people to call again.",
    ),
    Emphasis(
        "networking",
        "approached_how",
        ("word_of_mouth",),
        "Someone passed your name on: the people you meet may do the same later.",
    ),
    Emphasis(
        "practice",
        "last_interviewed",
        ("one_to_three_years", "over_three_years"),
        "Your last interview was more than a year ago.",
    ),
    Emphasis(
        "preparedness",
        "role_security",
        ("some_change", "uncertain"),
        "You said your job may change.",
    ),
    Emphasis(
        "preparedness",
        "last_interviewed",
        ("over_three_years",),
        "After more than three years without an interview, a search takes longer to start.",
    ),
    # The article's passive candidate: approached for a job they did not apply for.
    Emphasis(
        "leverage",
        "approached_how",
        ("recruiter", "word_of_mouth"),
        "They came to you: you did not apply, so you do not need this job.",
    ),
    Emphasis("leverage", "would_negotiate", (YES,), "You would negotiate an offer."),
    Emphasis(
        "other_roles",
        "open_to_other_roles",
        (YES,),
        "You would consider another role there.",
    ),
)
# A reason the person's answer rules out: they would not negotiate, or want no other role.
RULED_OUT_BY: dict[str, tuple[str, str]] = {
    "leverage": ("would_negotiate", NO),
    "other_roles": ("open_to_other_roles", NO),
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
            help_text=(
                "If they came to you and you did not apply, you can go as someone who does "
                "not need the job."
            ),
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
            help_text="Employers sometimes suggest another opening after meeting someone.",
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
                "Select any that apply, or none. Your result puts these reasons to go first."
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
                "Think about taking the time, where it would be held and who might see you."
            ),
            choices=_yes_no_unsure(),
            error="Select whether you can go without your employer finding out",
        ),
        Question(
            id="job_at_risk_if_discovered",
            text="If your employer found out, could you lose your job or be treated worse?",
            short_text="Could you lose your job or be treated worse?",
            help_text="For example if job hunting is seen as disloyal where you work.",
            choices=_yes_no_unsure(),
            error="Select whether you could lose your job or be treated worse",
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
            text="Could taking time off for the interview count against you at work?",
            short_text="Could time off count against you?",
            help_text=(
                "For example a warning under an attendance policy, or leave you cannot get."
            ),
            choices=_yes_no_unsure(),
            error="Select whether taking time off could count against you at work",
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
