"""The cooperativity explorer: the model's log–log slope against Dodge & Rahamimoff."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from lems_course import physiology
from lems_course.widgets import cooperativity_explorer
from lems_course.widgets.calcium_cooperativity import (
    CALCIUM_GRID_MM,
    CURVE,
    MAX_HILL,
    MIN_HILL,
    PUBLISHED_LABEL,
    REFERENCE,
    SLOPE,
    cooperativity_view,
    log_log_slope,
)


def _quanta(hill: float, calcium_mM: float) -> float:
    return physiology.quantal_content(
        replace(physiology.healthy(), hill_coefficient=hill, calcium_mM=calcium_mM))


@pytest.fixture(scope="module")
def explorer():
    return cooperativity_explorer()


def test_curve_is_the_models_quantal_content_for_the_chosen_hill_coefficient(explorer):
    explorer.controls["hill_coefficient"].value = 3.0
    curve = explorer.figure.data[CURVE]
    assert curve.y[0] == pytest.approx(_quanta(3.0, CALCIUM_GRID_MM[0]), rel=1e-3)
    assert curve.y[-1] == pytest.approx(_quanta(3.0, CALCIUM_GRID_MM[-1]), rel=1e-3)


def test_summary_quotes_the_models_low_and_normal_calcium_slopes(explorer):
    explorer.controls["hill_coefficient"].value = 4.0
    low = math.log(_quanta(4.0, 0.5) / _quanta(4.0, 0.2)) / math.log(2.5)
    assert f"slope is {low:.2f} between 0.2 and 0.5 mM" in explorer.summary_text
    assert f"{log_log_slope(4.0, 1.8, 2.2):.2f} near 2 mM" in explorer.summary_text
    assert "3.78 ± 0.2" in explorer.summary_text


def test_default_model_slope_at_low_calcium_is_near_the_published_one():
    # F2-1a: 3.78 ± 0.2 (frog); model.md H1 accepts 3.3–4.3
    assert 3.3 <= log_log_slope(4.0, 0.2, 0.5) <= 4.3


def test_local_slope_falls_near_normal_calcium(explorer):
    # F2-1c: the slope decreases as [Ca] approaches normal levels
    explorer.controls["hill_coefficient"].value = 4.0
    slope = explorer.figure.data[SLOPE].y
    assert slope[-1] < slope[0]


def test_reference_line_has_the_published_slope_and_label(explorer):
    reference = explorer.figure.data[REFERENCE]
    (x0, x1), (y0, y1) = reference.x, reference.y
    assert math.log(y1 / y0) / math.log(x1 / x0) == pytest.approx(3.78, abs=0.01)
    assert PUBLISHED_LABEL in reference.name


@pytest.mark.parametrize("hill", [MIN_HILL, MAX_HILL])
def test_hill_extremes_draw_positive_finite_curves(hill):
    view = cooperativity_view(hill)
    for value in view.traces[CURVE]["y"]:
        assert value is not None and value > 0
    for value in view.traces[SLOPE]["y"]:
        assert value is not None and math.isfinite(value)


def test_hill_coefficient_outside_the_slider_is_refused():
    with pytest.raises(ValueError, match="hill_coefficient"):
        cooperativity_explorer(hill_coefficient=9)
