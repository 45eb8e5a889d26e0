"""Run the app in processes of its own, as an operator would, and speak to it over HTTP.

gunicorn as `make serve` starts it, ``manage.py`` and settings in fresh production processes,
single requests and a browser behind a TLS proxy. The benchmark (bench/) starts gunicorn
through this module too.
"""

import http.client
import itertools
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# The host name the tests give the site behind its TLS proxy.
PUBLIC_HOST = "advisor.example.org"
# The variables the app and gunicorn.conf.py read: a child gets only those it is given.
OWN_PREFIXES = ("DJANGO_", "DATABASE_URL", "ADVICE_", "GUNICORN_")
GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "interview_advisor.settings",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": f"{PUBLIC_HOST},{HOST}",
    "ADVICE_OPERATOR": "Example Careers",
    "ADVICE_CONTACT": "privacy@example.org",
}


def environment(**values: str) -> dict[str, str]:
    """Return this process's environment without any of the app's variables, plus ``values``."""
    inherited = {n: v for n, v in os.environ.items() if not n.startswith(OWN_PREFIXES)}
    return inherited | values


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run ``args`` from the repository with only ``env`` of the app's variables."""
    return subprocess.run(
        args, cwd=ROOT, env=environment(**env), capture_output=True, text=True, timeout=120
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], **env)


def settings_in_production(*names: str, **env: str) -> dict:
    """Return the named settings as a fresh production process sees them, through JSON."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = run([sys.executable, "-c", code], **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


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


@dataclass
class Response:
    status: int
    headers: Message
    text: str


def fetch(port: int, method: str, path: str, *, headers=None, body=None) -> Response:
    """Send one request to 127.0.0.1:``port`` and return the answer; follow no redirect."""
    connection = http.client.HTTPConnection(HOST, port, timeout=20)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read().decode(errors="replace"))
    finally:
        connection.close()


class Browser:
    """What a browser does behind a TLS proxy: keep cookies, send Origin, follow nothing."""

    def __init__(self, ports: list[int]):
        self.cookies: dict[str, str] = {}
        self.turns = itertools.cycle(ports)
        self.served_by: list[tuple[str, int]] = []

    def request(self, method: str, path: str, data: dict | None = None):
        port = next(self.turns)
        self.served_by.append((method, port))
        headers = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.csrf_token}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{PUBLIC_HOST}"
        response = fetch(port, method, path, headers=headers, body=body)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                assert morsel["secure"], f"{name} cookie without Secure"
                self.cookies[name] = morsel.value
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        if token:
            self.csrf_token = token.group(1)
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict):
        return self.request("POST", path, data)
