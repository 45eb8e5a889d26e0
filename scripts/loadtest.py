"""Drive N complete questionnaires from C concurrent clients against gunicorn, then count rows.

Usage: ``python scripts/loadtest.py [--questionnaires 1000] [--clients 32] [--database-url URL]``
(``make loadtest``). gunicorn runs with production settings (``gunicorn.conf.py``, DEBUG off,
plain HTTP on loopback) on the given database, or on a fresh SQLite file when none is given.
Each client is one person after another, walking the real pages with ``bench.client.Walker``:
CSRF token, one answer per question, the check page's token. The run passes when there were
no errors, no "database is locked" in gunicorn's log, and exactly one saved row per
confirmation, found by the token of each result page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.client import Walker, WalkStats, weighted_choice  # noqa: E402

HOST = "127.0.0.1"
BENCH_PORTS = range(8765, 8800)  # `make bench` uses these


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port not in BENCH_PORTS:
            return port


def production_env(database_url: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_", "ADVICE_")) and name != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="interview_advisor.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        # Plain HTTP on loopback: no proxy in front to terminate TLS.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
    )
    return env


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log_path: Path):
    """Run gunicorn with the project's config; yield its port once /healthz answers."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(workers)}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn never answered:\n{log_path.read_text()}")
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def drive(port: int, questionnaires: int, clients: int, seed: int) -> tuple[dict, list]:
    """Walk ``questionnaires`` questionnaires from ``clients`` clients; return stats and paths."""
    stats = WalkStats()
    choose = weighted_choice({})
    numbers = iter(range(questionnaires))
    results: list[str] = []

    async def person(client: int) -> None:
        walker = Walker(HOST, port, stats, choose)
        for number in numbers:  # shared: each questionnaire is walked once, by some client
            path = await walker.walk(random.Random(seed * 1_000_003 + number))
            if path:
                results.append(path)

    started = time.perf_counter()
    await asyncio.gather(*(person(n) for n in range(clients)))
    seconds = time.perf_counter() - started
    figures = {
        "questionnaires": questionnaires,
        "clients": clients,
        "seconds": round(seconds, 2),
        "questionnaires_per_s": round(stats.completed / seconds, 1),
        "requests": stats.requests,
        "requests_per_s": round(stats.requests / seconds, 1),
        "completed": stats.completed,
        "confirmations": stats.confirmations,
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors),
        "error_samples": stats.samples,
    }
    return figures, results


def count_rows(env: dict[str, str], result_paths: list[str]) -> tuple[int, int]:
    """Return (rows saved under these results' tokens, result tokens with exactly one row)."""
    tokens = [path.rstrip("/").rsplit("/", 1)[-1] for path in result_paths]
    code = (
        "import json, sys, django; django.setup()\n"
        "from collections import Counter\n"
        "from advice.models import Assessment, hash_token\n"
        "hashes = [hash_token(t) for t in json.load(sys.stdin)]\n"
        "found = Counter(Assessment.objects.filter(token_hash__in=hashes)"
        ".values_list('token_hash', flat=True))\n"
        "print(json.dumps([sum(found.values()), sum(found[h] == 1 for h in hashes)]))\n"
    )
    counted = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        input=json.dumps(tokens),
        capture_output=True,
        text=True,
        check=True,
    )
    rows, single = json.loads(counted.stdout)
    return rows, single


def load_test(
    *, database_url: str, questionnaires: int, clients: int, workers: int, seed: int, logs: Path
) -> dict:
    """Run the whole load test and return its figures; ``ok`` says whether it passed."""
    env = production_env(database_url)
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, capture_output=True)
    log_path = logs / "gunicorn-loadtest.log"
    with gunicorn(env, workers, log_path) as port:
        figures, results = asyncio.run(drive(port, questionnaires, clients, seed))
    log = log_path.read_text()
    rows, single = count_rows(env, results)
    figures.update(
        database=database_url.split(":", 1)[0],
        workers=workers,
        rows=rows,
        results_with_one_row=single,
        database_is_locked=log.count("database is locked"),
        server_errors_logged=log.count("Internal Server Error"),
    )
    figures["ok"] = (
        figures["errors"] == 0
        and figures["database_is_locked"] == 0
        and figures["server_errors_logged"] == 0
        and figures["completed"] == figures["confirmations"] == questionnaires
        and rows == single == figures["confirmations"]
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questionnaires", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count() * 2 + 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL", ""),
        help="default: a fresh SQLite file in a temporary folder",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
        url = args.database_url or f"sqlite:///{folder}/loadtest.sqlite3"
        figures = load_test(
            database_url=url,
            questionnaires=args.questionnaires,
            clients=args.clients,
            workers=args.workers,
            seed=args.seed,
            logs=Path(folder),
        )
    print(json.dumps(figures, indent=2))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
