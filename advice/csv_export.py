"""Stream assessments as CSV: one row per assessment, safe to open in a spreadsheet.

Rows are read from the database in chunks and written out as they are read, so memory stays
flat however many assessments are exported. Columns use the stable fact and factor ids.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from .factors import QUESTIONS, STEPS

FACT_IDS: tuple[str, ...] = tuple(step.question for step in STEPS)
HEADER: tuple[str, ...] = (
    "reference",
    "created_at",
    "verdict",
    *FACT_IDS,
    "exceptions",
    "uncertain",
    "reasons",
    "rules_version",
    "review_status",
    "reviewed_by",
    "reviewed_at",
    "review_notes",
)
CHUNK_SIZE = 2000  # rows fetched from the database at a time
CHUNK_BYTES = 64 * 1024  # text sent to the client at a time
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"


def neutralise(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text, never runs it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _answer(fact: str, answers: dict) -> str:
    value = answers.get(fact, "")
    if QUESTIONS[fact].multiple:
        return LIST_SEPARATOR.join(value)
    return str(value)


def rows(queryset: QuerySet) -> Iterator[list[str]]:
    """Yield the header, then one row per assessment, reading the database in chunks."""
    yield list(HEADER)
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
            verdict,
            *(_answer(fact, answers) for fact in FACT_IDS),
            LIST_SEPARATOR.join(exceptions),
            LIST_SEPARATOR.join(uncertain),
            LIST_SEPARATOR.join(reasons),
            rules_version,
            review_status,
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


def csv_response(queryset: QuerySet) -> StreamingHttpResponse:
    """Return a response that streams ``queryset`` as a CSV download named after today."""
    filename = f"assessments-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(lines(rows(queryset)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
