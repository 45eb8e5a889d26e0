"""Every save of a review is kept as it was saved; no one can change or delete a record, and
deleting the assessment deletes its history."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from advice.models import HR_REVIEWER_GROUP, Assessment, ReviewRecord
from advice.services import assessment_delete
from tests.helpers.assessments import make_assessment
from tests.helpers.second_factor import log_in_verified

pytestmark = pytest.mark.django_db


def change_url(assessment):
    return f"/admin/advice/assessment/{assessment.pk}/change/"


def save_review(client, assessment, notes, status="reviewed"):
    response = client.post(change_url(assessment), {"review_status": status, "review_notes": notes})
    assert response.status_code == 302


def second_reviewer():
    user = get_user_model().objects.create_user(
        "second@example.org", password="x" * 20, is_staff=True
    )
    user.groups.add(Group.objects.get(name=HR_REVIEWER_GROUP))
    client = Client()
    log_in_verified(client, user)
    return client


def history(client, assessment):
    html = client.get(change_url(assessment)).content.decode()
    rows = re.findall(r'<tr class="hr-history-record">(.*?)</tr>', html, re.S)
    return [re.findall(r"<td>(.*?)</td>", row, re.S)[1:] for row in rows]


def test_every_save_is_kept_newest_first_and_every_reviewer_sees_it(reviewer_client):
    assessment, _ = make_assessment()
    save_review(reviewer_client, assessment, "Called back.", status="new")
    save_review(reviewer_client, assessment, "Offered an evening slot.")
    other = second_reviewer()
    save_review(other, assessment, "Checked again.")
    expected = [
        ["second@example.org", "Reviewed", "Checked again."],
        ["reviewer@example.org", "Reviewed", "Offered an evening slot."],
        ["reviewer@example.org", "New", "Called back."],
    ]
    assert history(reviewer_client, assessment) == expected
    assert history(other, assessment) == expected
    # The assessment holds the latest review; the history keeps the note it replaced.
    assessment.refresh_from_db()
    assert assessment.review_notes == "Checked again."


def test_no_admin_address_opens_changes_or_deletes_a_record(reviewer_client, admin_client):
    assessment, _ = make_assessment()
    save_review(reviewer_client, assessment, "Kept.")
    record = ReviewRecord.objects.get()
    for client in (reviewer_client, admin_client):
        for path in (
            "/admin/advice/reviewrecord/",
            f"/admin/advice/reviewrecord/{record.pk}/change/",
            f"/admin/advice/reviewrecord/{record.pk}/delete/",
        ):
            assert client.get(path).status_code == 404, path
            assert client.post(path, {"post": "yes", "notes": "rewritten"}).status_code in (
                403,
                404,
            ), path
    assert ReviewRecord.objects.get().notes == "Kept."


@pytest.mark.db_engine
def test_the_database_refuses_to_change_or_delete_a_record_of_an_existing_assessment():
    assessment, _ = make_assessment()
    ReviewRecord.objects.create(assessment=assessment, status="reviewed", reviewer="a@b.org")
    record = ReviewRecord.objects.get()
    row = "advice_reviewrecord (id, assessment_id, status, notes, reviewer, saved_at)"
    row += " VALUES (%s, %s, %s, %s, %s, %s)"
    values = [record.pk, assessment.pk, "new", "rewritten", "x", record.saved_at]
    replace = {
        # SQLite's REPLACE deletes the old row without firing a DELETE trigger.
        "sqlite": f"INSERT OR REPLACE INTO {row}",
        "postgresql": f"INSERT INTO {row} ON CONFLICT (id) DO UPDATE SET notes = EXCLUDED.notes",
    }[connection.vendor]

    def raw_replace():
        with connection.cursor() as cursor:
            cursor.execute(replace, values)

    for attempt in (
        lambda: ReviewRecord.objects.update(notes="rewritten"),
        lambda: ReviewRecord.objects.all().delete(),
        raw_replace,
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert ReviewRecord.objects.get().notes == ""


@pytest.mark.db_engine
def test_deleting_or_purging_the_assessment_deletes_its_history(reviewer_client, admin_client):
    kept, _ = make_assessment()
    by_person, token = make_assessment()
    by_admin, _ = make_assessment()
    purged, _ = make_assessment()
    for assessment in (kept, by_person, by_admin, purged):
        save_review(reviewer_client, assessment, "Noted.")
    assert assessment_delete(token=token)
    response = admin_client.post(f"/admin/advice/assessment/{by_admin.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    Assessment.objects.filter(pk=purged.pk).update(created_at="2000-01-01T00:00Z")
    call_command("purge_assessments", "--older-than", "30", stdout=io.StringIO())
    assert list(ReviewRecord.objects.values_list("assessment_id", flat=True)) == [kept.pk]
