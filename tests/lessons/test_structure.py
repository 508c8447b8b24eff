"""Every committed lesson follows the course's lesson anatomy (course.md, team brief).

These tests read the executed lessons in ``instructor/`` (the source every lesson is
written in; ``lessons/`` holds the learner versions generated from it, checked by
``tests/teacher/test_learner_lessons.py``) as stored in the repository:
header, plain-words box, objectives identical to the quiz file, an imports-only setup
cell, no functions defined in a notebook, at least four graded quiz items covering
every objective, references that list every fact cited in the prose, existing images
with alt text, and stored outputs that stay small (no widget state, no plotly.js).
"""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

import nbformat
import pytest

import lems_course.quiz

ROOT = Path(__file__).resolve().parents[2]
LESSONS_DIR = ROOT / "instructor"
ITEMS_DIR = Path(lems_course.quiz.__file__).resolve().parent / "items"
LESSONS = sorted(LESSONS_DIR.glob("[0-9][0-9]_*.ipynb"))

MAX_NOTEBOOK_BYTES = 300 * 1024
MAX_OUTPUT_BYTES = 1024 * 1024
MIN_GRADED_ITEMS = 4
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

HEADER_TITLE_RE = re.compile(r"^# Lesson (\d\d) · \S.*$")
SUMMARY_RE = re.compile(r"^\*[^*\s].*[^*\s]\*$")
TIME_RE = re.compile(r"\*\*Estimated time:\*\* \d+ minutes · \*\*Builds on:\*\* \S")
OBJECTIVE_RE = re.compile(r"^- \*\*(L\d\d-O\d+)\*\* (.+)$")
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
FACT_ID_RE = re.compile(r"(?<![\w.])F\d+(?:\.\d+)?-\d+[a-z]?(?![\w])")


def _ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


if not LESSONS:  # a collected-but-empty parametrisation would pass silently
    LESSONS = [LESSONS_DIR / "00_no_lessons_found.ipynb"]

lesson_param = pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
# Rules for what is stored in a notebook hold for the source and the learner version.
LEARNER_LESSONS = [ROOT / "lessons" / path.name for path in LESSONS]
both_versions_param = pytest.mark.parametrize(
    "path", LESSONS + LEARNER_LESSONS,
    ids=[f"instructor/{p.stem}" for p in LESSONS] + [f"lessons/{p.stem}" for p in LESSONS])


# --- helpers ------------------------------------------------------------------------

@cache
def _notebook(path: Path) -> nbformat.NotebookNode:
    assert path.exists(), f"no lessons found in {LESSONS_DIR}"
    return nbformat.read(path, as_version=4)


def _lesson_code(path: Path) -> str:
    return "L" + path.name[:2]


@cache
def _bank(lesson_code: str) -> dict:
    path = ITEMS_DIR / f"{lesson_code}.json"
    assert path.exists(), f"{lesson_code}: quiz file {path.name} is missing"
    # Read the raw file: item IDs, kinds and objectives are never sealed, so this
    # works before and after `python -m lems_course.quiz seal`.
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(path: Path) -> list[str]:
    return [cell.source for cell in _notebook(path).cells if cell.cell_type == "markdown"]


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [cell for cell in _notebook(path).cells if cell.cell_type == "code"]


def _parse(cell: nbformat.NotebookNode, path: Path) -> ast.Module:
    try:
        return ast.parse(cell.source)
    except SyntaxError as error:
        pytest.fail(f"{path.name}: code cell {cell.get('id')} is not valid Python: {error}")


def _calls(path: Path, name: str) -> list[ast.Call]:
    calls = []
    for cell in _code_cells(path):
        for node in ast.walk(_parse(cell, path)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == name):
                calls.append(node)
    return calls


def _quiz_ids_used(path: Path) -> list[str]:
    ids = []
    for name in ("quiz", "check"):
        for call in _calls(path, name):
            first = call.args[0] if call.args else None
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{path.name}: {name}() must name its item with a string literal")
            ids.append(first.value)
    return ids


def _known_fact_ids() -> frozenset[str]:
    try:
        from lems_course.sources import known_fact_ids
    except ImportError:  # fall back to the shipped sheet itself
        sheet = Path(lems_course.__file__).resolve().parent / "data" / "lems_facts.md"
        ids = set(re.findall(r"\*\*(F\d+(?:\.\d+)?-\d+[a-z]?)\*\*", sheet.read_text("utf-8")))
        return frozenset(ids | {fact.rstrip("abcdefghijklmnopqrstuvwxyz") for fact in ids})
    return known_fact_ids()


def _prose_fact_ids(text: str) -> set[str]:
    try:
        from lems_course.sources import find_fact_ids
    except ImportError:
        return set(FACT_ID_RE.findall(text))
    return set(find_fact_ids(text, expand_ranges=True))


def _parent(fact_id: str) -> str:
    return fact_id.rstrip("abcdefghijklmnopqrstuvwxyz")


def _references_ids(path: Path) -> list[str]:
    calls = _calls(path, "references")
    assert len(calls) == 1, f"{path.name}: expected one references([...]) call, found {len(calls)}"
    try:
        ids = ast.literal_eval(calls[0].args[0])
    except (IndexError, ValueError):
        pytest.fail(f"{path.name}: references() must get a literal list of fact IDs")
    assert isinstance(ids, list) and all(isinstance(x, str) for x in ids), (
        f"{path.name}: references() must get a list of fact ID strings")
    return ids


# --- anatomy ------------------------------------------------------------------------

@lesson_param
def test_lesson_opens_with_title_summary_time_and_prerequisite(path):
    first = _notebook(path).cells[0]
    assert first.cell_type == "markdown", f"{path.name}: cell 1 must be the markdown header"
    lines = [line for line in first.source.splitlines() if line.strip()]
    title = HEADER_TITLE_RE.match(lines[0]) if lines else None
    assert title, f"{path.name}: the first line must read '# Lesson NN · Title'"
    assert title.group(1) == path.name[:2], (
        f"{path.name}: header says Lesson {title.group(1)}, file is lesson {path.name[:2]}")
    assert any(SUMMARY_RE.match(line) for line in lines[1:]), (
        f"{path.name}: the header needs a one-line *summary* in italics")
    assert any(TIME_RE.search(line) for line in lines), (
        f"{path.name}: the header needs '**Estimated time:** N minutes · **Builds on:** …'")


@lesson_param
def test_lesson_has_plain_words_box_second(path):
    cell = _notebook(path).cells[1]
    assert cell.cell_type == "markdown" and cell.source.lstrip().startswith(
        "> **In plain words.**"), f"{path.name}: cell 2 must be the '> **In plain words.**' box"


@lesson_param
def test_objectives_are_listed_third_and_match_the_quiz_file(path):
    cell = _notebook(path).cells[2]
    assert cell.cell_type == "markdown" and cell.source.lstrip().startswith(
        "## Learning objectives"), f"{path.name}: cell 3 must be '## Learning objectives'"
    listed = dict(match.groups() for line in cell.source.splitlines()
                  if (match := OBJECTIVE_RE.match(line.strip())))
    assert listed, f"{path.name}: no '- **LNN-On** …' objective bullets"
    expected = _bank(_lesson_code(path))["objectives"]
    assert listed == expected, (
        f"{path.name}: objectives differ from {_lesson_code(path)}.json\n"
        f"  lesson: {listed}\n  quiz file: {expected}")


@lesson_param
def test_setup_cell_only_imports_from_lems_course(path):
    cell = _notebook(path).cells[3]
    assert cell.cell_type == "code", f"{path.name}: cell 4 must be the setup code cell"
    body = _parse(cell, path).body
    assert body, f"{path.name}: the setup cell is empty"
    # It ends with lesson_banner(): "Run all cells…" until the lesson runs (issue 13.4).
    *imports, banner = body
    assert ast.unparse(banner) == "lesson_banner()", (
        f"{path.name}: the setup cell must end with lesson_banner()")
    for statement in imports:
        assert isinstance(statement, (ast.Import, ast.ImportFrom)), (
            f"{path.name}: the setup cell may only import (line {statement.lineno})")
        modules = ([alias.name for alias in statement.names]
                   if isinstance(statement, ast.Import) else [statement.module or ""])
        for module in modules:
            assert module == "lems_course" or module.startswith("lems_course."), (
                f"{path.name}: the setup cell imports {module!r}; import from lems_course only")


@lesson_param
def test_notebook_defines_no_functions_classes_or_lambdas(path):
    for cell in _code_cells(path):
        for node in ast.walk(_parse(cell, path)):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                         ast.ClassDef, ast.Lambda)), (
                f"{path.name}: cell {cell.get('id')} defines a "
                f"{type(node).__name__}; put code in lems_course, not in a lesson")


@lesson_param
def test_lesson_has_key_points_references_and_next(path):
    headings = [line.strip() for source in _markdown(path) for line in source.splitlines()
                if line.startswith("## ")]
    for heading in ("## Key points", "## References", "## Next"):
        assert heading in headings, f"{path.name}: missing the '{heading}' section"
    cells = _notebook(path).cells
    index = next(i for i, cell in enumerate(cells) if cell.cell_type == "markdown"
                 and any(line.strip() == "## References" for line in cell.source.splitlines()))
    following = cells[index + 1] if index + 1 < len(cells) else None
    assert following is not None and following.cell_type == "code" and (
        "references(" in following.source), (
        f"{path.name}: '## References' must be followed by a references([...]) code cell")


# --- quizzes ------------------------------------------------------------------------

@lesson_param
def test_every_quiz_id_used_exists_in_the_lessons_quiz_file(path):
    bank_ids = {item["id"] for item in _bank(_lesson_code(path))["items"]}
    unknown = [item_id for item_id in _quiz_ids_used(path) if item_id not in bank_ids]
    assert not unknown, f"{path.name}: quiz/check IDs not in the quiz file: {unknown}"


@lesson_param
def test_lesson_uses_at_least_four_graded_items(path):
    kinds = {item["id"]: item["kind"] for item in _bank(_lesson_code(path))["items"]}
    graded = {i for i in _quiz_ids_used(path) if kinds.get(i, "prediction") != "prediction"}
    assert len(graded) >= MIN_GRADED_ITEMS, (
        f"{path.name}: {len(graded)} graded quiz items used ({sorted(graded)}), "
        f"needs at least {MIN_GRADED_ITEMS}")


@lesson_param
def test_every_objective_is_checked_by_a_graded_item_in_the_lesson(path):
    bank = _bank(_lesson_code(path))
    used = set(_quiz_ids_used(path))
    covered = {item["objective"] for item in bank["items"]
               if item["id"] in used and item["kind"] != "prediction"}
    missing = sorted(set(bank["objectives"]) - covered)
    assert not missing, f"{path.name}: objectives no graded item in the lesson checks: {missing}"


# --- facts --------------------------------------------------------------------------

@lesson_param
def test_cited_fact_ids_exist_in_the_fact_sheet(path):
    known = _known_fact_ids()
    cited = set().union(*(_prose_fact_ids(text) for text in _markdown(path)))
    cited |= set(_references_ids(path))
    unknown = sorted(fact for fact in cited if fact not in known)
    assert not unknown, f"{path.name}: cites fact IDs not in the fact sheet: {unknown}"


@lesson_param
def test_references_list_every_fact_cited_in_the_prose(path):
    listed = set(_references_ids(path))
    cited = set().union(*(_prose_fact_ids(text) for text in _markdown(path)))
    missing = sorted(fact for fact in cited if fact not in listed and _parent(fact) not in listed)
    assert not missing, f"{path.name}: cited in the prose but not in references([...]): {missing}"


@lesson_param
def test_images_have_alt_text_and_exist(path):
    for source in _markdown(path):
        for alt, target in IMAGE_RE.findall(source):
            assert alt.strip(), f"{path.name}: image {target} has no alt text"
            if re.match(r"^[a-z]+://", target):
                continue
            assert (path.parent / target).resolve().is_file(), (
                f"{path.name}: image {target} does not exist")


@lesson_param
def test_prose_has_no_tex_maths(path):
    # The offline HTML export has no MathJax, so TeX would show as raw "$$\\frac"; and
    # plain words and symbols (≈, ÷) read better for the patients and carers we teach.
    for source in _markdown(path):
        found = re.findall(r"\$\$?[^$\n]*\\[a-z]+[^$\n]*\$", source)
        assert not found, f"{path.name}: TeX in the prose: {found[0]!r}; write it in words"


# --- stored outputs -----------------------------------------------------------------

@both_versions_param
def test_notebook_declares_the_python3_kernelspec(path):
    metadata = _notebook(path).metadata
    assert {k: metadata.get("kernelspec", {}).get(k) for k in KERNELSPEC} == KERNELSPEC, (
        f"{path.name}: kernelspec must be {KERNELSPEC}")
    assert metadata.get("language_info", {}).get("name") == "python", (
        f"{path.name}: language_info.name must be 'python'")


@both_versions_param
def test_every_code_cell_is_executed(path):
    unexecuted = [cell.get("id") for cell in _code_cells(path)
                  if cell.get("execution_count") is None]
    assert not unexecuted, (
        f"{path.name}: code cells without stored outputs {unexecuted}; run "
        "scripts/execute_lessons.py")


@both_versions_param
def test_notebook_is_under_300_kb(path):
    size = path.stat().st_size
    assert size <= MAX_NOTEBOOK_BYTES, f"{path.name}: {size / 1024:.0f} KB, limit 300 KB"


@both_versions_param
def test_no_widget_state_is_stored(path):
    assert "widgets" not in _notebook(path).metadata, (
        f"{path.name}: widget state stored in metadata; execute with store_widget_state=False")


@both_versions_param
def test_outputs_hold_no_plotly_js_bundle(path):
    for cell in _code_cells(path):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            assert "plotly.js" not in html, (
                f"{path.name}: cell {cell.get('id')} embeds plotly.js; show figures with "
                "the default mimetype renderer")
            size = len(json.dumps(output))
            assert size <= MAX_OUTPUT_BYTES, (
                f"{path.name}: cell {cell.get('id')} has a {size / 1e6:.1f} MB output")


@both_versions_param
def test_links_to_other_lessons_point_to_existing_notebooks(path):
    for source in _markdown(path):
        for target in re.findall(r"\]\(([^)\s]+\.ipynb)(?:#[^)]*)?\)", source):
            if re.match(r"^[a-z]+://", target):
                continue
            assert (path.parent / target).is_file(), f"{path.name}: broken link to {target}"
