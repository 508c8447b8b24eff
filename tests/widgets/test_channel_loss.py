"""The channel-loss explorer shows the model's own numbers, at every slider position."""

from __future__ import annotations

import math

import pytest

from lems_course import electrodiagnosis, physiology
from lems_course.figures import percent_text
from lems_course.widgets import channel_loss_explorer
from lems_course.widgets.channel_loss import (
    BARS,
    CHAIN_LABELS,
    FIRING_POINT,
    MG_POINT,
    THIS_POINT,
    channel_loss_view,
)

QUANTAL = CHAIN_LABELS.index("Quantal content")
EPP = CHAIN_LABELS.index("End-plate potential")


def _relative_quantal_percent(j: physiology.Junction) -> float:
    return 100 * physiology.quantal_content(j) / physiology.quantal_content(physiology.healthy())


@pytest.fixture(scope="module")
def explorer():
    return channel_loss_explorer()


def test_half_the_channels_lost_shows_the_models_quantal_content(explorer):
    explorer.controls["channel_loss_percent"].value = 50
    expected = _relative_quantal_percent(physiology.lems(0.5))
    assert explorer.figure.data[BARS].y[QUANTAL] == pytest.approx(expected, rel=1e-3)
    assert f"release to {percent_text(expected)}" in explorer.summary_text
    assert "50 % of channels lost" in explorer.summary_text


def test_release_falls_more_steeply_than_the_channels(explorer):
    # F7-11 (derived) / model.md H12: 50 % loss leaves well under 50 % of release
    explorer.controls["channel_loss_percent"].value = 50
    entry, _, release, _ = explorer.figure.data[BARS].y
    assert entry == pytest.approx(50, rel=1e-3)
    assert release < entry


def test_healthy_junction_has_every_bar_at_one_hundred_percent(explorer):
    explorer.controls["channel_loss_percent"].value = 0
    explorer.controls["calcium_mM"].value = 2.0
    explorer.controls["amifampridine"].value = False
    assert list(explorer.figure.data[BARS].y) == pytest.approx([100] * 4)
    assert explorer.summary_text.startswith("With no channels lost")


def test_fibres_firing_point_is_the_models_resting_cmap(explorer):
    explorer.controls["channel_loss_percent"].value = 55
    j = physiology.lems(0.55)
    cmap_percent = 100 * electrodiagnosis.resting_cmap_mV(j) / electrodiagnosis.HEALTHY_CMAP_MV
    assert explorer.figure.data[FIRING_POINT].x == (55,)
    assert explorer.figure.data[FIRING_POINT].y[0] == pytest.approx(cmap_percent, abs=0.01)


def test_lems_point_keeps_a_normal_mepp_and_mg_point_a_small_one(explorer):
    # F3-13…F3-15 (LEMS: postsynaptic response normal), F3-17, F3-18 (MG: small MEPPs)
    explorer.controls["channel_loss_percent"].value = 60
    healthy_mepp = physiology.mepp_mV(physiology.healthy())
    assert explorer.figure.data[THIS_POINT].y[0] == pytest.approx(healthy_mepp, rel=1e-3)
    assert explorer.figure.data[MG_POINT].y[0] < healthy_mepp


def test_amifampridine_raises_release_and_says_so(explorer):
    # F6-2 (wider spike), H11
    explorer.controls["channel_loss_percent"].value = 60
    explorer.controls["amifampridine"].value = False
    before = explorer.figure.data[BARS].y[QUANTAL]
    explorer.controls["amifampridine"].value = True
    expected = _relative_quantal_percent(physiology.with_amifampridine(physiology.lems(0.6)))
    assert explorer.figure.data[BARS].y[QUANTAL] == pytest.approx(expected, rel=1e-3)
    assert expected > before
    assert "on 3,4-DAP" in explorer.summary_text
    explorer.controls["amifampridine"].value = False


def test_summary_gives_the_models_epp_and_threshold():
    view = channel_loss_view(60, 2.0, False)
    j = physiology.lems(0.6)
    assert f"{physiology.epp_mV(j):.2g} mV" in view.summary or \
        f"{physiology.epp_mV(j):.1f} mV" in view.summary
    assert f"threshold of {j.threshold_mV:.2g} mV (illustrative)" in view.summary


@pytest.mark.parametrize("loss, calcium, drug", [
    (0, 0.2, False), (95, 0.2, False), (95, 4.0, True), (0, 4.0, True), (95, 2.0, False),
])
def test_slider_extremes_draw_finite_numbers(loss, calcium, drug):
    view = channel_loss_view(loss, calcium, drug)
    for trace in view.traces:
        for key in ("x", "y"):
            for value in trace.get(key, []):
                assert value is not None and math.isfinite(value)
    assert all(bar >= 0 for bar in view.traces[BARS]["y"])
    assert "nan" not in view.summary.lower()


def test_bad_channel_loss_is_refused_with_its_range():
    with pytest.raises(ValueError, match="channel_loss_percent"):
        channel_loss_explorer(channel_loss_percent=120)


# --- Figures that fit (issue 13) -------------------------------------------------------

def _this_point_label_side(loss_percent: float) -> str:
    return channel_loss_view(channel_loss_percent=loss_percent).traces[THIS_POINT]["textposition"]


def test_this_junction_label_stays_off_the_y_axis_at_high_loss():
    # At high loss the point sits on the y axis (few quanta): its label goes right.
    assert _this_point_label_side(95) == "bottom right"
    # Near the healthy point (right of the panel) it goes left, inside the panel.
    assert _this_point_label_side(0) == "bottom left"


def test_figure_carries_a_one_column_layout_for_narrow_screens():
    from lems_course.figures import NARROW_BELOW_PX
    from lems_course.widgets.channel_loss import channel_loss_figure

    figure = channel_loss_figure()
    narrow = figure.layout.meta["lemsNarrow"]
    assert narrow["belowPx"] == NARROW_BELOW_PX
    layout = narrow["layout"]
    # Three panels, one above the other, each as wide as the figure.
    for axis in ("xaxis", "xaxis2", "xaxis3"):
        assert layout[axis]["domain"] == [0.0, 1.0]
    tops = [layout[axis]["domain"][1] for axis in ("yaxis", "yaxis2", "yaxis3")]
    bottoms = [layout[axis]["domain"][0] for axis in ("yaxis", "yaxis2", "yaxis3")]
    assert tops[0] > bottoms[0] > tops[1] > bottoms[1] > tops[2] > bottoms[2]
    # The subplot titles move with their panels.
    assert [layout["annotations"][str(i)]["y"] for i in range(3)] == tops
    assert layout["height"] > figure.layout.height


def test_bar_labels_fit_in_two_lines_but_the_data_keeps_the_step_names():
    from lems_course.widgets.channel_loss import channel_loss_figure

    xaxis = channel_loss_figure().layout.xaxis
    assert list(xaxis.tickvals) == list(CHAIN_LABELS)
    assert all("<br>" in text for text in xaxis.ticktext)
    assert channel_loss_explorer().figure.data[BARS].x == CHAIN_LABELS
