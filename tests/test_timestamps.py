"""When an assessment was saved is kept and shown no finer than the hour.

To the second, the time could be matched against the proxy's access log to find the address
of the person who confirmed. The hour is local, so an assessment stays on its local day and
the summary's weeks, the date filters and retention keep working.
"""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import formats, timezone

from advice.models import Assessment, to_the_hour
from tests.helpers.assessments import make_assessment

pytestmark = pytest.mark.django_db

LIST = "/admin/advice/assessment/"


def local_day(moment: datetime):
    """Return the local day ``moment`` is counted on by the date filters and weekly counts."""
    return timezone.localdate(moment)


def on_the_hour(moment: datetime) -> bool:
    local = timezone.localtime(moment)
    return (local.minute, local.second, local.microsecond) == (0, 0, 0)


def test_an_assessment_is_saved_to_the_hour():
    before = timezone.now()
    assessment, _ = make_assessment()
    assessment.refresh_from_db()
    assert on_the_hour(assessment.created_at)
    assert to_the_hour(before) <= assessment.created_at <= timezone.now()


def test_the_list_and_the_csv_show_no_more_than_the_hour(reviewer_client):
    make_assessment()
    hour = timezone.localtime(Assessment.objects.get().created_at)
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(reviewer_client.get(f"{LIST}export/ids/").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0]["created_at"] == hour.isoformat(timespec="seconds")
    assert rows[0]["created_at"][13:19] == ":00:00"
    page = reviewer_client.get(LIST).text
    shown = re.search(r'<td class="field-created_at nowrap">([^<]*)<', page).group(1)
    assert shown == formats.localize(hour)  # "2 Dec 2026, 3 p.m.": no minutes
    assert ":" not in shown


def test_the_list_shows_the_newest_first_within_an_hour(reviewer_client):
    saved = [make_assessment()[0] for _ in range(3)]
    Assessment.objects.update(created_at=to_the_hour(timezone.now()))
    page = reviewer_client.get(f"{LIST}?review=all").text
    positions = [page.index(assessment.reference) for assessment in saved]
    assert positions == sorted(positions, reverse=True)
    # The review queue runs the other way: oldest first.
    queue = reviewer_client.get(LIST).text
    assert [queue.index(a.reference) for a in saved] == sorted(
        queue.index(a.reference) for a in saved
    )


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "Asia/Kolkata", "America/St_Johns"])
def test_the_local_hour_keeps_the_local_day(settings, zone):
    settings.TIME_ZONE = zone
    moment = datetime(2026, 3, 1, 18, 45, 12, 345678, tzinfo=UTC)
    hour = to_the_hour(moment)
    assert on_the_hour(hour)
    assert hour <= moment
    assert moment - hour < timedelta(hours=1)
    assert local_day(hour) == local_day(moment)
