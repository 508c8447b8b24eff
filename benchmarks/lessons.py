"""How long each lesson takes to execute headless, and how big it is on disk.

    .venv/bin/python benchmarks/lessons.py              # all lessons, one run each
    .venv/bin/python benchmarks/lessons.py 3 --repeat 3 # lesson 03, median of 3

Targets (course.md / team brief): the whole course executes in under 60 s, and
each stored notebook is under 300 KB. Lessons are executed in memory with the same
settings as scripts/execute_lessons.py (fresh python3 kernel, cwd lessons/, no widget
state); nothing is written back. An empty notebook is executed first as a baseline,
because kernel start-up is part of every lesson's time and these machines are shared
and noisy. This prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS_DIR = ROOT / "lessons"
COURSE_TARGET_S = 60.0
NOTEBOOK_TARGET_KB = 300.0


def _run(notebook: nbformat.NotebookNode) -> float:
    client = NotebookClient(notebook, kernel_name="python3", timeout=180,
                            resources={"metadata": {"path": str(LESSONS_DIR)}},
                            store_widget_state=False)
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def _median_seconds(make_notebook, repeat: int) -> float:
    return statistics.median(_run(make_notebook()) for _ in range(repeat))


def _select(names: list[str]) -> list[Path]:
    lessons = sorted(LESSONS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return lessons
    wanted = {f"{int(n):02d}" if n.isdigit() else n for n in names}
    return [p for p in lessons if p.name[:2] in wanted or p.stem in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers or names; default all")
    parser.add_argument("--repeat", type=int, default=1, help="runs per lesson (median)")
    args = parser.parse_args(argv)
    paths = _select(args.lessons)
    if not paths:
        print(f"no lessons matched in {LESSONS_DIR}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="lems-course-home-") as home:
        os.environ["LEMS_COURSE_HOME"] = home  # never touch the reader's own progress
        baseline = _median_seconds(
            lambda: nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]),
            args.repeat)
        print(f"{'lesson':42s} {'execute (s)':>11s} {'size (KB)':>10s}")
        print(f"{'(empty notebook: kernel start-up)':42s} {baseline:11.1f} {'':>10s}")
        total_s = 0.0
        over_size = []
        for path in paths:
            seconds = _median_seconds(lambda p=path: nbformat.read(p, as_version=4),
                                      args.repeat)
            size_kb = path.stat().st_size / 1024
            total_s += seconds
            flag = "  > 300 KB" if size_kb > NOTEBOOK_TARGET_KB else ""
            if flag:
                over_size.append(path.name)
            print(f"{path.name:42s} {seconds:11.1f} {size_kb:10.0f}{flag}", flush=True)

    print(f"{'total':42s} {total_s:11.1f}")
    verdict = "within" if total_s < COURSE_TARGET_S else "OVER"
    print(f"course execution: {total_s:.1f} s, {verdict} the {COURSE_TARGET_S:.0f} s target"
          f" ({len(paths)} lessons; kernel start-up about {baseline:.1f} s each)")
    print("notebook size: " + (f"over {NOTEBOOK_TARGET_KB:.0f} KB: {', '.join(over_size)}"
                               if over_size else
                               f"every lesson under {NOTEBOOK_TARGET_KB:.0f} KB"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
