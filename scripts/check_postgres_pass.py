#!/usr/bin/env python3
"""Fail unless the PostgreSQL test pass ran, passed, and skipped none of its own tests.

Usage: scripts/check_postgres_pass.py artifacts/pytest-postgres.xml (pytest's --junitxml report).
The PostgreSQL-only modules skip themselves on SQLite; in this pass they must all run.
"""

import sys
import xml.etree.ElementTree as ET

POSTGRES_MODULES = ("tests.test_postgres", "tests.test_scale_out")
MUST_PASS = "tests.test_postgres::test_suite_runs_on_postgresql"


def main(path: str) -> int:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        print(f"PostgreSQL pass: no report at {path} ({exc}); it did not run.", file=sys.stderr)
        return 1
    outcomes = {}
    for case in root.iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        if case.find("skipped") is not None:
            outcomes[name] = "skipped"
        elif case.find("failure") is not None or case.find("error") is not None:
            outcomes[name] = "failed"
        else:
            outcomes[name] = "passed"
    problems = [f"{name} {outcome}" for name, outcome in outcomes.items() if outcome == "failed"]
    for module in POSTGRES_MODULES:
        own = {
            name: o
            for name, o in outcomes.items()
            if name.startswith((module + "::", module + "."))
        }
        if not own:
            problems.append(f"{module}: no tests ran")
        problems += [f"{name} skipped" for name, o in own.items() if o == "skipped"]
    if outcomes.get(MUST_PASS) != "passed":
        problems.append(f"{MUST_PASS} {outcomes.get(MUST_PASS, 'missing')}")
    skipped = sum(o == "skipped" for o in outcomes.values())
    print(f"PostgreSQL pass: {len(outcomes)} tests, {skipped} skipped.")
    for problem in problems:
        print(f"PostgreSQL pass: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
