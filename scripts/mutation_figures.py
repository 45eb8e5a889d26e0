#!/usr/bin/env python3
"""Print the last mutmut run's figures per module, then every mutant that survived.

Usage: scripts/mutation_figures.py (after `mutmut run`; `make mutate` runs both). It reads
`mutmut results --all true`, whose lines are "<module>.<function>__mutmut_<n>: <status>".
The score counts killed and timed-out mutants out of all that were tested.
"""

import collections
import subprocess
import sys
from pathlib import Path

CAUGHT = {"killed", "timeout"}


def main() -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    listing = subprocess.run(
        [mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors = []
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = name.rsplit(".", 1)[0].replace(".", "/") + ".py"
        statuses[module][status] += 1
        if status not in CAUGHT:
            survivors.append(f"{name}: {status}")
    if not statuses:
        print("No mutmut results: run `mutmut run` first.", file=sys.stderr)
        return 1
    print("| module | mutants | killed | survived | score |")
    print("| --- | --- | --- | --- | --- |")
    for module, counts in sorted(statuses.items()):
        total = sum(counts.values())
        caught = sum(counts[s] for s in CAUGHT)
        print(f"| `{module}` | {total} | {caught} | {total - caught} | {caught / total:.0%} |")
    print()
    print("\n".join(survivors) or "No mutant survived.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
