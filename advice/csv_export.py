"""Stream assessments as CSV: one row per assessment, safe to open in a spreadsheet.

Two versions of the same rows: one for people, with headers and values in words as the admin
shows them, and one for scripts, with the stable fact and factor ids. Rows are read from the
database in chunks and written out as they are read, so memory stays flat however many
assessments are exported. Both start with a UTF-8 byte-order mark, so that spreadsheet
programs read accents and curly quotes in notes as they were typed.
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from .factors import FACTORS, QUESTIONS
from .flow import FACTS_IN_ORDER
from .models import ReviewStatus, Verdict

HEADER: tuple[str, ...] = (
    "reference",
    "created_at",
    "verdict",
    *FACTS_IN_ORDER,
    "exceptions",
    "uncertain",
    "reasons",
    "rules_version",
    "review_status",
    "reviewed_by",
    "reviewed_at",
    "review_notes",
)
HEADER_IN_WORDS: tuple[str, ...] = (
    "Reference",
    "Saved",
    "Verdict",
    *(QUESTIONS[fact].short_text for fact in FACTS_IN_ORDER),
    "Reasons to pass that apply",
    "Reasons to pass they were unsure about",
    "Reasons to go",
    "Rules version",
    "Review",
    "Reviewed by",
    "Reviewed",
    "Notes",
)
CHUNK_SIZE = 2000  # rows fetched from the database at a time
CHUNK_BYTES = 64 * 1024  # text sent to the client at a time
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@")
# Unicode's format characters take no space (a zero-width space or joiner, a byte-order mark,
# a direction mark), so a spreadsheet shows what follows them first.
INVISIBLE_CATEGORY = "Cf"
LIST_SEPARATOR = ";"
# Where a spreadsheet may start a cell besides after a comma: after a separator it may be set
# to split on (";" or a tab), or on a new line; kept in the split.
OTHER_SEPARATORS = re.compile(r"([;\t\r\n])")
BYTE_ORDER_MARK = "\ufeff"
VERDICTS = dict(Verdict.choices)
REVIEW_STATUSES = dict(ReviewStatus.choices)


def neutralise(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text, never runs it as a formula.

    The check reads the value as a spreadsheet might: look-alike signs (a fullwidth ``＝``)
    as the sign itself, and spaces or invisible characters in front (a zero-width space) as
    nothing.
    A spreadsheet set to split on ";" or a tab, as many locales are, starts a cell after each
    of them, and a row after each line break, whatever the quotes say, so each such piece is
    read the same way.
    """
    first, *rest = OTHER_SEPARATORS.split(value)
    # rest alternates: a separator, then the piece a spreadsheet would make a cell of.
    after = "".join(
        piece if index % 2 == 0 else _neutralise_piece(piece) for index, piece in enumerate(rest)
    )
    return _neutralise_piece(first + after)


def _neutralise_piece(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    first = next((c for c in text if not _skipped(c)), "")
    return f"'{value}" if first in FORMULA_STARTS else value


def _skipped(character: str) -> bool:
    """Whether a spreadsheet may pass over ``character`` before reading a formula: spaces,
    tabs and line breaks (some trim them), a quote (one that splits on ";" reads a quote after
    it as the start of a quoted cell), and characters that take no space."""
    return (
        character.isspace()
        or character == '"'
        or unicodedata.category(character) == INVISIBLE_CATEGORY
    )


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _answer(fact: str, answers: dict, *, in_words: bool) -> str:
    question = QUESTIONS[fact]
    value = answers.get(fact, "")
    values = value if question.multiple else [value] if value else []
    if in_words:
        values = [question.label_for(v) for v in values]
    return LIST_SEPARATOR.join(values)


def _factors(ids: list[str], *, in_words: bool) -> str:
    # An id the catalogue no longer has (an older assessment's) is written as it was saved.
    names = (FACTORS[i].label if in_words and i in FACTORS else i for i in ids)
    return LIST_SEPARATOR.join(names)


def rows(queryset: QuerySet, *, in_words: bool = True) -> Iterator[list[str]]:
    """Yield the header, then one row per assessment, reading the database in chunks."""
    yield list(HEADER_IN_WORDS if in_words else HEADER)
    reviewer = f"reviewed_by__{get_user_model().USERNAME_FIELD}"
    values = queryset.values_list(
        "token_hash",
        "created_at",
        "verdict",
        "answers",
        "exceptions",
        "uncertain",
        "reasons",
        "rules_version",
        "review_status",
        reviewer,
        "reviewed_at",
        "review_notes",
    )
    for (
        token_hash,
        created_at,
        verdict,
        answers,
        exceptions,
        uncertain,
        reasons,
        rules_version,
        review_status,
        reviewed_by,
        reviewed_at,
        notes,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        cells = [
            token_hash[:10],
            _when(created_at),
            VERDICTS[verdict] if in_words else verdict,
            *(_answer(fact, answers, in_words=in_words) for fact in FACTS_IN_ORDER),
            _factors(exceptions, in_words=in_words),
            _factors(uncertain, in_words=in_words),
            _factors(reasons, in_words=in_words),
            rules_version,
            REVIEW_STATUSES[review_status] if in_words else review_status,
            reviewed_by or "",
            _when(reviewed_at),
            notes,
        ]
        yield [neutralise(cell) for cell in cells]


class _Buffer:
    """A file-like object that collects what csv.writer writes until it is taken."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, value: str) -> None:
        self.parts.append(value)
        self.size += len(value)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        return text


def lines(rows: Iterable[list[str]], *, chunk_bytes: int = CHUNK_BYTES) -> Iterator[str]:
    """Yield the CSV text: the header on its own, then about ``chunk_bytes`` at a time."""
    buffer = _Buffer()
    writer = csv.writer(buffer)
    rows = iter(rows)
    writer.writerow(next(rows))
    yield buffer.take()
    for row in rows:
        writer.writerow(row)
        if buffer.size >= chunk_bytes:
            yield buffer.take()
    if buffer.size:
        yield buffer.take()


def csv_response(queryset: QuerySet, *, in_words: bool = True) -> StreamingHttpResponse:
    """Return a response that streams ``queryset`` as a CSV download named after today."""
    kind = "" if in_words else "-ids"
    filename = f"assessments{kind}-{timezone.localdate().isoformat()}.csv"
    text = itertools.chain([BYTE_ORDER_MARK], lines(rows(queryset, in_words=in_words)))
    response = StreamingHttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
