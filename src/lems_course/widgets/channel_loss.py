"""Channel-loss explorer (lesson 03), the centre of the course.

Follow the causal chain as antibodies remove P/Q-type channels (F3-6, F3-7, F3-10):
fewer channels → less Ca²⁺ entry → a much lower release probability (about fourth
power, F2-1a, F2-1d) → fewer quanta → a smaller end-plate potential → fewer fibres
reach threshold. MEPP size stays normal in LEMS (F3-13…F3-15) and falls in myasthenia
gravis (F3-17, F3-18), where release is normal or raised (F14-4). Every number comes from
``lems_course.physiology`` and ``lems_course.electrodiagnosis``; the threshold is
illustrative (F1.3-2).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lems_course import electrodiagnosis, physiology
from lems_course import figures as fig
from lems_course.widgets._base import (
    CALCIUM_MAX_MM,
    CALCIUM_MIN_MM,
    CHANNEL_LOSS_MAX_PERCENT,
    Explorer,
    View,
    checkbox,
    junction_from_controls,
    slider,
)

#: The steps of the chain shown as bars, each with the model function that gives it.
CHAIN = (
    ("Ca²⁺ entry", physiology.calcium_entry),
    ("Release probability", physiology.release_probability),
    ("Quantal content", physiology.quantal_content),
    ("End-plate potential", physiology.epp_mV),
)
CHAIN_LABELS = tuple(label for label, _ in CHAIN)
#: The same labels on two lines, so four fit side by side on a narrow screen.
CHAIN_TICKS = ("Ca²⁺<br>entry", "Release<br>probability", "Quantal<br>content",
               "End-plate<br>potential")
SUBPLOT_TITLES = ("Each step of the chain (% of healthy)",
                  "Fibres that fire on one impulse", "LEMS vs myasthenia gravis")
#: Figure heights (px): two panels side by side below the bars, or one column.
HEIGHT_PX = 800
ONE_COLUMN_HEIGHT_PX = 1120

#: Channel losses at which the "fibres firing" curve is drawn.
LOSS_GRID_PERCENT = np.arange(0.0, CHANNEL_LOSS_MAX_PERCENT + 1.0, 5.0)

# Trace order in the figure.
BARS, FIRING_CURVE, FIRING_POINT, HEALTHY_POINT, THIS_POINT, MG_POINT = range(6)


def _junction_name(channel_loss_percent: float, amifampridine: bool) -> str:
    name = "healthy" if channel_loss_percent == 0 else "LEMS"
    return f"{name} + 3,4-DAP" if amifampridine else name


def _firing_percent(j: physiology.Junction) -> float:
    """Fibres whose EPP reaches threshold on a single rested impulse (the resting
    CMAP as a percentage of healthy, F1.3-6)."""
    quanta = physiology.quantal_content(j)
    return 100.0 * float(electrodiagnosis.fraction_firing(j, quanta)[0])


@lru_cache(maxsize=256)
def _firing_curve(calcium_mM: float, amifampridine: bool) -> tuple[float, ...]:
    """Fibres firing against channel loss; cached because it changes only with
    [Ca²⁺]o and the drug, not with the loss slider."""
    return tuple(_firing_percent(junction_from_controls(loss, calcium_mM, amifampridine))
                 for loss in LOSS_GRID_PERCENT)


def _beside(fraction_of_axis: float) -> str:
    """Where a point's label goes, from the point's place along its x axis (0-1)."""
    if fraction_of_axis < 0.35:
        return "bottom right"
    return "bottom left" if fraction_of_axis > 0.65 else "bottom center"


def channel_loss_view(channel_loss_percent: float = 0.0, calcium_mM: float = 2.0,
                      amifampridine: bool = False) -> View:
    """Figure data and summary for one state of the controls (pure)."""
    j = junction_from_controls(channel_loss_percent, calcium_mM, amifampridine)
    healthy = physiology.healthy()
    mg = physiology.myasthenia()
    loss = float(channel_loss_percent)
    drug = bool(amifampridine)

    relative = [100.0 * step(j) / step(healthy) for _, step in CHAIN]
    absolute = [
        f"{fig.number_text(physiology.calcium_entry(j))} × healthy entry",
        f"{fig.number_text(physiology.release_probability(j))} per docked vesicle",
        f"{fig.number_text(physiology.quantal_content(j))} quanta per impulse",
        f"{fig.number_text(physiology.epp_mV(j))} mV",
    ]
    firing = _firing_percent(j)
    curve = list(_firing_curve(float(calcium_mM), drug))
    colour = fig.TREATED if drug else fig.LEMS
    name = _junction_name(loss, drug)

    quanta = [physiology.quantal_content(x) for x in (healthy, j, mg)]
    mepps = [physiology.mepp_mV(x) for x in (healthy, j, mg)]

    traces = [
        {"y": fig.rounded(relative), "text": [fig.percent_text(v) for v in relative],
         "hovertext": absolute, "marker": {"color": colour},
         "name": fig.model_label(f"This junction, {name}")},
        {"y": fig.rounded(curve), "line": {"color": colour}},
        {"x": fig.rounded([loss]), "y": fig.rounded([firing]), "marker": {"color": colour},
         "text": [f"{fig.percent_text(firing)} fire"]},
        {"x": fig.rounded([quanta[0]]), "y": fig.rounded([mepps[0]])},
        {"x": fig.rounded([quanta[1]]), "y": fig.rounded([mepps[1]]),
         "marker": {"color": colour}, "text": [f"this junction<br>({name})"],
         # Right of the marker near the y axis (high loss), left of it near the
         # healthy point, so the label stays inside the panel and off the axes.
         "textposition": _beside(quanta[1] / (1.25 * max(quanta)))},
        {"x": fig.rounded([quanta[2]]), "y": fig.rounded([mepps[2]])},
    ]
    layout = {
        "yaxis": {"range": fig.rounded([0.0, max(115.0, 1.12 * max(relative))])},
        "xaxis3": {"range": fig.rounded([0.0, 1.25 * max(quanta)])},
    }
    return View(traces=traces, layout=layout,
                summary=channel_loss_summary(j, loss, drug, relative, firing))


def channel_loss_summary(j: physiology.Junction, channel_loss_percent: float,
                         amifampridine: bool, relative: list[float],
                         firing_percent: float) -> str:
    """The sentence read aloud after each change (numbers from the model)."""
    if channel_loss_percent == 0:
        lead = "With no channels lost"
    else:
        lead = f"With {channel_loss_percent:g} % of channels lost"
    conditions = []
    if j.calcium_mM != physiology.NORMAL_CALCIUM_MM:
        conditions.append(f"at {j.calcium_mM:g} mM extracellular Ca²⁺")
    if amifampridine:
        conditions.append("on 3,4-DAP")
    if conditions:
        lead += ", " + " and ".join(conditions)
    entry, _, release, _ = relative
    if firing_percent <= 0:
        firing = "no fibre fires"
    elif firing_percent >= 100:
        firing = "every fibre fires"
    else:
        firing = f"{fig.percent_text(firing_percent)} of fibres fire"
    release_text = fig.change_text(release).split(" ", 1)[1]  # "to 19 %"
    epp_text = fig.number_text(physiology.epp_mV(j), smallest=fig.SMALLEST_MV)
    return (f"{lead}, Ca²⁺ entry {fig.change_text(entry)} and release {release_text} "
            f"of normal (model); the end-plate potential is {epp_text} mV against a "
            f"firing threshold of {fig.number_text(j.threshold_mV)} mV (illustrative), "
            f"and {firing}.")


def channel_loss_figure() -> go.Figure:
    """The empty figure (traces in the order of ``channel_loss_view``)."""
    healthy = physiology.healthy()
    threshold_percent = 100.0 * healthy.threshold_mV / physiology.epp_mV(healthy)
    figure = make_subplots(
        rows=2, cols=2, specs=[[{"colspan": 2}, None], [{}, {}]],
        vertical_spacing=0.24, horizontal_spacing=0.16, subplot_titles=SUBPLOT_TITLES)
    # On a narrow screen the three panels stack (issue 13: side by side, titles were
    # cut and axis titles ran into each other).
    one_column = make_subplots(rows=3, cols=1, vertical_spacing=0.16,
                               subplot_titles=SUBPLOT_TITLES)
    figure.add_trace(go.Bar(x=list(CHAIN_LABELS), textposition="outside",
                            cliponaxis=False, marker={"pattern": {"shape": "/"}},
                            hovertemplate="%{x}: %{y:.3g} % of healthy<br>%{hovertext}"
                                          "<extra></extra>"), row=1, col=1)
    figure.add_trace(go.Scatter(x=fig.rounded(LOSS_GRID_PERCENT), mode="lines",
                                name=fig.model_label("Fibres firing"),
                                line={"dash": fig.LEMS_DASH, "width": 3},
                                hovertemplate="%{x} % lost: %{y:.3g} % fire"
                                              "<extra></extra>"), row=2, col=1)
    # Above and right of the point: the curve falls to the right, so that corner is
    # always free (past 100 % the label runs into the space between the panels).
    figure.add_trace(go.Scatter(mode="markers+text", marker={"size": 14, "symbol": "diamond"},
                                textposition="top right", cliponaxis=False, name="This junction",
                                hovertemplate="%{x} % lost: %{y:.3g} % fire"
                                              "<extra></extra>"), row=2, col=1)
    for name, colour, symbol, position in (
            ("healthy", fig.HEALTHY, "circle", "top center"),
            # Right of its marker: at high loss the marker sits on the y axis.
            ("this junction", fig.LEMS, "diamond", "bottom right"),
            ("myasthenia gravis", fig.MG, "square", "top center")):
        figure.add_trace(go.Scatter(
            mode="markers+text", marker={"size": 14, "color": colour, "symbol": symbol},
            text=[name], textposition=position, cliponaxis=False,
            name=fig.model_label(name),
            hovertemplate=f"{name}: %{{x:.3g}} quanta, MEPP %{{y:.2g}} mV<extra></extra>"),
            row=2, col=2)
    figure.update_layout(**fig.base_layout(
        "Losing calcium channels in LEMS (model)", "Step of the chain",
        "% of healthy (model)", height=HEIGHT_PX, showlegend=False,
        xaxis={"type": "category", "tickvals": list(CHAIN_LABELS),
               "ticktext": list(CHAIN_TICKS)},
        margin={"t": 80, "b": 70, "r": 96}))
    figure.update_layout(fig.one_column_layout(one_column, ONE_COLUMN_HEIGHT_PX,
                                               titles=len(SUBPLOT_TITLES)))
    figure.update_xaxes(title_text="Channels lost (%)", range=[-3, 100], row=2, col=1)
    figure.update_yaxes(title_text="Fibres firing (%, model)", range=[-5, 118], row=2, col=1)
    figure.update_xaxes(title_text="Quantal content (quanta, model)", row=2, col=2)
    figure.update_yaxes(title_text="MEPP size (mV, model)",
                        range=[0, 1.3 * physiology.mepp_mV(healthy)], row=2, col=2)
    # Healthy = 100 % for every step; the threshold is drawn over the EPP bar only,
    # because it is a voltage (as % of the healthy EPP), not a level for the others.
    # Both labels sit right of the bars (in the margin), where no bar can reach them.
    figure.add_hline(y=100, line={"color": fig.HEALTHY, "dash": fig.HEALTHY_DASH, "width": 2},
                     row=1, col=1)
    figure.add_annotation(x=1.0, xref="x domain", y=100, xanchor="left", xshift=4,
                          text="healthy<br>= 100 %", showarrow=False, align="left",
                          font={"size": fig.FONT_SIZE - 2})
    epp_index = CHAIN_LABELS.index("End-plate potential")
    figure.add_shape(type="line", x0=epp_index - 0.45, x1=epp_index + 0.45,
                     y0=threshold_percent, y1=threshold_percent,
                     line={"color": fig.THRESHOLD, "dash": fig.THRESHOLD_DASH, "width": 3},
                     opacity=1.0,
                     row=1, col=1)
    figure.add_annotation(x=1.0, xref="x domain", y=threshold_percent, xanchor="left",
                          xshift=4, text="firing<br>threshold<br>(illustrative)",
                          showarrow=False, align="left", font={"size": fig.FONT_SIZE - 2})
    return figure


def channel_loss_explorer(channel_loss_percent: float = 0.0, calcium_mM: float = 2.0,
                          amifampridine: bool = False) -> Explorer:
    """Explore how losing P/Q-type channels cuts release (F3-6, F3-7; steeper than
    linear, F7-11 derived), what extracellular Ca²⁺ and 3,4-DAP do (F2-1, F6-2), and
    how LEMS differs from myasthenia gravis (F3-13…F3-18)."""
    junction_from_controls(channel_loss_percent, calcium_mM, amifampridine)  # checks
    controls = {
        "channel_loss_percent": slider("Channels lost (%)", channel_loss_percent, 0.0,
                                       CHANNEL_LOSS_MAX_PERCENT, 5.0, readout_format=".0f"),
        "calcium_mM": slider("Extracellular Ca²⁺ (mM)", calcium_mM, CALCIUM_MIN_MM,
                             CALCIUM_MAX_MM, 0.1),
        "amifampridine": checkbox("3,4-DAP (amifampridine)", amifampridine),
    }
    return Explorer("Channel loss: from antibodies to muscle weakness", controls,
                    channel_loss_figure(), channel_loss_view)
