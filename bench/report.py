"""The benchmark's targets, checked against a run's figures, and the Markdown table of a run."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
KB = 1024

# Ratios to the bare view's requests/s, and limits: what the benchmark holds the app to.
STEP_GET_RATIO = 0.12
STEP_POST_RATIO = 0.10
RESULT_RATIO = 0.15
WALK_RATIO = 0.01
P99_MS = 50.0
SCALE_TIME_RATIO = 2.0
CSV_GROWTH_MB = 20.0
WORKER_PEAK_MB = 80.0
FIRST_PAGE_BYTES = 50 * KB
STEP_PAGE_BYTES = 6 * KB


@dataclass(frozen=True)
class Check:
    target: str
    measured: str
    met: bool


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else 0.0


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def num(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def kb(size: float) -> str:
    return f"{size / KB:.1f} KB"


def page_target(page: dict) -> tuple[float | None, bool]:
    """Return the page's minimum ratio to the baseline (if any) and whether p99 is capped."""
    kind = page["kind"]
    return {
        "step GET": (STEP_GET_RATIO, True),
        "step POST": (STEP_POST_RATIO, True),
        "result": (RESULT_RATIO, True),
        "start": (None, True),
        "check": (None, True),
    }.get(kind, (None, False))


def target_text(page: dict) -> str:
    minimum, capped = page_target(page)
    parts = []
    if minimum is not None:
        parts.append(f"≥ {minimum * 100:.0f}%")
    if capped:
        parts.append(f"p99 < {P99_MS:.0f} ms")
    return ", ".join(parts)


def page_met(page: dict, baseline: float) -> bool | None:
    minimum, capped = page_target(page)
    if minimum is None and not capped:
        return None
    met = page["errors"] == 0
    if minimum is not None:
        met = met and ratio(page["rps"], baseline) >= minimum
    if capped:
        met = met and page["p99_ms"] < P99_MS
    return met


def mark(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "**missed**")


def checks(run: dict) -> list[Check]:
    """Return every target with its measured value, for one database pass."""
    baseline = run["baseline"]["rps"]
    found = []
    pages = run["pages"]
    for kind, minimum in (
        ("step GET", STEP_GET_RATIO),
        ("step POST", STEP_POST_RATIO),
        ("result", RESULT_RATIO),
    ):
        chosen = [p for p in pages if p["kind"] == kind]
        if chosen:
            worst = min(chosen, key=lambda p: p["rps"])
            found.append(
                Check(
                    f"{kind} ≥ {minimum * 100:.0f}% of bare req/s"
                    + (" (every step)" if len(chosen) > 1 else ""),
                    f"{pct(ratio(worst['rps'], baseline))} ({num(worst['rps'])} req/s"
                    + (f", slowest: {worst['name']}" if len(chosen) > 1 else "")
                    + ")",
                    ratio(worst["rps"], baseline) >= minimum,
                )
            )
    questionnaire = [p for p in pages if page_target(p)[1]]
    if questionnaire:
        worst = max(questionnaire, key=lambda p: p["p99_ms"])
        found.append(
            Check(
                f"p99 < {P99_MS:.0f} ms at 16 connections, every questionnaire page",
                f"worst {worst['p99_ms']:.1f} ms ({worst['name']})",
                worst["p99_ms"] < P99_MS,
            )
        )
    walk = run.get("walk")
    if walk:
        found.append(
            Check(
                f"complete questionnaires/s ≥ {WALK_RATIO * 100:.0f}% of bare req/s, 0 errors",
                f"{walk['walks_per_s']:.1f}/s = {pct(ratio(walk['walks_per_s'], baseline))}, "
                f"{walk['errors']} errors",
                ratio(walk["walks_per_s"], baseline) >= WALK_RATIO and walk["errors"] == 0,
            )
        )
    scale = run.get("scale")
    if scale:
        for name, page in scale["pages"].items():
            found.append(
                Check(
                    f"{name}: time at {scale['large']:,} ≤ {SCALE_TIME_RATIO:.0f}× at "
                    f"{scale['small']:,}, same queries",
                    f"CPU time ×{page['time_ratio']:.2f} (wall ×{page['wall_ratio']:.2f}), "
                    f"queries {page['queries_small']} → "
                    f"{page['queries_large']}",
                    page["time_ratio"] <= SCALE_TIME_RATIO
                    and page["queries_small"] == page["queries_large"],
                )
            )
        csv = scale["csv"]
        found.append(
            Check(
                f"CSV of {csv['large']['rows']:,} rows: worker peak RSS grows "
                f"< {CSV_GROWTH_MB:.0f} MB over {csv['small']['rows']:,} rows",
                f"+{csv['growth_mb']:.1f} MB",
                csv["growth_mb"] < CSV_GROWTH_MB,
            )
        )
        found.append(
            Check(
                "CSV export time grows no worse than linearly",
                f"CPU time ×{csv['time_ratio']:.1f} (wall ×{csv['wall_ratio']:.1f}) for "
                f"×{csv['rows_ratio']:.0f} rows",
                csv["time_ratio"] <= csv["rows_ratio"],
            )
        )
    memory = run.get("memory")
    if memory:
        peak = max(memory.values())
        found.append(
            Check(
                f"gunicorn worker peak RSS after the benchmark < {WORKER_PEAK_MB:.0f} MB",
                f"{peak:.1f} MB ("
                + ", ".join(f"{name} {value:.1f}" for name, value in memory.items())
                + ")",
                peak < WORKER_PEAK_MB,
            )
        )
    weight = run.get("page_weight")
    if weight:
        first = weight["first_page"]["total"]
        found.append(
            Check(
                f"first page with its CSS and scripts, as served < {FIRST_PAGE_BYTES // KB} KB",
                kb(first),
                first < FIRST_PAGE_BYTES,
            )
        )
        heaviest = max(weight["steps"], key=lambda s: s["bytes"])
        found.append(
            Check(
                f"each further question page (HTML) < {STEP_PAGE_BYTES // KB} KB, "
                "static files immutable",
                f"largest {kb(heaviest['bytes'])} ({heaviest['path']}); "
                f"immutable: {'yes' if weight['first_page']['all_immutable'] else 'no'}",
                heaviest["bytes"] < STEP_PAGE_BYTES and weight["first_page"]["all_immutable"],
            )
        )
    for name, walk in (run.get("servers") or {}).items():
        bad = sum(walk["log_counts"].get(k, 0) for k in LOCK_MESSAGES)
        failed = walk["errors"] + walk.get("post_wrk", {}).get("errors", 0)
        found.append(
            Check(
                f"{run['database']}, {name}: no lost write under the walk load (rows saved = "
                "confirmations), 0 locked / malformed / I/O errors",
                f"{walk['rows_saved']} saved / {walk['confirmations']} confirmed; "
                f"{bad} such errors; {failed} failed requests",
                walk["rows_saved"] == walk["confirmations"] and bad == 0 and failed == 0,
            )
        )
    return found


LOCK_MESSAGES = ("database is locked", "database disk image is malformed", "disk I/O error")


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(results: dict) -> str:
    """Return the whole run as Markdown: one section per database, then the targets."""
    machine = results["machine"]
    out = [
        "# Benchmark figures",
        "",
        f"{results['finished']} · {machine['cpu_model']}, {machine['nproc']} CPUs, "
        f"{machine['memory_gb']:.0f} GB · Python {machine['python']}, Django "
        f"{machine['django']}, gunicorn {machine['gunicorn']}, SQLite {machine['sqlite']}, "
        f"{machine['wrk']} · code {machine['code']} · load average "
        f"{machine['load_before']} before, {machine['load_after']} after · "
        f"`make bench` took {results['minutes']:.1f} min.",
        "",
        f"wrk: {results['settings']['connections']} connections, "
        f"{results['settings']['seconds']:.0f} s a page after "
        f"{results['settings']['warmup']:.0f} s warm-up; gunicorn: 2 sync workers, production "
        "settings. Ratios are to the bare view measured by the same gunicorn in the same run. "
        "CPU ms: the CPU time (user + system, from /proc) the gunicorn workers, and on "
        "PostgreSQL the database server's processes for them, spent per request; other "
        "programs on the machine barely move it, unlike req/s and latency.",
    ]
    for run in results["runs"]:
        out += ["", *run_markdown(run)]
    return "\n".join(out) + "\n"


def run_markdown(run: dict) -> list[str]:
    baseline = run["baseline"]["rps"]
    title = run["database"]
    out = [f"## {title}", ""]
    rows = []
    for page in run["pages"]:
        met = page_met(page, baseline)
        rows.append(
            [
                page["name"],
                num(page["rps"]),
                f"{page['p50_ms']:.1f}",
                f"{page['p99_ms']:.1f}",
                f"{page.get('cpu_ms', 0):.2f}",
                str(page["errors"]),
                pct(ratio(page["rps"], baseline)),
                target_text(page),
                mark(met),
            ]
        )
    out += [
        f"### Pages at {run['connections']} connections ({run['seeded']:,} assessments saved)",
        "",
        f"Baseline: {num(baseline)} req/s (mean of "
        + " and ".join(num(r["rps"]) for r in run["baseline"]["runs"])
        + ", at the start and at the end).",
        "",
        table(
            rows,
            ["Page", "req/s", "p50 ms", "p99 ms", "CPU ms", "errors", "vs bare", "target", ""],
        ),
    ]
    if run.get("before"):
        out += ["", *before_markdown(run)]
    servers = run.get("servers") or {}
    if servers:
        rows = []
        for name, walk in servers.items():
            log = walk["log_counts"]
            rows.append(
                [
                    name,
                    str(walk["clients"]),
                    f"{walk['walks_per_s']:.1f}",
                    pct(ratio(walk["walks_per_s"], baseline)),
                    f"{walk['requests_per_s']:.0f}",
                    f"{walk['walk_p50_ms']:.0f} / {walk['walk_p99_ms']:.0f}",
                    f"{walk.get('cpu_ms_per_walk', 0):.0f}",
                    str(walk["errors"]),
                    f"{walk['rows_saved']} / {walk['confirmations']}",
                    post_text(walk.get("post_wrk")),
                    " / ".join(str(log.get(k, 0)) for k in LOCK_MESSAGES),
                    walk.get("integrity", "–"),
                    f"{walk['client_cpu_share'] * 100:.0f}%",
                ]
            )
        out += [
            "",
            "### Complete questionnaires (start page to result page)",
            "",
            table(
                rows,
                [
                    "gunicorn",
                    "clients",
                    "questionnaires/s",
                    "vs bare",
                    "req/s",
                    "walk p50 / p99 ms",
                    "CPU ms a walk",
                    "errors",
                    "rows saved / confirmed",
                    "then POSTs only: req/s, errors",
                    "locked / malformed / I/O",
                    "integrity",
                    "client CPU",
                ],
            ),
            "",
            "Per request during the sync walk (p50 / p99 ms): "
            + "; ".join(
                f"{kind} {v['p50_ms']:.1f} / {v['p99_ms']:.1f}"
                for kind, v in next(iter(servers.values()))["by_kind"].items()
            )
            + ".",
        ]
    scale = run.get("scale")
    if scale:
        out += ["", *scale_markdown(scale)]
    weight = run.get("page_weight")
    if weight:
        first = weight["first_page"]
        parts = [f"HTML {kb(first['html'])}"] + [
            f"{a['name']} {kb(a['bytes'])} ({a['encoding'] or 'identity'}"
            f"{', immutable' if a['immutable'] else ''})"
            for a in first["assets"]
        ]
        steps = ", ".join(f"{s['step']} {kb(s['bytes'])}" for s in weight["steps"])
        out += [
            "",
            "### Page weight (bytes as served, Accept-Encoding: gzip, br)",
            "",
            f"- First page `/`: **{kb(first['total'])}** = " + " + ".join(parts) + ".",
            f"- Question pages (HTML only, static files cached): {steps}.",
            f"- Check page {kb(weight['check'])}, result page {kb(weight['result'])}.",
        ]
    memory = run.get("memory")
    if memory:
        out += [
            "",
            "Worker peak RSS at the end (VmHWM, largest worker of each gunicorn): "
            + ", ".join(f"{name} {value:.1f} MB" for name, value in memory.items())
            + f" (target < {WORKER_PEAK_MB:.0f} MB).",
        ]
    out += [
        "",
        "### Targets",
        "",
        table(
            [[c.target, c.measured, mark(c.met)] for c in checks(run)],
            ["Target", "Measured", ""],
        ),
    ]
    return out


def post_text(figures: dict | None) -> str:
    return f"{num(figures['rps'])}, {figures['errors']}" if figures else "–"


def before_markdown(run: dict) -> list[str]:
    before = run["before"]
    after_pages = {p["name"]: p for p in run["pages"]}
    rows = []
    for page in before["pages"]:
        after = after_pages.get(page["name"])
        if after is None:
            continue
        rows.append(
            [
                page["name"],
                f"{num(page['rps'])} ({pct(ratio(page['rps'], before['baseline']['rps']))})",
                f"{num(after['rps'])} ({pct(ratio(after['rps'], run['baseline']['rps']))})",
                f"{page['p99_ms']:.1f} → {after['p99_ms']:.1f}",
                f"{page.get('cpu_ms', 0):.2f} → {after.get('cpu_ms', 0):.2f}",
            ]
        )
    return [
        f"### Before ({before['ref']}) and after, same run",
        "",
        f"Bare view: {num(before['baseline']['rps'])} req/s before, "
        f"{num(run['baseline']['rps'])} after.",
        "",
        table(
            rows,
            ["Page", "before: req/s (vs bare)", "after: req/s (vs bare)", "p99 ms", "CPU ms"],
        ),
    ]


def scale_markdown(scale: dict) -> list[str]:
    rows = []
    for name, page in scale["pages"].items():
        cells = [name]
        for size in ("small", "large"):
            alone = page[size]["one_at_a_time"]
            cells.append(
                f"{alone['cpu_ms']:.1f} / {alone['median_ms']:.1f} ({num(page[size]['rps'])})"
            )
        rows.append(
            [
                *cells,
                f"×{page['time_ratio']:.2f} / ×{page['wall_ratio']:.2f}",
                f"{page['queries_small']} / {page['queries_large']}",
                mark(
                    page["time_ratio"] <= SCALE_TIME_RATIO
                    and page["queries_small"] == page["queries_large"]
                ),
            ]
        )
    csv = scale["csv"]
    small, large = csv["small"], csv["large"]
    rows.append(
        [
            f"CSV export, {small['rows']:,} vs {large['rows']:,} rows",
            f"{small['cpu_seconds'] * 1000:.0f} / {small['seconds'] * 1000:.0f} "
            f"({small['bytes'] / MB:.1f} MB)",
            f"{large['cpu_seconds'] * 1000:.0f} / {large['seconds'] * 1000:.0f} "
            f"({large['bytes'] / MB:.1f} MB)",
            f"×{csv['time_ratio']:.1f} / ×{csv['wall_ratio']:.1f} for ×{csv['rows_ratio']:.0f} "
            "rows",
            f"{csv['queries_small']} / {csv['queries_large']}",
            mark(csv["time_ratio"] <= csv["rows_ratio"]),
        ]
    )
    return [
        f"### Flat as data grows: {scale['small']:,} vs {scale['large']:,} assessments",
        "",
        "CPU / wall ms: the CPU time (as above) and the median wall-clock time of 21 requests "
        "sent one at a time (the CSV: 5 and 3 downloads, the fastest); in brackets, req/s "
        "with wrk at 16 connections. The target is judged on CPU time, which a busy machine "
        "barely moves. Queries: counted in-process for the same pages.",
        "",
        table(
            rows,
            [
                "Page",
                f"{scale['small']:,}: CPU / wall ms (req/s)",
                f"{scale['large']:,}: CPU / wall ms (req/s)",
                "time: CPU / wall",
                "queries",
                "",
            ],
        ),
        "",
        f"Worker peak RSS (VmHWM, largest worker): {csv['hwm_after_small_mb']:.1f} MB after "
        f"the {small['rows']:,}-row exports, {csv['hwm_after_large_mb']:.1f} MB after "
        f"the {large['rows']:,}-row ones: +{csv['growth_mb']:.1f} MB "
        f"(target < {CSV_GROWTH_MB:.0f} MB). Growing the table took "
        f"{scale['grow_seconds']:.1f} s.",
    ]


def spread(pages: list[dict], key: str, fmt) -> str:
    """Return the range of ``key`` over ``pages``, formatted: "low–high", or one value."""
    low, high = min(p[key] for p in pages), max(p[key] for p in pages)
    return fmt(low) if fmt(low) == fmt(high) else f"{fmt(low)}–{fmt(high)}"


def summary(results: dict) -> str:
    """Return the short form of a run for the README: the main figures and the targets."""
    machine = results["machine"]
    out = [
        f"From `make bench` on {results['finished']}: {machine['nproc']} CPUs "
        f"(`nproc`), {machine['cpu_model']} (`/proc/cpuinfo`), {machine['memory_gb']:.0f} GB, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}; code {machine['code']}; "
        f"load average {machine['load_before'].split()[0]} before and "
        f"{machine['load_after'].split()[0]} after; {results['minutes']:.1f} minutes.",
    ]
    for run in results["runs"]:
        baseline = run["baseline"]["rps"]
        bare = run["baseline"]["runs"]
        rows = [
            [
                "bare `HttpResponse` (baseline)",
                num(baseline),
                spread(bare, "p99_ms", lambda v: f"{v:.0f}"),
                spread(bare, "cpu_ms", lambda v: f"{v:.2f}"),
                "100%",
            ]
        ]
        for kind, label in (
            ("start", "start page"),
            ("step GET", "question pages, GET"),
            ("step POST", "a question, POST"),
            ("check", "check answers"),
            ("result", "result page"),
        ):
            chosen = [p for p in run["pages"] if p["kind"] == kind]
            if chosen:
                shares = [{"share": ratio(p["rps"], baseline)} for p in chosen]
                rows.append(
                    [
                        label + (f" ({len(chosen)})" if len(chosen) > 1 else ""),
                        spread(chosen, "rps", num),
                        spread(chosen, "p99_ms", lambda v: f"{v:.0f}"),
                        spread(chosen, "cpu_ms", lambda v: f"{v:.2f}"),
                        spread(shares, "share", pct),
                    ]
                )
        walk = run.get("walk")
        if walk:
            rows.append(
                [
                    f"complete questionnaires ({walk['clients']} people)",
                    f"{walk['walks_per_s']:.1f}/s",
                    f"{walk['walk_p99_ms']:.0f} a questionnaire",
                    f"{walk['cpu_ms_per_walk']:.0f} a questionnaire",
                    pct(ratio(walk["walks_per_s"], baseline)),
                ]
            )
        out += [
            "",
            f"{run['database']}, wrk at {run['connections']} connections:",
            "",
            table(rows, ["Page", "req/s", "p99 ms", "CPU ms", "vs bare"]),
            "",
            table(
                [[c.target, c.measured, "met" if c.met else "**missed**"] for c in checks(run)],
                ["Target", "Measured", ""],
            ),
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    print(summary(json.loads(Path(sys.argv[1]).read_text())), end="")
