"""Lessons 05 and 07 say what their explorers and clinic functions show (issue 13.8).

Each test sweeps the DELTA-P calculator, the screening plan, the case numbers or the
EMG lab at the values the lesson's text names, and checks the claim the text makes
about them. The claim is quoted in each docstring, so a failing test says which
sentence is now wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from lems_course import clinic, electrodiagnosis, physiology
from lems_course.quiz import _items
from lems_course.widgets.delta_p import delta_p_summary, delta_p_view
from lems_course.widgets.emg import emg_lab_view


LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
ITEMS = _items._PACKAGE_ITEMS_DIR
NO_ITEMS = {name: False for name, _label, _fact in clinic.DELTA_P_ITEMS}


def _lesson_text(stem: str) -> str:
    path = next(LESSONS_DIR.glob(f"{stem}_*.ipynb"))
    notebook = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def _item(item_id: str) -> _items.Item:
    lesson = item_id.split("-")[0]
    return next(item for item in _items.load_items(lesson, directory=ITEMS)
                if item.id == item_id)


def _numbers(text: str) -> list[float]:
    return [float(value) for value in re.findall(r"\d+(?:\.\d+)?", text)]


# --- Lesson 05: the DELTA-P calculator ---------------------------------------------

@pytest.mark.parametrize("name", list(NO_ITEMS))
def test_each_ticked_item_adds_one_point(name):
    """"Each ticked item adds one point" (What you saw)."""
    answers = dict(NO_ITEMS)
    assert delta_p_view(**answers).summary.startswith("Score 0 of 6")
    answers[name] = True
    assert delta_p_view(**answers).summary.startswith("Score 1 of 6")


def test_all_six_items_give_six():
    assert delta_p_view(**{name: True for name in NO_ITEMS}).summary.startswith("Score 6 of 6")


def test_prediction_woman_of_55_scores_one_and_looks_worse_in_2020():
    """"A 55-year-old woman who has never smoked … scores 1 point (for age)"; back to the
    prediction: "the 2011 table gives 0–2.6 %, the 2020 prospective cohort 18.8 %, so her
    score looks more worrying in the 2020 table"."""
    score = clinic.delta_p_score(age_50_or_over=True, smoking=False,
                                 weight_loss_5_percent=False, bulbar=False,
                                 erectile_dysfunction=False, karnofsky_below_70=False)
    assert score == 1
    assert clinic.delta_p_risk_range(1, "derivation") == (0.0, 2.6)
    assert clinic.delta_p_risk(1, "validation") == 18.8
    assert clinic.delta_p_risk(1, "validation") > clinic.delta_p_risk_range(1, "derivation")[1]
    summary = delta_p_summary(1)
    assert "0–2.6 %" in summary and "18.8 %" in summary
    text = _lesson_text("05")
    assert "18.8 %" in text and "0–2.6 %" in text


@pytest.mark.parametrize("score", [2, 3])
def test_2011_column_stays_empty_for_two_and_three(score):
    """"For scores 2 and 3 the 2011 column stays empty"."""
    assert clinic.delta_p_risk_range(score, "derivation") is None
    assert "not published" in delta_p_summary(score)


def test_both_tables_agree_at_six():
    """"both tables agree that a score of 6 meant a tumour in every patient"."""
    assert clinic.delta_p_risk(6, "derivation") == clinic.delta_p_risk(6, "validation") == 100.0


def test_mrs_b_scores_three():
    """Mrs B: 56, stopped smoking ten years ago, no weight loss, bulbar signs, Karnofsky 60."""
    assert clinic.delta_p_score(age_50_or_over=True, smoking=False,
                                weight_loss_5_percent=False, bulbar=True,
                                erectile_dysfunction=False, karnofsky_below_70=True) == 3


# --- Lesson 05: the screening plan ---------------------------------------------------

@pytest.mark.parametrize("score", range(7))
def test_no_plan_runs_past_two_years(score):
    """"no plan runs past 2 years when all scans are clear; for a score of 2 or more the
    6-monthly scans end at 2 years" (F4.7-2)."""
    assert max(clinic.screening_plan(score).months) == (6 if score <= 1 else 24)


def test_high_score_adds_an_early_repeat_to_the_six_monthly_scans():
    """"a high score adds an early repeat at 3 months to the usual 6-monthly scans"."""
    assert set(clinic.screening_plan(3).months) == set(clinic.screening_plan(2).months) | {3}
    assert clinic.screening_plan(1).months == (0, 6)


@pytest.mark.parametrize("score", [1, 5])
def test_calculator_lower_panel_marks_the_plan(score):
    """"The lower panel puts a green diamond at each month at which the score's
    screening plan … schedules a scan"."""
    answers = dict(NO_ITEMS)
    for name in list(NO_ITEMS)[:score]:
        answers[name] = True
    view = delta_p_view(**answers)
    assert view.traces[3]["x"] == list(clinic.screening_plan(score).months)


def test_screening_examples_printed_in_lesson_05_match_the_text():
    """The two printed examples (scores 1 and 5) follow the rules the text lists."""
    assert "one repeat at 6 months" in clinic.screening_plan(1).text
    assert "repeat at 3 months" in clinic.screening_plan(5).text
    assert "2 years" in clinic.screening_plan(5).text


# --- Lesson 07: Mr Hale -----------------------------------------------------------------

def test_mr_hale_scores_four_and_gets_the_high_score_plan():
    """Age, smoking, weight loss and erectile dysfunction: score 4; 93.5 % (2011) and
    85.7 % (2020); a repeat at 3 months, then 6-monthly scans up to 2 years."""
    score = clinic.delta_p_score(age_50_or_over=True, smoking=True,
                                 weight_loss_5_percent=True, bulbar=False,
                                 erectile_dysfunction=True, karnofsky_below_70=False)
    assert score == 4
    assert clinic.delta_p_risk(4, "derivation") == 93.5
    assert clinic.delta_p_risk(4, "validation") == 85.7
    assert clinic.screening_plan(4).months == (0, 3, 6, 12, 18, 24)


def test_mr_hale_increment_passes_both_cut_offs():
    """"Mr Hale's increment is 200 %, so he passes both the ≥ 60 % criterion … and the
    stricter ≥ 100 % cut-off"."""
    increment = electrodiagnosis.increment_percent(1.8, 5.4)
    assert increment == pytest.approx(200.0)
    assert increment >= 100.0
    assert "200 %" in _lesson_text("07")


def test_a_dose_of_3_4_dap_raises_the_models_resting_cmap():
    """"a dose raises the resting CMAP for a few hours" (the model's cell shows it)."""
    lems = physiology.lems()
    assert (electrodiagnosis.resting_cmap_mV(physiology.with_amifampridine(lems))
            > electrodiagnosis.resting_cmap_mV(lems))


def test_emg_lab_opens_on_lems_with_a_large_increment_after_10_s():
    """The lab "opens on LEMS and the 10 s exercise test, like Mr Hale's": the model's
    LEMS muscle starts low and rises after 10 s of exercise, as his did."""
    rest, after = electrodiagnosis.post_exercise_cmap(physiology.lems(), 10.0)
    healthy = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    assert rest < 0.5 * healthy
    assert electrodiagnosis.increment_percent(rest, after) >= 100.0
    assert "LEMS" in emg_lab_view("LEMS", "10 s exercise").summary


# --- Lesson 07: the numbers in the final quiz agree with their feedback ------------

def test_q14_trace_y_is_a_sustained_increment_of_more_than_100_percent():
    item = _item("L07-Q14")
    assert "1.2, 2.1, 2.9, 2.8" in item.question
    y = np.array([1.2, 2.1, 2.9, 2.8])
    assert (y.max() - y[0]) / y[0] * 100 >= 100.0
    assert y[-1] >= 0.8 * y.max()
    assert "+142 %" in item.key["feedback"]["b"]
    assert round((y.max() - y[0]) / y[0] * 100) == 142
    # X and Z start at a normal size and change little: no LEMS increment.
    for trace in ("9.8, 10.2, 10.0, 9.9", "9.5, 8.9, 8.6, 8.7"):
        assert trace in item.question
        values = np.array(_numbers(trace))
        assert (values.max() - values[0]) / values[0] * 100 < 60.0


def test_q15_mg_decrement_is_repaired_by_brief_exercise():
    item = _item("L07-Q15")
    assert "9.5 and 7.1 mV" in item.question and "9.8 and 9.0 mV" in item.question
    at_rest = electrodiagnosis.decrement_percent([9.5, 9.0, 8.0, 7.1])
    after = (9.8 - 9.0) / 9.8 * 100
    assert at_rest == pytest.approx(25.0, abs=0.5) and at_rest > 10.0
    assert after == pytest.approx(8.0, abs=0.5) and after < at_rest
    assert "25 %" in item.key["feedback"]["a"] and "8 %" in item.key["feedback"]["a"]


def test_q21_increment_is_about_ten_percent():
    item = _item("L07-Q21")
    assert "8.7 mV" in item.question and "9.6 mV" in item.question
    increment = electrodiagnosis.increment_percent(8.7, 9.6)
    assert increment == pytest.approx(10.3, abs=0.1) and increment < 60.0


def test_q18_scores_match_the_feedback():
    """Ms A scores 0, Mr B (61, smokes, 8 % weight loss) scores 3."""
    ms_a = clinic.delta_p_score(**NO_ITEMS)
    mr_b = clinic.delta_p_score(**{**NO_ITEMS, "age_50_or_over": True, "smoking": True,
                                   "weight_loss_5_percent": True})
    assert (ms_a, mr_b) == (0, 3)
    assert clinic.screening_plan(ms_a).months == (0, 6)
    assert 3 in clinic.screening_plan(mr_b).months
    assert "scores 0 and Mr B 3" in _item("L07-Q18").key["feedback"]["a"]


# --- Lesson 07: the EMG lab's "What you saw" ---------------------------------------------

def test_models_lems_muscle_starts_below_half_and_more_than_doubles():
    """"starts at less than half the healthy resting CMAP and more than doubles after
    10 s of exercise, the same pattern as Mr Hale's 200 %"."""
    healthy = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    rest, after = electrodiagnosis.post_exercise_cmap(physiology.lems(), 10.0)
    assert rest < 0.5 * healthy
    assert after > 2 * rest


def test_50_hz_healthy_steady_lems_sustained_mg_gains_little():
    """"At 50 Hz the healthy junction holds steady, while the LEMS junction climbs well
    past +100 % and stays there. Myasthenia gravis starts close to normal and gains
    little at 50 Hz"."""
    healthy = electrodiagnosis.cmap_train(physiology.healthy(), 50.0, 50)
    assert healthy.min() >= 0.9 * healthy[0]
    lems = electrodiagnosis.cmap_train(physiology.lems(), 50.0, 50)
    assert lems.max() >= 2 * lems[0] and lems[-1] >= 0.8 * lems.max()
    mg = electrodiagnosis.cmap_train(physiology.myasthenia(), 50.0, 50)
    assert mg[0] >= 0.7 * healthy[0]
    assert (mg.max() - mg[0]) / mg[0] * 100 < 60.0


def test_mg_decrement_is_repaired_then_exhausted():
    """"its 3 Hz decrement shrinks 2 s after 10 s of exercise and grows 3 min after
    60 s"."""
    mg = physiology.myasthenia()
    rest = electrodiagnosis.decrement_percent(electrodiagnosis.cmap_train(mg, 3.0, 10))
    repaired = electrodiagnosis.decrement_percent(
        electrodiagnosis.rns_after_exercise(mg, 10.0, 2.0))
    exhausted = electrodiagnosis.decrement_percent(
        electrodiagnosis.rns_after_exercise(mg, 60.0, 180.0))
    assert repaired < rest < exhausted


def test_model_dose_raises_resting_cmap_by_one_to_two_mv():
    """"In the model, the drug raises the resting CMAP by between 1 and 2 mV"."""
    lems = physiology.lems()
    gain = (electrodiagnosis.resting_cmap_mV(physiology.with_amifampridine(lems))
            - electrodiagnosis.resting_cmap_mV(lems))
    assert 1.0 <= gain <= 2.0
