"""Drive one page with wrk and read its figures back.

Each run gets a generated Lua script that sets the method, body and headers (a session
cookie, a form body for a POST) and prints the summary as one JSON line, so nothing depends on
the layout of wrk's human-readable report.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "BENCH_JSON "
DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,'
    .. '"mean_us":%.1f}\\n',
    "MARKER", summary.requests, summary.duration, summary.bytes, e.connect, e.read,
    e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
""".replace("MARKER", MARKER)


@dataclass(frozen=True)
class Target:
    """What wrk requests, over and over."""

    path: str
    method: str = "GET"
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def lua_string(value: str) -> str:
    """Return ``value`` as a double-quoted Lua string literal."""
    escaped = "".join(f"\\{ord(c):03d}" if c in '"\\' or not c.isprintable() else c for c in value)
    return f'"{escaped}"'


def lua_script(target: Target) -> str:
    lines = [f"wrk.method = {lua_string(target.method)}"]
    if target.body:
        lines.append(f"wrk.body = {lua_string(target.body)}")
    for name, value in target.headers.items():
        lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
    return "\n".join(lines) + "\n" + DONE


def parse_output(output: str) -> dict:
    """Return the figures of one run from wrk's output, in requests/s and milliseconds."""
    line = next((x for x in output.splitlines() if x.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    raw = json.loads(line[len(MARKER) :])
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "bytes_per_request": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
        "errors": errors,
        "error_kinds": {
            k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]
        },
    }


def run(
    base_url: str,
    target: Target,
    *,
    seconds: float,
    connections: int,
    threads: int,
    script_dir: Path,
) -> dict:
    """Run wrk against ``base_url + target.path`` and return its figures."""
    script = script_dir / "wrk-target.lua"
    script.write_text(lua_script(target))
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base_url + target.path,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse_output(done.stdout)
