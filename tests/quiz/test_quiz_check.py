"""check(): every kind with right, wrong and malformed answers; never a traceback."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lems_course.quiz
from lems_course.quiz import CheckResult, _items, check
from lems_course.quiz._grading import grade


@pytest.fixture(autouse=True)
def _bank(bank_dir):
    return bank_dir


def test_right_number_is_correct_and_shows_explanation():
    result = check("L09-E1", 20)
    assert result.correct is True
    assert "2 / 10 × 100 = 20 %" in result.message
    assert "A drop of 2 mV from 10 mV is 20 %." in result.message


@pytest.mark.parametrize("value", [19.9, 20.1, np.float64(20.05), np.array(20.0), "20", "20 %"])
def test_numbers_within_tolerance_count_in_any_numeric_form(value):
    assert check("L09-E1", value).correct is True


def test_too_low_gets_the_items_low_feedback_without_the_explanation():
    result = check("L09-E1", 10)
    assert result.correct is False
    assert "Too low: divide by the first CMAP." in result.message
    assert "A drop of 2 mV" not in result.message


def test_too_high_gets_the_items_high_feedback():
    result = check("L09-E1", 25)
    assert result.correct is False
    assert "Too high" in result.message


def test_out_of_range_number_says_so_with_the_range():
    result = check("L09-Q3", 250)
    assert result.correct is False
    assert "outside the possible range, 0 to 100 %" in result.message


def test_none_means_not_answered_yet():
    result = check("L09-E1", None)
    assert result.correct is None
    assert result.message == ("Not answered yet: in the answer cell above, replace `None` "
                              "with your answer and run that cell, then run this one.")


def test_text_asks_for_a_number_with_the_unit():
    result = check("L09-E1", "fifty")
    assert result.correct is None
    assert result.status == "invalid"
    assert "'fifty' is not a number" in result.message
    assert "in %" in result.message


@pytest.mark.parametrize("value, words", [
    (math.nan, "NaN"), (np.nan, "NaN"), (math.inf, "infinite"), (-math.inf, "infinite"),
    (True, "yes/no"), (np.bool_(False), "yes/no"), ([], "list"), ([20], "list"),
    (np.array([20.0, 30.0]), "array of 2 values"), ({"a": 1}, "dict"), (object(), "object"),
])
def test_malformed_numbers_get_a_message_not_a_traceback(value, words):
    result = check("L09-E1", value)
    assert result.correct is None
    assert result.status == "invalid"
    assert words in result.message


def test_unknown_id_suggests_the_closest_ids():
    result = check("L09-E2", 20)
    assert result.correct is None
    assert result.status == "unknown"
    assert "There is no quiz item 'L09-E2'" in result.message
    assert "L09-E1" in result.message


@pytest.mark.parametrize("item_id", [None, 5, "", "nonsense", "L99-Q1"])
def test_malformed_ids_get_a_message(item_id):
    result = check(item_id, 1)
    assert result.correct is None and result.status == "unknown"
    assert result.message


def test_single_choice_by_key_in_any_usual_spelling():
    for value in ("b", "B", "b)", "(b)", " b ", "It stays normal"):
        assert check("L09-Q1", value).correct is True, value


def test_wrong_single_choice_gets_that_options_feedback():
    result = check("L09-Q1", "a")
    assert result.correct is False
    assert "Small MEPPs point to fewer receptors" in result.message
    assert "each vesicle is unchanged" not in result.message  # explanation only when right


@pytest.mark.parametrize("value", ["e", 2, True, ["a", "b"]])
def test_single_choice_rejects_non_options(value):
    result = check("L09-Q1", value)
    assert result.correct is None
    assert "a, b, c" in result.message


def test_multiple_choice_needs_exactly_the_right_set():
    assert check("L09-Q2", ["a", "c"]).correct is True
    assert check("L09-Q2", ("c", "a")).correct is True
    assert check("L09-Q2", "a, c").correct is True
    assert check("L09-Q2", ["a"]).correct is False
    assert check("L09-Q2", ["a", "c", "d"]).correct is False


def test_multiple_choice_wrong_pick_gets_its_feedback_without_revealing_the_rest():
    result = check("L09-Q2", ["a", "b"])
    assert "Small MEPPs are the postsynaptic sign" in result.message
    assert "Too few quanta per impulse" not in result.message  # c's feedback stays hidden


def test_multiple_choice_empty_list_is_not_answered():
    assert check("L09-Q2", []).status == "unanswered"


def test_prediction_is_recorded_ungraded_with_the_explanation():
    result = check("L09-P1", "a")
    assert result.correct is None
    assert result.status == "recorded"
    assert "falls far more than half" in result.message


def test_result_displays_as_its_message():
    result = check("L09-E1", 10)
    assert isinstance(result, CheckResult)
    assert repr(result) == result.message == str(result)
    assert result._repr_markdown_() == result.message
    assert result._repr_mimebundle_() == {"text/plain": result.message,
                                          "text/markdown": result.message}


def test_a_broken_item_file_gives_a_message_not_a_traceback(bank_dir):
    (bank_dir / "L09.json").write_text("{ not json", encoding="utf-8")
    result = check("L09-E1", 20)
    assert result.correct is None
    assert "tell your teacher" in result.message
    assert "L09.json" in result.message


ANY_ANSWER = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.binary(max_size=6), st.lists(st.text(max_size=3), max_size=4),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2))


@settings(max_examples=150, deadline=None)
@given(item_id=st.sampled_from(["L09-Q1", "L09-Q2", "L09-Q3", "L09-E1", "L09-P1", "L09-P2"]),
       value=ANY_ANSWER)
def test_check_never_raises_and_always_explains(item_id, value):
    result = check(item_id, value)
    assert result.correct in (True, False, None)
    assert result.message.strip()


# ---------------------------------------------------------------- common slips

REAL_ITEMS = Path(lems_course.quiz.__file__).resolve().parent / "items"


def _real_item(item_id: str):
    bank = _items.load_bank(REAL_ITEMS / f"{item_id[:3]}.json")
    return next(item for item in bank.items if item.id == item_id)


def _exercises() -> list[str]:
    ids = []
    for path in sorted(REAL_ITEMS.glob("L*.json")):
        ids += [item.id for item in _items.load_bank(path).items
                if "-E" in item.id and item.kind == "numeric"]
    return ids


@pytest.mark.parametrize("item_id, value, words", [
    ("L04-E1", 0.2, "multiply by 100"),
    ("L04-E1", -20, "sign is reversed"),
    ("L04-E1", 10, "2nd (1.8 mV)"),
    ("L04-E1", 15, "3rd (1.7 mV)"),
    ("L04-E1", 25, "5th response"),
    ("L04-E1", 80, "how much it fell"),
    ("L02-E1", 0.0625, "multiply by 100"),
    ("L02-E1", 50, "linear law"),
    ("L02-E1", 93.75, "lost"),
    ("L05-E1", 4, "smokes at diagnosis"),
    ("L05-E1", 2, "One item is missing"),
    ("L07-E1", 2, "multiply by 100"),
    ("L07-E1", 300, "share of the old"),
    ("L07-E1", -200, "sign is reversed"),
    ("L07-E1", 66.7, "divided by the value after exercise"),
    ("L07-E1", -66.7, "Before and after are swapped"),
])
def test_each_common_slip_gets_its_own_hint(item_id, value, words):
    result = grade(_real_item(item_id), value)
    assert result.correct is False
    assert words in result.message


def test_l04_e1_forgot_times_100_is_not_asked_about_the_wrong_response():
    message = grade(_real_item("L04-E1"), 0.2).message
    assert "Did you use the 2nd or 3rd response" not in message


@pytest.mark.parametrize("item_id", _exercises())
def test_every_numeric_exercise_has_reachable_slip_hints(item_id):
    item = _real_item(item_id)
    mistakes = item.key.get("mistakes", [])
    assert mistakes, f"{item_id}: no hints for common slips"
    if item.unit == "%":  # forgetting × 100 is the commonest slip with a percentage
        assert any(abs(m["answer"] - item.key["answer"] / 100) <= m["tolerance"]
                   for m in mistakes), f"{item_id}: no hint for forgetting × 100"
    for mistake in mistakes:  # no slip is hidden behind an earlier one or the answer
        result = grade(item, mistake["answer"])
        assert result.correct is False and mistake["feedback"] in result.message
    assert grade(item, item.key["answer"]).correct is True


def test_a_slip_overlapping_the_answer_or_malformed_is_rejected(fixture_data):
    [item] = [entry for entry in fixture_data["items"] if entry["id"] == "L09-E1"]
    item["key"]["mistakes"] = [
        {"answer": 20.05, "tolerance": 0.1, "feedback": "Overlaps the answer."},
        {"answer": 0.2, "feedback": "No tolerance."},
        {"answer": 0.2, "tolerance": 0.01, "feedback": "  "},
    ]
    _, problems = _items.check_bank(fixture_data, "L09.json", allow_plaintext=True)
    text = "\n".join(problems)
    assert "'key.mistakes[0]': overlaps the right answer's window" in text
    assert "'key.mistakes.1.tolerance': missing" in text
    assert "'key.mistakes.2.feedback'" in text


def test_a_slip_outside_the_possible_range_still_gets_its_hint(fixture_data, tmp_path,
                                                                monkeypatch):
    [item] = [entry for entry in fixture_data["items"] if entry["id"] == "L09-E1"]
    item["range"] = [0, 100]
    item["key"]["mistakes"] = [{"answer": -20, "tolerance": 0.1,
                                "feedback": "Subtract the second CMAP from the first."}]
    folder = tmp_path / "slips"
    folder.mkdir()
    (folder / "L09.json").write_text(json.dumps(fixture_data), encoding="utf-8")
    monkeypatch.setenv("LEMS_COURSE_QUIZ_DIR", str(folder))
    monkeypatch.setenv("LEMS_COURSE_ALLOW_PLAINTEXT", "1")
    result = check("L09-E1", -20)
    assert result.correct is False
    assert "Subtract the second CMAP from the first." in result.message


# ---------------------------------------------------------------- an answer cell that failed

FAILED_CELL_SCRIPT = r'''
import json, sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shown = []
for source in json.loads(sys.argv[1]):
    result = shell.run_cell(source, store_history=True, silent=False)
    shown.append(None if result.result is None else str(result.result))
print("RESULTS=" + json.dumps(shown))
'''


def _run_cells(cells: list[str], bank_dir: Path, tmp_path: Path) -> list[str | None]:
    env = dict(os.environ, LEMS_COURSE_QUIZ_DIR=str(bank_dir),
               LEMS_COURSE_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", FAILED_CELL_SCRIPT, json.dumps(cells)],
                          env=env, capture_output=True, text=True, timeout=120)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULTS="))
    return json.loads(line[len("RESULTS="):])


def test_answer_cell_that_raised_is_not_graded_with_the_earlier_value(bank_dir, tmp_path):
    shown = _run_cells([
        "from lems_course.quiz import check",
        "decrement = 20",
        'check("L09-E1", decrement)',
        "decrement = twenty",                # NameError: decrement keeps 20
        'check("L09-E1", decrement)',
        "1 + 1",                             # an unrelated cell in between
        'check("L09-E1", decrement)',
        "decrement = 10",                    # fixed, and now wrong
        'check("L09-E1", decrement)',
        "decrement = 20",
        'check("L09-E1", decrement)',
    ], bank_dir, tmp_path)
    assert shown[2].startswith("Correct: 20 %")
    for failed in (shown[4], shown[6]):
        assert failed.startswith("Not answered yet: the cell that sets `decrement` stopped "
                                 "with an error (NameError: name 'twenty' is not defined)")
        assert "Correct" not in failed
    assert shown[8].startswith("Not quite: 10 %")
    assert shown[10].startswith("Correct: 20 %")


def test_a_failed_cell_does_not_block_other_answers(bank_dir, tmp_path):
    shown = _run_cells([
        "from lems_course.quiz import check",
        "other = 1 / 0",
        "decrement = 20",
        'check("L09-E1", decrement)',
    ], bank_dir, tmp_path)
    assert shown[3].startswith("Correct: 20 %")
