"""Student copies of the lessons, built on nbgrader's own preprocessors.

The lessons in ``instructor/`` are the source. A student copy is what
``nbgrader generate_assignment`` would release, plus two course rules:

- cells tagged ``instructor-only`` are removed;
- a solution region keeps the names it assigns, set to ``None``, so the check cell
  after it prints "Not answered yet" instead of raising ``NameError``::

      ### BEGIN SOLUTION                       score = None  # YOUR ANSWER HERE
      score = delta_p_score(...)         ->
      ### END SOLUTION

Local images in markdown become data URIs, so a copy is one self-contained file.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode
from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
    NbGraderPreprocessor,
)
from traitlets import Dict, Unicode

from .images import data_uri, rewrite_local_images
from .lessons import read_lesson

INSTRUCTOR_ONLY_TAG = "instructor-only"
ANSWER_STUB = "{name} = None  # YOUR ANSWER HERE"
FALLBACK_STUB = "# YOUR ANSWER HERE"


def assigned_names(code: str) -> list[str]:
    """Names a block of code assigns at top level, in order (``a = …``, ``a, b = …``,
    ``a: int = …``, ``a += …``, ``for``/``with`` targets are not answers)."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return []
    names: list[str] = []

    def collect(target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            if target.id not in names:
                names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                collect(element)
        elif isinstance(target, ast.Starred):
            collect(target.value)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                collect(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            collect(node.target)
    return names


class AnswerStubs(ClearSolutions):
    """``ClearSolutions`` whose code stub keeps the answer's variable names.

    A solution region (or a whole solution cell without markers) that assigns
    ``score`` becomes ``score = None  # YOUR ANSWER HERE``; a region that assigns
    nothing becomes the plain ``code_stub``. Markdown solutions get ``text_stub``.
    """

    code_stub = Dict(dict(python=FALLBACK_STUB),
                     help="Stub for a solution that assigns no variable").tag(config=True)
    answer_stub = Unicode(ANSWER_STUB,
                          help="Stub line per assigned name; {name} is the variable"
                          ).tag(config=True)

    def _stub_for(self, code: str, language: str) -> list[str]:
        names = assigned_names(code) if language == "python" else []
        if names:
            return [self.answer_stub.format(name=name) for name in names]
        self.log.warning("Solution assigns no variable; using the plain stub:\n%s", code)
        return self.code_stub[language].split("\n")

    def _replace_solution_region(self, cell: NotebookNode, language: str) -> bool:
        if cell.cell_type != "code":
            return super()._replace_solution_region(cell, language)
        new_lines: list[str] = []
        region: list[str] | None = None
        indent = ""
        replaced = False
        for line in cell.source.split("\n"):
            if self.begin_solution_delimeter in line:
                if region is not None:
                    raise RuntimeError("encountered nested begin solution statements")
                region, replaced = [], True
                indent = re.match(r"\s*", line).group(0)
            elif self.end_solution_delimeter in line and region is not None:
                new_lines += [indent + stub for stub in self._stub_for("\n".join(region),
                                                                      language)]
                region = None
            elif region is not None:
                region.append(line)
            else:
                new_lines.append(line)
        if region is not None:
            raise RuntimeError("no end solution statement found")
        cell.source = "\n".join(new_lines)
        return replaced

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int):
        if (cell.cell_type == "code" and nbgrader_utils.is_solution(cell)
                and self.begin_solution_delimeter not in cell.source):
            # A whole-cell solution: stub it from its own assignments.
            cell.source = "\n".join(self._stub_for(cell.source, resources["language"]))
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


class RemoveInstructorOnly(NbGraderPreprocessor):
    """Drop cells tagged ``instructor-only`` (teaching notes, worked answers)."""

    tag = Unicode(INSTRUCTOR_ONLY_TAG, help="Cells with this tag are removed").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: Any):
        nb.cells = [cell for cell in nb.cells
                    if self.tag not in cell.get("metadata", {}).get("tags", [])]
        return nb, resources


class ClearWidgetState(NbGraderPreprocessor):
    """Drop stored widget state, which can hold the values an instructor run produced."""

    def preprocess(self, nb: NotebookNode, resources: Any):
        nb.metadata.pop("widgets", None)
        return nb, resources


class EmbedLocalImages(NbGraderPreprocessor):
    """Turn ``![alt](../assets/x.svg)`` into a data URI so the copy stands alone.

    Not a cell attachment: JupyterLab does not render SVG attachments
    (jupyterlab/jupyterlab#10464) but does render SVG data URIs.
    """

    def preprocess(self, nb: NotebookNode, resources: Any):
        base_dir = Path(resources.get("metadata", {}).get("path") or ".")
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = rewrite_local_images(cell.source, base_dir, data_uri)
        return nb, resources


# The order of nbgrader's GenerateAssignment, minus the steps that need its database
# (SaveCells) or its header files (IncludeHeaderFooter); ours go first.
STUDENT_PREPROCESSORS = (
    RemoveInstructorOnly,
    ClearWidgetState,
    EmbedLocalImages,
    LockCells,
    AnswerStubs,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
)


def student_copy(nb: NotebookNode, lesson_dir: Path) -> NotebookNode:
    """The student version of an instructor notebook (the input is not modified)."""
    nb = nbformat.from_dict(nb)
    resources: dict[str, Any] = {"metadata": {"path": str(lesson_dir)}}
    for preprocessor_class in STUDENT_PREPROCESSORS:
        nb, resources = preprocessor_class().preprocess(nb, resources)
    return nb


def configure_nbgrader(c: Any) -> None:
    """Make ``nbgrader generate_assignment`` produce the same copies as ``lems-course
    student``. Call it from ``nbgrader_config.py``: ``configure_nbgrader(get_config())``.
    """
    from nbgrader.converters import GenerateAssignment

    default_steps = GenerateAssignment.class_traits()["preprocessors"].default()
    steps = [AnswerStubs if step is ClearSolutions else step for step in default_steps]
    c.GenerateAssignment.preprocessors = [RemoveInstructorOnly, ClearWidgetState,
                                          EmbedLocalImages, *steps]


def write_student_copy(lesson: Path, out_dir: Path) -> Path:
    """Write the student copy of ``lesson`` to ``out_dir``; a learner version is first
    followed back to its source in ``instructor/`` (see ``learner.source_of``)."""
    from .learner import source_of
    from .lessons import EXIT_FAILED, CourseError

    lesson = source_of(lesson)
    nb = read_lesson(lesson)
    try:
        copy = student_copy(nb, lesson.parent)
    except RuntimeError as error:  # nbgrader's marker and metadata checks
        raise CourseError(f"nbgrader could not clear it: {error}", EXIT_FAILED) from error
    target = out_dir / lesson.name
    nbformat.write(copy, target)
    return target
