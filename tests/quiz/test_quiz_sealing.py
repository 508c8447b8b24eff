"""Sealing answer keys: round trip, idempotence, no swapping between items, the CLI."""

from __future__ import annotations

import json
import shutil

import pytest

from lems_course.quiz import QuizError, load_items
from lems_course.quiz.__main__ import main
from lems_course.quiz._files import seal_file, seal_key, unseal_file, unseal_key


@pytest.fixture
def plain_copy(tmp_path, fixture_file):
    path = tmp_path / "L09.json"
    shutil.copy(fixture_file, path)
    return path


def test_sealing_removes_every_plaintext_key_and_answer(plain_copy):
    assert seal_file(plain_copy) == 6
    text = plain_copy.read_text(encoding="utf-8")
    data = json.loads(text)
    assert all("key" not in entry and "sealed" in entry for entry in data["items"])
    assert "It stays normal" in text  # the options stay readable
    assert "Yes: each quantum is normal" not in text  # feedback of the right option
    assert "6.25" not in text.replace("6.25 %", "")  # no numeric answer in the clear


def test_sealing_twice_changes_nothing(plain_copy):
    seal_file(plain_copy)
    first = plain_copy.read_bytes()
    assert seal_file(plain_copy) == 0
    assert plain_copy.read_bytes() == first


def test_unseal_then_seal_gives_back_the_same_bytes(plain_copy, fixture_file):
    seal_file(plain_copy)
    sealed = plain_copy.read_bytes()
    assert unseal_file(plain_copy) == 6
    assert json.loads(plain_copy.read_text()) == json.loads(fixture_file.read_text())
    seal_file(plain_copy)
    assert plain_copy.read_bytes() == sealed


def test_sealed_file_is_pretty_printed_with_the_authors_field_order(plain_copy):
    seal_file(plain_copy)
    text = plain_copy.read_text(encoding="utf-8")
    assert text.startswith('{\n  "lesson": "L09",\n  "title"')
    assert "(1st − 4th)" in text and "\\u" not in text  # UTF-8, not escapes
    first = json.loads(text)["items"][0]
    assert list(first) == ["id", "kind", "objective", "question", "options", "facts",
                           "sealed"]


def test_a_sealed_key_copied_onto_another_item_does_not_decode():
    blob = seal_key("L09-Q1", {"answer": "b"})
    assert unseal_key("L09-Q1", blob) == {"answer": "b"}
    with pytest.raises(ValueError, match="L09-Q2"):
        unseal_key("L09-Q2", blob)


def test_swapped_sealed_blob_is_a_load_error_naming_file_and_item(plain_copy):
    seal_file(plain_copy)
    data = json.loads(plain_copy.read_text())
    data["items"][0]["sealed"], data["items"][1]["sealed"] = (
        data["items"][1]["sealed"], data["items"][0]["sealed"])
    plain_copy.write_text(json.dumps(data))
    with pytest.raises(QuizError, match=r"L09\.json: item L09-Q1: field 'sealed'"):
        load_items("L09", directory=plain_copy.parent)


def test_cli_seals_validates_and_unseals(plain_copy, capsys):
    assert main(["seal", str(plain_copy)]) == 0
    assert "sealed 6 key(s)" in capsys.readouterr().out
    assert main(["validate", str(plain_copy)]) == 0
    assert "OK      L09.json: 6 items (4 graded)" in capsys.readouterr().out
    assert main(["unseal", str(plain_copy)]) == 0
    assert "key" in json.loads(plain_copy.read_text())["items"][0]


def test_cli_validate_reports_problems_and_fails(plain_copy, capsys):
    data = json.loads(plain_copy.read_text())
    data["items"][0]["facts"] = ["F99-9"]
    plain_copy.write_text(json.dumps(data))
    assert main(["validate", str(plain_copy)]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM L09.json: item L09-Q1: field 'facts': unknown fact ID 'F99-9'" in out


def test_cli_validate_flags_an_objective_without_a_graded_item(plain_copy, capsys):
    data = json.loads(plain_copy.read_text())
    data["objectives"]["L09-O3"] = "An objective nobody checks"
    plain_copy.write_text(json.dumps(data))
    assert main(["validate", str(plain_copy)]) == 1
    assert "objective L09-O3 is not checked by any graded item" in capsys.readouterr().out
