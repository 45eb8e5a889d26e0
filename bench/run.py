"""`make bench`: load-test Interview Advisor under gunicorn against a bare Django view.

One run, on a fresh SQLite file (and then on PostgreSQL when ``DATABASE_URL`` names one):

1. migrate, collect static files, seed 1,000 assessments with ``seed_assessments``, make a
   superuser; start gunicorn with production settings (2 sync workers) and
   ``bench.settings``, which adds only the bare view at ``/bench/bare/``;
2. weigh the first page and each question page as served;
3. wrk at 16 connections on each page: the bare view (at the start and at the end), the start
   page, every question page, a question's POST, the check page, a result page, the admin
   list, an assessment, the summary and the CSV export;
4. the admin pages and the CSV export again with 100,000 assessments, with their query
   counts and the workers' peak memory;
5. complete questionnaires per second: many people, each with their own cookies, filling in
   the real forms from the start page to the result page, and whether every confirmation
   saved its row; on SQLite, again with threaded workers (gthread).

Writes bench/results/latest.json and latest.md and prints the Markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import uvloop

from bench import BARE_PATH, report, wrk
from bench.client import (
    CookieJar,
    Walker,
    WalkStats,
    answer_fields,
    asset_urls,
    fetch,
    form_inputs,
    longest_path,
    percentile,
    walk_load,
    weighted_choice,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
HOST = "127.0.0.1"
PORTS = range(8765, 8800)
ADMIN_USER = "bench-admin"
ADMIN_LIST = "/admin/advice/assessment/"
ADMIN_SUMMARY = "/admin/advice/assessment/summary/"
ADMIN_EXPORT = "/admin/advice/assessment/export/"
ACCEPT = {"Accept-Encoding": "gzip, br"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- processes ------------------------------------------------------------------------------


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Django:
    """Run manage.py and bench.tools with the benchmark's environment."""

    def __init__(self, env: dict[str, str], cwd: Path = ROOT):
        self.env, self.cwd = env, cwd

    def manage(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        return self._run([sys.executable, "manage.py", *args], extra_env)

    def tool(self, *args: str) -> dict:
        return json.loads(self._run([sys.executable, "-m", "bench.tools", *args]))

    def _run(self, command: list[str], extra_env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            command,
            cwd=self.cwd,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout


class Gunicorn:
    """gunicorn as `make serve` runs it (gunicorn.conf.py), on a port of the benchmark's own."""

    def __init__(
        self, env, log_path: Path, *, worker_class="sync", threads=1, cwd=ROOT, database=None
    ):
        self.env, self.log_path, self.cwd, self.database = env, log_path, cwd, database
        self.worker_class, self.threads = worker_class, threads
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Gunicorn:
        env = {**self.env, "GUNICORN_BIND": f"{HOST}:{self.port}", "GUNICORN_WORKERS": "2"}
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        command += ["--worker-class", self.worker_class, "--threads", str(self.threads)]
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                command, cwd=self.cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", BARE_PATH)
                if connection.getresponse().status == 200 and len(self.workers()) == 2:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn never answered:\n{self.log_path.read_text()}")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def cpu(self) -> dict[int, float]:
        """Return the CPU seconds (user + system) used so far by each worker and, on a local
        PostgreSQL, by each server process working for the benchmark's database."""
        pids = self.workers() + (database_backends(self.database) if self.database else [])
        used = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
        return used

    def cpu_since(self, before: dict[int, float]) -> float:
        """Return the CPU seconds used since ``before`` by the processes that are there now."""
        return sum(now - before.get(pid, 0.0) for pid, now in self.cpu().items())

    def settle(self, timeout: float = 15.0) -> dict[int, float]:
        """Wait until the workers are idle; return the CPU snapshot taken then.

        When wrk stops, the requests still queued in the listen backlog are served anyway:
        their CPU time must not count towards the next measurement.
        """
        deadline = time.monotonic() + timeout
        before = self.cpu()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.cpu()
            if sum(now.values()) - sum(before.get(pid, 0.0) for pid in now) == 0:
                return now
            before = now
        return before

    def peak_rss_mb(self) -> float:
        """Return the largest VmHWM (peak resident memory) among the workers, in MB."""
        peaks = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return round(max(peaks, default=0.0), 1)

    def log_counts(self) -> dict[str, int]:
        text = self.log_path.read_text(errors="replace")
        watched = (*report.LOCK_MESSAGES, "Traceback", "Internal Server Error")
        counts = {message: text.count(message) for message in watched}
        counts["Service Unavailable"] = text.count("Service Unavailable:")
        counts["WORKER TIMEOUT"] = text.count("WORKER TIMEOUT")
        return counts


def database_backends(name: str) -> list[int]:
    """Return the PIDs of this machine's PostgreSQL server processes serving database ``name``.

    PostgreSQL titles each backend "postgres: <cluster>: <user> <database> <client> <state>".
    """
    wanted = f" {name} ".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and wanted in title:
            pids.append(int(entry.name))
    return pids


# -- the environment ------------------------------------------------------------------------


def post_target(post: dict) -> wrk.Target:
    """Return wrk's target for re-sending ``post``, a question's answer as a browser sends it."""
    return wrk.Target(
        post["path"],
        method="POST",
        body=post["body"],
        headers={"Cookie": post["cookie"], "Content-Type": "application/x-www-form-urlencoded"},
    )


def bench_env(database_url: str, static_root: Path, secret_key: str) -> dict[str, str]:
    """Return production settings for a plain-HTTP loopback run, with the bare view mounted."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_")) and name != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        # Plain HTTP on loopback: no proxy in front to terminate TLS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=str(static_root),
    )
    return env


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    import django
    import gunicorn

    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        [
            "git",
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            "advice",
            "templates",
            "static",
            "interview_advisor",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else "unknown CPU",
        "memory_gb": int(memory.group(1)) / 1024 / 1024 if memory else 0,
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "sqlite": sqlite3.sqlite_version,
        "wrk": " ".join(wrk_version.split()[:2]),
        "code": head + (" with uncommitted changes to the product" if changed else ""),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# -- preparing sessions -----------------------------------------------------------------------


async def admin_login(port: int, password: str) -> CookieJar:
    jar = CookieJar()
    page = await fetch(HOST, port, "GET", "/admin/login/")
    jar.update(page)
    data = [(i.name, i.value) for i in form_inputs(page.text) if i.type == "hidden"]
    data += [("username", ADMIN_USER), ("password", password)]
    response = await fetch(
        HOST,
        port,
        "POST",
        "/admin/login/?next=/admin/",
        headers={"Cookie": jar.header(), "Content-Type": "application/x-www-form-urlencoded"},
        body=urlencode(data).encode(),
    )
    jar.update(response)
    if response.status != 302 or "sessionid" not in jar.cookies:
        raise RuntimeError(f"admin login failed: {response.status} {response.text[:500]}")
    return jar


async def prepare(port: int, password: str) -> dict:
    """Make the sessions and addresses the single-page runs need; weigh the pages."""
    prepared: dict = {}
    admin = await admin_login(port, password)
    prepared["admin_cookie"] = admin.header()
    listing = await fetch(HOST, port, "GET", ADMIN_LIST, headers={"Cookie": admin.header()})
    match = re.search(r'href="(/admin/advice/assessment/\d+/change/)', listing.text)
    if listing.status != 200 or not match:
        raise RuntimeError(f"admin list: {listing.status} {listing.text[:500]}")
    prepared["detail_path"] = match.group(1)

    # A person who has answered every question and reached the check page: any question
    # page, and the check page, can be opened with their cookie.
    stats = WalkStats()
    walker = Walker(HOST, port, stats, longest_path, headers=ACCEPT)
    pages: list[tuple[str, object]] = []
    await walker.walk(random.Random(1), on_page=lambda p, r: pages.append((p, r)), confirm=False)
    if stats.errors:
        raise RuntimeError(f"walking to the check page failed: {stats.samples}")
    prepared["person_cookie"] = walker.jar.header()
    prepared["step_paths"] = [
        p for p, _ in pages if p.startswith("/questions/") and not p.endswith("/check/")
    ]
    check_page = pages[-1][1]

    # Someone answering the first question: its POST body, with their own CSRF token.
    first = await answer_first_question(port, "/questions/")
    prepared["post"] = first

    # A saved result to open.
    stats = WalkStats()
    result_path = await Walker(HOST, port, stats, longest_path).walk(random.Random(2))
    if result_path is None:
        raise RuntimeError(f"walking to a result failed: {stats.samples}")
    prepared["result_path"] = result_path

    # Page weight, as a newcomer's browser receives it.
    start = next(r for p, r in pages if p == "start")
    assets = []
    for url in asset_urls(start.text):
        asset = await fetch(HOST, port, "GET", urlsplit(url).path, headers=ACCEPT)
        assets.append(
            {
                "name": url.rsplit("/", 1)[-1],
                "bytes": len(asset.body),
                "status": asset.status,
                "encoding": asset.header("content-encoding"),
                "immutable": "immutable" in (asset.header("cache-control") or ""),
            }
        )
    prepared["page_weight"] = {
        "first_page": {
            "html": len(start.body),
            "assets": assets,
            "total": len(start.body) + sum(a["bytes"] for a in assets),
            "all_immutable": all(a["immutable"] for a in assets),
        },
        "steps": [
            {"path": p, "step": p.strip("/").rsplit("/", 1)[-1], "bytes": len(r.body)}
            for p, r in pages
            if p.startswith("/questions/") and not p.endswith("/check/")
        ],
        "check": len(check_page.body),
        "result": None,
    }
    result = await fetch(HOST, port, "GET", result_path, headers=ACCEPT)
    prepared["page_weight"]["result"] = len(result.body)
    return prepared


async def answer_first_question(port: int, path: str) -> dict:
    """Return a cookie and a form body that answer the first question, as a person would."""
    jar = CookieJar()
    redirect = await fetch(HOST, port, "GET", path)
    jar.update(redirect)
    step_path = redirect.location
    page = await fetch(HOST, port, "GET", step_path, headers={"Cookie": jar.header()})
    jar.update(page)
    data = answer_fields(form_inputs(page.text), longest_path, random.Random(3))
    body = urlencode(data)
    headers = {"Cookie": jar.header(), "Content-Type": "application/x-www-form-urlencoded"}
    check = await fetch(HOST, port, "POST", step_path, headers=headers, body=body.encode())
    if check.status != 302:
        raise RuntimeError(f"POST {step_path}: {check.status} {check.text[:500]}")
    jar.update(check)
    return {"path": step_path, "body": body, "cookie": jar.header()}


# -- the runs ---------------------------------------------------------------------------------


def questionnaire_targets(prepared: dict) -> list[tuple[str, str, wrk.Target]]:
    """Return (name, kind, target) for every questionnaire page, bare view first."""
    person = {"Cookie": prepared["person_cookie"]}
    post = prepared["post"]
    return [
        ("bare HttpResponse", "baseline", wrk.Target(BARE_PATH)),
        ("start page", "start", wrk.Target("/")),
        *(
            (
                f"question GET: {path.strip('/').rsplit('/', 1)[-1]}",
                "step GET",
                wrk.Target(path, headers=person),
            )
            for path in prepared["step_paths"]
        ),
        (
            f"question POST: {post['path'].strip('/').rsplit('/', 1)[-1]}",
            "step POST",
            post_target(post),
        ),
        ("check answers", "check", wrk.Target("/questions/check/", headers=person)),
        ("result page", "result", wrk.Target(prepared["result_path"])),
        ("bare HttpResponse", "baseline", wrk.Target(BARE_PATH)),
    ]


def with_baseline(pages: list[dict]) -> dict:
    """Split measured pages into the baseline (mean of the bare runs) and the rest."""
    bare = [p for p in pages if p["kind"] == "baseline"]
    return {
        "baseline": {"rps": round(sum(p["rps"] for p in bare) / len(bare), 1), "runs": bare},
        "pages": [p for p in pages if p["kind"] != "baseline"],
    }


class Bench:
    def __init__(self, args, work: Path):
        self.args, self.work = args, work

    def wrk(self, server: Gunicorn, target: wrk.Target) -> dict:
        options = {
            "connections": self.args.connections,
            "threads": 2,
            "script_dir": self.work,
        }
        wrk.run(server.base_url, target, seconds=self.args.warmup, **options)
        cpu = server.settle()
        figures = wrk.run(server.base_url, target, seconds=self.args.seconds, **options)
        cpu = server.cpu_since(cpu)
        # CPU time the workers spent per request: unlike requests/s, barely moved by
        # whatever else the machine is running.
        figures["cpu_ms"] = round(cpu * 1000 / figures["requests"], 2) if figures["requests"] else 0
        figures["load"] = round(os.getloadavg()[0], 2)
        return figures

    def page(self, server: Gunicorn, name, kind, target: wrk.Target, note: str = "") -> dict:
        figures = self.wrk(server, target)
        log(
            f"  {name}{note}: {figures['rps']:,.0f} req/s, p50 {figures['p50_ms']} ms, "
            f"p99 {figures['p99_ms']} ms, {figures['cpu_ms']} ms CPU, {figures['errors']} errors"
        )
        return {"name": name, "kind": kind, "path": target.path, "method": target.method, **figures}

    def questionnaire_pages(self, sides: list[tuple[Gunicorn, dict]]) -> list[list[dict]]:
        """Measure the questionnaire's pages on each server, taking turns page by page.

        With two servers (the code before and after a change), each page is measured on one
        right after the other, so both see the same load from the rest of the machine.
        """
        targets = [questionnaire_targets(prepared) for _, prepared in sides]
        found: list[list[dict]] = [[] for _ in sides]
        for name, kind, _ in targets[0]:
            for side, (server, _) in enumerate(sides):
                target = next((t for n, _, t in targets[side] if n == name), None)
                if target is not None:
                    note = f" [{self.args.before}]" if side else ""
                    found[side].append(self.page(server, name, kind, target, note))
        return found

    def admin_pages(self, server: Gunicorn, prepared: dict, size: int) -> dict[str, dict]:
        admin = {"Cookie": prepared["admin_cookie"]}
        found = {}
        for name, path in self.admin_paths(prepared).items():
            if name == "CSV export" and size > self.args.small:
                continue  # timed one request at a time instead
            found[name] = self.page(
                server, f"{name} ({size:,})", "admin", wrk.Target(path, headers=admin)
            )
            found[name]["one_at_a_time"] = self.one_at_a_time(server, path, admin)
        return found

    def one_at_a_time(self, server: Gunicorn, path: str, headers: dict, times: int = 21) -> dict:
        """Time ``times`` requests sent one after another: the page's own time, no queue."""

        async def timed() -> list[float]:
            seconds = []
            for _ in range(times):
                response = await fetch(HOST, server.port, "GET", path, headers=headers)
                if response.status != 200:
                    raise RuntimeError(f"GET {path}: {response.status}")
                seconds.append(response.seconds)
            return seconds

        cpu = server.settle()
        seconds = asyncio.run(timed())
        cpu = server.cpu_since(cpu)
        return {
            "median_ms": round(percentile(seconds, 50) * 1000, 2),
            "p90_ms": round(percentile(seconds, 90) * 1000, 2),
            "cpu_ms": round(cpu * 1000 / times, 2),
        }

    def admin_paths(self, prepared: dict) -> dict[str, str]:
        return {
            "admin list": ADMIN_LIST,
            "admin assessment": prepared["detail_path"],
            "admin summary": ADMIN_SUMMARY,
            "CSV export": ADMIN_EXPORT,
        }

    def exports(self, server: Gunicorn, prepared: dict, times: int) -> dict:
        """Download the whole list as CSV ``times`` times, one after another; keep the fastest."""
        runs = []
        cpu = server.settle()
        for _ in range(times):
            response = asyncio.run(
                fetch(
                    HOST,
                    server.port,
                    "GET",
                    ADMIN_EXPORT,
                    headers={"Cookie": prepared["admin_cookie"]},
                    timeout=300,
                )
            )
            if response.status != 200:
                raise RuntimeError(f"CSV export: {response.status} {response.text[:500]}")
            runs.append(response)
        cpu = server.cpu_since(cpu)
        fastest = min(runs, key=lambda r: r.seconds)
        return {
            "rows": fastest.body.count(b"\r\n") - 1,
            "bytes": len(fastest.body),
            "seconds": round(fastest.seconds, 3),
            "all_seconds": [round(r.seconds, 3) for r in runs],
            "cpu_seconds": round(cpu / times, 3),
        }

    def walk(self, server: Gunicorn, django: Django, weights: dict) -> dict:
        before = django.tool("count")["count"]
        cpu = server.settle()
        # The simulated people share the machine with the server, so they run on uvloop's
        # event loop, which spends much less CPU per request than asyncio's own.
        figures = uvloop.run(
            walk_load(
                HOST,
                server.port,
                clients=self.args.walk_clients,
                seconds=self.args.walk_seconds,
                seed=self.args.seed,
                choose=weighted_choice(weights),
            )
        )
        cpu = server.cpu_since(cpu)
        figures["cpu_ms_per_walk"] = round(cpu * 1000 / max(figures["completed"], 1), 1)
        figures["rows_saved"] = django.tool("count")["count"] - before
        figures["log_counts"] = server.log_counts()
        log(
            f"  {figures['walks_per_s']:.1f} questionnaires/s ({figures['requests_per_s']:.0f} "
            f"req/s), {figures['errors']} errors, {figures['rows_saved']} rows saved for "
            f"{figures['confirmations']} confirmations"
        )
        return figures


def run_database(bench: Bench, label: str, database_url: str, env: dict, weights: dict) -> dict:
    """Run every measurement on one database; return its figures."""
    args, work = bench.args, bench.work
    django = Django(env)
    log(f"{label}: migrate, seed {args.small:,} assessments, superuser")
    django.manage("migrate", "--noinput", "--verbosity", "0")
    django.manage("seed_assessments", "--count", str(args.small), "--seed", str(args.seed))
    password = secrets.token_urlsafe(24)
    django.manage(
        "createsuperuser",
        "--noinput",
        "--username",
        ADMIN_USER,
        "--email",
        "bench@example.org",
        extra_env={"DJANGO_SUPERUSER_PASSWORD": password},
    )
    run: dict = {"database": label, "connections": args.connections, "seeded": args.small}
    servers: dict[str, dict] = {}
    memory: dict[str, float] = {}
    log_path = work / f"gunicorn-{label.split()[0].lower()}-sync.log"
    # On PostgreSQL, count the database server's CPU time for the benchmark with the workers'.
    database = urlsplit(database_url).path.strip("/") if label == "PostgreSQL" else None
    with contextlib.ExitStack() as running:
        server = running.enter_context(Gunicorn(env, log_path, database=database))
        log(f"{label}: gunicorn (2 sync workers) on port {server.port}; preparing sessions")
        prepared = asyncio.run(prepare(server.port, password))
        run["page_weight"] = prepared["page_weight"]
        sides = [(server, prepared)]
        before = None
        if args.before and label == "SQLite":
            before = running.enter_context(BeforeCode(bench, args.before, env["DJANGO_SECRET_KEY"]))
            sides.append((before.server, before.prepared))
        log(f"{label}: single pages with wrk" + (f", each also on {args.before}" if before else ""))
        measured = bench.questionnaire_pages(sides)
        run.update(with_baseline(measured[0]))
        for bare, when in zip(run["baseline"]["runs"], ("first", "last"), strict=True):
            bare["name"] = f"bare HttpResponse (baseline, {when})"
        pages = [run["baseline"]["runs"][0], *run["pages"], run["baseline"]["runs"][1]]
        small_admin = bench.admin_pages(server, prepared, args.small)
        pages += small_admin.values()
        run["pages"] = pages

        log(f"{label}: query counts and CSV exports at {args.small:,}")
        paths = bench.admin_paths(prepared)
        queries_small = django.tool("queries", ADMIN_USER, *paths.values())
        csv_small = bench.exports(server, prepared, times=5)
        hwm_small = server.peak_rss_mb()
        log(f"{label}: growing to {args.large:,} assessments")
        grown = grow(django, args)
        log(f"{label}: CSV exports, admin pages and query counts at {args.large:,}")
        csv_large = bench.exports(server, prepared, times=3)
        hwm_large = server.peak_rss_mb()
        large_admin = bench.admin_pages(server, prepared, args.large)
        queries_large = django.tool("queries", ADMIN_USER, *paths.values())
        pages += large_admin.values()
        scale_pages = {}
        for name, small in small_admin.items():
            if name not in large_admin:
                continue
            large = large_admin[name]
            scale_pages[name] = {
                "small": small,
                "large": large,
                # The workers' CPU time for a request sent on its own, at each size: unlike
                # wall-clock time, barely moved by whatever else the machine is running.
                "time_ratio": round(
                    large["one_at_a_time"]["cpu_ms"] / small["one_at_a_time"]["cpu_ms"], 2
                ),
                "wall_ratio": round(
                    large["one_at_a_time"]["median_ms"] / small["one_at_a_time"]["median_ms"], 2
                ),
                "queries_small": queries_small[paths[name]]["queries"],
                "queries_large": queries_large[paths[name]]["queries"],
                "slowest_queries_large": queries_large[paths[name]]["slowest"],
            }
        run["scale"] = {
            "small": args.small,
            "large": grown["count"],
            "grow_seconds": grown["seconds"],
            "pages": scale_pages,
            "csv": {
                "small": csv_small,
                "large": csv_large,
                "time_ratio": round(csv_large["cpu_seconds"] / csv_small["cpu_seconds"], 1),
                "wall_ratio": round(csv_large["seconds"] / csv_small["seconds"], 1),
                "rows_ratio": round(csv_large["rows"] / max(csv_small["rows"], 1), 1),
                "hwm_after_small_mb": hwm_small,
                "hwm_after_large_mb": hwm_large,
                "growth_mb": round(hwm_large - hwm_small, 1),
                "queries_small": queries_small[ADMIN_EXPORT]["queries"],
                "queries_large": queries_large[ADMIN_EXPORT]["queries"],
            },
        }

        log(
            f"{label}: {args.walk_clients} people filling in questionnaires for "
            f"{args.walk_seconds:.0f} s (sync workers)"
        )
        servers["sync workers"] = bench.walk(server, django, weights)
        if before:
            log(f"{label}: the same walk load on {args.before}")
            run["before"] = {
                "ref": args.before,
                **with_baseline(measured[1]),
                "walk": bench.walk(before.server, before.django, weights),
            }
        # The write-only load of the gthread run below, measured here with the pages.
        servers["sync workers"]["post_wrk"] = next(p for p in pages if p["kind"] == "step POST")
        memory["sync workers"] = server.peak_rss_mb()
    if label.startswith("SQLite"):
        servers["sync workers"]["integrity"] = sqlite_integrity(database_url)
    if label.startswith("SQLite") and args.threads > 1:
        name = f"gthread, {args.threads} threads"
        log_path = work / "gunicorn-sqlite-gthread.log"
        with Gunicorn(env, log_path, worker_class="gthread", threads=args.threads) as server:
            log(f"{label}: the same walk load on 2 gthread workers of {args.threads} threads")
            walk = servers[name] = bench.walk(server, django, weights)
            # Then only writes: every request saves the session.
            post = asyncio.run(answer_first_question(server.port, "/questions/"))
            walk["post_wrk"] = bench.page(
                server,
                "question POST on gthread",
                "stress",
                post_target(post),
            )
            walk["log_counts"] = server.log_counts()
            memory[name] = server.peak_rss_mb()
        servers[name]["integrity"] = sqlite_integrity(database_url)
    run["servers"] = servers
    run["walk"] = servers["sync workers"]
    run["memory"] = memory
    return run


def grow(django: Django, args) -> dict:
    if args.seed_with_command:
        started = time.perf_counter()
        count = django.tool("count")["count"]
        django.manage("seed_assessments", "--count", str(args.large - count))
        return {
            "count": django.tool("count")["count"],
            "seconds": round(time.perf_counter() - started, 2),
        }
    return django.tool("grow", str(args.large))


def sqlite_integrity(database_url: str) -> str:
    path = urlsplit(database_url).path
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


class BeforeCode:
    """The product as it was at git ``ref``, served by a second gunicorn beside the first."""

    def __init__(self, bench: Bench, ref: str, secret_key: str):
        self.bench, self.ref, self.secret_key = bench, ref, secret_key

    def __enter__(self) -> BeforeCode:
        work = self.bench.work
        tree = work / "before"
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir()
        archive = subprocess.run(
            ["git", "archive", self.ref], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        # This run's harness, whatever the old commit had.
        shutil.rmtree(tree / "bench", ignore_errors=True)
        shutil.copytree(BENCH, tree / "bench", ignore=shutil.ignore_patterns(".work", "results"))
        if not (tree / "gunicorn.conf.py").exists():
            shutil.copy(ROOT / "gunicorn.conf.py", tree)
        env = bench_env(
            f"sqlite:///{work / 'before.sqlite3'}", work / "before-static", self.secret_key
        )
        env["PYTHONPATH"] = str(tree)
        self.django = Django(env, cwd=tree)
        log(f"before ({self.ref}): migrate, collectstatic, seed, superuser")
        self.django.manage("migrate", "--noinput", "--verbosity", "0")
        self.django.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.django.manage("seed_assessments", "--count", "100", "--seed", "1")
        password = secrets.token_urlsafe(24)
        self.django.manage(
            "createsuperuser",
            "--noinput",
            "--username",
            ADMIN_USER,
            "--email",
            "bench@example.org",
            extra_env={"DJANGO_SUPERUSER_PASSWORD": password},
        )
        self.gunicorn = Gunicorn(env, work / "gunicorn-before.log", cwd=tree)
        self.server = self.gunicorn.__enter__()
        try:
            self.prepared = asyncio.run(prepare(self.server.port, password))
        except BaseException:
            self.gunicorn.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.gunicorn.__exit__(*exc_info)


def profile(step: str) -> int:
    """Print where the time of one question page goes, in-process on a fresh SQLite file."""
    work = BENCH / ".work"
    work.mkdir(parents=True, exist_ok=True)
    database = work / "profile.sqlite3"
    database.unlink(missing_ok=True)
    django = Django(bench_env(f"sqlite:///{database}", work / "static", secrets.token_urlsafe(50)))
    django.manage("migrate", "--noinput", "--verbosity", "0")
    django.manage("collectstatic", "--noinput", "--verbosity", "0")
    print(django._run([sys.executable, "-m", "bench.tools", "profile", step]))
    return 0


def postgres_url(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="wrk run per page (5)")
    parser.add_argument("--warmup", type=float, default=1, help="wrk warm-up per page (1)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--walk-seconds", type=float, default=20)
    parser.add_argument("--walk-clients", type=int, default=32)
    parser.add_argument("--small", type=int, default=1_000, help="assessments seeded first")
    parser.add_argument("--large", type=int, default=100_000, help="assessments for the scale run")
    parser.add_argument(
        "--seed-with-command",
        action="store_true",
        help="reach --large through seed_assessments (minutes) instead of copying rows",
    )
    parser.add_argument("--threads", type=int, default=4, help="gthread threads; 1 to skip")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a postgres:// URL to run on PostgreSQL too (default: $DATABASE_URL)",
    )
    parser.add_argument("--before", metavar="GIT_REF", help="also measure the form pages of REF")
    parser.add_argument("--output", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--profile", metavar="STEP", help="only print a cProfile of question STEP's page"
    )
    args = parser.parse_args(argv)
    if args.profile:
        return profile(args.profile)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed: run bench/install-wrk.sh (make bench does)")

    started = time.perf_counter()
    work = BENCH / ".work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    bench = Bench(args, work)
    secret_key = secrets.token_urlsafe(50)
    from advice.demo import WEIGHTS

    results = {"machine": machine(), "settings": vars(args) | {"output": str(args.output)}}
    sqlite_url = f"sqlite:///{work / 'bench.sqlite3'}"
    env = bench_env(sqlite_url, work / "static", secret_key)
    log("collectstatic")
    Django(env).manage("collectstatic", "--noinput", "--verbosity", "0")
    runs = [run_database(bench, "SQLite", sqlite_url, env, WEIGHTS)]
    if args.database_url.startswith(("postgres://", "postgresql://")):
        name = f"bench_{urlsplit(args.database_url).path.strip('/') or 'advisor'}"
        admin = Django(bench_env(args.database_url, work / "static", secret_key))
        admin.tool("create-database", name)
        pg_url = postgres_url(args.database_url, name)
        try:
            pg_env = bench_env(pg_url, work / "static", secret_key)
            runs.append(run_database(bench, "PostgreSQL", pg_url, pg_env, WEIGHTS))
        finally:
            admin.tool("drop-database", name)

    results["machine"]["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results["runs"] = runs
    results["minutes"] = round((time.perf_counter() - started) / 60, 1)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M %Z")
    args.output.mkdir(parents=True, exist_ok=True)
    text = report.markdown(results)
    (args.output / "latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    (args.output / "latest.md").write_text(text)
    print(text)
    log(f"done in {results['minutes']} min: {args.output / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
