"""The learner versions in ``lessons/`` are generated from ``instructor/`` and up to date,
hold no solution, hidden test or stored "Correct", and a wrong answer does not stop
Run All."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from teacher_helpers import (
    FIXTURE_LESSONS,
    LEARNER_LESSONS,
    LESSONS,
    PROGRESS_HOME,
    REPO,
    lesson_params,
    require_lesson,
)

from lems_course.cli import main
from lems_course.teacher.learner import MARK, learner_version, source_of

sys.path.insert(0, str(REPO / "scripts"))
import build_learner_lessons

SOLUTION = re.compile(r"BEGIN SOLUTION\n(.*?)\n[^\n]*END SOLUTION", re.S)
HIDDEN = re.compile(r"BEGIN HIDDEN TESTS\n(.*?)\n[^\n]*END HIDDEN TESTS", re.S)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
STUB = re.compile(r"^(\w+) = None  # YOUR ANSWER HERE", re.M)


def _learner(lesson: Path) -> Path:
    return LEARNER_LESSONS / require_lesson(lesson).name


def _outputs_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(str(out.get("text", "")))
            parts += [str(value) for value in out.get("data", {}).values()]
    return "\n".join(parts)


def test_learner_versions_are_up_to_date_with_instructor():
    sources = sorted(LESSONS.glob("*.ipynb"))
    require_lesson(next(iter(sources), None))
    found = build_learner_lessons.problems(sources)
    assert found == [], ("lessons/ is out of date: run .venv/bin/python "
                         f"scripts/build_learner_lessons.py ({'; '.join(found)})")


@pytest.mark.parametrize("lesson", lesson_params())
def test_learner_version_records_its_source(lesson):
    learner = _learner(lesson)
    assert nbformat.read(learner, as_version=4).metadata[MARK]["learner_version_of"] == (
        f"../instructor/{learner.name}")
    assert source_of(learner) == lesson.resolve()


@pytest.mark.parametrize("lesson", lesson_params())
def test_learner_version_holds_no_solution_hidden_test_or_stored_check(lesson):
    learner = _learner(lesson)
    text = learner.read_text(encoding="utf-8")
    nb = nbformat.read(learner, as_version=4)
    for marker in MARKERS:
        assert marker not in text, f"{learner.name}: {marker!r} left in"
    for cell in nbformat.read(lesson, as_version=4).cells:
        for region in (*SOLUTION.findall(cell.source), *HIDDEN.findall(cell.source)):
            for line in region.splitlines():
                if len(line.strip()) > 3:
                    assert line.strip() not in text, f"{learner.name}: {line.strip()!r} left in"
    assert "instructor-only" not in text
    assert not any("nbgrader" in cell.metadata for cell in nb.cells)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert not [cell.source for cell in code if re.search(r"^\s*assert\b", cell.source, re.M)]
    shown = _outputs_text(nb)
    assert not re.search(r"(?m)^\W*Correct\b", shown), f"{learner.name}: a stored 'Correct'"
    assert "Not quite" not in shown


@pytest.mark.parametrize("lesson", lesson_params())
def test_learner_exercises_start_empty_and_their_checks_say_not_answered(lesson):
    nb = nbformat.read(_learner(lesson), as_version=4)
    cells = nb.cells
    for index, cell in enumerate(cells):
        stub = STUB.search(cell.source) if cell.cell_type == "code" else None
        if stub is None:
            continue
        name = stub.group(1)
        assert "replace None" in cell.source
        check_cell = next(c for c in cells[index + 1:] if c.cell_type == "code")
        assert re.search(rf"check\(\"L\d\d-E\d+\", {name}\)", check_cell.source)
        assert "Not answered yet" in _outputs_text(nbformat.from_dict(
            {"cells": [check_cell]}))


def test_out_of_date_learner_version_is_detected(tmp_path):
    source_dir = tmp_path / "instructor"
    shutil.copytree(FIXTURE_LESSONS, source_dir)
    shutil.copytree(FIXTURE_LESSONS.parent / "assets", tmp_path / "assets")
    learner_dir = tmp_path / "lessons"
    sources = sorted(source_dir.glob("*.ipynb"))
    assert build_learner_lessons.build(sources, learner_dir, execute=False) == 0
    assert build_learner_lessons.problems(sources, learner_dir) == []

    graded = source_dir / "05_graded_exercise.ipynb"
    nb = json.loads(graded.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "# An edited exercise\n"
    graded.write_text(json.dumps(nb), encoding="utf-8")
    (learner_dir / "99_orphan.ipynb").write_text(
        (learner_dir / "00_start_here.ipynb").read_text(encoding="utf-8"), encoding="utf-8")
    assert build_learner_lessons.problems(sources, learner_dir) == [
        "05_graded_exercise.ipynb: differs from what instructor/05_graded_exercise.ipynb "
        "generates",
        "99_orphan.ipynb: has no source in instructor/",
    ]


def test_fixture_learner_version_stubs_the_answer_drops_the_tests_and_inlines_images(tmp_path):
    graded = FIXTURE_LESSONS / "05_graded_exercise.ipynb"
    nb = learner_version(nbformat.read(graded, as_version=4), graded, tmp_path)
    sources = [cell.source for cell in nb.cells]
    assert sources[1] == "quanta = None  # YOUR ANSWER HERE: replace None, then run this cell"
    assert not any("assert" in source for source in sources)
    assert len(nb.cells) == 2  # the autograder test cell is gone

    start = FIXTURE_LESSONS / "00_start_here.ipynb"
    nb = learner_version(nbformat.read(start, as_version=4), start, tmp_path)
    assert not any("Teaching note" in cell.source for cell in nb.cells)
    [picture] = [cell for cell in nb.cells if "](data:image/svg+xml;base64," in cell.source]
    assert "../assets" not in picture.source


def test_student_copies_made_from_lessons_come_from_instructor(tmp_path):
    """A teacher pointing `lems-course student` at lessons/ still gets gradable copies."""
    graded = [path for path in sorted(LESSONS.glob("*.ipynb")) if "HIDDEN TESTS" in
              path.read_text(encoding="utf-8")]
    require_lesson(next(iter(graded), None))
    assert main(["student", str(tmp_path), "--lessons", str(LEARNER_LESSONS)]) == 0
    copy = nbformat.read(tmp_path / graded[0].name, as_version=4)
    assert any(cell.metadata.get("nbgrader", {}).get("grade") for cell in copy.cells)


def _exercise_lessons() -> list:
    lessons = [path for path in sorted(LESSONS.glob("*.ipynb"))
               if "BEGIN SOLUTION" in path.read_text(encoding="utf-8")]
    return [pytest.param(path, id=path.stem) for path in lessons] or [
        pytest.param(None, id="no-exercises")]


@pytest.mark.slow
@pytest.mark.parametrize("lesson", _exercise_lessons())
def test_wrong_answer_does_not_stop_run_all(lesson, monkeypatch):
    """Run All with a wrong answer in every exercise reaches the end of the lesson."""
    monkeypatch.setenv("LEMS_COURSE_HOME", PROGRESS_HOME)
    nb = nbformat.read(_learner(lesson), as_version=4)
    answered = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and STUB.search(cell.source):
            cell.source = STUB.sub(r"\1 = 12345  #", cell.source)
            answered += 1
    assert answered
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(LEARNER_LESSONS)}}).execute()
    shown = _outputs_text(nb)
    assert "error" not in {out.output_type for cell in nb.cells
                           for out in cell.get("outputs", [])}
    assert shown.count("Not quite: 12345") == answered * 2  # text/plain and text/markdown
    assert all(cell.execution_count for cell in nb.cells if cell.cell_type == "code")


def _is_learner_version(path: Path) -> bool:
    return MARK in nbformat.read(path, as_version=4).metadata


def test_readme_command_and_binder_open_a_learner_version(capsys, monkeypatch):
    require_lesson(next(iter(sorted(LESSONS.glob("*.ipynb"))), None))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [urlpath] = re.findall(r"mybinder\.org/v2/gh/[^)\s]*\?urlpath=lab/tree/([^)\s]+)", readme)
    assert _is_learner_version(REPO / urlpath), f"Binder opens {urlpath}, not a learner version"
    binder_link = next(line for line in (REPO / "docs" / "teacher_guide.md").read_text(
        encoding="utf-8").splitlines() if "mybinder.org/v2/gh/" in line)
    assert binder_link.strip().endswith("?urlpath=lab/tree/" + urlpath)

    monkeypatch.chdir(REPO)
    assert main(["open", "--dry-run"]) == 0  # what `lems-course open` starts
    # `open` lands on the lesson through JupyterLab's default URL (issue 10.1).
    [landing] = [part for part in capsys.readouterr().out.split()
                 if part.startswith("--LabApp.default_url=/lab/tree/")]
    opened = REPO / landing.removeprefix("--LabApp.default_url=/lab/tree/")
    assert opened.parent == LEARNER_LESSONS.resolve() and _is_learner_version(opened)
    assert "Run All" in readme and "Shift+Enter" in readme


def test_scripts_execute_the_source_and_check_the_learner_versions(capsys):
    import execute_lessons

    assert execute_lessons.LESSONS_DIR == REPO / "instructor"
    assert build_learner_lessons.main(["no-such-lesson"]) == 2
    assert "matches no lesson" in capsys.readouterr().err
    require_lesson(next(iter(sorted(LESSONS.glob("*.ipynb"))), None))
    assert build_learner_lessons.main(["--check"]) == 0
    assert "lessons/ is up to date with instructor/" in capsys.readouterr().out
