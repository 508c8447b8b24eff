"""The safety-factor explorer: EPP and safety factor from the model (F1.3-3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lems_course import physiology
from lems_course.figures import number_text
from lems_course.widgets import safety_factor_explorer
from lems_course.widgets.safety_factor import (
    BAR,
    MAX_QUANTA,
    MAX_QUANTAL_SIZE_MV,
    MIN_QUANTA,
    MIN_QUANTAL_SIZE_MV,
    POINT,
    safety_factor_view,
)


def _epp(quanta: int, size_mV: float) -> float:
    return physiology.epp_from_quanta_mV(
        replace(physiology.healthy(), quantal_size_mV=size_mV), quanta)


@pytest.fixture(scope="module")
def explorer():
    return safety_factor_explorer()


def test_default_is_the_models_healthy_quantal_content(explorer):
    expected = round(physiology.quantal_content(physiology.healthy()))
    assert explorer.controls["quanta"].value == expected


def test_bar_and_point_show_the_models_epp(explorer):
    explorer.controls["quanta"].value = 40
    explorer.controls["quantal_size_mV"].value = 0.3
    expected = _epp(40, 0.3)
    assert explorer.figure.data[BAR].y[0] == pytest.approx(expected, rel=1e-3)
    assert explorer.figure.data[POINT].x == (40,)
    assert explorer.figure.data[POINT].y[0] == pytest.approx(expected, rel=1e-3)


def test_summary_gives_the_safety_factor_as_epp_over_threshold(explorer):
    explorer.controls["quanta"].value = 60
    explorer.controls["quantal_size_mV"].value = 0.4
    j = physiology.healthy()
    factor = _epp(60, 0.4) / j.threshold_mV
    assert f"safety factor of {number_text(factor)}" in explorer.summary_text


def test_healthy_junction_has_a_safety_factor_above_one():
    # F1.3-3: normal transmission has a margin; the size of it is the model's
    j = physiology.healthy()
    view = safety_factor_view(round(physiology.quantal_content(j)), j.quantal_size_mV)
    assert "so the fibre fires" in view.summary


def test_smaller_mepps_need_more_quanta_to_fire():
    # the myasthenia side of the story (F3-17): same quanta, smaller MEPP, lower EPP
    assert "does not fire" in safety_factor_view(40, MIN_QUANTAL_SIZE_MV).summary


@pytest.mark.parametrize("quanta, size", [
    (MIN_QUANTA, MIN_QUANTAL_SIZE_MV), (MAX_QUANTA, MAX_QUANTAL_SIZE_MV),
    (MIN_QUANTA, MAX_QUANTAL_SIZE_MV), (MAX_QUANTA, MIN_QUANTAL_SIZE_MV),
])
def test_slider_extremes_draw_finite_positive_values(quanta, size):
    view = safety_factor_view(quanta, size)
    assert all(value > 0 for trace in view.traces for value in trace["y"])


def test_quantal_size_outside_the_slider_is_refused():
    with pytest.raises(ValueError, match="quantal_size_mV"):
        safety_factor_explorer(quantal_size_mV=2.0)
