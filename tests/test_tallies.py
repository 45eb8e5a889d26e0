"""The daily tallies always add up to the rows, whichever way assessments are written."""

import importlib
import threading
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from advice.models import Assessment, DailyTally, ReviewStatus
from advice.services import (
    assessment_create,
    assessment_delete,
    assessment_save_review,
    assessments_delete,
)
from advice.summary import summarise, summarise_days, totals
from advice.tallies import (
    COLUMNS,
    count_expressions,
    recount,
    start_of,
    tally_columns,
    tally_day,
)
from bench.tools import grow
from tests.conftest import make_assessment
from tests.test_fuzz import FUZZ
from tests.walk import CAUTION_ANSWERS, GO_ANSWERS, PASS_ANSWERS, UNEMPLOYED_ANSWERS

pytestmark = pytest.mark.django_db

LIST = "/admin/advice/assessment/"
ANSWERS = [
    GO_ANSWERS,
    CAUTION_ANSWERS,
    PASS_ANSWERS,
    UNEMPLOYED_ANSWERS,
    {**GO_ANSWERS, "time_off_puts_job_at_risk": "unsure"},
    {**PASS_ANSWERS, "agreement_bars_employer": "yes", "would_negotiate": "no"},
]


@contextmanager
def saved_at(moment: datetime):
    """Save assessments as if it were ``moment``: their created_at default gives it."""
    field = Assessment._meta.get_field("created_at")
    with mock.patch.object(field, "get_default", return_value=moment):
        yield


def days_ago(days: int, *, hour: int = 12) -> datetime:
    return start_of(timezone.localdate() - timedelta(days=days)) + timedelta(hours=hour)


def make_on(days: int, answers=None, *, hour: int = 12) -> tuple[Assessment, str]:
    with saved_at(days_ago(days, hour=hour)):
        return make_assessment(answers)


def counted_from_rows() -> dict[date, dict[str, int]]:
    """Return the tallies as the rows add up, one assessment at a time."""
    expected: dict[date, dict[str, int]] = {}
    for assessment in Assessment.objects.all():
        counts = expected.setdefault(tally_day(assessment.created_at), dict.fromkeys(COLUMNS, 0))
        for name, count in tally_columns(assessment).items():
            counts[name] += count
    return expected


def stored_tallies() -> dict[date, dict[str, int]]:
    rows = DailyTally.objects.filter(total__gt=0).values("day", *COLUMNS)
    return {row.pop("day"): row for row in rows}


def assert_tallies_match_rows():
    assert stored_tallies() == counted_from_rows()
    # A day whose assessments have all gone counts nothing at all.
    for row in DailyTally.objects.filter(total=0).values(*COLUMNS):
        assert set(row.values()) == {0}
    assert summarise_days(None, None) == summarise(Assessment.objects.all())


def review(assessment: Assessment, status: str, reviewer) -> None:
    """Save a review as the admin's form does."""
    assessment.review_status = status
    assessment.record_review(reviewer=reviewer)
    assessment_save_review(assessment=assessment)


def test_tally_columns_are_the_summary_counts():
    fields = [f.name for f in DailyTally._meta.concrete_fields if f.name not in ("id", "day")]
    assert fields == list(COLUMNS)
    assert list(count_expressions()) == list(COLUMNS)
    assert set(totals(Assessment.objects.all())) == {*COLUMNS, "first", "last"}


def test_a_new_assessment_counts_in_on_its_local_day(settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    moment = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # 2 March, 09:30 in Auckland
    with saved_at(moment):
        assessment, _ = make_assessment(PASS_ANSWERS)
    tally = DailyTally.objects.get()
    assert tally.day == date(2026, 3, 2)
    assert {name: getattr(tally, name) for name in COLUMNS} == tally_columns(assessment)
    assert (tally.total, tally.verdict_pass, tally.reviewed) == (1, 1, 0)


def test_the_same_token_twice_counts_once():
    answers, token = GO_ANSWERS, "the-same-token"
    assessment_create(answers=answers, token=token)
    assessment_create(answers=answers, token=token)
    assert DailyTally.objects.get().total == 1
    assert_tallies_match_rows()


def test_every_write_path_keeps_the_tallies_equal_to_the_rows(
    client, reviewer_client, admin_client
):
    made = [make_on(days, answers) for days in (0, 0, 1, 3, 3, 40) for answers in ANSWERS[:3]]
    make_on(2, UNEMPLOYED_ANSWERS, hour=0)  # the first moment of a day
    make_on(2, ANSWERS[4], hour=23)
    assert_tallies_match_rows()

    # The person deletes their own assessment.
    assert client.post(f"/result/{made[0][1]}/delete/").status_code == 302
    assert_tallies_match_rows()

    # A reviewer records a review, sets it back to new, and edits notes only.
    first, second = made[1][0], made[2][0]
    form = {"review_status": "reviewed", "review_notes": "seen"}
    assert reviewer_client.post(f"{LIST}{first.pk}/change/", form).status_code == 302
    assert_tallies_match_rows()
    assert reviewer_client.post(f"{LIST}{first.pk}/change/", form).status_code == 302
    assert reviewer_client.post(f"{LIST}{second.pk}/change/", form).status_code == 302
    form = {"review_status": "new", "review_notes": "again"}
    assert reviewer_client.post(f"{LIST}{second.pk}/change/", form).status_code == 302
    assert_tallies_match_rows()

    # The bulk action, over new and already reviewed ones on several days.
    chosen = [a.pk for a, _ in made[1:12]]
    action = {"action": "mark_reviewed", "_selected_action": chosen}
    assert reviewer_client.post(LIST, action).status_code == 302
    assert_tallies_match_rows()

    # A superuser deletes one, then a selection.
    assert admin_client.post(f"{LIST}{made[3][0].pk}/delete/", {"post": "yes"}).status_code == 302
    assert_tallies_match_rows()
    selection = {"action": "delete_selected", "post": "yes"}
    selection["_selected_action"] = [a.pk for a, _ in made[4:8]]
    assert admin_client.post(LIST, selection).status_code == 302
    assert not Assessment.objects.filter(pk__in=selection["_selected_action"]).exists()
    assert_tallies_match_rows()

    # The daily purge, with a cutoff in the middle of a day.
    call_command("purge_assessments", "--older-than", "2", stdout=StringIO())
    assert not Assessment.objects.filter(created_at__lt=timezone.now() - timedelta(days=2)).exists()
    assert_tallies_match_rows()
    assert not DailyTally.objects.filter(day__lt=tally_day(days_ago(3))).exists()


@hypothesis_settings(FUZZ, max_examples=50)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["create", "delete", "review", "unreview", "bulk", "admin delete"]),
            st.integers(0, 9),  # which: a day for a create, an assessment for the rest
            st.integers(0, len(ANSWERS) - 1),
        ),
        max_size=25,
    ),
    purge_after=st.one_of(st.none(), st.integers(0, 9)),
)
def test_any_sequence_of_writes_keeps_the_tallies_equal_to_the_rows(reviewer, steps, purge_after):
    Assessment.objects.all().delete()
    DailyTally.objects.all().delete()
    tokens: dict[int, str] = {}
    for step, which, answers in steps:
        rows = list(Assessment.objects.order_by("pk"))
        chosen = rows[which % len(rows)] if rows else None
        if step == "create" or chosen is None:
            assessment, tokens_key = make_on(which, ANSWERS[answers], hour=answers * 4)
            tokens[assessment.pk] = tokens_key
        elif step == "delete":
            assert assessment_delete(token=tokens[chosen.pk])
        elif step in ("review", "unreview"):
            status = ReviewStatus.REVIEWED if step == "review" else ReviewStatus.NEW
            review(chosen, status, reviewer)
        elif step == "bulk":
            Assessment.objects.filter(pk__gte=chosen.pk).mark_reviewed(reviewer=reviewer)
        else:
            assessments_delete(queryset=Assessment.objects.filter(pk__lte=chosen.pk))
    if purge_after is not None:
        call_command("purge_assessments", "--older-than", str(purge_after), stdout=StringIO())
    assert_tallies_match_rows()


def test_recount_repairs_the_days_in_its_range_only():
    for days in (0, 1, 5, 9):
        make_on(days)
    moved = Assessment.objects.get(created_at=days_ago(5))
    # Changed with SQL, behind the tallies' back: from 5 days ago to 7.
    Assessment.objects.filter(pk=moved.pk).update(created_at=days_ago(7))
    assert stored_tallies() != counted_from_rows()

    days = recount(tally_day(days_ago(6)), tally_day(days_ago(4)))
    assert days == 0  # nothing is left on those days, and their tallies are gone
    assert not DailyTally.objects.filter(day=tally_day(days_ago(5))).exists()
    assert tally_day(days_ago(7)) not in stored_tallies()  # outside the range: untouched

    assert recount() == 4
    assert_tallies_match_rows()


def test_deleting_from_a_day_without_a_tally_recounts_that_day(client):
    _, token = make_on(1)
    make_on(1)
    DailyTally.objects.all().delete()  # as after restoring assessments without tallies
    assert client.post(f"/result/{token}/delete/").status_code == 302
    assert_tallies_match_rows()


def test_a_review_on_a_day_whose_tally_is_out_of_step_recounts_that_day(reviewer):
    assessment, _ = make_on(1)
    make_on(1)
    DailyTally.objects.all().delete()
    review(assessment, ReviewStatus.REVIEWED, reviewer)
    assert_tallies_match_rows()
    DailyTally.objects.update(reviewed=0)  # setting it back to new would make it -1
    review(assessment, ReviewStatus.NEW, reviewer)
    assert_tallies_match_rows()


def test_the_migration_counts_the_assessments_saved_before_it():
    fill = importlib.import_module("advice.migrations.0006_fill_daily_tallies").fill
    for days in (0, 0, 2, 30):
        make_on(days, PASS_ANSWERS)
    Assessment.objects.filter(pk=Assessment.objects.first().pk).update(
        review_status=ReviewStatus.REVIEWED, reviewed_at=timezone.now()
    )
    DailyTally.objects.all().delete()
    fill(django_apps, None)
    assert_tallies_match_rows()


def test_recount_tallies_command_recounts_every_day_or_a_range():
    for days in (0, 3):
        make_on(days)
    DailyTally.objects.all().delete()
    out = StringIO()
    call_command("recount_tallies", stdout=out)
    assert "Recounted the tallies of every day: 2 days have assessments." in out.getvalue()
    assert_tallies_match_rows()

    DailyTally.objects.all().delete()
    day = tally_day(days_ago(3)).isoformat()
    call_command("recount_tallies", "--from", day, "--to", day, stdout=out)
    assert f"the days from {day} to {day}: 1 days" in out.getvalue()
    assert list(stored_tallies()) == [tally_day(days_ago(3))]


@pytest.mark.parametrize(
    "args",
    [["--from", "someday"], ["--to", "2026-02-30"], ["--from", "2026-03-02", "--to", "2026-03-01"]],
)
def test_recount_tallies_refuses_bad_days(args):
    with pytest.raises(CommandError):
        call_command("recount_tallies", *args)


def test_seeded_assessments_are_tallied_on_the_days_they_are_moved_to():
    call_command(
        "seed_assessments", "--count", "40", "--days", "20", "--seed", "3", stdout=StringIO()
    )
    assert len(stored_tallies()) > 10
    assert_tallies_match_rows()


def test_grown_copies_are_tallied():
    for days in (0, 4):
        make_on(days)
    assert grow(10)["count"] == 10
    assert_tallies_match_rows()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"]["NAME"],
    reason="SQLite's shared in-memory test database locks tables instead of waiting",
)
def test_two_creates_on_a_new_day_both_count():
    """The second create finds no tally for the day while the first has yet to commit it."""
    first_saved = threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                make_assessment()
                first_saved.set()
                time.sleep(0.5)  # the second create now tries to make the same tally row
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(5)
            make_assessment()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert DailyTally.objects.get().total == 2
    assert_tallies_match_rows()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"]["NAME"],
    reason="SQLite's shared in-memory test database locks tables instead of waiting",
)
def test_many_simultaneous_creates_on_a_new_day_all_count():
    barrier = threading.Barrier(8)

    def create():
        try:
            connection.ensure_connection()  # so that the creates start together
            barrier.wait()
            make_assessment()
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Assessment.objects.count() == 8
    assert DailyTally.objects.get().total == 8
    assert_tallies_match_rows()
