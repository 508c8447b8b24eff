"""check(): every kind with right, wrong and malformed answers; never a traceback."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lems_course.quiz import CheckResult, check


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
    assert result.message == ("Not answered yet: replace `None` with your answer and run "
                              "the cell again.")


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
