"""Django-side helpers for `make bench`, run in their own process with the benchmark's settings.

    python -m bench.tools count                       # how many assessments are saved
    python -m bench.tools grow 100000                 # copy saved rows until there are this many
    python -m bench.tools queries USER PATH...        # queries, status and size of each page
    python -m bench.tools time USER PATH... [--repeats N]  # median time of each page, in process
    python -m bench.tools profile STEP [--requests N] # where a question page's time goes
    python -m bench.tools create-database NAME        # PostgreSQL: a fresh database for a run
    python -m bench.tools drop-database NAME

Each prints JSON (``profile`` prints a report). ``grow`` copies the demo rows that
``seed_assessments`` saved through the write path, each copy with a new random token hash, so
a large table takes seconds instead of minutes; the copies read like the originals.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time

import django


def _count() -> int:
    from advice.models import Assessment

    return Assessment.objects.count()


def grow(target: int) -> dict:
    """Copy saved assessments, doubling at most each time, until there are ``target``."""
    from django.db import connection, transaction

    from advice.models import Assessment

    random_hex = {
        "sqlite": "lower(hex(randomblob(32)))",
        "postgresql": "md5(random()::text) || md5(random()::text)",
    }[connection.vendor]
    quote = connection.ops.quote_name
    table = quote(Assessment._meta.db_table)
    columns = ", ".join(
        quote(f.column)
        for f in Assessment._meta.concrete_fields
        if not f.primary_key and f.name != "token_hash"
    )
    started = time.perf_counter()
    have = _count()
    if have == 0:
        raise SystemExit("grow: nothing to copy; seed some assessments first")
    while have < target:
        batch = min(have, target - have)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (token_hash, {columns}) "
                f"SELECT {random_hex}, {columns} FROM {table} ORDER BY id LIMIT %s",
                [batch],
            )
        have = _count()
    if connection.vendor == "postgresql":
        # As autovacuum would have done by the time a table has grown this big: fresh
        # statistics, and a visibility map that lets counts read the index alone.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {"count": have, "seconds": round(time.perf_counter() - started, 2)}


def queries(username: str, paths: list[str]) -> dict:
    """Return, for each admin path, its status, query count and size, as ``username``."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    found = {}
    for path in paths:
        client.get(path)  # warm: the first request fills Django's caches
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            seconds = time.perf_counter() - started
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        found[path] = {
            "status": response.status_code,
            "queries": len(captured),
            "bytes": len(body),
            "ms_in_process": round(seconds * 1000, 1),
            "slowest": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:300]} for q in slowest
            ],
        }
    return found


def time_pages(username: str, paths: list[str], repeats: int) -> dict:
    """Return, for each admin path, the median and fastest of ``repeats`` GETs, as ``username``.

    In process through the test client, after one warming GET of each, so the figures are the
    pages' own work: the database and Django, without a server or a network in between.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    times: dict[str, list[float]] = {path: [] for path in paths}
    for path in paths:
        client.get(path)
    # Round after round of every page, so that a busy moment of the machine falls on all.
    for _ in range(repeats):
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
            times[path].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"time: {path} answered {response.status_code}")
    return {
        path: {
            "median_ms": round(statistics.median(found), 1),
            "fastest_ms": round(min(found), 1),
            "repeats": repeats,
        }
        for path, found in times.items()
    }


def profile(step: str, requests: int) -> str:
    """Return a cProfile report of ``requests`` GETs of a question page, as a person sees it."""
    from django.test import Client

    from tests.walk import PASS_ANSWERS, STEP_FOR_FACT, answer

    client = Client()
    client.get("/questions/")
    # Answer everything up to the step, on the path that asks every question.
    answers = {**PASS_ANSWERS, "can_interview_confidentially": "unsure"}
    for fact, value in answers.items():
        if STEP_FOR_FACT[fact] == step:
            break
        answer(client, fact, value)
    path = f"/questions/{step}/"
    for _ in range(20):
        assert client.get(path).status_code == 200
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    per_request = (time.perf_counter() - started) / requests * 1000
    out = io.StringIO()
    out.write(f"GET {path}: {per_request:.2f} ms a request under cProfile ({requests} requests)\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def _admin_connection():
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("create-database and drop-database are for PostgreSQL only")
    return connection


def create_database(name: str) -> dict:
    connection = _admin_connection()
    _drop(connection, name)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    return {"created": name}


def drop_database(name: str) -> dict:
    _drop(_admin_connection(), name)
    return {"dropped": name}


def _drop(connection, name: str, attempts: int = 30) -> None:
    """Drop database ``name``, waiting for an autovacuum worker in it to finish.

    FORCE ends the benchmark's own connections, but a role without superuser rights may not
    end PostgreSQL's autovacuum, which a run's 100,000 new rows set off: try again shortly.
    """
    from django.db import DatabaseError

    statement = f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)"
    for attempt in range(attempts):
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
            return
        except DatabaseError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tools")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("count")
    grow_parser = commands.add_parser("grow")
    grow_parser.add_argument("target", type=int)
    queries_parser = commands.add_parser("queries")
    queries_parser.add_argument("username")
    queries_parser.add_argument("paths", nargs="+")
    time_parser = commands.add_parser("time")
    time_parser.add_argument("username")
    time_parser.add_argument("paths", nargs="+")
    time_parser.add_argument("--repeats", type=int, default=7)
    profile_parser = commands.add_parser("profile")
    profile_parser.add_argument("step")
    profile_parser.add_argument("--requests", type=int, default=300)
    for name in ("create-database", "drop-database"):
        commands.add_parser(name).add_argument("name")
    args = parser.parse_args(argv)

    django.setup()
    if args.command == "profile":
        print(profile(args.step, args.requests))
        return 0
    result = {
        "count": lambda: {"count": _count()},
        "grow": lambda: grow(args.target),
        "queries": lambda: queries(args.username, args.paths),
        "time": lambda: time_pages(args.username, args.paths, args.repeats),
        "create-database": lambda: create_database(getattr(args, "name", "")),
        "drop-database": lambda: drop_database(getattr(args, "name", "")),
    }[args.command]()
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
