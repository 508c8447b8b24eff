"""Item files: loading, the schema check and its messages, answer_text."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from lems_course.quiz import (
    QuizError,
    answer_text,
    get_item,
    lesson_objectives,
    lesson_title,
    load_items,
)
from lems_course.quiz._items import check_bank
from lems_course.sources import known_fact_ids


def write_bank(folder, data):
    folder.mkdir(exist_ok=True)
    path = folder / "L09.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def rejection(tmp_path, monkeypatch, data) -> str:
    """The QuizError message raised when loading ``data`` as L09.json (plaintext allowed)."""
    monkeypatch.setenv("LEMS_COURSE_ALLOW_PLAINTEXT", "1")
    write_bank(tmp_path / "broken", data)
    with pytest.raises(QuizError) as caught:
        load_items("L09", directory=tmp_path / "broken")
    return str(caught.value)


def item(data, item_id):
    return next(entry for entry in data["items"] if entry["id"] == item_id)


def test_sealed_fixture_loads_with_keys_unsealed(bank_dir):
    items = load_items("L09")
    assert [entry.id for entry in items] == ["L09-Q1", "L09-Q2", "L09-Q3", "L09-E1",
                                             "L09-P1", "L09-P2"]
    assert items[0].key["answer"] == "b"
    assert items[2].key["tolerance"] == 0.5


def test_load_items_without_lesson_reads_every_file(bank_dir):
    assert len(load_items()) == 6
    assert load_items(9) == load_items("L09")


def test_lesson_objectives_come_from_the_file(bank_dir):
    assert lesson_objectives("L09") == {
        "L09-O1": "Tell LEMS from myasthenia gravis by the MEPP",
        "L09-O2": "Compute a decrement from CMAP amplitudes",
    }


def test_lesson_title_comes_from_the_file(bank_dir):
    assert lesson_title("L09") == "Fixture lesson for the quiz engine tests"


def test_loading_items_does_not_import_the_widget_toolkit(bank_dir):
    # The teacher's command line loads the bank; it should not pay for ipywidgets.
    code = ("import sys, lems_course.quiz as q; q.load_items(); q.check('L09-E1', 20); "
            "print('ipywidgets' in sys.modules, 'plotly' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=dict(os.environ)).stdout
    assert out.split() == ["False", "False"]


def test_get_item_suggests_close_ids_for_unknown_id(bank_dir):
    with pytest.raises(QuizError, match="L09-Q1"):
        get_item("L09-Q9")


def test_answer_text_names_option_and_number_with_unit(bank_dir):
    assert answer_text(get_item("L09-Q1")) == "b) It stays normal"
    assert answer_text(get_item("L09-Q2")) == ("a) Increment after brief exercise; "
                                               "c) Low resting CMAP")
    assert answer_text(get_item("L09-Q3")) == "6.25 % ± 0.5"
    assert answer_text(get_item("L09-P2")).startswith("(prediction, not graded)")


def test_plaintext_key_is_refused_unless_authoring(tmp_path, monkeypatch, fixture_data):
    write_bank(tmp_path / "plain", fixture_data)
    with pytest.raises(QuizError, match=r"L09\.json: item L09-Q1: field 'key': plaintext"):
        load_items("L09", directory=tmp_path / "plain")
    monkeypatch.setenv("LEMS_COURSE_ALLOW_PLAINTEXT", "1")
    assert len(load_items("L09", directory=tmp_path / "plain")) == 6


def test_fixture_passes_the_schema(fixture_data):
    _, problems = check_bank(fixture_data, "L09.json", allow_plaintext=True)
    assert problems == []


def test_missing_objective_is_rejected_naming_file_item_and_field(
        tmp_path, monkeypatch, fixture_data):
    del item(fixture_data, "L09-Q2")["objective"]
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q2: field 'objective'" in message


def test_objective_not_declared_in_the_file_is_rejected(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q2")["objective"] = "L09-O7"
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q2: field 'objective': 'L09-O7'" in message


def test_unknown_fact_id_is_rejected(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q3")["facts"] = ["F2-1", "F99-1"]
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q3: field 'facts': unknown fact ID 'F99-1'" in message


def test_option_without_feedback_is_rejected(tmp_path, monkeypatch, fixture_data):
    del item(fixture_data, "L09-Q1")["key"]["feedback"]["c"]
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q1: field 'key.feedback.c': option 'c' has no feedback" in message


def test_duplicate_id_is_rejected(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q2")["id"] = "L09-Q1"
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q1: field 'id': duplicate ID" in message


def test_answer_key_not_among_options_is_rejected(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q1")["key"]["answer"] = "d"
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q1: field 'key.answer': 'd' is not among the options" in message


def test_multiple_answer_not_among_options_is_rejected(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q2")["key"]["answer"] = ["a", "z"]
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q2: field 'key.answer': 'z' is not among the options" in message


def test_numeric_item_needs_low_high_and_right_feedback(tmp_path, monkeypatch, fixture_data):
    del item(fixture_data, "L09-Q3")["key"]["feedback"]["high"]
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q3: field 'key.feedback.high'" in message


def test_numeric_answer_must_be_a_number(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q3")["key"]["answer"] = "6.25"
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q3: field 'key.answer': must be number" in message


def test_misspelt_field_is_rejected(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q1")["explanaton"] = "typo"
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L09-Q1: field 'explanaton': unknown field" in message


def test_item_of_another_lesson_is_rejected(tmp_path, monkeypatch, fixture_data):
    item(fixture_data, "L09-Q1")["id"] = "L03-Q1"
    message = rejection(tmp_path, monkeypatch, fixture_data)
    assert "L09.json: item L03-Q1: field 'id': must start with the file's lesson L09" in message


def test_invalid_json_is_reported_with_file_and_line(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "L09.json").write_text('{"lesson": "L09",\n "title": }', encoding="utf-8")
    with pytest.raises(QuizError, match=r"L09\.json: not valid JSON: line 2"):
        load_items("L09", directory=folder)


def test_parent_fact_id_counts_when_lettered_sub_points_exist():
    # F2-1a… exist in the fact sheet; F1.2-1 is both a parent and a bold entry.
    known = known_fact_ids()
    assert {"F2-1", "F2-1a", "F2-1d", "F1.2-1a"} <= known
    assert "F2-99" not in known


def test_shipped_schema_checks_item_files_in_an_editor(fixture_data):
    # The same file an author's editor uses: jsonschema alone accepts the fixture and
    # names the field of a misspelt one.
    import jsonschema

    from lems_course import schemas
    validator = jsonschema.Draft202012Validator(schemas.schema("quiz_items"))
    assert list(validator.iter_errors(fixture_data)) == []
    item(fixture_data, "L09-Q1")["explanaton"] = "typo"
    errors = list(validator.iter_errors(fixture_data))
    assert errors and "explanaton" in errors[0].message


def test_an_edited_file_is_reloaded(tmp_path, monkeypatch, fixture_data):
    monkeypatch.setenv("LEMS_COURSE_ALLOW_PLAINTEXT", "1")
    folder = tmp_path / "edit"
    write_bank(folder, fixture_data)
    assert load_items("L09", directory=folder)[0].question.startswith("In LEMS")
    item(fixture_data, "L09-Q1")["question"] = "Edited question, longer than before?"
    write_bank(folder, fixture_data)
    assert load_items("L09", directory=folder)[0].question.startswith("Edited")


def test_a_learners_load_without_the_schema_pass_still_names_a_malformed_item(
        fixture_data):
    # Lessons skip the (slow to import) schema pass for sealed files; a broken item is
    # still reported by file, item and field instead of vanishing or raising.
    item(fixture_data, "L09-Q1")["kind"] = "essay"
    items, problems = check_bank(fixture_data, "L09.json", allow_plaintext=True,
                                 schema=False)
    assert "L09-Q1" not in [entry.id for entry in items]
    assert any(p.startswith("L09.json: item L09-Q1: field 'id': malformed item")
               for p in problems)


def test_fact_id_pattern_of_the_schemas_is_the_one_in_sources():
    import re

    from lems_course import schemas, sources
    samples = ["F2-1", "F2-1a", "F4.6-2f", "F10-12", "F2-1ab", "F2", "f2-1", "F2.1", "F-1"]
    python = [bool(re.fullmatch(sources.FACT_ID_PATTERN, s)) for s in samples]
    facts = schemas.schema("facts")["$defs"]["factId"]["pattern"]
    items = schemas.schema("quiz_items")["$defs"]["item"]["properties"]["facts"]["items"]
    for pattern in (facts, items["pattern"]):
        assert [bool(re.search(pattern, s)) for s in samples] == python
