"""The session backend: Django's database sessions, with the hot statements sent directly."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from advice.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_reads_and_writes_the_same_rows_as_djangos_backend():
    theirs = django_db.SessionStore()
    theirs["answers"] = {"employment-employed": ["yes"]}
    theirs.save()
    ours = SessionStore(theirs.session_key)
    assert ours["answers"] == {"employment-employed": ["yes"]}
    ours["answers"] = {"employment-employed": ["no"]}
    ours.save()
    assert django_db.SessionStore(theirs.session_key)["answers"] == {"employment-employed": ["no"]}
    assert Session.objects.filter(session_key=theirs.session_key).count() == 1


def test_saving_renews_the_expiry_date():
    store = SessionStore()
    store["step"] = 1
    store.save()
    row = Session.objects.filter(session_key=store.session_key)
    row.update(expire_date=timezone.now() + timedelta(seconds=5))
    store["step"] = 2
    store.save()
    row = row.get()
    assert row.expire_date > timezone.now() + timedelta(minutes=50)


def test_an_expired_session_reads_as_empty_and_is_saved_under_a_new_key():
    store = SessionStore()
    store["step"] = 1
    store.save()
    old_key = store.session_key
    Session.objects.filter(session_key=old_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(old_key)
    assert again.get("step") is None
    again["step"] = 2
    again.save()
    assert again.session_key != old_key
    assert SessionStore(again.session_key)["step"] == 2


def test_an_unknown_key_reads_as_empty():
    assert SessionStore("x" * 32).get("step") is None


def test_saving_a_session_whose_row_was_deleted_meanwhile_fails_like_djangos():
    store = SessionStore()
    store["step"] = 1
    store.save()
    store.load()
    Session.objects.filter(session_key=store.session_key).delete()
    store["step"] = 2
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(session_key=store.session_key).exists()


def test_the_questionnaire_runs_on_it(client, settings):
    assert settings.SESSION_ENGINE == "advice.sessions"
    client.get("/questions/")
    response = client.post(
        "/questions/employment/",
        {"questionnaire_view-current_step": "employment", "employment-employed": "yes"},
    )
    assert response.status_code == 302
    stored = SessionStore(client.cookies["sessionid"].value)
    assert stored["wizard_questionnaire_view"]["step_data"]["employment"] == {
        "employment-employed": ["yes"]
    }


def test_a_new_key_that_is_taken_already_is_replaced_by_another(monkeypatch):
    taken = SessionStore()
    taken["step"] = 1
    taken.save()
    keys = iter([taken.session_key, "b" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    store = SessionStore()
    store["step"] = 2
    store.save()
    assert store.session_key == "b" * 32
    assert SessionStore(taken.session_key)["step"] == 1
    assert SessionStore("b" * 32)["step"] == 2
