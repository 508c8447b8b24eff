"""Student copies of the committed lessons leak nothing and run top to bottom.

A copy is what a teacher hands out: no solution, no hidden test, no quiz key text,
no stored output; every unanswered exercise says "Not answered yet" instead of
raising.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from teacher_helpers import (
    FIXTURE_LESSONS,
    LESSONS,
    PROGRESS_HOME,
    lesson_params,
    require_lesson,
)

from lems_course.cli import main
from lems_course.teacher.student import assigned_names, student_copy

SOLUTION = re.compile(r"BEGIN SOLUTION\n(.*?)\n[^\n]*END SOLUTION", re.S)
HIDDEN = re.compile(r"BEGIN HIDDEN TESTS\n(.*?)\n[^\n]*END HIDDEN TESTS", re.S)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    if any(LESSONS.glob("*.ipynb")):
        assert main(["student", str(out), "--lessons", str(LESSONS)]) == 0
    return out


def _hidden_lines(source: str) -> list[str]:
    found = []
    for region in (*SOLUTION.findall(source), *HIDDEN.findall(source)):
        found += [line.strip() for line in region.splitlines() if len(line.strip()) > 3]
    return found


def _quiz_key_texts() -> list[str]:
    from lems_course.quiz import load_items

    texts = []
    for item in load_items():
        feedback = item.key.get("feedback") or {}
        texts += [text for text in (*feedback.values(), item.key.get("explanation", ""))
                  if len(text) > 30]
    return texts


@pytest.mark.parametrize("lesson", lesson_params())
def test_student_copy_leaks_no_solution_hidden_test_or_output(copies, lesson):
    lesson = require_lesson(lesson)
    instructor = nbformat.read(lesson, as_version=4)
    copy_path = copies / lesson.name
    text = copy_path.read_text(encoding="utf-8")
    copy = nbformat.read(copy_path, as_version=4)
    for marker in MARKERS:
        assert marker not in text
    for cell in instructor.cells:
        for line in _hidden_lines(cell.source):
            assert line not in text, f"{lesson.name}: answer line {line!r} left in the copy"
    assert "sealed" not in text
    assert "instructor-only" not in text
    for cell in copy.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "widgets" not in copy.metadata


@pytest.mark.parametrize("lesson", lesson_params())
def test_student_copy_holds_no_quiz_feedback_or_explanation(copies, lesson):
    lesson = require_lesson(lesson)
    text = nbformat.read(copies / lesson.name, as_version=4)
    sources = "\n".join(cell.source for cell in text.cells)
    for key_text in _quiz_key_texts():
        assert key_text not in sources, f"{lesson.name} shows quiz key text {key_text[:60]!r}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", lesson_params())
def test_student_copy_runs_top_to_bottom_with_not_answered_messages(copies, lesson,
                                                                     monkeypatch):
    lesson = require_lesson(lesson)
    monkeypatch.setenv("LEMS_COURSE_HOME", PROGRESS_HOME)
    copy = nbformat.read(copies / lesson.name, as_version=4)
    NotebookClient(copy, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(copies)}}).execute()
    errors = [out for cell in copy.cells for out in cell.get("outputs", [])
              if out.output_type == "error"]
    assert errors == []
    stubs = [cell for cell in copy.cells
             if cell.cell_type == "code" and "# YOUR ANSWER HERE" in cell.source]
    shown = "\n".join(
        str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
        + str(out.get("data", {}).get("text/html", ""))
        for cell in copy.cells for out in cell.get("outputs", []))
    if stubs:
        assert "not answered yet" in shown.lower()


def test_answer_stub_keeps_the_assigned_names():
    assert assigned_names("score = delta_p_score(age_50_or_over=True)") == ["score"]
    assert assigned_names("low, high = 1, 2\nlow += 1\nratio: float = 0.5") == [
        "low", "high", "ratio"]
    assert assigned_names("print(1)") == []
    assert assigned_names("not python (") == []


def test_fixture_copy_drops_instructor_cells_and_embeds_images():
    nb = nbformat.read(FIXTURE_LESSONS / "00_start_here.ipynb", as_version=4)
    copy = student_copy(nb, FIXTURE_LESSONS)
    assert not any("Teaching note" in cell.source for cell in copy.cells)
    # A data URI, not a cell attachment: JupyterLab does not render SVG attachments.
    [picture] = [cell for cell in copy.cells if "](data:image/svg+xml;base64," in cell.source]
    assert "../assets" not in picture.source
    assert len(nb.cells) == len(copy.cells) + 1  # the input notebook is untouched


def test_fixture_graded_cell_is_locked_and_solution_stubbed():
    nb = nbformat.read(FIXTURE_LESSONS / "05_graded_exercise.ipynb", as_version=4)
    copy = student_copy(nb, FIXTURE_LESSONS)
    answer, test = copy.cells[1], copy.cells[2]
    assert answer.source == "quanta = None  # YOUR ANSWER HERE"
    assert test.metadata["editable"] is False and "checksum" in test.metadata["nbgrader"]
    assert "assert" not in test.source
