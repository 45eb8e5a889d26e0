"""CSV export: header, rows, formula neutralising, streaming, filters and access."""

import csv
import inspect
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advice.csv_export import (
    HEADER,
    HEADER_IN_WORDS,
    csv_response,
    lines,
    neutralise,
    rows,
)
from advice.factors import FACTORS
from advice.flow import FACTS_IN_ORDER
from advice.models import Assessment
from tests.helpers.assessments import make_assessment, mark_reviewed
from tests.helpers.questionnaire import (
    CAUTION_ANSWERS,
    GO_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
)

LIST = "/admin/advice/assessment/"
EXPORT = "/admin/advice/assessment/export/"
EXPORT_IDS = "/admin/advice/assessment/export/ids/"


def read(response) -> list[dict]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def header(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)))


def test_export_for_scripts_names_every_fact_and_the_cited_factors_by_id(reviewer_client):
    assert header(reviewer_client.get(EXPORT_IDS)) == [
        "reference",
        "created_at",
        "verdict",
        "employed",
        "approached_how",
        "last_interviewed",
        "role_security",
        "open_to_other_roles",
        "would_negotiate",
        "priorities",
        "can_interview_confidentially",
        "job_at_risk_if_discovered",
        "agreement_bars_employer",
        "time_off_puts_job_at_risk",
        "exceptions",
        "uncertain",
        "reasons",
        "rules_version",
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "review_notes",
    ]
    assert list(HEADER[3 : 3 + len(FACTS_IN_ORDER)]) == list(FACTS_IN_ORDER)


def test_one_row_per_assessment_with_its_answers_and_verdict_by_id(reviewer_client):
    passed, _ = make_assessment(PASS_ANSWERS)
    response = reviewer_client.get(EXPORT_IDS)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="assessments-ids-')
    [row] = read(response)
    assert row["reference"] == passed.reference
    assert row["verdict"] == "pass"
    assert row["employed"] == "yes"
    assert row["can_interview_confidentially"] == "no"
    assert row["job_at_risk_if_discovered"] == "yes"
    assert row["priorities"] == "other_roles"
    assert row["exceptions"] == "confidentiality"
    assert row["uncertain"] == ""
    assert row["reasons"].split(";")[0] == "other_roles"
    assert "networking" in row["reasons"].split(";")
    assert row["review_status"] == "new"
    assert row["reviewed_by"] == row["reviewed_at"] == row["review_notes"] == ""
    created = timezone.localtime(passed.created_at).isoformat(timespec="seconds")
    assert row["created_at"] == created


def test_unasked_questions_are_left_empty(reviewer_client):
    make_assessment(UNEMPLOYED_ANSWERS)
    [row] = read(reviewer_client.get(EXPORT_IDS))
    assert row["employed"] == "no"
    assert row["reasons"] == "unemployed"
    assert all(row[fact] == "" for fact in FACTS_IN_ORDER if fact != "employed")


def test_rows_come_newest_first(reviewer_client):
    old, _ = make_assessment()
    Assessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    new, _ = make_assessment()
    assert [row["Reference"] for row in read(reviewer_client.get(EXPORT))] == [
        new.reference,
        old.reference,
    ]


def test_review_is_exported(reviewer_client, reviewer):
    assessment, _ = make_assessment()
    mark_reviewed(Assessment.objects.filter(pk=assessment.pk), reviewer=reviewer)
    Assessment.objects.filter(pk=assessment.pk).update(review_notes="Called back, line 2\nok")
    [row] = read(reviewer_client.get(EXPORT_IDS))
    assert row["review_status"] == "reviewed"
    assert row["reviewed_by"] == "reviewer@example.org"
    assert row["reviewed_at"]
    assert row["review_notes"] == "Called back, line 2\nok"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "\t'=1"),
        (" =1", "' =1"),
        # A spreadsheet that splits on ";" or a tab makes a cell of what follows each.
        ("fine;=1+1", "fine;'=1+1"),
        ("fine; -2", "fine;' -2"),
        ("a\t@b;c;\uff1dd", "a\t'@b;c;'\uff1dd"),
        ("=1;=2", "'=1;'=2"),
        ("fine; ok", "fine; ok"),
        # A quote after the separator, or a line break, starts a cell just the same.
        ('x;"=1+1', "x;'\"=1+1"),
        ("ok\n=1+1", "ok\n'=1+1"),
        ("ok\r\n@SUM(A1)", "ok\r\n'@SUM(A1)"),
        ('"quoted" text', '"quoted" text'),
        ("\r=1", "\r'=1"),
        # Look-alikes a spreadsheet may read as the sign itself, and invisible characters first.
        ("\uff1d1+2", "'\uff1d1+2"),
        ("\uff0b33 1 23", "'\uff0b33 1 23"),
        ("\uff0d2+3", "'\uff0d2+3"),
        ("\uff20SUM(A1:A2)", "'\uff20SUM(A1:A2)"),
        ("\u200b=1+2", "'\u200b=1+2"),
        ("\ufeff=1+2", "'\ufeff=1+2"),
        ("\u200d\u2060\u200b@SUM(A1)", "'\u200d\u2060\u200b@SUM(A1)"),
        ("\u200bplain", "\u200bplain"),
        ("\uff41=1", "\uff41=1"),
        ("plain text", "plain text"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_notes_that_look_like_formulas_are_neutralised(reviewer_client, reviewer):
    risky = '=HYPERLINK("http://evil.example","click")'
    assessment, _ = make_assessment()
    Assessment.objects.filter(pk=assessment.pk).update(review_notes=risky)
    [row] = read(reviewer_client.get(EXPORT))
    assert row["Notes"] == "'" + risky


def test_a_reviewer_name_that_looks_like_a_formula_is_neutralised(reviewer_client):
    odd = get_user_model().objects.create_user("@admin", is_staff=True)
    assessment, _ = make_assessment()
    mark_reviewed(Assessment.objects.filter(pk=assessment.pk), reviewer=odd)
    [row] = read(reviewer_client.get(EXPORT))
    assert row["Reviewed by"] == "'@admin"


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_spreadsheet_splitting_on_another_separator_finds_no_formula(reviewer_client, separator):
    assessment, _ = make_assessment()
    Assessment.objects.filter(pk=assessment.pk).update(review_notes='fine;=1+1\t=2+2;"=3+3\n=4+4')
    text = b"".join(reviewer_client.get(EXPORT).streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]
    assert not [cell for cell in cells if cell.lstrip(' "').startswith(("=", "+", "-", "@"))]


@pytest.mark.db_engine
def test_export_is_streamed_from_a_generator(reviewer_client):
    for _ in range(3):
        make_assessment()
    with CaptureQueriesContext(connection) as queries:
        response = reviewer_client.get(EXPORT)
    assert response.streaming
    assert inspect.isgenerator(lines(rows(Assessment.objects.all())))
    # No row has been read yet, only counted as the list counts them: rows are read as they
    # are sent.
    read = [q["sql"] for q in queries if "advice_assessment" in q["sql"]]
    assert [sql.startswith("SELECT COUNT(*)") for sql in read] == [True]
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(chunks)
    assert first.decode() == "\ufeff"
    assert next(chunks).decode().startswith("Reference,Saved,Verdict,")
    assert not any("advice_assessment" in q["sql"] for q in queries)
    with CaptureQueriesContext(connection) as queries:
        rest = b"".join(chunks).decode()
    assert rest.count("\n") == 3
    assert len([q for q in queries if "advice_assessment" in q["sql"]]) == 1


def test_text_is_sent_in_chunks_of_about_the_size_asked():
    header = ["a", "b"]
    many = [header, *([f"row {i}", "x" * 50] for i in range(200))]
    chunks = list(lines(iter(many), chunk_bytes=1000))
    assert chunks[0] == "a,b\r\n"
    assert all(1000 <= len(chunk) < 1100 for chunk in chunks[1:-1])
    assert len(chunks) > 10
    assert "".join(chunks).count("\r\n") == 201


def test_a_row_that_fills_a_chunk_is_sent_at_once_and_no_chunk_is_empty():
    row = ["abc", "def"]  # "abc,def\r\n": 9 characters
    chunks = list(lines(iter([["a"], row, row, row]), chunk_bytes=9))
    assert chunks == ["a\r\n", "abc,def\r\n", "abc,def\r\n", "abc,def\r\n"]


@pytest.mark.db_engine
def test_export_reads_the_database_in_chunks(reviewer_client, monkeypatch):
    """The rows are fetched in chunks of CHUNK_SIZE, never all at once."""
    import advice.csv_export

    monkeypatch.setattr(advice.csv_export, "CHUNK_SIZE", 2)
    for _ in range(5):
        make_assessment()
    sizes = []
    original = Assessment.objects.none().__class__.iterator

    def spy(self, chunk_size=None):
        sizes.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(Assessment.objects.none().__class__, "iterator", spy)
    rows = read(reviewer_client.get(EXPORT))
    assert len(rows) == 5
    assert sizes == [2]


def test_export_follows_the_list_filters(reviewer_client):
    make_assessment(GO_ANSWERS)
    caution, _ = make_assessment(CAUTION_ANSWERS)
    passed, _ = make_assessment(PASS_ANSWERS)
    for export in (EXPORT, EXPORT_IDS):
        rows = read(reviewer_client.get(export, {"verdict__exact": "pass"}))
        assert [row.get("reference", row.get("Reference")) for row in rows] == [passed.reference]
    rows = read(reviewer_client.get(EXPORT, {"uncertain": "employment_agreement"}))
    assert [row["Reference"] for row in rows] == [caution.reference]
    rows = read(reviewer_client.get(EXPORT, {"q": passed.reference}))
    assert [row["Reference"] for row in rows] == [passed.reference]


def test_export_of_bad_filters_drops_them(reviewer_client):
    make_assessment()
    response = reviewer_client.get(EXPORT, {"nonsense": "1"})
    assert response.status_code == 302
    assert response["Location"] == EXPORT


def test_action_exports_the_selection_only(reviewer_client):
    chosen = [make_assessment()[0] for _ in range(2)]
    make_assessment()
    response = reviewer_client.post(
        LIST, {"action": "download_selected", "_selected_action": [a.pk for a in chosen]}
    )
    assert response.status_code == 200
    assert {row["Reference"] for row in read(response)} == {a.reference for a in chosen}


def test_list_links_to_the_export_of_the_same_filters(reviewer_client):
    make_assessment()
    page = reviewer_client.get(LIST, {"verdict__exact": "go"}).text
    assert f'href="{EXPORT}?verdict__exact=go&amp;review=new"' in page
    assert f'href="{EXPORT_IDS}?verdict__exact=go&amp;review=new"' in page


def test_the_csv_for_people_starts_with_a_byte_order_mark_and_is_in_words(reviewer_client):
    passed, _ = make_assessment(PASS_ANSWERS)
    Assessment.objects.filter(pk=passed.pk).update(review_notes="Café “on Friday”")
    body = b"".join(reviewer_client.get(EXPORT).streaming_content)
    assert body.startswith(b"\xef\xbb\xbfReference,Saved,Verdict,Do you have a job?,")
    [row] = read(reviewer_client.get(EXPORT))
    assert row["Verdict"] == "Pass"
    assert row["Do you have a job?"] == "Yes, I have a job"
    assert row["Can you go without your employer knowing?"] == "No"
    assert row["What do you want from it?"] == "Other roles there"
    assert row["Reasons to pass that apply"] == "Can't keep it private"
    assert "Networking" in row["Reasons to go"].split(";")
    assert row["Review"] == "New"
    assert row["Notes"] == "Café “on Friday”"


def test_the_csv_names_a_verdict_as_the_admin_does(reviewer_client):
    make_assessment(CAUTION_ANSWERS)
    make_assessment(UNEMPLOYED_ANSWERS)
    rows = read(reviewer_client.get(EXPORT, {"review": "all"}))
    assert sorted(row["Verdict"] for row in rows) == ["Check first", "Go"]
    unemployed = next(row for row in rows if row["Verdict"] == "Go")
    assert unemployed["Reasons to go"] == "Between jobs"
    assert unemployed["How did it come about?"] == ""


def test_the_csv_for_people_is_named_after_today_and_never_stored(db):
    today = timezone.localdate().isoformat()
    for in_words, name in (
        (True, f"assessments-{today}.csv"),
        (False, f"assessments-ids-{today}.csv"),
    ):
        response = csv_response(Assessment.objects.all(), in_words=in_words)
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["Cache-Control"] == "no-store"


def test_rows_are_in_words_unless_asked_for_ids(db):
    make_assessment(CAUTION_ANSWERS)
    header, row = rows(Assessment.objects.all())
    assert header == list(HEADER_IN_WORDS)
    unsure = row[HEADER_IN_WORDS.index("Reasons to pass they were unsure about")]
    assert unsure == FACTORS["employment_agreement"].label


def test_a_factor_the_catalogue_no_longer_has_is_exported_by_its_id(reviewer_client):
    make_assessment()
    Assessment.objects.update(reasons=["networking", "retired_reason"])
    [row] = read(reviewer_client.get(EXPORT))
    assert row["Reasons to go"] == f"{FACTORS['networking'].label};retired_reason"
