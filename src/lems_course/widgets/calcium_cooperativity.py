"""Calcium-cooperativity explorer (lesson 02): the Dodge–Rahamimoff log–log plot.

Release needs several Ca²⁺ ions bound at once, so on log–log axes release against
[Ca²⁺]o has a slope near the number of ions: 3.78 ± 0.2 at the frog junction (F2-1a,
Dodge & Rahamimoff 1967; about four ions, F2-1d). The slope falls as [Ca²⁺]o nears
normal, because the sensor saturates (F2-1c). The Hill coefficient here changes the
model's cooperativity; its default of 4 is the model's choice from F2-1a/F2-1d.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lems_course import _checks, physiology
from lems_course import figures as fig
from lems_course.widgets._base import Explorer, View, slider

MIN_HILL = 1.0
MAX_HILL = 6.0

#: [Ca²⁺]o range drawn (mM), log-spaced.
CALCIUM_GRID_MM = np.geomspace(0.1, 4.0, 61)

#: Dodge & Rahamimoff 1967, frog: log–log slope 3.78 ± 0.2 (SD, n = 28) (F2-1a).
PUBLISHED_SLOPE = 3.78
PUBLISHED_SLOPE_SD = 0.2
PUBLISHED_LABEL = "Dodge & Rahamimoff 1967: 3.78 ± 0.2 (frog)"

#: [Ca²⁺]o ranges (mM) for the two slopes quoted in the summary: the low range of
#: F2-1a (model.md H1) and a window around normal (F2-1c, H2).
LOW_RANGE_MM = (0.2, 0.5)
NORMAL_RANGE_MM = (1.8, 2.2)

#: The published slope line is drawn across this range (mM), through the model's curve.
REFERENCE_RANGE_MM = (0.1, 0.6)

CURVE, REFERENCE, SLOPE = range(3)


def _junction(hill_coefficient: float, calcium_mM: float) -> physiology.Junction:
    return replace(physiology.healthy(), hill_coefficient=hill_coefficient,
                   calcium_mM=calcium_mM)


def log_log_slope(hill_coefficient: float, low_mM: float, high_mM: float) -> float:
    """Slope of log(quantal content) against log([Ca²⁺]o) between two concentrations
    (the quantity measured in F2-1a), for the model with this Hill coefficient."""
    low = physiology.quantal_content(_junction(hill_coefficient, low_mM))
    high = physiology.quantal_content(_junction(hill_coefficient, high_mM))
    return math.log(high / low) / math.log(high_mM / low_mM)


@lru_cache(maxsize=128)
def _curves(hill_coefficient: float) -> tuple[np.ndarray, np.ndarray]:
    """Quantal content across [Ca²⁺]o and the local slope of its log–log curve (the
    derivative of log m against log [Ca²⁺]o), cached per Hill coefficient."""
    quanta = np.array([physiology.quantal_content(_junction(hill_coefficient, c))
                       for c in CALCIUM_GRID_MM])
    local_slope = np.gradient(np.log(quanta), np.log(CALCIUM_GRID_MM))
    quanta.setflags(write=False)
    local_slope.setflags(write=False)
    return quanta, local_slope


def cooperativity_view(hill_coefficient: float = 4.0) -> View:
    """Figure data and summary for one Hill coefficient (pure)."""
    n = _checks.number("hill_coefficient", hill_coefficient, MIN_HILL, MAX_HILL)
    quanta, local_slope = _curves(n)
    anchor_mM = math.sqrt(REFERENCE_RANGE_MM[0] * REFERENCE_RANGE_MM[1])
    anchor = physiology.quantal_content(_junction(n, anchor_mM))
    reference = [anchor * (c / anchor_mM) ** PUBLISHED_SLOPE for c in REFERENCE_RANGE_MM]
    low_slope = log_log_slope(n, *LOW_RANGE_MM)
    normal_slope = log_log_slope(n, *NORMAL_RANGE_MM)
    summary = (f"With a Hill coefficient of {n:.1f}, the model's log–log slope is "
               f"{low_slope:.2f} between {LOW_RANGE_MM[0]:g} and {LOW_RANGE_MM[1]:g} mM "
               f"and {normal_slope:.2f} near {physiology.NORMAL_CALCIUM_MM:g} mM (model); "
               f"Dodge and Rahamimoff measured {PUBLISHED_SLOPE} ± {PUBLISHED_SLOPE_SD} "
               f"at the frog junction at low Ca²⁺.")
    return View(
        traces=[
            {"y": fig.rounded(quanta),
             "name": fig.model_label(f"Quantal content,<br>Hill coefficient {n:.1f}")},
            {"y": fig.rounded(reference)},
            {"y": fig.rounded(local_slope)},
        ],
        summary=summary)


def cooperativity_figure() -> go.Figure:
    titles = ("Release against Ca²⁺ (log–log)", "Slope of the log–log curve")
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.16, subplot_titles=titles)
    # On a narrow screen the panels stack (issue 13: side by side, titles ran into
    # each other and out of the figure).
    one_column = make_subplots(rows=2, cols=1, vertical_spacing=0.2, subplot_titles=titles)
    grid = fig.rounded(CALCIUM_GRID_MM)
    figure.add_trace(go.Scatter(x=grid, mode="lines",
                                line={"color": fig.HEALTHY, "dash": fig.SOLID, "width": 3},
                                hovertemplate="%{x:.2g} mM: %{y:.3g} quanta<extra></extra>"),
                     row=1, col=1)
    figure.add_trace(go.Scatter(x=list(REFERENCE_RANGE_MM), mode="lines",
                                name=f"Published slope,<br>{PUBLISHED_LABEL}",
                                line={"color": fig.ACCENT, "dash": fig.REFERENCE_DASH,
                                      "width": 4},
                                hoverinfo="skip"), row=1, col=1)
    figure.add_trace(go.Scatter(x=grid, mode="lines", name=fig.model_label("Local slope"),
                                showlegend=False,
                                line={"color": fig.HEALTHY, "dash": fig.SOLID, "width": 3},
                                hovertemplate="%{x:.2g} mM: slope %{y:.2f}<extra></extra>"),
                     row=1, col=2)
    figure.update_layout(**fig.base_layout(
        "Cooperativity: how steeply release depends on Ca²⁺ (model)",
        "Extracellular Ca²⁺ (mM, log scale)", "Quantal content (quanta, model, log scale)",
        height=480, margin={"t": 130, "r": 100},
        legend={"y": 1.14}))
    figure.update_layout(fig.one_column_layout(
        one_column, 820, titles=len(titles),
        title={"text": "Cooperativity: how steeply<br>release depends on Ca²⁺ (model)"},
        margin={"t": 190}, legend={"y": 1.06, "font": {"size": fig.FONT_SIZE - 2}},
        annotations={"0": {"text": "Release against Ca²⁺<br>(log–log)"}}))
    log_range = fig.rounded([math.log10(CALCIUM_GRID_MM[0]), math.log10(CALCIUM_GRID_MM[-1])])
    figure.update_xaxes(type="log", range=log_range, row=1, col=1)
    figure.update_yaxes(type="log", row=1, col=1)
    figure.update_xaxes(type="log", range=log_range,
                        title_text="Extracellular Ca²⁺ (mM, log scale)", row=1, col=2)
    figure.update_yaxes(range=[0, MAX_HILL + 0.5], title_text="Log–log slope (model)",
                        row=1, col=2)
    figure.add_hrect(y0=PUBLISHED_SLOPE - PUBLISHED_SLOPE_SD,
                     y1=PUBLISHED_SLOPE + PUBLISHED_SLOPE_SD, fillcolor=fig.ACCENT,
                     opacity=0.3, line={"width": 0}, row=1, col=2)
    figure.add_hline(y=PUBLISHED_SLOPE, line={"color": fig.ACCENT, "dash": fig.REFERENCE_DASH,
                                              "width": 2},
                     row=1, col=2)
    # Right of the panel: inside it, the model's curve crosses the label.
    figure.add_annotation(x=1.0, xref="x2 domain", y=PUBLISHED_SLOPE, yref="y2",
                          xanchor="left", xshift=4, align="left", showarrow=False,
                          text="3.78 ± 0.2<br>(frog)", font={"size": fig.FONT_SIZE - 2})
    figure.add_vline(x=physiology.NORMAL_CALCIUM_MM,
                     line={"color": fig.NEUTRAL, "dash": fig.DOT, "width": 2},
                     annotation_text="normal", annotation_position="top left",
                     row=1, col=2)
    return figure


def cooperativity_explorer(hill_coefficient: float = 4.0) -> Explorer:
    """Change the model's cooperativity and compare its log–log slope with Dodge and
    Rahamimoff's 3.78 ± 0.2 (F2-1a) and its fall near normal Ca²⁺ (F2-1c)."""
    _checks.number("hill_coefficient", hill_coefficient, MIN_HILL, MAX_HILL)
    controls = {"hill_coefficient": slider("Ca²⁺ ions needed together (Hill coefficient)",
                                           hill_coefficient, MIN_HILL, MAX_HILL, 0.1)}
    return Explorer("Calcium cooperativity", controls, cooperativity_figure(),
                    cooperativity_view)
