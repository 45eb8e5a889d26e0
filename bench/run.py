"""`make bench`: the app's pages under gunicorn against a bare Django view, in one table.

docs/benchmarks.md says what it measures, in which order, and how to read the table.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
from base64 import b32decode
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from django_otp.oath import totp

from bench import BARE_PATH, report
from bench.loadtest import walk
from bench.page import post_form, preferring
from bench.server import bench_env, manage
from bench.tools import call
from tests.helpers.server import ROOT, gunicorn

WORK = ROOT / "bench" / ".work"
ADMIN_USER = "bench-admin"
SECOND_FACTOR = "/admin/second-factor/"
ADMIN_PAGES = {
    # Every assessment on both, as the list would otherwise open on the review queue.
    "admin list": "/admin/advice/assessment/?review=all",
    "admin summary": "/admin/advice/assessment/summary/?review=all",
}
# Answers under which every question is asked.
EVERY_QUESTION = {"employed": "yes", "can_interview_confidentially": "unsure"}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def wrk(url: str, *, seconds: float, connections: int, cookie: str = "", body: str = "") -> dict:
    """Request ``url`` over and over with wrk; return requests/s, p99 and the errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk.lua"), url]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "WRK_BODY": body}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def cookie_of(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def answer(session: requests.Session, base: str, path: str) -> tuple[str, list]:
    """Answer the form at ``path`` as a person preferring EVERY_QUESTION; return where it led."""
    form = post_form(session.get(base + path).text, path)
    body = form.answer(preferring(EVERY_QUESTION))
    answered = session.post(base + form.action, data=body, allow_redirects=False)
    if answered.status_code != 302:
        raise RuntimeError(f"POST {form.action}: {answered.status_code}\n{answered.text[:2000]}")
    return answered.headers["Location"], body


def to_the_check_page(base: str) -> tuple[requests.Session, list[str]]:
    """Answer every question as one new person; return them and the question pages they saw."""
    person, questions = requests.Session(), []
    path = person.get(base + "/questions/", allow_redirects=False).headers["Location"]
    while path != "/questions/check/":
        questions.append(path)
        path, _ = answer(person, base, path)
    return person, questions


def targets(base: str) -> list[tuple[str, str, str, str]]:
    """Return the pages to measure: name, path, cookie and, for a POST, the body."""
    person, questions = to_the_check_page(base)
    cookie = cookie_of(person)
    found = [(f"GET {path}", path, cookie, "") for path in questions]
    newcomer = requests.Session()  # answering the first question, again and again
    _, body = answer(newcomer, base, questions[0])
    found.append((f"POST {questions[0]}", questions[0], cookie_of(newcomer), urlencode(body)))
    found.append(("GET /questions/check/", "/questions/check/", cookie, ""))
    result, _ = answer(to_the_check_page(base)[0], base, "/questions/check/")
    return [*found, ("GET /result/<token>/", result, "", "")]


def admin_cookie(base: str, password: str) -> str:
    admin = requests.Session()
    form = post_form(admin.get(base + "/admin/login/").text, "/admin/login/")
    body = [*form.hidden, ("username", ADMIN_USER), ("password", password)]
    admin.post(base + form.action, data=body, allow_redirects=False)
    # The second factor: the new superuser enrols an app on the page, as a person would, and
    # types the code it would show.
    page = admin.get(base + SECOND_FACTOR).text
    secret = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page)
    if secret is None:
        raise RuntimeError("the benchmark's superuser could not log in")
    key = b32decode(secret.group(1).replace(" ", ""))
    form = post_form(page, SECOND_FACTOR)
    body = [*form.hidden, ("code", f"{totp(key):06d}")]
    confirmed = admin.post(base + form.action, data=body, allow_redirects=False)
    if confirmed.status_code != 200 or "backup codes" not in confirmed.text:
        raise RuntimeError("the benchmark's superuser could not pass the second factor")
    return cookie_of(admin)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fresh_database(database_url: str, work: Path) -> tuple[str, str | None]:
    """Return the URL to run on, and the PostgreSQL database to drop afterwards, if any."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{work / 'bench.sqlite3'}", None
    parts = urlsplit(database_url)
    name = f"{parts.path.strip('/') or 'advisor'}_bench"
    call(bench_env(database_url, work), f"database({name!r}, create=True)")
    return urlunsplit(parts._replace(path=f"/{name}")), name


def measure(args, env: dict[str, str], results: dict) -> None:
    """Fill ``results`` with the measurements of one run on the database ``env`` names."""
    log("migrate, collectstatic, seed, superuser")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "seed_assessments", "--count", str(args.small), "--seed", "7")
    password = secrets.token_urlsafe(24)
    admin = {**env, "DJANGO_SUPERUSER_PASSWORD": password}
    manage(admin, "createsuperuser", "--noinput", f"--username={ADMIN_USER}", "--email=b@b.org")
    with gunicorn(WORK, workers=2, **env) as port:
        base = f"http://127.0.0.1:{port}"

        def page(name: str, path: str, cookie="", body="", connections=args.connections) -> None:
            log(f"  {name}")
            # wrk counts any 2xx or 3xx as success: make sure it is the answer a person gets.
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            method, expected = ("POST", 302) if body else ("GET", 200)
            once = requests.request(
                method, base + path, data=body, headers=headers, allow_redirects=False
            )
            if once.status_code != expected:
                raise RuntimeError(f"{name}: {once.status_code}, not {expected}")
            request = {"cookie": cookie, "body": body, "connections": connections}
            wrk(base + path, seconds=args.warmup, **request)
            figures = wrk(base + path, seconds=args.seconds, **request)
            results["pages"].append({"name": name, "connections": connections, **figures})

        log(f"wrk, {args.seconds} s a page at {args.connections} connections")
        page("bare view (first)", BARE_PATH)
        for name, path, cookie, body in targets(base):
            page(name, path, cookie, body)
        page("bare view (last)", BARE_PATH)
        cookie = admin_cookie(base, password)
        for name, path in ADMIN_PAGES.items():
            page(f"{name}, {args.small:,} assessments", path, cookie, connections=2)

        log(f"locust: {args.questionnaires:,} questionnaires from {args.clients} people")
        results["walk"] = walk(port, env, questionnaires=args.questionnaires, clients=args.clients)
        log(f"growing to {args.large:,} assessments")
        grown = call(env, f"grow({args.large})")
        log(f"  and {grown['counted_days']} days of question counts")
        results["counted_days"] = grown["counted_days"]
        for name, path in ADMIN_PAGES.items():
            page(f"{name}, {grown['count']:,} assessments", path, cookie, connections=2)
        log("CSV export of every assessment")
        results["csv"] = call(env, f"csv_memory({ADMIN_USER!r})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk's run a page (5)")
    parser.add_argument("--warmup", type=int, default=1, help="wrk's warm-up a page (1)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--questionnaires", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32, help="locust's people (32)")
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed: run bench/install-wrk.sh (make bench does)")

    started = time.perf_counter()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    database_url, dropped = fresh_database(args.database_url, WORK)
    env = bench_env(database_url, WORK / "static")
    results = {
        "database": "PostgreSQL" if dropped else "SQLite",
        "machine": f"{os.cpu_count()} CPUs, {platform.platform()}, {platform.python_version()}",
        "load_before": load(),
        "connections": args.connections,
        "seconds": args.seconds,
        "pages": [],
    }
    try:
        measure(args, env, results)
    finally:
        if dropped:
            call(bench_env(args.database_url, WORK), f"database({dropped!r}, create=False)")
    results["load_after"] = load()
    results["minutes"] = round((time.perf_counter() - started) / 60, 1)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M %Z")
    (WORK / "results.json").write_text(json.dumps(results, indent=2))
    print(report.table(results))
    log(f"done in {results['minutes']} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
