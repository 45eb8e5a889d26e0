"""The benchmark's settings for gunicorn and ``manage.py``; gunicorn itself is started through
tests/helpers/server.py, as the tests start it."""

import secrets
import subprocess
import sys
from pathlib import Path

from tests.helpers.server import HOST, ROOT, environment


def bench_env(database_url: str, static_root: Path) -> dict[str, str]:
    """Return production settings for plain HTTP on loopback, with the bare view mounted."""
    return environment(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        ADVICE_OPERATOR="Example Careers",
        ADVICE_CONTACT="privacy@example.org",
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
