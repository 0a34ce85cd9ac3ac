"""Run every benchmark (bench/bench_*.py) and print its lines; each prints its own ratio
against a baseline measured in the same run. `make bench BENCH_ARGS=--quick` for a short run,
`BENCH_ARGS="--only meta"` to run the benchmarks whose file name contains "meta"."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    failures = 0
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    for script in sorted(HERE.glob("bench_*.py")):
        if args.only and args.only not in script.stem:
            continue
        print(f"== {script.stem}", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        result = subprocess.run(command, env=env, cwd=HERE.parent, check=False)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
