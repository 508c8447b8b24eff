"""Safety-factor explorer (lesson 01): end-plate potential against threshold.

The EPP is about quanta × quantal size (F1.2-1, F1.2-2), bent a little below m·q as
the end-plate nears its reversal potential (F1.1-3). The safety factor is the EPP
divided by the depolarisation needed to fire (F1.3-3). The threshold is illustrative:
the human value is UNCONFIRMED (F1.3-2, F1.3-5).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lems_course import _checks, physiology
from lems_course import figures as fig
from lems_course.widgets._base import Explorer, View, int_slider, slider

MIN_QUANTA = 1
MAX_QUANTA = 200
MIN_QUANTAL_SIZE_MV = 0.05
MAX_QUANTAL_SIZE_MV = 0.6

QUANTA_GRID = np.arange(MIN_QUANTA, MAX_QUANTA + 1)

BAR, CURVE, POINT = range(3)


def _junction(quantal_size_mV: float) -> physiology.Junction:
    size = _checks.number("quantal_size_mV", quantal_size_mV, MIN_QUANTAL_SIZE_MV,
                          MAX_QUANTAL_SIZE_MV, unit="mV")
    return replace(physiology.healthy(), quantal_size_mV=size)


def safety_factor_of(quanta: float, quantal_size_mV: float) -> tuple[float, float]:
    """EPP (mV) and safety factor for ``quanta`` quanta of ``quantal_size_mV`` each.

    The safety factor is EPP / threshold (F1.3-3) with the model's illustrative
    threshold (F1.3-2)."""
    j = _junction(quantal_size_mV)
    epp = physiology.epp_from_quanta_mV(j, quanta)
    return epp, epp / j.threshold_mV


def safety_factor_view(quanta: int = 100, quantal_size_mV: float = 0.4) -> View:
    """Figure data and summary for one state of the controls (pure)."""
    count = _checks.integer("quanta", quanta, MIN_QUANTA, MAX_QUANTA)
    j = _junction(quantal_size_mV)
    epp, factor = safety_factor_of(count, quantal_size_mV)
    fires = factor >= 1
    colour = fig.HEALTHY if fires else fig.LEMS
    curve = physiology.epp_from_quanta_mV(j, QUANTA_GRID)
    outcome = "so the fibre fires" if fires else "so the fibre does not fire"
    summary = (f"{count} quanta of {quantal_size_mV:.2f} mV give an end-plate potential "
               f"of {fig.number_text(epp)} mV (model) against a threshold of "
               f"{fig.number_text(j.threshold_mV)} mV (illustrative): a safety factor of "
               f"{fig.number_text(factor)}, {outcome}.")
    return View(
        traces=[
            {"y": fig.rounded([epp]), "text": [f"{fig.number_text(epp)} mV"],
             "marker": {"color": colour}},
            {"y": fig.rounded(curve)},
            {"x": [count], "y": fig.rounded([epp]), "marker": {"color": colour}},
        ],
        # The safety factor in the curve panel's top-left corner, which the line
        # (through the origin) never reaches; beside the point it crossed the line.
        layout={"annotations": [*_fixed_annotations(), {
            "x": 0.03, "xref": "x2 domain", "y": 0.97, "yref": "y2 domain",
            "xanchor": "left", "yanchor": "top", "showarrow": False,
            "text": f"safety factor {fig.number_text(factor)}",
            "font": {"color": colour}}]},
        summary=summary)


@lru_cache(maxsize=1)
def _fixed_annotations() -> tuple[dict, ...]:
    """The figure's own annotations (subplot titles, threshold label), which a view's
    annotation list must repeat because it replaces the figure's."""
    return tuple(note.to_plotly_json() for note in safety_factor_figure().layout.annotations)


SUBPLOT_TITLES = ("This impulse", "EPP for any number of quanta")


def safety_factor_figure() -> go.Figure:
    j = physiology.healthy()
    top_mV = 1.1 * physiology.epp_from_quanta_mV(
        replace(j, quantal_size_mV=MAX_QUANTAL_SIZE_MV), MAX_QUANTA)
    figure = make_subplots(rows=1, cols=2, column_widths=[0.3, 0.7], shared_yaxes=True,
                           horizontal_spacing=0.06,
                           subplot_titles=SUBPLOT_TITLES)
    figure.add_trace(go.Bar(x=["End-plate potential"], width=[0.5], textposition="outside",
                            cliponaxis=False, name=fig.model_label("EPP"),
                            hovertemplate="EPP %{y:.3g} mV<extra></extra>"), row=1, col=1)
    figure.add_trace(go.Scatter(x=fig.rounded(QUANTA_GRID), mode="lines",
                                name=fig.model_label("EPP for this MEPP size"),
                                line={"color": fig.HEALTHY, "dash": fig.SOLID, "width": 3},
                                hovertemplate="%{x} quanta: %{y:.3g} mV<extra></extra>"),
                     row=1, col=2)
    figure.add_trace(go.Scatter(mode="markers", cliponaxis=False,
                                marker={"size": 14, "symbol": "diamond"},
                                name="This impulse",
                                hovertemplate="%{x} quanta: %{y:.3g} mV<extra></extra>"),
                     row=1, col=2)
    one_column = make_subplots(rows=2, cols=1, row_heights=[0.4, 0.6],
                               vertical_spacing=0.2, subplot_titles=SUBPLOT_TITLES)
    figure.update_layout(**fig.base_layout(
        "End-plate potential against threshold (model)", "",
        "End-plate potential (mV)", showlegend=False,
        xaxis={"type": "category"}, yaxis={"range": fig.rounded([0, top_mV])},
        margin={"r": 100}))
    # On a narrow screen the two panels stack, and the title takes two lines.
    figure.update_layout(fig.one_column_layout(
        one_column, 760, titles=len(SUBPLOT_TITLES),
        title={"text": "End-plate potential against<br>threshold (model)"},
        yaxis2={"title": {"text": "End-plate potential (mV)"}, "showticklabels": True}))
    figure.update_xaxes(title_text="Quanta released per impulse", range=[0, MAX_QUANTA + 5],
                        row=1, col=2)
    for column in (1, 2):
        figure.add_hline(y=j.threshold_mV,
                         line={"color": fig.THRESHOLD, "dash": fig.THRESHOLD_DASH,
                               "width": 3},
                         row=1, col=column)
    # Right of the curve panel, where neither the curve nor the point reach it.
    figure.add_annotation(x=1.0, xref="x2 domain", y=j.threshold_mV, yref="y2",
                          xanchor="left", xshift=4, align="left", showarrow=False,
                          text="threshold<br>(illustrative)", font={"size": fig.FONT_SIZE - 2})
    return figure


def safety_factor_explorer(quantal_content: int | None = None,
                           quantal_size_mV: float = 0.4) -> Explorer:
    """Change the number of quanta and the MEPP size; watch the EPP against threshold
    and the safety factor (F1.3-3). ``quantal_content`` defaults to the model's healthy
    value, rounded."""
    if quantal_content is None:
        quantal_content = round(physiology.quantal_content(physiology.healthy()))
    count = _checks.integer("quantal_content", quantal_content, MIN_QUANTA, MAX_QUANTA)
    _junction(quantal_size_mV)
    controls = {
        "quanta": int_slider("Quanta released per impulse", count, MIN_QUANTA, MAX_QUANTA),
        "quantal_size_mV": slider("MEPP size (mV)", quantal_size_mV, MIN_QUANTAL_SIZE_MV,
                                  MAX_QUANTAL_SIZE_MV, 0.01, readout_format=".2f"),
    }
    return Explorer("Safety factor: is the end-plate potential big enough?", controls,
                    safety_factor_figure(), safety_factor_view)
