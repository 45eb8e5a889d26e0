"""Start gunicorn as `make serve` does, for the tests, `make bench` and `make loadtest`.

It lives here rather than under tests/ so the benchmark does not import the test suite; the
tests import it like any other module of the repository.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# The variables the app and gunicorn.conf.py read: a child gets only those it is given.
OWN_PREFIXES = ("DJANGO_", "DATABASE_URL", "ADVICE_", "GUNICORN_")
GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]


def environment(**values: str) -> dict[str, str]:
    """Return this process's environment without any of the app's variables, plus ``values``."""
    inherited = {n: v for n, v in os.environ.items() if not n.startswith(OWN_PREFIXES)}
    return inherited | values


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(log_dir: Path, *args: str, workers: int = 1, **env: str) -> Iterator[int]:
    """Run gunicorn as `make serve` does, with ``args`` added to its command line; yield its
    port once it answers. It logs to ``log_dir / f"gunicorn-{port}.log"``."""
    port = free_port()
    log_path = Path(log_dir) / f"gunicorn-{port}.log"
    env = environment(GUNICORN_BIND=f"{HOST}:{port}", GUNICORN_WORKERS=str(workers), **env)
    with log_path.open("w") as log:
        process = subprocess.Popen([*GUNICORN, *args], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()}")
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5).close()
                break
            except urllib.error.HTTPError:  # it answered, if only to say it is unwell
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def bench_env(database_url: str, static_root: Path) -> dict[str, str]:
    """Return production settings for plain HTTP on loopback, with the bare view mounted."""
    return environment(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",  # no TLS proxy in front
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=str(static_root),
    )


def manage(env: dict[str, str], *args: str) -> str:
    """Run ``manage.py`` with ``env``; return what it printed, or raise with its errors."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
