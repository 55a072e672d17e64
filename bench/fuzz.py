"""The fuzz suite of tests/test_fuzz.py with many more examples than CI runs.

    .venv/bin/python bench/fuzz.py [EXAMPLES]      # default 500 per test; a new random seed each run

Prints pytest's summary and the time taken."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples", nargs="?", type=int, default=500, help="examples per test (default 500)")
    examples = str(ap.parse_args().examples)
    env = {**os.environ, "KG_FUZZ_EXAMPLES": examples, "KG_FUZZ_SEED": str(time.time_ns())}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/test_fuzz.py"], cwd=ROOT, env=env)
    print(f"{examples} examples per test, {time.perf_counter() - started:.0f} s")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
