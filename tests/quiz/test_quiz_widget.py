"""The quiz widget: controls per kind, labels, live feedback, deterministic text."""

from __future__ import annotations

import ipywidgets
import pytest

from lems_course.quiz import QuizError, quiz
from lems_course.quiz._widget import ANSWER_CHANGED

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(autouse=True)
def _bank(bank_dir):
    return bank_dir


def test_single_choice_is_radio_buttons_with_a_label():
    widget = quiz("L09-Q1")
    assert isinstance(widget.control, ipywidgets.RadioButtons)
    assert widget.control.description
    assert widget.control.value is None  # nothing pre-selected
    assert [label for label, _ in widget.control.options][1] == "b) It stays normal"


def test_multiple_choice_is_one_labelled_checkbox_per_option():
    widget = quiz("L09-Q2")
    boxes = widget._checkboxes
    assert [box.description for box in boxes] == [
        "a) Increment after brief exercise", "b) Small MEPPs", "c) Low resting CMAP",
        "d) Antibodies against AChR"]
    assert all(isinstance(box, ipywidgets.Checkbox) for box in boxes)


def test_numeric_item_is_a_text_box_labelled_with_its_unit():
    widget = quiz("L09-Q3")
    assert isinstance(widget.control, ipywidgets.Text)
    assert widget.control.description == "Your answer (%):"


def test_check_button_grades_what_the_controls_hold():
    widget = quiz("L09-Q2")
    widget._checkboxes[0].value = True
    widget._checkboxes[2].value = True
    widget.button.click()
    assert widget.result.correct is True


def test_changing_the_answer_after_a_check_withdraws_the_old_verdict():
    # A quick "select b, then Check" can reach the kernel as "Check, then select b"
    # (ipywidgets throttles value updates but not clicks): the feedback must then
    # not judge a) while b) is what the learner sees selected.
    widget = quiz("L09-Q1")
    widget.control.value = "a"
    widget.button.click()
    assert widget.feedback.message.startswith("Not quite: a)")
    widget.control.value = "b"
    assert widget.feedback.message == ANSWER_CHANGED
    widget.control.value = "a"  # back to what was checked: its feedback returns
    assert widget.feedback.message.startswith("Not quite: a)")
    widget.control.value = "b"
    widget.button.click()
    assert widget.feedback.message.startswith("Correct: b)")


def _press_check_in_page(widget, **page):
    """What the page sends when Check is pressed: the answer it shows at that moment."""
    message = {"event": "check", "choice": None, "ticked": None, "text": None, **page}
    widget.feedback._handle_custom_msg(message, [])


def test_check_in_the_page_grades_the_choice_the_page_shows_not_a_late_value():
    # The kernel still holds a) (the page's "select b" is held back by ipywidgets),
    # but the page says b) was selected when Check was pressed: b) is graded.
    widget = quiz("L09-Q1")
    widget.control.value = "a"
    _press_check_in_page(widget, choice=1)
    assert widget.feedback.message.startswith("Correct: b)")
    widget.control.value = "b"   # the held-back update arrives: nothing to withdraw
    assert widget.feedback.message.startswith("Correct: b)")


def test_check_in_the_page_grades_the_typed_text_and_the_ticked_boxes():
    number = quiz("L09-Q3")
    _press_check_in_page(number, text="fifty")   # the kernel's field is still empty
    assert "'fifty' is not a number" in number.feedback.message
    boxes = quiz("L09-Q2")
    _press_check_in_page(boxes, ticked=[True, False, True, False])
    assert boxes.result.correct is True
    nothing = quiz("L09-Q1")
    _press_check_in_page(nothing, choice=-1)      # no option chosen in the page
    assert nothing.result is not None and not nothing.result.correct


def test_a_malformed_page_message_falls_back_to_the_kernels_controls():
    widget = quiz("L09-Q1")
    widget.control.value = "b"
    _press_check_in_page(widget, choice="b", ticked="yes")
    assert widget.feedback.message.startswith("Correct: b)")
    widget.feedback._handle_custom_msg("not a dict", [])   # ignored, no traceback
    assert widget.feedback.message.startswith("Correct: b)")


def test_ticking_another_box_after_a_check_withdraws_the_old_verdict():
    widget = quiz("L09-Q2")
    widget._checkboxes[0].value = True
    widget.button.click()
    assert widget.result.correct is False
    widget._checkboxes[2].value = True
    assert widget.feedback.message == ANSWER_CHANGED


def test_a_committed_prediction_keeps_its_explanation():
    widget = quiz("L09-P2")
    widget.answer("Release falls.")
    shown = widget.feedback.message
    widget.control.value = "something else"
    assert widget.feedback.message == shown


def test_feedback_lives_in_a_polite_live_region():
    widget = quiz("L09-Q1")
    widget.answer("a")
    assert 'setAttribute("aria-live", "polite")' in widget.feedback._esm
    assert 'setAttribute("role", "status")' in widget.feedback._esm
    assert "Small MEPPs point to fewer receptors" in widget.feedback.message


def test_quiz_box_keeps_arrow_keys_from_the_notebook():
    # JupyterLab moves between cells on ArrowDown; radio buttons need those keys.
    widget = quiz("L09-Q1")
    assert "lems-quiz" in widget.widget._dom_classes
    assert 'closest(".lems-quiz")' in widget.feedback._esm
    assert "stopPropagation" in widget.feedback._esm


@pytest.mark.parametrize("item_id, right, wrong", [
    ("L09-Q1", "b", "c"), ("L09-Q2", ["a", "c"], ["d"]), ("L09-Q3", "6.25", "25")])
def test_answer_grades_right_and_wrong_for_every_graded_kind(item_id, right, wrong):
    widget = quiz(item_id)
    assert widget.answer(wrong).correct is False
    assert widget.answer(right).correct is True


@pytest.mark.parametrize("value", [None, "", "fifty", "nan", True, []])
def test_malformed_widget_answers_are_not_graded(value):
    result = quiz("L09-Q3").answer(value)
    assert result.correct is None


def test_empty_widget_answer_asks_to_press_check_not_to_edit_code():
    result = quiz("L09-Q1").answer(None)
    assert result.message == "Not answered yet: choose your answer, then press Check."


def test_right_answer_message_is_feedback_then_explanation():
    result = quiz("L09-Q1").answer("b")
    # The fixture's "Yes:" is dropped: the message already opens with "Correct:".
    feedback = "Each quantum is normal; fewer quanta are released."
    explanation = "LEMS removes calcium channels, so fewer vesicles fuse"
    assert feedback in result.message and explanation in result.message
    assert result.message.index(feedback) < result.message.index(explanation)
    assert "Yes:" not in result.message


def test_prediction_reveals_the_explanation_only_after_commit():
    widget = quiz("L09-P1")
    explanation = "falls far more than half"
    assert explanation not in widget.feedback.message
    assert explanation not in widget.text
    result = widget.answer("a")
    assert result.correct is None and result.status == "recorded"
    assert explanation in widget.feedback.message
    assert widget.control.disabled and widget.button.disabled


def test_uncommitted_prediction_stays_open():
    widget = quiz("L09-P2")
    assert isinstance(widget.control, ipywidgets.Textarea)
    assert widget.answer("   ").status == "unanswered"
    assert not widget.control.disabled
    assert "calcium builds up" in widget.answer("It grows").message


def test_plain_text_shows_question_and_options_but_no_answer():
    widget = quiz("L09-Q1")
    bundle, _metadata = widget._repr_mimebundle_()
    assert set(bundle) == {WIDGET_MIMETYPE, "text/plain", "text/markdown"}
    assert bundle["text/plain"] == (
        "Quiz L09-Q1 (one answer)\n"
        "In LEMS, what happens to the MEPP amplitude?\n"
        "  a) It is much smaller than normal\n"
        "  b) It stays normal\n"
        "  c) It is larger than normal\n"
        "To answer, run this lesson's cells in JupyterLab (Run → Run All Cells).")
    for text in (bundle["text/plain"], bundle["text/markdown"]):
        assert "Yes: each quantum is normal" not in text  # the right option's feedback
        assert "LEMS removes calcium channels" not in text  # the explanation


@pytest.mark.parametrize("item_id", ["L09-Q1", "L09-Q2", "L09-Q3", "L09-P1", "L09-P2"])
def test_static_forms_never_ask_to_press_check(item_id):
    bundle, _metadata = quiz(item_id)._repr_mimebundle_()
    for text in (bundle["text/plain"], bundle["text/markdown"]):
        assert "press check" not in text.lower()
        assert "Run → Run All Cells" in text


def test_quiz_output_is_marked_live_so_a_saved_file_keeps_only_its_text():
    from lems_course.widgets._saving import strip_live_widgets

    bundle, metadata = quiz("L09-Q1")._repr_mimebundle_()
    assert metadata == {"lems_course": {"live": True}}
    notebook = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "execute_result", "data": dict(bundle), "metadata": metadata}]}]}
    assert strip_live_widgets(notebook) == 1
    assert set(notebook["cells"][0]["outputs"][0]["data"]) == {"text/plain", "text/markdown"}


def test_plain_text_is_the_same_for_every_widget_of_an_item():
    (first, _), (second, _) = quiz("L09-Q3")._repr_mimebundle_(), quiz("L09-Q3")._repr_mimebundle_()
    assert first["text/plain"] == second["text/plain"]
    assert first[WIDGET_MIMETYPE]["model_id"] != second[WIDGET_MIMETYPE]["model_id"]
    assert "6.25" not in first["text/plain"] and "Answer: a number in %." in first["text/plain"]


def test_every_control_has_an_accessible_name():
    for item_id in ("L09-Q1", "L09-Q2", "L09-Q3", "L09-P1", "L09-P2"):
        widget = quiz(item_id)
        controls = widget._checkboxes or [widget.control]
        assert all(control.description.strip() for control in controls), item_id
        assert widget.button.description and widget.button.tooltip


def test_quiz_with_an_unknown_id_raises_naming_close_ids():
    with pytest.raises(QuizError, match="Did you mean L09-Q1"):
        quiz("L09-Q10")


# --- Coming back: a quiz built again shows the last recorded answer (issue 13.2, 13.10)


def test_a_quiz_built_again_shows_the_last_answer_and_its_verdict():
    from lems_course.quiz._widget import ANSWERED_BEFORE

    first = quiz("L09-Q1")
    first.answer("a")
    first.answer("b")
    again = quiz("L09-Q1")
    assert again.control.value == "b"
    assert again.result.correct is True
    assert again.feedback.message.startswith(ANSWERED_BEFORE + "\nCorrect: b)")
    again.control.value = "c"  # a new answer still withdraws the restored verdict
    assert again.feedback.message == ANSWER_CHANGED


@pytest.mark.parametrize(("item_id", "answer", "shown"), [
    ("L09-Q2", ["a"], [True, False, False, False]),
    ("L09-Q3", 6.25, "6.25"),
])
def test_wrong_and_numeric_answers_come_back_as_they_were(item_id, answer, shown):
    quiz(item_id).answer(answer)
    again = quiz(item_id)
    held = [box.value for box in again._checkboxes] if again._checkboxes else again.control.value
    assert held == shown
    assert again.result.correct is (item_id == "L09-Q3")
    assert again.value() == again._checked_value  # no "answer changed" on arrival


def test_a_committed_prediction_comes_back_committed():
    quiz("L09-P1").answer("b")
    again = quiz("L09-P1")
    assert again.control.value == "b" and again.control.disabled
    assert again.button.description == "Prediction recorded"


def test_nothing_is_restored_when_progress_is_off_or_the_answer_no_longer_fits():
    from lems_course.quiz import _progress, progress

    quiz("L09-Q1").answer("a")
    data, _ = _progress.read()
    data["items"]["L09-Q1"]["answer"] = "z"  # an option the item no longer has
    _progress.write_atomic(_progress.progress_path(), data)
    assert quiz("L09-Q1").result is None
    quiz("L09-Q3").answer(6.25)
    progress.disable()
    fresh = quiz("L09-Q3")
    assert fresh.result is None and fresh.control.value == ""


def test_radio_buttons_form_one_tab_stop_and_keep_beside_their_text():
    region = quiz("L09-Q1").feedback
    # One shared name per quiz: Tab leaves the group for Check (browser test at 768 px).
    assert 'input.name = groupName' in region._esm
    assert "grid-template-columns: auto minmax(0, 1fr)" in region._css


def test_display_emits_the_live_widget_then_the_static_question(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda data, raw=False, metadata=None: shown.append((data, metadata)))
    widget = quiz("L09-Q1")
    widget._ipython_display_()
    (live, live_metadata), (static, static_metadata) = shown
    assert live == {WIDGET_MIMETYPE: {"version_major": 2, "version_minor": 0,
                                      "model_id": widget.widget.model_id}, "text/plain": ""}
    assert live_metadata == {"lems_course": {"live": True}}
    assert static["text/plain"] == widget.text and "**Quiz L09-Q1**" in static["text/markdown"]
    assert static_metadata is None
    assert ".jp-OutputArea-child:has(.lems-quiz) ~" in widget.feedback._css
