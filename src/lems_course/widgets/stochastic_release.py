"""Stochastic release simulator (lesson 02): quanta per impulse, impulse after impulse.

Each impulse releases a whole number of quanta (F1.2-2): every docked vesicle fuses or
not with the release probability, so the count is binomial and its mean is the
quantal content (``physiology.release_events``). Lowering [Ca²⁺]o or removing
channels shifts the histogram toward zero and brings failures (F1.2-2, F2-1). The
draws are seeded: the same sample number gives the same histogram on every run.
"""

from __future__ import annotations

import ipywidgets
import numpy as np
import plotly.graph_objects as go

from lems_course import _checks, physiology
from lems_course import figures as fig
from lems_course.widgets._base import (
    CALCIUM_MAX_MM,
    CALCIUM_MIN_MM,
    CHANNEL_LOSS_MAX_PERCENT,
    Explorer,
    View,
    int_slider,
    junction_from_controls,
    slider,
)

MIN_IMPULSES = 50
MAX_IMPULSES = 1000
MAX_SEED = 2**32 - 1
#: Below this the quantal content is written "under 0.001" in the summary.
SMALLEST_QUANTA = 0.001

HISTOGRAM, SAMPLE_MEAN, MODEL_MEAN = range(3)


def release_view(channel_loss_percent: float = 0.0, calcium_mM: float = 2.0,
                 n_impulses: int = 200, seed: int = 0) -> View:
    """Histogram of quanta per impulse, the sample mean and the model's quantal
    content, for one state of the controls (pure)."""
    j = junction_from_controls(channel_loss_percent, calcium_mM)
    count = _checks.integer("n_impulses", n_impulses, MIN_IMPULSES, MAX_IMPULSES)
    events = physiology.release_events(j, count, seed=seed)
    impulses_per_value = np.bincount(events)
    mean = float(events.mean())
    expected = physiology.quantal_content(j)
    top = 1.1 * float(impulses_per_value.max())
    failures = int(impulses_per_value[0])

    expected_text = fig.number_text(expected, 3, smallest=SMALLEST_QUANTA)
    if failures == count:
        summary = (f"Over {count} impulses, not one released a quantum: the model's "
                   f"quantal content is {expected_text} (model).")
    else:
        summary = (f"Over {count} impulses, each released a whole number of quanta: "
                   f"from {int(events.min())} to {int(events.max())}, "
                   f"{fig.number_text(mean, 3)} on average; the model's quantal content "
                   f"is {expected_text} (model).")
        if failures:
            summary += (f" {failures} of {count} impulses released no quantum at all "
                        f"(failures).")
    return View(
        traces=[
            {"x": list(range(impulses_per_value.size)),
             "y": impulses_per_value.tolist()},
            {"x": fig.rounded([mean, mean]), "y": fig.rounded([0.0, top]),
             "name": f"Sample mean: {fig.number_text(mean, 3)}"},
            {"x": fig.rounded([expected, expected]), "y": fig.rounded([0.0, top]),
             "name": fig.model_label(f"Quantal content: {expected_text}")},
        ],
        layout={"xaxis": {"range": fig.rounded(
            [-0.5, max(impulses_per_value.size - 0.5, 1.25 * expected, 5.5)])}},
        summary=summary)


def release_figure() -> go.Figure:
    figure = go.Figure(layout=fig.base_layout(
        "Quanta released by each impulse (model)", "Quanta released per impulse",
        "Impulses", bargap=0.05, yaxis={"rangemode": "tozero"}))
    figure.add_trace(go.Bar(name="Impulses", marker={"color": fig.NEUTRAL},
                            showlegend=False,
                            hovertemplate="%{y} impulses released %{x} quanta"
                                          "<extra></extra>"))
    figure.add_trace(go.Scatter(mode="lines",
                                line={"color": fig.ACCENT, "dash": fig.SOLID, "width": 3},
                                hoverinfo="skip"))
    figure.add_trace(go.Scatter(mode="lines",
                                line={"color": fig.BLACK, "dash": fig.DASH, "width": 3},
                                hoverinfo="skip"))
    return figure


def release_simulator(n_impulses: int = 200, seed: int = 0,
                      channel_loss_percent: float = 0.0,
                      calcium_mM: float = 2.0) -> Explorer:
    """Repeat an impulse many times and count the quanta each one releases
    (binomial release, F1.2-2). "New sample" draws a fresh, still reproducible,
    sample by moving to the next sample number."""
    release_view(channel_loss_percent, calcium_mM, n_impulses, seed)  # checks arguments
    seed_box = ipywidgets.BoundedIntText(value=seed, min=0, max=MAX_SEED,
                                         description="Sample number",
                                         style={"description_width": "initial"},
                                         layout=ipywidgets.Layout(width="min(100%, 24rem)"))
    controls = {
        "channel_loss_percent": slider("Channels lost (%)", channel_loss_percent, 0.0,
                                       CHANNEL_LOSS_MAX_PERCENT, 5.0, readout_format=".0f"),
        "calcium_mM": slider("Extracellular Ca²⁺ (mM)", calcium_mM, CALCIUM_MIN_MM,
                             CALCIUM_MAX_MM, 0.1),
        "n_impulses": int_slider("Impulses", n_impulses, MIN_IMPULSES, MAX_IMPULSES, 50),
        "seed": seed_box,
    }
    button = ipywidgets.Button(description="New sample",
                               tooltip="Draw another sample of impulses")

    def next_sample(_button: ipywidgets.Button) -> None:
        seed_box.value = (seed_box.value + 1) % (MAX_SEED + 1)

    button.on_click(next_sample)
    explorer = Explorer("Stochastic release: quanta per impulse", controls,
                        release_figure(), release_view, extra=[button])
    explorer.new_sample_button = button
    return explorer
