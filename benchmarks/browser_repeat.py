"""Run the whole browser suite N times and report how many full runs passed (a
script, not a test): the check that the suite does not flake.

Each run is a separate ``pytest tests/browser tests/quiz/test_quiz_browser.py``
(with ``CI`` set, so a missing tool fails instead of skipping). Its output, JUnit XML
and screenshots are kept under ``--out`` (a new temporary folder by default) so that
an intermittent failure can be read afterwards. ``--burn K`` starts K CPU-burning
processes for the duration, to see the suite on a loaded machine; they are
stopped at the end.

Run: ``.venv/bin/python benchmarks/browser_repeat.py 5 [--burn 1] [--out DIR]``
Prints one line per run and ends with ``K of N full runs passed``; the exit code is
0 only when every run passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SUITE = ["tests/browser", "tests/quiz/test_quiz_browser.py"]
BURNER = "while True: pass"


def failures(junit: Path) -> tuple[int, list[str]]:
    """Number of tests and the ids of those that failed or errored."""
    if not junit.exists():
        return 0, ["(no JUnit report: pytest did not finish)"]
    root = ET.parse(junit).getroot()
    total, failed = 0, []
    for case in root.iter("testcase"):
        total += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname')}::{case.get('name')}")
    return total, failed


def run_once(index: int, out: Path, timeout_s: float) -> tuple[bool, str]:
    run_dir = out / f"run{index}"
    run_dir.mkdir(parents=True, exist_ok=True)
    junit = run_dir / "junit.xml"
    artifacts = REPO_ROOT / "test-artifacts"
    shutil.rmtree(artifacts, ignore_errors=True)
    env = dict(os.environ, CI="1")
    start = time.monotonic()
    with open(run_dir / "output.txt", "w") as log:
        try:
            code = subprocess.call(
                [sys.executable, "-m", "pytest", *SUITE, "-q", "-rfE",
                 f"--junitxml={junit}"],
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                timeout=timeout_s)
        except subprocess.TimeoutExpired:
            code = None
    minutes = (time.monotonic() - start) / 60
    if artifacts.exists():
        shutil.copytree(artifacts, run_dir / "test-artifacts", dirs_exist_ok=True)
    total, failed = failures(junit)
    if code is None:
        failed.append(f"(the run did not end within {timeout_s / 60:g} min)")
    ok = code == 0 and not failed
    summary = (f"run {index}: {'passed' if ok else 'FAILED'}, {total} tests, "
               f"{len(failed)} failed, {minutes:.1f} min")
    if failed:
        summary += "".join(f"\n    {name}" for name in failed)
        summary += f"\n    output: {run_dir / 'output.txt'}"
    return ok, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", type=int, nargs="?", default=5, help="full runs (default 5)")
    parser.add_argument("--burn", type=int, default=0, metavar="K",
                        help="CPU burners to run meanwhile (default 0)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where each run's output is kept (default: a new temp folder)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="MINUTES",
                        help="a run that takes longer counts as failed (default 60)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("runs must be at least 1")
    out = args.out or Path(tempfile.mkdtemp(prefix="lems-browser-repeat-"))
    out.mkdir(parents=True, exist_ok=True)
    burners = [subprocess.Popen([sys.executable, "-c", BURNER]) for _ in range(args.burn)]
    passed = 0
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT,
                                capture_output=True, text=True).stdout.strip() or "unknown"
        print(f"{args.runs} full runs of {' '.join(SUITE)} at commit {commit}, {args.burn} "
              f"CPU burner(s), {os.cpu_count()} CPUs; output in {out}", flush=True)
        for index in range(1, args.runs + 1):
            ok, summary = run_once(index, out, args.timeout * 60)
            passed += ok
            print(summary, flush=True)
    finally:
        for burner in burners:
            burner.terminate()
            burner.wait()
    print(f"{passed} of {args.runs} full runs passed")
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
