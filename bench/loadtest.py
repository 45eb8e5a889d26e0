"""`make loadtest`, and the walk of `make bench`: locust's people (bench/locustfile.py) fill in
questionnaires against gunicorn, then the rows they saved are counted against confirmations,
and the question counts against the routes of those rows.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.server import bench_env, manage
from bench.tools import call
from tests.helpers.server import ROOT, gunicorn

CONFIRM = ("POST", "/questions/check/")
RESULT = ("GET", "/result/<token>/")
# The people stop themselves once every questionnaire has ended; this limit is only a safety
# net, and a run that reaches it fails.
TIME_LIMIT = 15 * 60


def walk(
    port: int, env: dict[str, str], *, questionnaires: int, clients: int, time_limit=TIME_LIMIT
) -> dict:
    """Have ``clients`` people fill in ``questionnaires`` questionnaires; return the figures."""
    before = call(env, "count()")
    counted_before = call(env, "funnel_state()")
    command = [sys.executable, "-m", "locust", "-f", "bench/locustfile.py", "--headless"]
    command += ["--host", f"http://127.0.0.1:{port}", "--users", str(clients)]
    command += ["--spawn-rate", str(clients), "--run-time", f"{time_limit}s"]
    command += ["--json", "--skip-log"]
    locust_env = {**os.environ, "BENCH_QUESTIONNAIRES": str(questionnaires)}
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=locust_env,
        capture_output=True,
        text=True,
        timeout=time_limit + 120,  # in case locust does not keep to its own limit
    )
    locust_seconds = time.monotonic() - started
    try:
        stats = {(e["method"], e["name"]): e for e in json.loads(done.stdout)}
    except json.JSONDecodeError:
        raise RuntimeError(f"locust failed:\n{done.stdout}\n{done.stderr}") from None
    ok = {key: e["num_requests"] - e["num_failures"] for key, e in stats.items()}
    entries = stats.values()
    seconds = max(e["last_request_timestamp"] for e in entries) - min(
        e["start_time"] for e in entries
    )
    completed = ok.get(RESULT, 0)
    counted = call(env, "funnel_state()")["counts"]
    for stage, (shown, answered) in counted_before["counts"].items():
        counted[stage] = [counted[stage][0] - shown, counted[stage][1] - answered]
    counted = {stage: pair for stage, pair in counted.items() if pair != [0, 0]}
    expected = call(env, f"funnel_expected({counted_before['last_id']})")
    return {
        "questionnaires": questionnaires,
        "clients": clients,
        "seconds": round(seconds, 1),
        "per_second": round(completed / seconds, 1),
        "locust_seconds": round(locust_seconds, 1),
        "stopped_by_time_limit": locust_seconds >= time_limit,
        "requests": sum(e["num_requests"] for e in entries),
        "errors": sum(e["num_failures"] for e in entries),
        "error_report": done.stderr[-2000:] if done.returncode else "",
        "completed": completed,
        "confirmations": ok.get(CONFIRM, 0),
        "rows_saved": call(env, "count()") - before,
        # Each person started, answered every page of their route and confirmed once: the
        # question counts must be exactly those of the rows saved.
        "counts_exact": counted == expected,
        "counts": counted if counted != expected else {},
        "counts_expected": expected if counted != expected else {},
    }


def load_test(database_url: str, work: Path, *, workers: int, static_root=None, **people) -> dict:
    """Serve a migrated database with gunicorn and walk it (``people``: ``questionnaires``,
    ``clients``, ``time_limit``); static files are collected into ``work`` unless
    ``static_root`` has them."""
    env = bench_env(database_url, static_root or work / "static")
    manage(env, "migrate", "--noinput")
    if static_root is None:
        manage(env, "collectstatic", "--noinput")
    with gunicorn(work, workers=workers, **env) as port:
        figures = walk(port, env, **people)
        log = (work / f"gunicorn-{port}.log").read_text()
    figures["server_errors_logged"] = log.count("Traceback") + log.count("database is locked")
    # A pass: every questionnaire completed without a failure, and saved once, and locust
    # stopped because they were done.
    figures["passed"] = (
        figures["errors"] == figures["server_errors_logged"] == 0
        and figures["completed"] == figures["confirmations"] == figures["questionnaires"]
        and figures["rows_saved"] == figures["confirmations"]
        and figures["counts_exact"]
        and not figures["stopped_by_time_limit"]
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--questionnaires", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument(
        "--static-root", type=Path, help="static files already collected (default: collect them)"
    )
    parser.add_argument(
        "--time-limit",
        type=int,
        default=TIME_LIMIT,
        help=f"seconds after which locust is stopped and the run fails ({TIME_LIMIT})",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
        work = Path(folder)
        figures = load_test(
            database_url=args.database_url or f"sqlite:///{work / 'loadtest.sqlite3'}",
            questionnaires=args.questionnaires,
            clients=args.clients,
            time_limit=args.time_limit,
            workers=args.workers,
            static_root=args.static_root,
            work=work,
        )
    print(json.dumps(figures, indent=2))
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
