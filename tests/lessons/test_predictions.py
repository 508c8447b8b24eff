"""Predict before you see (issue 13.5): no prediction comes after its own answer.

``prediction_reveals.json`` maps every prediction item (``Lnn-Pn``) to the phrases and
fact IDs that give its answer away. A lesson fails if any cell *before* the cell that
asks the prediction (``quiz("Lnn-Pn")``) contains one of them: its header, plain-words
box, objectives, text, figure alt text or code. Phrases match case-insensitively as
plain text; entries that look like fact IDs match cited IDs exactly (an entry "F2-1"
also matches its sub-points "F2-1a", "F2-1b" …, an entry "F2-1a" does not match
"F2-1"). Only cell sources are read, not stored outputs.

Every prediction item of every lesson must be listed, so a lesson author who adds a
prediction also says what would reveal it. For the lessons in ``REVISITED_LESSONS``
the lesson must also come back to each prediction after it: a later Markdown cell
says "You predicted …" and compares it with what the model or the evidence shows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from lems_course.sources import find_fact_ids

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LESSONS_DIR = ROOT / "lessons"
ITEMS_DIR = ROOT / "src" / "lems_course" / "quiz" / "items"
REVEALS_FILE = HERE / "prediction_reveals.json"

#: Lessons whose predictions must be revisited in a later "You predicted …" cell.
REVISITED_LESSONS = ("L00", "L01", "L02", "L03")
RETURN_PHRASE = "you predicted"

_PREDICTION_ID_RE = re.compile(r"^L\d\d-P\d+$")
_FACT_ENTRY_RE = re.compile(r"^F\d+(?:\.\d+)?-\d+[a-z]?$")
_QUIZ_CALL_RE = re.compile(r"""\bquiz\(\s*["'](L\d\d-P\d+)["']\s*\)""")


def _reveals() -> dict[str, list[str]]:
    data = json.loads(REVEALS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{REVEALS_FILE.name} must be one JSON object"
    return data


REVEALS = _reveals()


def _lessons() -> list[Path]:
    return sorted(LESSONS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _prediction_items() -> set[str]:
    """Prediction IDs from the item files and from quiz() calls in the lessons."""
    ids = set()
    for path in ITEMS_DIR.glob("L[0-9][0-9].json"):
        for item in json.loads(path.read_text(encoding="utf-8")).get("items", []):
            if item.get("kind") == "prediction":
                ids.add(item["id"])
    for path in _lessons():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                ids.update(_QUIZ_CALL_RE.findall(cell.source))
    return ids


def _locate(prediction_id: str) -> tuple[Path, list[nbformat.NotebookNode], int]:
    """The lesson that asks ``prediction_id``, its cells, and the asking cell's index."""
    for path in _lessons():
        cells = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(cells):
            if cell.cell_type == "code" and prediction_id in _QUIZ_CALL_RE.findall(cell.source):
                return path, cells, index
    pytest.fail(f"no lesson asks {prediction_id} (quiz({prediction_id!r}) not found); "
                f"remove it from {REVEALS_FILE.name} or ask it in its lesson")


def _cites(text: str, fact_entry: str) -> bool:
    for found in find_fact_ids(text):
        if found == fact_entry:
            return True
        if found.startswith(fact_entry) and found[len(fact_entry):].isalpha():
            return True
    return False


def revealing(text: str, entries: list[str]) -> list[str]:
    """The entries (phrases or fact IDs) that ``text`` contains."""
    hits = []
    for entry in entries:
        if _FACT_ENTRY_RE.match(entry):
            if _cites(text, entry):
                hits.append(entry)
        elif entry.lower() in text.lower():
            hits.append(entry)
    return hits


# --- the checker itself can fail ----------------------------------------------------

def test_checker_finds_phrases_and_fact_ids_and_nothing_else():
    entries = ["fourth power", "F2-1a", "F1.2-1", "F3"]
    assert revealing("Release rises with the Fourth Power of Ca.", entries) == ["fourth power"]
    assert revealing("The slope was 3.78 (F2-1a).", entries) == ["F2-1a"]
    assert revealing("Dodge and Rahamimoff (F2-1).", entries) == []      # parent ≠ sub-point
    assert revealing("Active zones (F1.2-10).", entries) == []           # F1.2-1 ≠ F1.2-10
    assert revealing("MEPP about 0.4 mV (F1.2-1a).", entries) == ["F1.2-1"]  # sub-point
    assert revealing("Nothing here.", entries) == []


# --- the mapping file -----------------------------------------------------------------

def test_reveals_file_is_a_flat_object_sorted_by_prediction_id():
    keys = list(REVEALS)
    assert keys == sorted(keys), f"{REVEALS_FILE.name}: keep the keys sorted"
    for key, entries in REVEALS.items():
        assert _PREDICTION_ID_RE.match(key), f"{key!r} is not a prediction ID (Lnn-Pn)"
        assert isinstance(entries, list) and entries, f"{key}: give a non-empty list"
        assert all(isinstance(e, str) and e.strip() for e in entries), (
            f"{key}: every entry must be a non-empty string")


@pytest.mark.parametrize("prediction_id", sorted(_prediction_items()))
def test_every_prediction_is_listed_with_what_reveals_it(prediction_id):
    assert prediction_id in REVEALS, (
        f"{prediction_id} is asked in a lesson but not listed in {REVEALS_FILE.name}: "
        "add the phrases and fact IDs that give its answer away")


# --- placement ------------------------------------------------------------------------

@pytest.mark.parametrize("prediction_id", sorted(REVEALS))
def test_no_cell_before_a_prediction_gives_its_answer(prediction_id):
    path, cells, index = _locate(prediction_id)
    problems = [f"cell {i + 1} ({cells[i].get('id')}): {hits}"
                for i in range(index)
                if (hits := revealing(cells[i].source, REVEALS[prediction_id]))]
    assert not problems, (
        f"{path.name}: {prediction_id} is asked in cell {index + 1}, after cells that "
        "reveal its answer:\n  " + "\n  ".join(problems))


@pytest.mark.parametrize("prediction_id", sorted(p for p in REVEALS
                                                 if p[:3] in REVISITED_LESSONS))
def test_lesson_returns_to_each_prediction_after_asking_it(prediction_id):
    path, cells, index = _locate(prediction_id)
    later = [cell for cell in cells[index + 1:] if cell.cell_type == "markdown"
             and RETURN_PHRASE in cell.source.lower()]
    assert later, (f"{path.name}: no Markdown cell after {prediction_id} says "
                   f"'You predicted …' to compare the prediction with what was shown")
    # Each revisit must reveal the answer it promised: one of the mapped entries.
    assert any(revealing(cell.source, REVEALS[prediction_id]) for cell in later), (
        f"{path.name}: the 'You predicted …' cells after {prediction_id} never state "
        f"its answer (none of {REVEALS[prediction_id]})")
