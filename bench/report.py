"""The table `make bench` prints: each figure, its share of the bare view, and the targets."""

# A question page's requests/s as a share of the bare view's, at least.
QUESTION_SHARE = 0.15
# The summary of every assessment may take this many times as long as the list page, at most.
SUMMARY_TO_LIST = 3.0
# How much an export of every assessment may grow the process's peak memory, in MB.
CSV_GROWTH_MB = 20.0


def bare_rps(pages: list[dict]) -> float:
    """Return the bare view's requests/s: the mean of the first and last runs."""
    runs = [p["rps"] for p in pages if p["name"].startswith("bare view")]
    return sum(runs) / len(runs)


def slowest_question(pages: list[dict]) -> dict:
    questions = [p for p in pages if p["name"].startswith("GET /questions/")]
    return min((p for p in questions if "/check/" not in p["name"]), key=lambda p: p["rps"])


def summary_to_list(pages: list[dict]) -> tuple[str, float]:
    """Return the largest size measured and the summary's time per request over the list's."""
    rps = {p["name"]: p["rps"] for p in pages if p["name"].startswith("admin")}
    size = max((n.split(", ")[1] for n in rps), key=lambda s: int(s.split()[0].replace(",", "")))
    summary = rps[f"admin summary, {size}"]
    return size, rps[f"admin list, {size}"] / summary if summary else float("inf")


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def table(results: dict) -> str:
    """Return the run's figures as a Markdown table, then the targets and whether each is met."""
    pages, walk, csv = results["pages"], results["walk"], results["csv"]
    bare = bare_rps(pages)
    lines = [
        f"## make bench, {results['finished']}: {results['database']}",
        "",
        f"{results['machine']}; load average {results['load_before']} before, "
        f"{results['load_after']} after; {results['minutes']} minutes. gunicorn with production "
        f"settings, 2 sync workers; wrk at {results['connections']} connections, "
        f"{results['seconds']} s a page (the admin at 2); the bare view at {bare:,.0f} req/s "
        "(mean of both runs).",
        "",
        "| Measured | connections | req/s | of bare view | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in pages:
        share = f"{p['rps'] / bare:.1%}" if p["connections"] == results["connections"] else ""
        lines.append(
            f"| {p['name']} | {p['connections']} | {p['rps']:,.1f} | {share} "
            f"| {p['p99_ms']:,.1f} | {p['errors']} |"
        )
    lines.append(
        f"| complete questionnaires: {walk['questionnaires']:,} (locust), "
        f"{walk['requests']:,} requests | {walk['clients']} people | {walk['per_second']:.1f} "
        f"| {walk['per_second'] / bare:.2%} | | {walk['errors']} |"
    )
    slowest = slowest_question(pages)
    share = slowest["rps"] / bare
    size, ratio = summary_to_list(pages)
    saved = walk["rows_saved"] == walk["confirmations"] == walk["completed"]
    # locust's time limit is a safety net: a walk it stopped failed, whatever it had done.
    timed_out = ", stopped at locust's time limit" if walk["stopped_by_time_limit"] else ""
    lines += [
        "",
        f"**Slowest question page: {slowest['name']} at {share:.1%} of the bare view** "
        f"(target: at least {QUESTION_SHARE:.0%}): {verdict(share >= QUESTION_SHARE)}.",
        f"- Summary / list at {size}, with {results.get('counted_days', 0)} days of question "
        f"counts: {ratio:.2f}× the time a request "
        f"(target: at most {SUMMARY_TO_LIST:.0f}×): {verdict(ratio <= SUMMARY_TO_LIST)}.",
        f"- Questionnaires: {walk['completed']:,} completed, {walk['confirmations']:,} "
        f"confirmations, {walk['rows_saved']:,} rows saved, {walk['errors']} failed requests"
        f"{timed_out}: {verdict(saved and walk['errors'] == 0 and not timed_out)}.",
        f"- CSV export of {csv['rows']:,} assessments ({csv['mb']} MB in {csv['seconds']} s): "
        f"peak memory +{csv['growth_mb']} MB (target: under {CSV_GROWTH_MB:.0f} MB): "
        f"{verdict(csv['status'] == 200 and csv['growth_mb'] < CSV_GROWTH_MB)}.",
    ]
    return "\n".join(lines) + "\n"
