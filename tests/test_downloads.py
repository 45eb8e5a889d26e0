"""Download what's new: exactly the assessments saved since this reviewer's last download,
with the list's filters; the list says how many; the first time, everything."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from advice.models import HR_REVIEWER_GROUP
from tests.helpers.assessments import make_assessment
from tests.helpers.questionnaire import GO_ANSWERS, PASS_ANSWERS
from tests.helpers.second_factor import log_in_verified

pytestmark = pytest.mark.django_db

LIST = "/admin/advice/assessment/?review=all"
EXPORT = "/admin/advice/assessment/export/?review=all"
EXPORT_NEW = "/admin/advice/assessment/export/new/?review=all"


def references(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return sorted(row["Reference"] for row in csv.DictReader(io.StringIO(text)))


def new_count(client, query="?review=all") -> int:
    html = client.get("/admin/advice/assessment/" + query).content.decode()
    return int(re.search(r'<span class="hr-new-count">(\d+)</span>', html).group(1))


def saved(*answers) -> list[str]:
    return sorted(make_assessment(a)[0].reference for a in answers)


def test_the_first_time_everything_is_new(reviewer_client):
    everything = saved(GO_ANSWERS, PASS_ANSWERS)
    assert new_count(reviewer_client) == 2
    assert references(reviewer_client.get(EXPORT_NEW)) == everything


def test_then_exactly_what_was_saved_since_the_last_download(reviewer_client):
    saved(GO_ANSWERS, PASS_ANSWERS)
    references(reviewer_client.get(EXPORT))  # any download of the list moves the mark
    assert new_count(reviewer_client) == 0
    later = saved(GO_ANSWERS, GO_ANSWERS, PASS_ANSWERS)
    assert new_count(reviewer_client) == 3
    assert references(reviewer_client.get(EXPORT_NEW)) == later
    assert new_count(reviewer_client) == 0
    assert references(reviewer_client.get(EXPORT_NEW)) == []


def test_what_s_new_keeps_to_the_list_s_filters(reviewer_client):
    references(reviewer_client.get(EXPORT))
    passes = saved(PASS_ANSWERS)
    saved(GO_ANSWERS)
    assert new_count(reviewer_client, "?review=all&verdict__exact=pass") == 1
    filtered = reviewer_client.get(EXPORT_NEW + "&verdict__exact=pass")
    assert references(filtered) == passes


def test_each_reviewer_has_their_own_mark(reviewer_client):
    first = saved(GO_ANSWERS)
    references(reviewer_client.get(EXPORT_NEW))
    other = get_user_model().objects.create_user("b@example.org", password="x" * 20, is_staff=True)
    other.groups.add(Group.objects.get(name=HR_REVIEWER_GROUP))
    other_client = Client()
    log_in_verified(other_client, other)
    assert references(other_client.get(EXPORT_NEW)) == first
    assert new_count(reviewer_client) == 0


def test_an_assessment_saved_while_a_download_runs_is_in_the_next_one_only(reviewer_client):
    saved(GO_ANSWERS)
    running = reviewer_client.get(EXPORT_NEW)  # started, not yet read
    during = saved(PASS_ANSWERS)
    assert during[0] not in references(running)
    assert references(reviewer_client.get(EXPORT_NEW)) == during


def test_the_list_links_to_what_s_new_with_its_filters(reviewer_client):
    html = reviewer_client.get(LIST + "&verdict__exact=go").content.decode()
    assert 'href="/admin/advice/assessment/export/new/?review=all&amp;verdict__exact=go"' in html
