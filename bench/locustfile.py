"""Locust's people, each filling in whole questionnaires from the pages' own forms (bench.page).

Any status other than a browser expects is a failure. BENCH_QUESTIONNAIRES is how many
questionnaires all the people fill in between them; then the run stops. Run by bench.loadtest.
"""

import itertools
import os
import random
from urllib.parse import urlencode, urlsplit

import gevent
from gevent.event import Event
from locust import FastHttpUser, events, task
from locust.exception import RescheduleTask, StopUser

from advice.demo import WEIGHTS
from bench.page import name_of, post_form, weighted

QUESTIONNAIRES = int(os.environ.get("BENCH_QUESTIONNAIRES", "100"))
numbers = itertools.count()
ended = 0
all_ended = Event()


class Person(FastHttpUser):
    def request(self, method: str, path: str, expected: int, body: str | None = None):
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        options = {"name": name_of(path), "data": body, "headers": headers}
        with self.client.request(
            method, path, allow_redirects=False, catch_response=True, **options
        ) as response:
            if response.status_code == expected:
                response.success()
            else:
                response.failure(f"{method} {name_of(path)}: {response.status_code}")
        if response.status_code != expected:
            raise RescheduleTask  # give up this questionnaire; the next one starts afresh
        return response

    @task
    def fill_in(self):
        global ended
        number = next(numbers)
        if number >= QUESTIONNAIRES:
            raise StopUser
        choose = weighted(WEIGHTS, random.Random(number))
        self.client.cookiejar.clear()  # each questionnaire is a new person
        try:
            # "Start now", as a person presses it: a form on the start page.
            start = post_form(self.request("GET", "/", 200).text, "/")
            path = self.request("POST", start.action, 302, urlencode(start.hidden))
            path = path.headers["Location"]
            while not urlsplit(path).path.startswith("/result/"):
                page = self.request("GET", path, 200)
                form = post_form(page.text, path)
                body = urlencode(form.answer(choose))
                path = self.request("POST", form.action, 302, body).headers["Location"]
            self.request("GET", path, 200)
        finally:
            ended += 1
            if ended == QUESTIONNAIRES:
                all_ended.set()


def quit_once_all_ended(environment) -> None:
    all_ended.wait()
    environment.runner.quit()


@events.init.add_listener
def watch_for_the_end(environment, **_kwargs) -> None:
    """Quit the run from a greenlet of its own once the last questionnaire has ended.

    ``runner.quit()`` stops every person's greenlet; called from a person's task, it would end
    that greenlet halfway through and leave locust waiting for its time limit.
    """
    gevent.spawn(quit_once_all_ended, environment)
