"""Download what's new: exactly the assessments saved since this reviewer last downloaded the
new ones with the same filters; the list says how many; the first time, everything. Only the
list's button, a POST, moves the mark."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from advice.models import HR_REVIEWER_GROUP, DownloadMark
from tests.helpers.assessments import make_assessment
from tests.helpers.questionnaire import GO_ANSWERS, PASS_ANSWERS
from tests.helpers.second_factor import log_in_verified

pytestmark = pytest.mark.django_db

LIST = "/admin/advice/assessment/?review=all"
EXPORT = "/admin/advice/assessment/export/?review=all"
EXPORT_NEW = "/admin/advice/assessment/export/new/?review=all"


def references(response) -> list[str]:
    assert response.status_code == 200
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
    assert references(reviewer_client.post(EXPORT_NEW)) == everything


def test_then_exactly_what_was_saved_since(reviewer_client):
    saved(GO_ANSWERS, PASS_ANSWERS)
    references(reviewer_client.post(EXPORT_NEW))
    assert new_count(reviewer_client) == 0
    later = saved(GO_ANSWERS, GO_ANSWERS, PASS_ANSWERS)
    assert new_count(reviewer_client) == 3
    assert references(reviewer_client.post(EXPORT_NEW)) == later
    assert new_count(reviewer_client) == 0
    assert references(reviewer_client.post(EXPORT_NEW)) == []


def test_the_other_downloads_and_any_get_leave_the_mark_alone(reviewer_client):
    everything = saved(GO_ANSWERS, PASS_ANSWERS)
    references(reviewer_client.get(EXPORT))
    ids = reviewer_client.get(EXPORT.replace("export/", "export/ids/"))
    assert b"".join(ids.streaming_content).count(b"\n") == 3
    # A link from another site, or a HEAD, is a GET: refused, and nothing moves.
    assert reviewer_client.get(EXPORT_NEW).status_code == 405
    assert reviewer_client.head(EXPORT_NEW).status_code == 405
    assert not DownloadMark.objects.exists()
    assert references(reviewer_client.post(EXPORT_NEW)) == everything


def test_the_button_needs_the_list_s_csrf_token(reviewer):
    client = Client(enforce_csrf_checks=True)
    log_in_verified(client, reviewer)
    saved(GO_ANSWERS)
    assert client.post(EXPORT_NEW).status_code == 403
    html = client.get(LIST).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert client.post(EXPORT_NEW, {"csrfmiddlewaretoken": token}).status_code == 200


def test_each_set_of_filters_has_its_own_mark(reviewer_client):
    saved(PASS_ANSWERS)
    go = saved(GO_ANSWERS)
    passes_only = EXPORT_NEW + "&verdict__exact=pass"
    assert len(references(reviewer_client.post(passes_only))) == 1
    # What the filtered download left out is still new without the filter.
    assert new_count(reviewer_client) == 2
    later_pass = saved(PASS_ANSWERS)
    assert new_count(reviewer_client, "?review=all&verdict__exact=pass") == 1
    assert references(reviewer_client.post(passes_only)) == later_pass
    # The same filters in another order are the same set.
    assert (
        references(
            reviewer_client.post(
                "/admin/advice/assessment/export/new/?verdict__exact=pass&review=all&p=2"
            )
        )
        == []
    )
    assert go[0] in references(reviewer_client.post(EXPORT_NEW))


def test_each_reviewer_has_their_own_mark(reviewer_client):
    first = saved(GO_ANSWERS)
    references(reviewer_client.post(EXPORT_NEW))
    other = get_user_model().objects.create_user("b@example.org", password="x" * 20, is_staff=True)
    other.groups.add(Group.objects.get(name=HR_REVIEWER_GROUP))
    other_client = Client()
    log_in_verified(other_client, other)
    assert references(other_client.post(EXPORT_NEW)) == first
    assert new_count(reviewer_client) == 0


def test_an_assessment_saved_while_a_download_runs_is_in_the_next_one_only(reviewer_client):
    saved(GO_ANSWERS)
    running = reviewer_client.post(EXPORT_NEW)  # started, not yet read
    during = saved(PASS_ANSWERS)
    assert during[0] not in references(running)
    assert references(reviewer_client.post(EXPORT_NEW)) == during


def test_the_list_s_button_posts_to_what_s_new_with_its_filters(reviewer_client):
    html = reviewer_client.get(LIST + "&verdict__exact=go").content.decode()
    assert (
        '<form method="post" action="/admin/advice/assessment/export/new/'
        '?review=all&amp;verdict__exact=go" class="hr-tool-form">' in html
    )
    assert "You have not downloaded the new ones with the filters shown here yet" in html


def test_a_download_of_an_empty_list_leaves_the_first_assessment_new(reviewer_client):
    assert references(reviewer_client.post(EXPORT_NEW)) == []
    first = saved(GO_ANSWERS)
    assert new_count(reviewer_client) == 1
    assert references(reviewer_client.post(EXPORT_NEW)) == first
