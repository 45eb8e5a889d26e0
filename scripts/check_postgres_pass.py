#!/usr/bin/env python3
"""Fail unless the PostgreSQL test pass ran, passed, and skipped none of its tests.

Usage: scripts/check_postgres_pass.py artifacts/pytest-postgres.xml (pytest's --junitxml report).
The pass runs only the tests marked db_engine, each of which must run on PostgreSQL: a skip
there is a test that did not run where it matters. The PostgreSQL-only modules skip themselves
on SQLite; in this pass they must have run, and the check that it is PostgreSQL must pass.
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
    problems = [f"{name} {outcome}" for name, outcome in outcomes.items() if outcome != "passed"]
    if not outcomes:
        problems.append("no tests ran")
    for module in POSTGRES_MODULES:
        if not any(name.startswith((module + "::", module + ".")) for name in outcomes):
            problems.append(f"{module}: no tests ran")
    if MUST_PASS not in outcomes:
        problems.append(f"{MUST_PASS} missing")
    skipped = sum(o == "skipped" for o in outcomes.values())
    print(f"PostgreSQL pass: {len(outcomes)} tests, {skipped} skipped.")
    for problem in problems:
        print(f"PostgreSQL pass: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
