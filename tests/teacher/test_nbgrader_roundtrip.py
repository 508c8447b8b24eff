"""The grading flow end to end with nbgrader itself: course folder from
``lems-course nbgrader-course``, ``generate_assignment``, student submissions (right,
wrong, broken, unanswered, endless loop, malformed file), ``autograde`` per student,
``export`` to grades.csv."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from teacher_helpers import FIXTURE_LESSONS, committed_lessons, run_cli, tool_env

pytestmark = pytest.mark.slow

# The nbgrader commands as the teacher guide gives them; the guide test checks that
# every nbgrader command in the guide is one of these.
GENERATE = ["generate_assignment", "{assignment}"]
AUTOGRADE = ["autograde", "{assignment}", "--student", "{student}", "--create",
             "--ExecutePreprocessor.timeout={seconds}"]
EXPORT = ["export"]
NBGRADER_COMMANDS = (GENERATE, AUTOGRADE, EXPORT)

FIXTURE = "05_graded_exercise"
FIXTURE_POINTS = 2.0


def nbgrader(course: Path, args: list[str], timeout_s: float = 600, **fields: object
             ) -> subprocess.CompletedProcess[str]:
    argv = [part.format(**fields) for part in args]
    return subprocess.run([sys.executable, "-m", "nbgrader", *argv], cwd=course,
                          env=tool_env(), capture_output=True, text=True, timeout=timeout_s)


def make_course(tmp_path: Path, lesson: Path) -> Path:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    shutil.copy(lesson, lessons / lesson.name)
    course = tmp_path / "course"
    result = run_cli("nbgrader-course", str(course), "--lessons", str(lessons))
    assert result.returncode == 0, result.stderr
    generated = nbgrader(course, GENERATE, assignment=lesson.stem)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return course


def released(course: Path, assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def answer_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
              and c.cell_type == "code"]
    return cell


def submit(course: Path, assignment: str, student: str, content: str | nbformat.NotebookNode
           ) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    target = folder / f"{assignment}.ipynb"
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8")
    else:
        nbformat.write(content, target)


def with_answer(nb: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    answer_cell(nb).source = source
    return nb


def grades(course: Path) -> dict[str, str]:
    exported = nbgrader(course, EXPORT)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        return {row["student_id"]: row["raw_score"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded_fixture_course(tmp_path_factory: pytest.TempPathFactory):
    """The fixture lesson graded for six students; the autograde results by student."""
    course = make_course(tmp_path_factory.mktemp("grading"), FIXTURE_LESSONS / f"{FIXTURE}.ipynb")
    release = released(course, FIXTURE)
    submissions = {
        "right": with_answer(release, "quanta = 0.3 * 200"),
        "wrong": with_answer(release, "quanta = 30"),
        "broken": with_answer(release, "quanta = 0.3 * 200 / 0"),
        "unanswered": release,
        "loops": with_answer(release, "while True:\n    pass"),
        "malformed": '{"cells": [ this is not JSON',
    }
    results = {}
    for student, content in submissions.items():
        submit(course, FIXTURE, student, content)
        # One autograde per student, so one bad submission cannot stop the others;
        # the loop gets a short timeout only to keep the test quick.
        seconds = 10 if student == "loops" else 60
        results[student] = nbgrader(course, AUTOGRADE, assignment=FIXTURE, student=student,
                                    seconds=seconds)
    return course, results, grades(course)


def test_generated_assignment_has_stub_not_solution(graded_fixture_course):
    course, _, _ = graded_fixture_course
    text = (course / "release" / FIXTURE / f"{FIXTURE}.ipynb").read_text(encoding="utf-8")
    assert "quanta = None  # YOUR ANSWER HERE" in text
    assert "0.3 * 200" not in text
    assert "HIDDEN TESTS" not in text and "expected 60" not in text


def test_right_answer_gets_full_points(graded_fixture_course):
    _, results, scores = graded_fixture_course
    assert results["right"].returncode == 0, results["right"].stderr
    assert float(scores["right"]) == FIXTURE_POINTS


@pytest.mark.parametrize("student", ["wrong", "broken", "unanswered"])
def test_wrong_broken_or_missing_answer_gets_zero(graded_fixture_course, student):
    _, results, scores = graded_fixture_course
    assert results[student].returncode == 0, results[student].stderr
    assert float(scores[student]) == 0.0


def test_endless_loop_times_out_and_scores_zero(graded_fixture_course):
    _, results, scores = graded_fixture_course
    log = results["loops"].stdout + results["loops"].stderr
    assert "timeout" in log.lower() or "timed out" in log.lower(), log[-2000:]
    assert float(scores.get("loops", 0) or 0) == 0.0


def test_malformed_submission_is_reported_and_skipped(graded_fixture_course):
    _, results, scores = graded_fixture_course
    log = results["malformed"].stdout + results["malformed"].stderr
    assert results["malformed"].returncode != 0
    assert f"{FIXTURE}.ipynb" in log
    score = scores.get("malformed")
    assert score in (None, "", "0.0", "0")
    assert float(scores["right"]) == FIXTURE_POINTS


def _graded_lessons() -> list[Path]:
    graded = []
    for path in committed_lessons():
        nb = nbformat.read(path, as_version=4)
        if any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells):
            graded.append(path)
    return graded


def _solved(release: nbformat.NotebookNode, instructor: nbformat.NotebookNode
            ) -> nbformat.NotebookNode:
    """The released notebook with the instructor's solutions typed in."""
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in instructor.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    solved = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in solved.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions and cell.metadata["nbgrader"].get("solution"):
            cell.source = solutions[grade_id]
    return solved


@pytest.fixture(scope="module")
def graded_lessons_course(tmp_path_factory):
    """Every committed lesson with autograded cells, released and submitted with the
    instructor's own solutions; grades.csv rows by assignment."""
    lessons = _graded_lessons()
    if not lessons:
        return {}
    root = tmp_path_factory.mktemp("lessons-grading")
    (root / "lessons").mkdir()
    for lesson in lessons:
        shutil.copy(lesson, root / "lessons" / lesson.name)
    course = root / "course"
    made = run_cli("nbgrader-course", str(course), "--lessons", str(root / "lessons"))
    assert made.returncode == 0, made.stderr
    for lesson in lessons:
        generated = nbgrader(course, GENERATE, assignment=lesson.stem)
        assert generated.returncode == 0, generated.stdout + generated.stderr
        submit(course, lesson.stem, "solved",
               _solved(released(course, lesson.stem), nbformat.read(lesson, as_version=4)))
        result = nbgrader(course, AUTOGRADE, assignment=lesson.stem, student="solved",
                          seconds=120)
        assert result.returncode == 0, result.stdout + result.stderr
    exported = nbgrader(course, EXPORT)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        return {row["assignment"]: row for row in csv.DictReader(handle)
                if row["student_id"] == "solved"}


@pytest.mark.parametrize("lesson", [pytest.param(p, id=p.stem) for p in _graded_lessons()]
                         or [pytest.param(None, id="no-graded-lesson")])
def test_committed_lesson_solutions_get_full_points_from_the_autograder(
        graded_lessons_course, lesson):
    if lesson is None:
        pytest.skip("no committed lesson has autograded cells yet")
    instructor = nbformat.read(lesson, as_version=4)
    total = sum(float(c.metadata["nbgrader"].get("points", 0)) for c in instructor.cells
                if c.metadata.get("nbgrader", {}).get("grade"))
    row = graded_lessons_course[lesson.stem]
    assert float(row["max_score"]) == total
    assert float(row["raw_score"]) == total
