"""The DELTA-P calculator scores the six items, shows only the published risks for
both cohorts and the screening schedule that ``clinic`` suggests."""

from __future__ import annotations

import json

import pytest

from lems_course import clinic
from lems_course.widgets import delta_p_calculator
from lems_course.widgets._base import PLOTLY_MIMETYPE, TEXT_MIMETYPE
from lems_course.widgets.delta_p import (
    DERIVATION,
    SCREENS,
    VALIDATION,
    YOUR_SCORE,
    delta_p_view,
)

ITEMS = [name for name, _label, _fact in clinic.DELTA_P_ITEMS]


@pytest.fixture
def calculator():
    return delta_p_calculator()


def _tick(calculator, count: int) -> None:
    for index, name in enumerate(ITEMS):
        calculator.controls[name].value = index < count


def test_one_labelled_checkbox_per_item_with_its_fact_id(calculator):
    # F4.6-2a…f
    assert list(calculator.controls) == ITEMS
    for (_name, label, fact), box in zip(clinic.DELTA_P_ITEMS, calculator.controls.values(),
                                         strict=True):
        assert label in box.description and fact in box.description


def test_no_item_ticked_scores_zero(calculator):
    _tick(calculator, 0)
    assert calculator.summary_text.startswith("Score 0 of 6:")
    assert calculator.figure.data[YOUR_SCORE].x == (0,)


def test_every_item_ticked_scores_six(calculator):
    _tick(calculator, 6)
    assert calculator.summary_text.startswith("Score 6 of 6:")
    assert calculator.figure.data[YOUR_SCORE].x == (6,)
    assert calculator.figure.layout.shapes[0].x0 == 5.5


def test_score_four_quotes_both_published_cohorts(calculator):
    # F4.6-5: 93.5 % at score 4 (2011); F4.6-6: 85.7 % (2020)
    _tick(calculator, 4)
    assert calculator.summary_text.startswith(
        "Score 4 of 6: in the 2011 derivation cohort 93.5 % of patients with this score "
        "had SCLC; in the 2020 validation cohort 85.7 % (F4.6-5, F4.6-6).")


def test_unpublished_derivation_points_are_gaps(calculator):
    # F4.6-5 publishes no figure for scores 2 and 3
    derivation = calculator.figure.data[DERIVATION]
    assert derivation.y[2] is None and derivation.y[3] is None
    notes = [a for a in calculator.figure.layout.annotations if "not published" in a.text]
    assert sorted(round(a.x) for a in notes) == [2, 3]


def test_bars_are_the_published_tables(calculator):
    # F4.6-5: 0–1 → 0–2.6 %, 4/5/6 → 93.5/96.6/100; F4.6-6: 0, 18.8, 45, 55.5, 85.7, 87.5, 100
    derivation = calculator.figure.data[DERIVATION]
    validation = calculator.figure.data[VALIDATION]
    assert list(validation.y) == [clinic.delta_p_risk(s, "validation") for s in range(7)]
    assert list(validation.y) == [0, 18.8, 45, 55.5, 85.7, 87.5, 100]
    assert list(derivation.y) == [2.6, 2.6, None, None, 93.5, 96.6, 100]
    assert derivation.text[:2] == ("0–2.6 %", "0–2.6 %")
    assert derivation.error_y.arrayminus[:2] == (2.6, 2.6)


def test_score_zero_or_one_gives_the_derivation_range(calculator):
    _tick(calculator, 1)
    assert ("in the 2011 derivation cohort 0–2.6 % of patients with a score of 0–1 had "
            "SCLC; in the 2020 validation cohort 18.8 %") in calculator.summary_text


def test_score_two_says_the_derivation_figure_is_not_published(calculator):
    _tick(calculator, 2)
    assert "not published" in calculator.summary_text
    assert "in the 2020 validation cohort 45 %" in calculator.summary_text


def test_learners_score_is_highlighted(calculator):
    _tick(calculator, 3)
    widths = calculator.figure.data[VALIDATION].marker.line.width
    assert max(widths) == widths[3] and widths.count(max(widths)) == 1
    assert calculator.figure.layout.shapes[0].x0 == 2.5


@pytest.mark.parametrize("score", range(7))
def test_screening_timeline_is_the_clinic_plan(score):
    view = delta_p_view(**{name: index < score for index, name in enumerate(ITEMS)})
    plan = clinic.screening_plan(score)
    assert view.traces[SCREENS]["x"] == list(plan.months)
    assert f"Suggested screening: {plan.text}" in view.summary


def test_summary_notes_sox1_is_not_in_the_score_and_not_advice(calculator):
    # F4.6-3
    assert "SOX1" in calculator.summary_text and "F4.6-3" in calculator.summary_text
    assert "not medical advice" in calculator.summary_text
    assert any("not medical advice" in text for text in _html_texts(calculator.widget))


def _html_texts(widget):
    value = getattr(widget, "value", None)
    if isinstance(value, str):
        yield value
    for child in getattr(widget, "children", ()):
        yield from _html_texts(child)


def test_any_single_item_scores_one():
    for name in ITEMS:
        assert delta_p_view(**{name: True}).summary.startswith("Score 1 of 6:")


def test_initial_answers_can_be_given_and_bad_ones_are_named():
    assert delta_p_calculator(smoking=True, bulbar=True).summary_text.startswith("Score 2")
    with pytest.raises(TypeError, match="smoking"):
        delta_p_calculator(smoking="yes")
    with pytest.raises(TypeError, match="sox1"):
        delta_p_calculator(sox1=True)


def test_figure_has_title_and_axis_units(calculator):
    layout = calculator.figure.layout
    assert "DELTA-P" in layout.title.text
    assert "%" in layout.yaxis.title.text and "published" in layout.yaxis.title.text
    assert "Months" in layout.xaxis2.title.text


def test_display_bundle_is_deterministic(calculator):
    _tick(calculator, 4)
    first = calculator._repr_mimebundle_()
    again = delta_p_calculator(**{name: i < 4 for i, name in enumerate(ITEMS)})
    second = again._repr_mimebundle_()
    assert json.dumps(first[PLOTLY_MIMETYPE]) == json.dumps(second[PLOTLY_MIMETYPE])
    assert first[TEXT_MIMETYPE] == second[TEXT_MIMETYPE]
