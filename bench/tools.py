"""Django-side steps of `make bench`, run by ``manage.py shell`` with the benchmark's settings."""

import itertools
import json
import resource
import time
from datetime import timedelta

from bench.server import manage

COUNTED_DAYS = 365

EXPORT = "/admin/advice/assessment/export/"


def call(env: dict[str, str], expression: str):
    """Return the value of ``tools.<expression>``, computed in a process run with ``env``."""
    code = f"import json; from bench import tools; print(json.dumps(tools.{expression}))"
    return json.loads(manage(env, "shell", "--verbosity", "0", "--command", code))


def count() -> int:
    from advice.models import Assessment

    return Assessment.objects.count()


def funnel_state() -> dict:
    """Return every day's question counts summed per page, and the newest assessment's id."""
    from django.db.models import Max, Sum

    from advice.models import Assessment, QuestionCount

    rows = QuestionCount.objects.values("stage").annotate(s=Sum("shown"), a=Sum("answered"))
    return {
        "counts": {row["stage"]: [row["s"], row["a"]] for row in rows},
        "last_id": Assessment.objects.aggregate(last=Max("pk"))["last"] or 0,
    }


def funnel_expected(after_id: int) -> dict:
    """Return the counts the assessments saved after ``after_id`` should have left, had each
    been filled in once from the start: each page of its route shown and answered once."""
    from collections import Counter

    from advice import flow, funnel
    from advice.models import Assessment

    expected = Counter()
    for answers in Assessment.objects.filter(pk__gt=after_id).values_list("answers", flat=True):
        for stage in [*flow.steps_asked(answers), funnel.stage_of(flow.CHECK_STEP, answers)]:
            expected[stage] += 1
    return {stage: [n, n] for stage, n in expected.items()}


def grow(target: int) -> dict:
    """Copy saved rows, each with a new token hash, until there are ``target``; and add a year
    of daily question counts."""
    # Seconds where seed_assessments takes minutes.
    from django.db import connection
    from django.utils import timezone

    from advice.funnel import STAGES
    from advice.models import Assessment, QuestionCount, hash_token, new_result_token

    started = time.perf_counter()
    fields = [
        f.attname for f in Assessment._meta.concrete_fields if f.name not in ("id", "token_hash")
    ]
    originals = list(Assessment.objects.values(*fields))
    if not originals:
        raise SystemExit("grow: nothing to copy; seed some assessments first")
    copies = (
        Assessment(token_hash=hash_token(new_result_token()), **row)
        for row in itertools.islice(itertools.cycle(originals), target - len(originals))
    )
    while batch := list(itertools.islice(copies, 2000)):
        Assessment.objects.bulk_create(batch)
    # A year of daily question counts, for the summary's "where people stop".
    today = timezone.localdate()
    QuestionCount.objects.bulk_create(
        [
            QuestionCount(day=today - timedelta(days=days), stage=stage, shown=300, answered=290)
            for days in range(COUNTED_DAYS)
            for stage in STAGES
        ],
        ignore_conflicts=True,
    )
    if connection.vendor == "postgresql":
        # As autovacuum would have done by the time a table has grown this big: fresh
        # statistics, and a visibility map that lets counts read the index alone.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Assessment._meta.db_table}")
            cursor.execute(f"VACUUM ANALYZE {QuestionCount._meta.db_table}")
    return {
        "count": Assessment.objects.count(),
        "counted_days": QuestionCount.objects.dates("day", "day").count(),
        "seconds": round(time.perf_counter() - started),
    }


def csv_memory(username: str) -> dict:
    """Export every assessment as the admin does; return how far peak memory grew meanwhile."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.helpers.second_factor import log_in_verified

    client = Client()
    # Past the second factor, as the admin requires.
    log_in_verified(client, get_user_model().objects.get(username=username))
    client.get("/admin/advice/assessment/")  # load what any admin page loads
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()
    response = client.get(EXPORT)
    lines = size = 0
    for chunk in response.streaming_content:
        lines, size = lines + chunk.count(b"\n"), size + len(chunk)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "status": response.status_code,
        "rows": lines - 1,  # less the header
        "mb": round(size / 2**20, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "growth_mb": round((peak - before) / 1024, 1),
    }


def database(name: str, *, create: bool) -> dict:
    """Drop PostgreSQL database ``name`` if it exists; then create it afresh if ``create``."""
    from django.db import DatabaseError, connection

    quoted = connection.ops.quote_name(name)
    for attempt in range(30):  # an autovacuum worker may hold the database for a while
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
                if create:
                    cursor.execute(f"CREATE DATABASE {quoted}")
            return {"database": name, "created": create}
        except DatabaseError:
            if attempt == 29:
                raise
            time.sleep(1)
