"""Warm-up explorer (lesson 00): one slider, one bar, one line.

How many messenger packets (quanta) must the nerve release for the muscle fibre to
fire? Each quantum adds a small depolarisation (F1.2-1); the fibre fires when their
sum, the end-plate potential, reaches threshold (F1.3-3). The threshold and the
numbers are the model's, illustrative (F1.3-2).
"""

from __future__ import annotations

import plotly.graph_objects as go

from lems_course import _checks, physiology
from lems_course import figures as fig
from lems_course.widgets._base import Explorer, View, int_slider

MIN_QUANTA = 1
MAX_QUANTA = 150

BAR = 0


def _epp_mV(quanta: int) -> float:
    return physiology.epp_from_quanta_mV(physiology.healthy(), quanta)


def warm_up_view(quanta: int = 10) -> View:
    """Figure data and summary for ``quanta`` packets released (pure)."""
    count = _checks.integer("quanta", quanta, MIN_QUANTA, MAX_QUANTA)
    j = physiology.healthy()
    epp = _epp_mV(count)
    fires = epp >= j.threshold_mV
    colour = fig.HEALTHY if fires else fig.NEUTRAL
    packets = "packet gives" if count == 1 else "packets give"
    outcome = ("reaches the threshold, so the muscle fibre fires" if fires
               else "stays below the threshold, so the muscle fibre does not fire")
    summary = (f"{count} {packets} a signal of {fig.number_text(epp)} mV (model); "
               f"it {outcome} (threshold {fig.number_text(j.threshold_mV)} mV, "
               f"illustrative).")
    return View(traces=[{"y": fig.rounded([epp]), "text": [f"{fig.number_text(epp)} mV"],
                         "marker": {"color": colour}}],
                summary=summary)


def warm_up_figure() -> go.Figure:
    j = physiology.healthy()
    top_mV = 1.1 * _epp_mV(MAX_QUANTA)
    figure = go.Figure(
        go.Bar(x=["Signal at the muscle"], textposition="outside", width=[0.5],
               name=fig.model_label("End-plate potential"),
               hovertemplate="%{y:.2g} mV<extra></extra>"),
        layout=fig.base_layout("Is the signal big enough? (model)", "",
                               "Signal at the muscle (mV)", showlegend=False,
                               xaxis={"type": "category"},
                               yaxis={"range": fig.rounded([0, top_mV])},
                               margin={"r": 150}))
    figure.add_hline(y=j.threshold_mV,
                     line={"color": fig.THRESHOLD, "dash": fig.THRESHOLD_DASH, "width": 3})
    # Right of the plot, where the growing bar never reaches it (issue 13).
    figure.add_annotation(x=1.0, xref="x domain", y=j.threshold_mV, xanchor="left",
                          xshift=4, align="left", showarrow=False,
                          text="threshold: the fibre<br>fires above this line",
                          font={"size": fig.FONT_SIZE - 2})
    return figure


def warm_up_explorer(quanta: int = 10) -> Explorer:
    """A one-slider demo: messenger packets (quanta) released → signal vs threshold."""
    _checks.integer("quanta", quanta, MIN_QUANTA, MAX_QUANTA)
    controls = {"quanta": int_slider("Messenger packets (quanta) released", quanta,
                                     MIN_QUANTA, MAX_QUANTA)}
    return Explorer("How many messenger packets does the muscle need?", controls,
                    warm_up_figure(), warm_up_view)
