"""An asyncio HTTP/1.1 client and the questionnaire walk that `make bench` drives with it.

Standard library only. Every request opens its own connection and asks the server to close
it, as gunicorn's sync workers do anyway; each simulated person has their own cookie jar and
fills in the forms the pages really serve: the CSRF token, the wizard's management field, one
answer per question (``<step>-<fact_id>``) and, on the check page, the hidden ``check-token``.
"""

from __future__ import annotations

import asyncio
import html
import math
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

TIMEOUT = 30.0
INPUT = re.compile(r"<input\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([A-Za-z_:][-\w:.]*)\s*=\s*"([^"]*)"')
CHECKED = re.compile(r"\schecked(?:[\s=/]|$)", re.IGNORECASE)
FORM_ACTION = re.compile(r'<form\b[^>]*\baction="([^"]*)"', re.IGNORECASE)
ASSET = re.compile(
    r'<link\b[^>]*\brel="(?:stylesheet|icon|preload|modulepreload)"[^>]*\bhref="([^"]+)"'
    r'|<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|icon|preload|modulepreload)"'
    r'|<script\b[^>]*\bsrc="([^"]+)"'
    r'|<img\b[^>]*\bsrc="([^"]+)"',
    re.IGNORECASE,
)
MANAGEMENT = "questionnaire_view-current_step"
CHECK_PATH_END = "/check/"
RESULT_PREFIX = "/result/"
# How many boxes a person ticks on a question with checkboxes, by weight: none to three.
TICKED = {0: 25, 1: 35, 2: 30, 3: 10}


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]  # lower-case names
    body: bytes
    seconds: float

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[-1] if values else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """Return the redirect target as a path on this server."""
        target = urlsplit(self.header("location") or "")
        return target.path + (f"?{target.query}" if target.query else "")


def dechunk(body: bytes) -> bytes:
    """Return the payload of a body sent with ``Transfer-Encoding: chunked``."""
    out = bytearray()
    position = 0
    while True:
        end = body.index(b"\r\n", position)
        size = int(body[position:end].split(b";", 1)[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        position = end + 2 + size + 2


def parse_response(raw: bytes, seconds: float = 0.0) -> Response:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
        body = dechunk(body)
    return Response(status, headers, body, seconds)


async def fetch(
    host: str,
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout: float = TIMEOUT,
) -> Response:
    """Send one request on a new connection and return the whole answer."""
    started = time.perf_counter()
    # One deadline for the whole exchange: cheaper than wait_for, which runs each step as a
    # task of its own, and the client's CPU counts against the machine the server shares.
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, port)
        try:
            lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
            lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            raw = await reader.read()
        finally:
            writer.close()
    return parse_response(raw, time.perf_counter() - started)


class CookieJar:
    """The cookies one person's browser would send back (Secure ones included: no TLS here)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def update(self, response: Response) -> None:
        for line in response.headers.get("set-cookie", []):
            pair, *attributes = line.split(";")
            name, _, value = pair.strip().partition("=")
            expired = any(a.strip().lower() == "max-age=0" for a in attributes)
            if expired or value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


@dataclass(frozen=True)
class Input:
    type: str
    name: str
    value: str
    checked: bool


def form_inputs(page: str) -> list[Input]:
    """Return the named ``<input>`` elements of a page, in order."""
    found = []
    for match in INPUT.finditer(page):
        attributes = {k.lower(): html.unescape(v) for k, v in ATTRIBUTE.findall(match.group(1))}
        if "name" in attributes:
            found.append(
                Input(
                    type=attributes.get("type", "text").lower(),
                    name=attributes["name"],
                    value=attributes.get("value", ""),
                    checked=bool(CHECKED.search(match.group(1))),
                )
            )
    return found


def form_action(page: str, default: str) -> str:
    match = FORM_ACTION.search(page)
    return html.unescape(match.group(1)) if match and match.group(1) else default


def asset_urls(page: str) -> list[str]:
    """Return the stylesheets, icons, scripts and images a page makes the browser load."""
    urls = []
    for match in ASSET.finditer(page):
        url = html.unescape(next(group for group in match.groups() if group))
        if not url.startswith("data:") and url not in urls:
            urls.append(url)
    return urls


Chooser = Callable[[str, str, list[str], random.Random], list[str]]


def weighted_choice(weights: dict[str, dict[str, int]]) -> Chooser:
    """Return a chooser that answers radios by ``weights[fact]`` (uniform when missing)."""

    def choose(kind: str, fact: str, values: list[str], rng: random.Random) -> list[str]:
        if kind == "checkbox":
            count = rng.choices(list(TICKED), weights=list(TICKED.values()))[0]
            return rng.sample(values, k=min(count, len(values)))
        odds = weights.get(fact, {})
        return rng.choices(values, weights=[odds.get(v, 1) for v in values])[0:1]

    return choose


def longest_path(kind: str, fact: str, values: list[str], rng: random.Random) -> list[str]:
    """Answer so that every question is asked: employed, and unsure wherever that is offered."""
    if kind == "checkbox":
        return values[:1]
    for preferred in ("unsure", "yes"):
        if preferred in values:
            return [preferred]
    return values[:1]


def answer_fields(inputs: list[Input], choose: Chooser, rng: random.Random) -> list[tuple]:
    """Return the form data for a page: its hidden fields, plus a chosen answer per question."""
    data = []
    groups: dict[str, tuple[str, list[str]]] = {}
    for item in inputs:
        if item.type == "hidden":
            data.append((item.name, item.value))
        elif item.type in ("radio", "checkbox"):
            groups.setdefault(item.name, (item.type, []))[1].append(item.value)
    for name, (kind, values) in groups.items():
        fact = name.split("-", 1)[-1]
        data += [(name, value) for value in choose(kind, fact, values, rng)]
    return data


@dataclass
class WalkStats:
    """What a set of walks saw: completed questionnaires, latencies by page kind, errors."""

    started: int = 0
    completed: int = 0
    confirmations: int = 0  # final POSTs answered with a redirect to a result page
    requests: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    durations: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)  # the first few unexpected answers

    def record(self, kind: str, response: Response) -> None:
        self.requests += 1
        self.latencies.setdefault(kind, []).append(response.seconds)

    def fail(self, kind: str, what: str, detail: str = "") -> None:
        self.errors[f"{kind}: {what}"] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {what} {detail[:300]}")


class Walker:
    """One person at a time filling in the questionnaire from the start page to the result."""

    def __init__(self, host, port, stats: WalkStats, choose: Chooser, *, headers=None):
        self.host, self.port, self.stats, self.choose = host, port, stats, choose
        self.headers = headers or {}
        self.jar = CookieJar()

    async def _send(self, jar, kind, method, path, expect, data=None):
        sent = {"Cookie": jar.header()} if jar.cookies else {}
        sent.update(self.headers)
        body = b""
        if data is not None:
            body = urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            response = await fetch(self.host, self.port, method, path, headers=sent, body=body)
        except (TimeoutError, OSError, ValueError, IndexError) as exc:
            self.stats.fail(kind, type(exc).__name__, str(exc))
            return None
        jar.update(response)
        self.stats.record(kind, response)
        if response.status != expect:
            self.stats.fail(kind, f"HTTP {response.status}", response.text)
            return None
        return response

    async def walk(
        self,
        rng: random.Random,
        on_page: Callable[[str, Response], None] | None = None,
        confirm: bool = True,
    ) -> str | None:
        """Fill in one questionnaire; return the result page's path, or None on an error.

        With ``confirm=False``, stop on the check page and return its path instead.
        """
        jar = self.jar = CookieJar()
        stats = self.stats
        stats.started += 1
        started = time.perf_counter()
        page = await self._send(jar, "start", "GET", "/", 200)
        if page is None:
            return None
        if on_page:
            on_page("start", page)
        redirect = await self._send(jar, "questions", "GET", "/questions/", 302)
        if redirect is None:
            return None
        path = redirect.location
        for _ in range(40):
            if path.startswith(RESULT_PREFIX):
                result = await self._send(jar, "result", "GET", path, 200)
                if result is None:
                    return None
                if on_page:
                    on_page("result", result)
                stats.completed += 1
                stats.durations.append(time.perf_counter() - started)
                return path
            check = path.endswith(CHECK_PATH_END)
            kind = "check" if check else "step"
            page = await self._send(jar, f"{kind} GET", "GET", path, 200)
            if page is None:
                return None
            if on_page:
                on_page(path, page)
            if check and not confirm:
                return path
            data = answer_fields(form_inputs(page.text), self.choose, rng)
            posted = await self._send(
                jar, f"{kind} POST", "POST", form_action(page.text, path), 302, data
            )
            if posted is None:
                return None
            path = posted.location
            if check:
                if not path.startswith(RESULT_PREFIX):
                    stats.fail("check POST", f"redirect to {path}")
                    return None
                stats.confirmations += 1
        stats.fail("walk", "too many steps")
        return None


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile ``share`` (0-100) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share / 100 * len(ordered))))
    return ordered[rank - 1]


async def walk_load(
    host: str, port: int, *, clients: int, seconds: float, seed: int, choose: Chooser
) -> dict:
    """Run ``clients`` people filling in questionnaires back to back for ``seconds``."""
    stats = WalkStats()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def person(number: int) -> None:
        rng = random.Random(seed * 100_000 + number)
        walker = Walker(host, port, stats, choose)
        while loop.time() < deadline:
            await walker.walk(rng)

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(person(n) for n in range(clients)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    by_kind = {
        kind: {
            "requests": len(values),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
        }
        for kind, values in sorted(stats.latencies.items())
    }
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "started": stats.started,
        "completed": stats.completed,
        "confirmations": stats.confirmations,
        "walks_per_s": round(stats.completed / wall, 2),
        "requests": stats.requests,
        "requests_per_s": round(stats.requests / wall, 1),
        "requests_per_walk": round(stats.requests / max(stats.started, 1), 1),
        "walk_p50_ms": round(percentile(stats.durations, 50) * 1000, 1),
        "walk_p99_ms": round(percentile(stats.durations, 99) * 1000, 1),
        "by_kind": by_kind,
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors),
        "error_samples": stats.samples,
        # The load generator shares the machine: how much of one core it used.
        "client_cpu_share": round(cpu / wall, 2),
    }
