"""The spike-width explorer: 3,4-DAP's wider spike raises release (F6-2, F6-3 derived)."""

from __future__ import annotations

import math

import pytest

from lems_course import electrodiagnosis, physiology
from lems_course.figures import percent_text
from lems_course.widgets import spike_width_explorer
from lems_course.widgets.spike_width import (
    CMAP_CURVE,
    CMAP_POINT,
    QUANTA_CURVE,
    QUANTA_POINT,
    spike_width_view,
)


def _quantal_percent(j: physiology.Junction) -> float:
    return 100 * physiology.quantal_content(j) / physiology.quantal_content(physiology.healthy())


@pytest.fixture(scope="module")
def explorer():
    return spike_width_explorer()


def test_default_junction_is_the_models_default_lems(explorer):
    loss = explorer.controls["channel_loss_percent"].value
    assert loss == pytest.approx(100 * physiology.DEFAULT_LEMS_CHANNEL_LOSS)
    expected = _quantal_percent(physiology.lems())
    assert explorer.figure.data[QUANTA_POINT].y[0] == pytest.approx(expected, rel=1e-3)


def test_wider_spike_shows_the_models_quantal_content_and_cmap(explorer):
    explorer.controls["spike_width"].value = 1.5
    j = physiology.with_amifampridine(physiology.lems(), widening=1.5)
    assert explorer.figure.data[QUANTA_POINT].x == (1.5,)
    assert explorer.figure.data[QUANTA_POINT].y[0] == pytest.approx(_quantal_percent(j),
                                                                     rel=1e-3)
    assert explorer.figure.data[CMAP_POINT].y[0] == pytest.approx(
        electrodiagnosis.resting_cmap_mV(j), abs=0.01)
    assert f"to {percent_text(_quantal_percent(j))} of healthy" in explorer.summary_text


def test_widening_raises_release_of_a_lems_junction(explorer):
    # F6-4c, model.md H11: 3,4-DAP raises quantal content
    explorer.controls["channel_loss_percent"].value = 60
    curve = explorer.figure.data[QUANTA_CURVE].y
    assert curve[-1] > curve[0]
    assert list(curve) == sorted(curve)


def test_summary_says_the_chain_is_derived(explorer):
    explorer.controls["spike_width"].value = 2.0
    assert "derived" in explorer.summary_text
    assert "(model" in explorer.summary_text


@pytest.mark.parametrize("width, loss", [(1.0, 0), (3.0, 95), (1.0, 95), (3.0, 0)])
def test_slider_extremes_draw_finite_values(width, loss):
    view = spike_width_view(width, loss)
    for index in (QUANTA_CURVE, QUANTA_POINT, CMAP_CURVE, CMAP_POINT):
        for value in view.traces[index]["y"]:
            assert value is not None and math.isfinite(value) and value >= 0


def test_spike_narrower_than_normal_is_refused():
    with pytest.raises(ValueError, match="spike_width"):
        spike_width_explorer(spike_width=0.5)


def test_summary_says_a_dose_acts_for_hours():
    # F13-6: plasma peak 20–60 min, half-life 1.8–2.5 h.
    summary = spike_width_view(spike_width=1.12).summary
    assert "F13-6" in summary and "hours" in summary


def test_default_channel_loss_is_a_value_the_slider_keeps(explorer):
    # 100 × 0.55 is 55.00000000000001; the browser's slider (step 5) snapped it to 55,
    # which redrew the figure just after the lesson opened.
    slider = explorer.controls["channel_loss_percent"]
    assert slider.value == round(slider.value / slider.step) * slider.step


def test_point_labels_avoid_the_dose_line_and_the_y_axis():
    from lems_course.widgets.spike_width import MAX_WIDTH, MIN_WIDTH

    dose = physiology.DEFAULT_AMIFAMPRIDINE_WIDENING
    sides = {width: spike_width_view(width).traces[QUANTA_POINT]["textposition"]
             for width in (MIN_WIDTH, dose, 2.0, MAX_WIDTH)}
    assert sides[MIN_WIDTH].endswith("left")  # left of the dose line, room on the axis
    assert sides[dose].endswith("right") and sides[2.0].endswith("right")
    assert sides[MAX_WIDTH].endswith("left")  # inside the panel at its right end
    for width, side in sides.items():
        assert spike_width_view(width).traces[CMAP_POINT]["textposition"] == side


def test_figure_carries_a_one_column_layout_for_narrow_screens(explorer):
    from lems_course.figures import NARROW_BELOW_PX

    narrow = explorer.figure.layout.meta["lemsNarrow"]
    assert narrow["belowPx"] == NARROW_BELOW_PX
    layout = narrow["layout"]
    assert layout["xaxis"]["domain"] == layout["xaxis2"]["domain"] == [0.0, 1.0]
    assert layout["yaxis"]["domain"][0] > layout["yaxis2"]["domain"][1]
    assert "<br>" in layout["title"]["text"]
    assert layout["height"] > explorer.figure.layout.height
