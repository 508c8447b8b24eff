"""Execute the course's lessons in place, so their stored outputs are current.

    .venv/bin/python scripts/execute_lessons.py            # every lesson
    .venv/bin/python scripts/execute_lessons.py 3 04       # lessons 03 and 04
    .venv/bin/python scripts/execute_lessons.py 02_acetylcholine_release

The lessons are written in ``instructor/`` (the source, with solutions). This executes
them there, then rebuilds and executes their learner versions in ``lessons/`` (see
``scripts/build_learner_lessons.py``); ``--source-only`` skips that second step.

Each lesson runs in a fresh ``python3`` kernel with its own folder as the working
directory, 180 s per cell at most. Widget state is NOT stored (it would embed the
anywidget/plotly bundles and grow a lesson to megabytes), and nbclient's per-cell
timing metadata is removed so that re-executing a lesson changes only what changed.
The kernel gets an empty, throw-away progress folder ($LEMS_COURSE_HOME), so the
stored outputs never carry the author's own quiz progress.
Prints how long each lesson took; stops with a clear message naming the lesson and
the cell if a cell fails (exit code 1), or if a name matches no lesson (exit code 2).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = Path(__file__).resolve().parents[1]
LESSONS_DIR = ROOT / "instructor"  # the source; learner versions: ROOT / "lessons"
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 180
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in tracebacks


class LessonFailed(Exception):
    """A lesson could not be executed; ``str()`` says which lesson and cell, and why."""


def lesson_paths(names: list[str], lessons_dir: Path = LESSONS_DIR) -> list[Path]:
    """Resolve ``3``, ``03``, ``03_calcium…`` or a path to lesson notebooks (all if empty)."""
    lessons = sorted(lessons_dir.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return lessons
    chosen: list[Path] = []
    for name in names:
        as_path = Path(name)
        if as_path.suffix == ".ipynb" and as_path.is_file():
            chosen.append(as_path.resolve())
            continue
        stem = name.removesuffix(".ipynb")
        if re.fullmatch(r"\d{1,2}", stem):
            stem = f"{int(stem):02d}_"
        matches = [p for p in lessons if p.stem == stem or p.stem.startswith(stem)]
        if len(matches) != 1:
            available = ", ".join(p.name for p in lessons) or "none yet"
            what = "matches no lesson" if not matches else "matches several lessons"
            raise ValueError(f"{name!r} {what}. Available lessons: {available}")
        chosen.append(matches[0])
    return chosen


def _strip_timing(notebook: nbformat.NotebookNode) -> None:
    # nbclient records start/end timestamps per cell; they change on every run and
    # would make every re-execution a diff in every cell.
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)


def _cell_label(notebook: nbformat.NotebookNode, index: int) -> str:
    source = notebook.cells[index].source.strip().splitlines()
    first = source[0] if source else "(empty)"
    return f"cell {index + 1} (`{first[:60]}`)"


def execute_lesson(path: Path) -> float:
    """Execute one lesson in place; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=False,
    )
    started = time.perf_counter()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as error:
        index = _failing_cell(notebook)
        where = _cell_label(notebook, index) if index is not None else "a cell"
        summary = _ANSI.sub("", str(error)).strip().splitlines()
        reason = summary[-1] if summary else type(error).__name__
        raise LessonFailed(f"{path.name}: {where} failed: {reason}") from error
    elapsed = time.perf_counter() - started
    _strip_timing(notebook)
    nbformat.write(notebook, path)
    return elapsed


def _failing_cell(notebook: nbformat.NotebookNode) -> int | None:
    # The failing cell is the last one that has an error output (or, on a timeout,
    # the first code cell without an execution count).
    for index in range(len(notebook.cells) - 1, -1, -1):
        cell = notebook.cells[index]
        if cell.cell_type == "code" and any(
                out.get("output_type") == "error" for out in cell.get("outputs", [])):
            return index
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is None:
            return index
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*",
                        help="lesson numbers (3, 03) or names (03_calcium…); default: all")
    parser.add_argument("--source-only", action="store_true",
                        help="execute instructor/ only; do not rebuild lessons/")
    args = parser.parse_args(argv)
    try:
        paths = lesson_paths(args.lessons)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not paths:
        print(f"error: no lessons found in {LESSONS_DIR}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="lems-course-home-") as home:
        os.environ["LEMS_COURSE_HOME"] = home
        status = _execute_all(paths)
    if status or args.source_only:
        return status
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_learner_lessons import main as build_learner

    return build_learner([str(path) for path in paths])


def _execute_all(paths: list[Path]) -> int:
    total = 0.0
    for path in paths:
        try:
            seconds = execute_lesson(path)
        except LessonFailed as error:
            print(f"FAILED {error}", file=sys.stderr)
            print("Fix the cell (or the code it calls) and run this script again.",
                  file=sys.stderr)
            return 1
        total += seconds
        print(f"{path.name:45s} {seconds:6.1f} s", flush=True)
    if len(paths) > 1:
        print(f"{'total':45s} {total:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
