"""Spike-width explorer (lesson 06): how 3,4-diaminopyridine helps a LEMS junction.

3,4-DAP blocks presynaptic K⁺ channels, so the action potential lasts longer (F6-2).
In the model, Ca²⁺ entry grows in proportion to the width and release with about its
fourth power: that chain is *derived* (F6-3), not measured, and the widening a dose
gives is illustrative. Every number comes from ``lems_course.physiology`` and
``lems_course.electrodiagnosis``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lems_course import _checks, electrodiagnosis, physiology
from lems_course import figures as fig
from lems_course.widgets._base import (
    CHANNEL_LOSS_MAX_PERCENT,
    Explorer,
    View,
    junction_from_controls,
    slider,
)

#: The model's LEMS channel loss (%), rounded: 100 × 0.55 is 55.00000000000001, which
#: the slider in the browser snaps to 55, a change that redraws the figure and its
#: stored copy just after the lesson opens.
DEFAULT_CHANNEL_LOSS_PERCENT = round(100.0 * physiology.DEFAULT_LEMS_CHANNEL_LOSS, 6)

MIN_WIDTH = 1.0
MAX_WIDTH = physiology.MAX_SPIKE_WIDTH

WIDTH_GRID = np.round(np.arange(MIN_WIDTH, MAX_WIDTH + 0.05, 0.1), 10)

QUANTA_CURVE, QUANTA_POINT, CMAP_CURVE, CMAP_POINT = range(4)

SUBPLOT_TITLES = ("Release", "Muscle response at rest")
TITLE = "3,4-DAP widens the presynaptic spike (model)"
#: The x axis starts this far left of normal width, so a label left of the point at
#: normal width stays inside the panel (off the y axis) on a narrow screen; ticks are
#: only drawn from normal width up.
X_MIN = 0.2
X_TICKS = (1.0, 1.5, 2.0, 2.5, 3.0)
#: Figure heights (px): the two panels side by side, or stacked on a narrow screen.
HEIGHT_PX = fig.FIGURE_HEIGHT_PX
ONE_COLUMN_HEIGHT_PX = 780


def _label_side(spike_width: float) -> str:
    """Where the point's label goes: on the side away from the "usual dose" line and
    away from the curve (it rises to the right, so above-left or below-right is free),
    inside the panel at either end."""
    if spike_width < physiology.DEFAULT_AMIFAMPRIDINE_WIDENING:
        return "top left"
    return "top left" if spike_width > 0.75 * MAX_WIDTH else "bottom right"


def _junction(spike_width: float, channel_loss_percent: float) -> physiology.Junction:
    width = _checks.number("spike_width", spike_width, MIN_WIDTH, MAX_WIDTH)
    lems = junction_from_controls(channel_loss_percent, physiology.NORMAL_CALCIUM_MM)
    return physiology.with_amifampridine(lems, widening=width)


def _quantal_percent(j: physiology.Junction) -> float:
    healthy = physiology.healthy()
    return 100.0 * physiology.quantal_content(j) / physiology.quantal_content(healthy)


@lru_cache(maxsize=128)
def _curves(channel_loss_percent: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Quantal content (% of healthy) and resting CMAP (mV) across spike widths;
    cached because they change only with the channel loss, not with the width."""
    junctions = [_junction(width, channel_loss_percent) for width in WIDTH_GRID]
    return (tuple(_quantal_percent(j) for j in junctions),
            tuple(electrodiagnosis.resting_cmap_mV(j) for j in junctions))


def spike_width_view(spike_width: float = 1.0,
                     channel_loss_percent: float = DEFAULT_CHANNEL_LOSS_PERCENT) -> View:
    """Figure data and summary for one state of the controls (pure)."""
    j = _junction(spike_width, channel_loss_percent)
    untreated = _junction(MIN_WIDTH, channel_loss_percent)
    quanta_curve, cmap_curve = _curves(float(channel_loss_percent))
    quanta = _quantal_percent(j)
    cmap = electrodiagnosis.resting_cmap_mV(j)
    healthy_cmap = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    width = float(spike_width)

    lead = (f"On a junction with {channel_loss_percent:g} % of channels lost"
            if channel_loss_percent else "On a healthy junction")
    if width == MIN_WIDTH:
        summary = (f"{lead}, at normal spike width quantal content is "
                   f"{fig.percent_text(quanta)} of healthy and the resting CMAP "
                   f"{fig.number_text(cmap)} mV (model; healthy "
                   f"{fig.number_text(healthy_cmap)} mV). Widen the spike to see what "
                   f"3,4-DAP does.")
    else:
        summary = (f"{lead}, a presynaptic spike {width:.1f} × as wide changes quantal "
                   f"content from {fig.percent_text(_quantal_percent(untreated))} to "
                   f"{fig.percent_text(quanta)} of healthy and the resting CMAP from "
                   f"{fig.number_text(electrodiagnosis.resting_cmap_mV(untreated))} to "
                   f"{fig.number_text(cmap)} mV (model; healthy "
                   f"{fig.number_text(healthy_cmap)} mV). The chain from wider spike to "
                   f"more release is derived, not measured. A dose widens the spike only "
                   f"for a few hours: its level in the blood peaks 20–60 min after it is "
                   f"taken and halves every 1.8–2.5 h (F13-6).")
    return View(
        traces=[
            {"y": fig.rounded(quanta_curve)},
            {"x": fig.rounded([width]), "y": fig.rounded([quanta]),
             "text": [fig.percent_text(quanta)], "textposition": _label_side(width)},
            {"y": fig.rounded(cmap_curve)},
            {"x": fig.rounded([width]), "y": fig.rounded([cmap]),
             "text": [f"{fig.number_text(cmap)} mV"], "textposition": _label_side(width)},
        ],
        # Room above the healthy line for the two-line "usual dose" label.
        layout={"yaxis": {"range": fig.rounded([0, max(125.0, 1.2 * max(quanta_curve))])}},
        summary=summary)


def spike_width_figure() -> go.Figure:
    healthy_cmap = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.14,
                           subplot_titles=SUBPLOT_TITLES)
    # On a narrow screen the panels stack (issue 13: side by side, the title and the
    # axis titles were cut off).
    one_column = make_subplots(rows=2, cols=1, vertical_spacing=0.24,
                               subplot_titles=SUBPLOT_TITLES)
    grid = fig.rounded(WIDTH_GRID)
    point = {"size": 14, "symbol": "diamond", "color": fig.TREATED}
    figure.add_trace(go.Scatter(x=grid, mode="lines", name=fig.model_label("Quantal content"),
                                line={"color": fig.TREATED, "dash": fig.TREATED_DASH,
                                      "width": 3},
                                hovertemplate="%{x:.1f}×: %{y:.3g} % of healthy"
                                              "<extra></extra>"), row=1, col=1)
    figure.add_trace(go.Scatter(mode="markers+text", marker=point, textposition="top left",
                                cliponaxis=False, name="This spike width",
                                hoverinfo="skip"), row=1, col=1)
    figure.add_trace(go.Scatter(x=grid, mode="lines", name=fig.model_label("Resting CMAP"),
                                line={"color": fig.TREATED, "dash": fig.TREATED_DASH,
                                      "width": 3},
                                hovertemplate="%{x:.1f}×: %{y:.3g} mV<extra></extra>"),
                     row=1, col=2)
    figure.add_trace(go.Scatter(mode="markers+text", marker=point, textposition="top left",
                                cliponaxis=False, name="This spike width",
                                hoverinfo="skip"), row=1, col=2)
    figure.update_layout(**fig.base_layout(
        TITLE, "Presynaptic spike width (× normal)", "Quantal content (% of healthy, model)",
        height=HEIGHT_PX, showlegend=False))
    figure.update_layout(fig.one_column_layout(
        one_column, ONE_COLUMN_HEIGHT_PX, titles=len(SUBPLOT_TITLES),
        title={"text": "3,4-DAP widens the<br>presynaptic spike (model)"},
        margin={"l": 64, "r": 16, "t": 110},
        yaxis={"title": {"text": "Quantal content<br>(% of healthy, model)"}},
        yaxis2={"title": {"text": "Resting CMAP<br>(mV, model)"}}))
    figure.update_xaxes(range=[X_MIN, MAX_WIDTH + 0.1], tickvals=list(X_TICKS))
    figure.update_xaxes(title_text="Presynaptic spike width (× normal)", row=1, col=2)
    figure.update_yaxes(title_text="Resting CMAP (mV, model)",
                        range=fig.rounded([0, 1.15 * healthy_cmap]), row=1, col=2)
    reference = {"color": fig.HEALTHY, "dash": fig.HEALTHY_DASH, "width": 2}
    # "healthy" at the left end of its line: at the widest spike the point reaches the
    # line at the right end.
    figure.add_hline(y=100, line=reference, annotation_text="healthy",
                     annotation_position="bottom left", row=1, col=1)
    figure.add_hline(y=healthy_cmap, line=reference, annotation_text="healthy",
                     annotation_position="bottom left", row=1, col=2)
    # The widening the "3,4-DAP" checkbox of the channel-loss explorer applies
    # (illustrative: the direction is sourced, F6-2, the size is not).
    for column in (1, 2):
        figure.add_vline(x=physiology.DEFAULT_AMIFAMPRIDINE_WIDENING,
                         line={"color": fig.NEUTRAL, "dash": fig.DOT, "width": 2},
                         annotation_text="peak of a usual<br>dose (model)" if column == 1 else "",
                         annotation_position="top right", row=1, col=column)
    return figure


def spike_width_explorer(spike_width: float = 1.0,
                         channel_loss_percent: float = DEFAULT_CHANNEL_LOSS_PERCENT) -> Explorer:
    """Widen the presynaptic spike of a LEMS junction, as 3,4-DAP does (F6-2; chain
    derived, F6-3), and watch quantal content and the resting CMAP (F6-4c, F6-6c)."""
    _junction(spike_width, channel_loss_percent)
    controls = {
        "spike_width": slider("Presynaptic spike width (× normal)", spike_width, MIN_WIDTH,
                              MAX_WIDTH, 0.1),
        "channel_loss_percent": slider("Channels lost (%)", channel_loss_percent, 0.0,
                                       CHANNEL_LOSS_MAX_PERCENT, 5.0, readout_format=".0f"),
    }
    return Explorer("3,4-DAP and the presynaptic spike", controls, spike_width_figure(),
                    spike_width_view)
