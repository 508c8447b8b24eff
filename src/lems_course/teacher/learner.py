"""Learner versions of the lessons: what a learner opens in ``lessons/``.

The lessons are written once, in ``instructor/`` (the nbgrader source: solutions,
hidden tests, outputs of a full run). ``scripts/build_learner_lessons.py`` turns each
into its learner version with :func:`learner_version` and executes it:

- cells tagged ``instructor-only`` are removed;
- a solution region becomes ``name = None  # YOUR ANSWER HERE …`` (as in a student
  copy), so the check cell below it says "Not answered yet";
- autograder test cells (hidden tests) are removed: they belong to grading, and an
  ``assert`` would stop Run All at the first wrong answer;
- nbgrader's cell metadata and stored widget state are removed;
- local images become data URIs, so a learner version is one self-contained file
  (JupyterLab, Voilà and a downloaded copy all show the diagrams).

Every difference between a lesson and its learner version comes from here, and
``tests/teacher/test_learner_lessons.py`` fails when a learner version is out of date.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode
from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import ClearOutput, NbGraderPreprocessor

from .student import AnswerStubs, ClearWidgetState, EmbedLocalImages, RemoveInstructorOnly

#: Notebook metadata that marks a learner version and names its source.
MARK = "lems_course"
LEARNER_ANSWER_STUB = "{name} = None  # YOUR ANSWER HERE: replace None, then run this cell"


class RemoveAutograderTests(NbGraderPreprocessor):
    """Drop autograder test cells (graded, not a solution): hidden and visible tests."""

    def preprocess(self, nb: NotebookNode, resources: Any):
        nb.cells = [cell for cell in nb.cells
                    if not (nbgrader_utils.is_grade(cell)
                            and not nbgrader_utils.is_solution(cell))]
        return nb, resources


class RemoveNbgraderMetadata(NbGraderPreprocessor):
    """A learner version is not an nbgrader file: no grade IDs, points or locks."""

    def preprocess(self, nb: NotebookNode, resources: Any):
        for cell in nb.cells:
            cell.metadata.pop("nbgrader", None)
        return nb, resources


def learner_stubs() -> AnswerStubs:
    stubs = AnswerStubs()
    stubs.answer_stub = LEARNER_ANSWER_STUB
    return stubs


LEARNER_STEPS = (
    RemoveInstructorOnly,
    ClearWidgetState,
    EmbedLocalImages,
    learner_stubs,
    RemoveAutograderTests,
    RemoveNbgraderMetadata,
    ClearOutput,
)


def learner_version(nb: NotebookNode, source: Path, learner_dir: Path) -> NotebookNode:
    """The learner version of the lesson ``nb`` read from ``source`` (not modified),
    to be written to ``learner_dir``; without outputs (the build script executes it)."""
    nb = nbformat.from_dict(nb)
    resources: dict[str, Any] = {"metadata": {"path": str(source.parent)}}
    for step in LEARNER_STEPS:
        nb, resources = step().preprocess(nb, resources)
    relative = Path(os.path.relpath(source.resolve(), learner_dir.resolve())).as_posix()
    nb.metadata[MARK] = {
        "learner_version_of": relative,
        "generated_by": "scripts/build_learner_lessons.py: edit the source, not this file",
    }
    return nb


def source_of(lesson: Path) -> Path:
    """The source of a learner version (from its metadata), else ``lesson`` itself.

    Student copies and nbgrader assignments need the hidden tests that only the source
    holds, so the teacher tools follow a learner version back to its source.
    """
    try:
        nb = nbformat.read(lesson, as_version=4)
    except Exception:  # an unreadable file: the caller reports it when it reads it
        return lesson
    relative = nb.metadata.get(MARK, {}).get("learner_version_of")
    if not relative:
        return lesson
    source = (lesson.parent / relative).resolve()
    return source if source.is_file() else lesson


def without_outputs(nb: NotebookNode) -> NotebookNode:
    """``nb`` with outputs and execution counts cleared (to compare content only)."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb
