"""The benchmark harness's pure pieces (`make bench` itself is not part of the test run)."""

import random

from bench import report, wrk
from bench.client import (
    CookieJar,
    answer_fields,
    asset_urls,
    form_action,
    form_inputs,
    longest_path,
    parse_response,
    percentile,
    weighted_choice,
)

STEP_PAGE = """
<link rel="stylesheet" href="/static/vendor/bootstrap/bootstrap.min.abc.css">
<link rel="stylesheet" href="/static/css/site.def.css">
<script src="/static/js/app.123.js" defer></script>
<form method="post" action="/questions/employment/" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
  <input type="hidden" name="questionnaire_view-current_step" value="employment">
  <input type="radio" class="form-check-input" name="employment-employed" value="yes" checked>
  <input type="radio" class="form-check-input" name="employment-employed" value="no">
  <button type="submit" name="wizard_goto_step" value="check">Back</button>
</form>
"""


def test_a_chunked_response_is_read_whole_with_its_headers():
    raw = (
        b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:8765/questions/approach/\r\n"
        b"Set-Cookie: sessionid=abc; HttpOnly; Path=/\r\n"
        b"Set-Cookie: csrftoken=xyz; Path=/\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    response = parse_response(raw)
    assert response.status == 302
    assert response.body == b"hello world"
    assert response.location == "/questions/approach/"
    jar = CookieJar()
    jar.update(response)
    assert jar.header() == "sessionid=abc; csrftoken=xyz"


def test_an_expired_cookie_leaves_the_jar():
    jar = CookieJar()
    jar.cookies["sessionid"] = "abc"
    jar.update(parse_response(b'HTTP/1.1 200 OK\r\nSet-Cookie: sessionid=""; Max-Age=0\r\n\r\n'))
    assert jar.cookies == {}


def test_the_walk_answers_the_form_the_page_serves():
    inputs = form_inputs(STEP_PAGE)
    assert [i.name for i in inputs][:2] == [
        "csrfmiddlewaretoken",
        "questionnaire_view-current_step",
    ]
    assert inputs[2].checked and not inputs[3].checked
    data = answer_fields(inputs, longest_path, random.Random(1))
    assert data == [
        ("csrfmiddlewaretoken", "tok&en"),
        ("questionnaire_view-current_step", "employment"),
        ("employment-employed", "yes"),
    ]
    never_employed = weighted_choice({"employed": {"yes": 0, "no": 1}})
    assert answer_fields(inputs, never_employed, random.Random(1))[-1] == (
        "employment-employed",
        "no",
    )
    assert form_action(STEP_PAGE, "/") == "/questions/employment/"


def test_the_first_page_weight_counts_every_stylesheet_and_script():
    assert asset_urls(STEP_PAGE) == [
        "/static/vendor/bootstrap/bootstrap.min.abc.css",
        "/static/css/site.def.css",
        "/static/js/app.123.js",
    ]


def test_wrk_scripts_quote_cookies_and_bodies_safely():
    script = wrk.lua_script(
        wrk.Target("/x/", method="POST", body='a=1&b="2"', headers={"Cookie": "s=1"})
    )
    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = "a=1&b=\\0342\\034"' in script
    assert 'wrk.headers["Cookie"] = "s=1"' in script


def test_wrk_figures_are_read_from_the_scripts_json_line():
    output = (
        "Running 5s test\n"
        'BENCH_JSON {"requests":1000,"duration_us":5000000,"bytes":2000000,"connect":0,'
        '"read":0,"write":0,"status":2,"timeout":1,"p50_us":4000,"p90_us":6000,'
        '"p99_us":12500,"max_us":30000,"mean_us":4500.0}\n'
    )
    figures = wrk.parse_output(output)
    assert figures["rps"] == 200.0
    assert figures["p50_ms"] == 4.0 and figures["p99_ms"] == 12.5
    assert figures["errors"] == 3
    assert figures["error_kinds"] == {"status": 2, "timeout": 1}


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([], 50) == 0.0


def test_a_page_below_its_share_of_the_bare_view_misses_its_target():
    step = {"name": "q", "kind": "step GET", "rps": 600, "p99_ms": 20.0, "errors": 0}
    assert report.page_met(step, baseline=5000) is True
    assert report.page_met({**step, "rps": 500}, baseline=5000) is False
    assert report.page_met({**step, "p99_ms": 60.0}, baseline=5000) is False
    assert report.page_met({**step, "kind": "admin"}, baseline=5000) is None
    run = {"database": "SQLite", "baseline": {"rps": 5000}, "pages": [{**step, "rps": 500}]}
    (check,) = report.checks(run)[:1]
    assert not check.met
    assert "10.0%" in check.measured
