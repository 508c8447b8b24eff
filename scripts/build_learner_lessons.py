"""Build the learner versions in ``lessons/`` from the lessons in ``instructor/``.

    .venv/bin/python scripts/build_learner_lessons.py          # every lesson
    .venv/bin/python scripts/build_learner_lessons.py 4 05     # lessons 04 and 05
    .venv/bin/python scripts/build_learner_lessons.py --check  # exit 1 if out of date

A learner version is the lesson without solutions, hidden tests, nbgrader metadata or
instructor-only cells, with its images inlined (``lems_course.teacher.learner``), then
executed like ``scripts/execute_lessons.py`` does (fresh kernel, no widget state, a
throw-away progress folder), so each exercise's check says "Not answered yet".
Never edit ``lessons/`` by hand: edit ``instructor/`` and run
``scripts/execute_lessons.py``, which calls this script.

``--check`` compares content only (cells, sources, metadata), without executing;
strict nbval on ``lessons/`` checks the stored outputs. Exit codes: 0 done or up to
date, 1 a lesson failed or is out of date, 2 a name matches no lesson.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from execute_lessons import LessonFailed, execute_lesson, lesson_paths

from lems_course.teacher.learner import learner_version, without_outputs

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "instructor"
LEARNER_DIR = ROOT / "lessons"


def generated(source: Path, learner_dir: Path = LEARNER_DIR) -> nbformat.NotebookNode:
    """The learner version of ``source``, not yet executed."""
    return learner_version(nbformat.read(source, as_version=4), source, learner_dir)


def problems(sources: list[Path], learner_dir: Path = LEARNER_DIR,
             every_lesson: bool = True) -> list[str]:
    """What is out of date in ``learner_dir`` for these sources (empty: up to date)."""
    found = []
    for source in sources:
        target = learner_dir / source.name
        if not target.is_file():
            found.append(f"{target.name}: missing")
            continue
        committed = without_outputs(nbformat.read(target, as_version=4))
        if committed != without_outputs(generated(source, learner_dir)):
            found.append(f"{target.name}: differs from what {source.parent.name}/"
                         f"{source.name} generates")
    if every_lesson:
        names = {source.name for source in sources}
        found += [f"{path.name}: has no source in {SOURCE_DIR.name}/"
                  for path in sorted(learner_dir.glob("*.ipynb")) if path.name not in names]
    return found


def build(sources: list[Path], learner_dir: Path = LEARNER_DIR, execute: bool = True) -> int:
    learner_dir.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lems-course-home-") as home:
        os.environ["LEMS_COURSE_HOME"] = home
        for source in sources:
            target = learner_dir / source.name
            nbformat.write(generated(source, learner_dir), target)
            if not execute:
                print(f"{target.name:45s} written (not executed)", flush=True)
                continue
            try:
                seconds = execute_lesson(target)
            except LessonFailed as error:
                print(f"FAILED learner version {error}", file=sys.stderr)
                print("A learner version must run top to bottom with every exercise "
                      "unanswered: fix the lesson in instructor/ and run this again.",
                      file=sys.stderr)
                return 1
            print(f"{'lessons/' + target.name:45s} {seconds:6.1f} s", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*",
                        help="lesson numbers (3, 03) or names; default: all")
    parser.add_argument("--check", action="store_true",
                        help="only say whether lessons/ is up to date (no execution)")
    parser.add_argument("--no-execute", action="store_true",
                        help="write without executing (the result fails nbval)")
    args = parser.parse_args(argv)
    try:
        sources = lesson_paths(args.lessons, SOURCE_DIR)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not sources:
        print(f"error: no lessons found in {SOURCE_DIR}", file=sys.stderr)
        return 2
    if args.check:
        found = problems(sources, every_lesson=not args.lessons)
        for problem in found:
            print(f"out of date: lessons/{problem}", file=sys.stderr)
        if found:
            print("Run: .venv/bin/python scripts/build_learner_lessons.py", file=sys.stderr)
            return 1
        print(f"lessons/ is up to date with {SOURCE_DIR.name}/ ({len(sources)} lessons)")
        return 0
    status = build(sources, execute=not args.no_execute)
    if status == 0 and not args.lessons:
        for orphan in problems(sources):
            if orphan.endswith(f"has no source in {SOURCE_DIR.name}/"):
                name = orphan.split(":")[0]
                (LEARNER_DIR / name).unlink()
                print(f"removed lessons/{name} (its source is gone)")
    return status


if __name__ == "__main__":
    sys.exit(main())
