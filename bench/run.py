"""`make bench`: every benchmark in one run, a table on the console, bench/results.json.

Benchmarks never decide whether the tests pass; they report figures measured side by side
in one run, so ratios between them mean something on a noisy machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
BENCHMARKS = [
    ("allocation", ["bench_allocation.py", "--json"]),
    ("admissions_run", ["bench_admissions_run.py", "--applicants", "10000", "--json"]),
]


def main() -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, argv in BENCHMARKS:
        print(f"== {name}", flush=True)
        completed = subprocess.run(
            [sys.executable, str(HERE / argv[0]), *argv[1:]],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(completed.stdout)
        print(json.dumps(results[name], indent=1)[:4000], flush=True)
    (HERE / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"written {HERE / 'results.json'}")
    return results


if __name__ == "__main__":
    main()
