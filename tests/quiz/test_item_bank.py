"""The shipped item files: sealed, valid, and enough graded items per objective.

Collected from whatever ``src/lems_course/quiz/items/L*.json`` exist, so each lesson
file is tested as soon as its author adds it.
"""

from __future__ import annotations

import json

import pytest

from lems_course.quiz import _files, _items
from lems_course.quiz._items import check_bank, coverage_problems

SHIPPED = _items.item_files(_items._PACKAGE_ITEMS_DIR)
IDS = [path.stem for path in SHIPPED]


def test_item_folder_is_shipped_inside_the_package():
    assert _items._PACKAGE_ITEMS_DIR.is_dir()


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_no_shipped_item_has_a_plaintext_key(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    plaintext = [entry.get("id") for entry in data.get("items", [])
                 if isinstance(entry, dict) and "key" in entry]
    assert plaintext == [], (f"{path.name}: plaintext keys in {plaintext}; run "
                             f"`python -m lems_course.quiz seal {path.name}`")


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_shipped_file_passes_the_schema(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    _, problems = check_bank(data, path.name, allow_plaintext=True)
    assert problems == []


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_lesson_has_four_graded_items_and_every_objective_is_checked(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    items, _ = check_bank(data, path.name, allow_plaintext=True)
    assert coverage_problems(data, items, path.name) == []


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_shipped_file_is_stored_in_the_sealing_format(path):
    # Sealing rewrites the file in one format; a hand-edited file would make noisy diffs.
    text = path.read_text(encoding="utf-8")
    assert text == _files.dump_bank(json.loads(text)), (
        f"{path.name} is not in the stored format; run "
        f"`python -m lems_course.quiz seal {path.name}`")


def test_item_ids_are_unique_across_lessons():
    ids = [entry["id"] for path in SHIPPED
           for entry in json.loads(path.read_text(encoding="utf-8")).get("items", [])
           if isinstance(entry, dict) and "id" in entry]
    assert len(ids) == len(set(ids))
