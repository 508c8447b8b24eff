"""Virtual EMG lab (lesson 04): repetitive nerve stimulation and exercise, LEMS vs
myasthenia gravis vs healthy.

The learner picks a condition and a protocol and reads the CMAPs as an
electromyographer does (F5-1a): a low CMAP at rest, a decrement at 3 Hz (4th response
against the 1st), an increment at 50 Hz or after brief maximal exercise (largest or
post-exercise response against the first). The diagnostic increments are ≥ 60 % and
≥ 100 % (Oh 2005, F5-4; Lipka 2020, F5-5); 10 s of exercise facilitates more than
30 s (F5-3a). In myasthenia gravis a 3 Hz train just after a brief effort shows a
smaller decrement (repair) and one 3 min after a one-minute effort a larger one
(post-exercise exhaustion, F13-4, F13-5). Every CMAP comes from
``lems_course.electrodiagnosis`` (model numbers, illustrative); the second panel shows
published LEMS examples (F5-2, F5-3a) so the learner sees both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lems_course import _checks, electrodiagnosis, physiology
from lems_course import figures as fig
from lems_course.widgets._base import Explorer, View

# --- Conditions and protocols ---------------------------------------------------------

#: Condition label → (junction factory, colour, bar pattern).
CONDITIONS: dict[str, tuple[Callable[[], physiology.Junction], str, str]] = {
    "Healthy": (physiology.healthy, fig.HEALTHY, fig.HEALTHY_PATTERN),
    "LEMS": (physiology.lems, fig.LEMS, fig.LEMS_PATTERN),
    "Myasthenia gravis": (physiology.myasthenia, fig.MG, fig.MG_PATTERN),
    "LEMS + 3,4-DAP": (lambda: physiology.with_amifampridine(physiology.lems()),
                       fig.TREATED, fig.TREATED_PATTERN),
}


@dataclass(frozen=True)
class Protocol:
    """A stimulation protocol: a train at ``frequency_hz`` or one stimulus before and
    after ``exercise_s`` of maximal voluntary exercise."""

    kind: str  # "train", "exercise" or "train_after_exercise"
    frequency_hz: float = 0.0
    exercise_s: float = 0.0
    delay_s: float = 0.0


PROTOCOLS: dict[str, Protocol] = {
    "3 Hz train": Protocol("train", frequency_hz=3.0),
    "50 Hz train": Protocol("train", frequency_hz=50.0),
    "10 s exercise": Protocol("exercise", exercise_s=10.0),
    "30 s exercise": Protocol("exercise", exercise_s=30.0),
    "3 Hz, 2 s after 10 s exercise": Protocol("train_after_exercise", frequency_hz=3.0,
                                              exercise_s=10.0, delay_s=2.0),
    "3 Hz, 3 min after 60 s exercise": Protocol("train_after_exercise", frequency_hz=3.0,
                                                exercise_s=60.0, delay_s=180.0),
}

#: Short names accepted by ``emg_lab(protocol=…)`` ("3 Hz" means "3 Hz train").
PROTOCOL_ALIASES = {"3 Hz": "3 Hz train", "50 Hz": "50 Hz train",
                    "10 s": "10 s exercise", "30 s": "30 s exercise"}

#: Stimuli per train, as in a clinical study (F5-1a; 10 is the course's choice).
N_STIMULI = 10

#: Increment criteria (percent): ≥ 60 % (Oh 2005 F5-4b; Lipka 2020 F5-5a) and
#: ≥ 100 % (F5-4a, F5-5b).
CRITERIA_PERCENT = (60.0, 100.0)
CRITERIA_LABELS = ("+60 % (F5-4, F5-5)", "+100 %")

#: Published LEMS examples (percent change from the first / resting response; a
#: decrement is a negative change). Label, low, high, fact IDs. F5-3a gives one range
#: for 5 s and 10 s of exercise, drawn as a bar with a range bar.
PUBLISHED = (
    ("3 Hz<br>4th/1st", -31.6, -31.6, "F5-2"),
    ("30 Hz<br>train", 164.0, 164.0, "F5-2"),
    ("10 s<br>exercise", 400.0, 400.0, "F5-2"),
    ("5–10 s<br>exercise", 243.0, 244.0, "F5-3a"),
    ("30 s<br>exercise", 84.0, 84.0, "F5-3a"),
)
#: Which published bars match each protocol (50 Hz is closest to the published 30 Hz).
PUBLISHED_FOR_PROTOCOL = {
    "3 Hz train": (0,),
    "50 Hz train": (1,),
    "10 s exercise": (2, 3),
    "30 s exercise": (4,),
    "3 Hz, 2 s after 10 s exercise": (),
    "3 Hz, 3 min after 60 s exercise": (),
}

# Trace order in the figure.
CMAP_BARS, PUBLISHED_BARS = range(2)

#: Name of the healthy reference line (its legend entry adds the value).
HEALTHY_LINE = "Healthy resting CMAP"


def _condition(condition: object) -> str:
    return _checks.choice("condition", condition, tuple(CONDITIONS))


def _protocol(protocol: object) -> str:
    if isinstance(protocol, str):
        protocol = PROTOCOL_ALIASES.get(protocol, protocol)
    return _checks.choice("protocol", protocol, tuple(PROTOCOLS))


def junction_for(condition: str) -> physiology.Junction:
    """The model junction for a condition label (``CONDITIONS``)."""
    return CONDITIONS[_condition(condition)][0]()


def _mv(value: float) -> str:
    return f"{fig.number_text(value, 2, smallest=fig.SMALLEST_MV)} mV"


def _published_percent(value: float) -> str:
    return f"{value:g} %"


def criteria_text(increment: float) -> str:
    """Where an increment stands against the 60 % and 100 % criteria (F5-4, F5-5)."""
    low, high = CRITERIA_PERCENT
    if increment >= high:
        verdict = "above both the 60 % and the 100 % criteria"
    elif increment >= low:
        verdict = "above the 60 % criterion but below the 100 % one"
    else:
        verdict = "below the 60 % criterion"
    return f"{verdict} (model; Oh 2005 F5-4, Lipka 2020 F5-5)"


def _change_text(increment: float) -> str:
    if increment >= 0:
        return f"an increment of {fig.percent_text(increment)}"
    return f"a fall of {fig.percent_text(-increment)}"


# --- The pure function ----------------------------------------------------------------

def emg_lab_view(condition: str = "LEMS", protocol: str = "3 Hz train") -> View:
    """Figure data and summary for one condition and protocol (pure)."""
    name = _condition(condition)
    return junction_view(junction_for(name), name, _protocol(protocol))


def junction_view(j: physiology.Junction, name: str, protocol: str) -> View:
    """Figure data and summary for any junction (``name`` is used in the text)."""
    protocol = _protocol(protocol)
    spec = PROTOCOLS[protocol]
    healthy_rest = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    colour, pattern = CONDITIONS.get(name, (None, fig.NEUTRAL, ""))[1:]

    if spec.kind in ("train", "train_after_exercise"):
        if spec.kind == "train":
            cmaps = electrodiagnosis.cmap_train(j, spec.frequency_hz, N_STIMULI)
            x_title = f"Stimulus number ({spec.frequency_hz:g} Hz train)"
        else:
            cmaps = electrodiagnosis.rns_after_exercise(j, spec.exercise_s, spec.delay_s,
                                                        spec.frequency_hz, N_STIMULI)
            # Two lines: on a narrow screen one line runs past the panel.
            x_title = f"Stimulus number<br>({protocol})"
        x = [str(number) for number in range(1, N_STIMULI + 1)]
        first = float(cmaps[0])
    else:
        rest, after = electrodiagnosis.post_exercise_cmap(j, spec.exercise_s)
        cmaps = np.array([rest, after])
        x = ["At rest", f"After {spec.exercise_s:g} s exercise"]
        x_title = "Single supramaximal stimulus"
        first = float(rest)

    shows_increment = spec.frequency_hz != 3.0 and first > 0
    levels = [first * (1.0 + percent / 100.0) for percent in CRITERIA_PERCENT]
    shapes = [_hline(healthy_rest, HEALTHY_LINE,
                     f"Healthy resting CMAP<br>{_mv(healthy_rest)} (model)",
                     fig.HEALTHY, fig.HEALTHY_DASH)]
    if shows_increment:
        for level, label, dash in zip(levels, CRITERIA_LABELS, (fig.DASH, fig.LONG_DASH),
                                      strict=True):
            shapes.append(_hline(level, label, label, fig.THRESHOLD, dash))
    shapes.extend(_published_criteria_shapes())

    top = max([float(np.max(cmaps)), healthy_rest, *(levels if shows_increment else [])])
    highlighted = PUBLISHED_FOR_PROTOCOL[protocol]
    traces = [
        # Each value sits under its bar, in the category label, where no reference
        # line can cross it (a value on top of a bar collided with the lines).
        {"x": [f"{label}<br><b>{fig.number_text(float(value), 2)}</b>"
               for label, value in zip(x, cmaps, strict=True)],
         "y": fig.rounded(cmaps),
         # Three lines, so the legend entry fits a narrow screen.
         "name": f"{name},<br>{protocol}<br>(model)",
         "marker": {"color": colour, "pattern": {"shape": pattern}}},
        {"marker": {"opacity": [1.0 if index in highlighted else 0.35
                                for index in range(len(PUBLISHED))]}},
    ]
    layout = {
        # Two lines: one runs past a narrow screen's edge.
        "title": {"text": f"Virtual EMG lab: {name},<br>{protocol} (model)"},
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"range": fig.rounded([0.0, 1.15 * top])},
        "shapes": shapes,
        "annotations": _panel_titles(name),
    }
    rest_cmaps = (electrodiagnosis.cmap_train(j, spec.frequency_hz, N_STIMULI)
                  if spec.kind == "train_after_exercise" else None)
    summary = emg_summary(name, protocol, cmaps, healthy_rest, rest_cmaps)
    return View(traces=traces, layout=layout, summary=summary)


def emg_summary(name: str, protocol: str, cmaps: np.ndarray, healthy_rest_mV: float,
                rest_cmaps: np.ndarray | None = None) -> str:
    """The sentence read aloud: the model's responses, the decrement or increment and
    where it stands against the published criteria. ``rest_cmaps`` is the same train
    in the rested muscle, for the protocols that stimulate after exercise."""
    protocol = _protocol(protocol)
    spec = PROTOCOLS[protocol]
    first = float(cmaps[0])
    of_healthy = (f"{fig.percent_text(100.0 * first / healthy_rest_mV)} of the model's "
                  f"healthy {_mv(healthy_rest_mV)}")
    lead = f"{name}, {protocol}"
    if spec.kind == "exercise":
        after = float(cmaps[1])
        opening = (f"{lead}: resting CMAP {_mv(first)} ({of_healthy}), after exercise "
                   f"{_mv(after)}")
        if first == 0:
            return (f"{opening}. No fibre fires at rest, so no increment can be computed "
                    f"(model).")
        increment = electrodiagnosis.increment_percent(first, after)
        text = f"{opening}: {_change_text(increment)}, {criteria_text(increment)}."
        if spec.exercise_s >= 30 and name.startswith("LEMS"):
            text += (" Published, in LEMS: 30 s of exercise facilitates less than 10 s "
                     "(84 % vs 243–244 %, F5-3a).")
        if name == "Myasthenia gravis":
            text += (" In myasthenia the CMAP changes little after exercise; a rise of "
                     "60 % or more is rare (F5-4c).")
        return text
    opening = f"{lead}: first CMAP {_mv(first)} ({of_healthy})"
    if first == 0:
        noun = "decrement" if spec.frequency_hz < 10 else "increment"
        return (f"{opening}. No fibre fires on the first stimulus, so no {noun} can be "
                f"computed (model).")
    if spec.frequency_hz < 10:
        fourth = float(cmaps[3])
        decrement = electrodiagnosis.decrement_percent(cmaps)
        change = (f"a decrement of {fig.percent_text(decrement)}" if decrement >= 0
                  else f"an increment of {fig.percent_text(-decrement)}")
        text = f"{opening}, 4th {_mv(fourth)}: {change} (4th vs 1st, model"
        if spec.kind == "train":
            text += "; published LEMS example 31.6 %, F5-2)."
            if name == "Myasthenia gravis" and decrement >= 10:
                text += (" The fall is largest by the 4th–5th response, then the "
                         "responses level off or recover: the U shape of myasthenia "
                         "(F13-4).")
            return text
        if rest_cmaps is None:
            rest_cmaps = electrodiagnosis.cmap_train(junction_for(name), spec.frequency_hz,
                                                     N_STIMULI)
        if rest_cmaps[0] == 0:
            return text + "; at rest no fibre fires, so no decrement at rest to compare)."
        rest = electrodiagnosis.decrement_percent(rest_cmaps)
        text += f"; at rest {fig.percent_text(rest)})."
        if name == "Myasthenia gravis":
            if spec.delay_s < 30:
                text += (" Just after a brief effort the decrement is smaller than at "
                         "rest: repair by post-exercise facilitation (F13-4).")
            else:
                text += (" Minutes after a one-minute effort the decrement is larger "
                         "than at rest: post-exercise exhaustion (F13-4, F13-5).")
        return text
    largest = int(np.argmax(cmaps))
    increment = electrodiagnosis.increment_percent(first, float(cmaps[largest]))
    if largest == 0:
        middle = (f"no later response is larger (the last is {_mv(float(cmaps[-1]))}): "
                  f"an increment of 0 %")
    else:
        middle = (f"largest {_mv(float(cmaps[largest]))} (stimulus {largest + 1}): "
                  f"{_change_text(increment)}")
    text = f"{opening}, {middle}, {criteria_text(increment)}."
    if name.startswith("LEMS") and increment >= 60:
        kept = 100.0 * float(cmaps[-1]) / float(cmaps[largest])
        text += (f" The increment is sustained: the last response is "
                 f"{fig.percent_text(kept)} of the largest (model).")
    return text


def _panel_titles(name: str) -> list[dict]:
    """Titles of the two panels; the published one says which disease it shows."""
    published = ("Published LEMS examples" if name.startswith("LEMS")
                 else f"Published LEMS examples<br>(not {name})")
    return [
        {"text": "CMAP amplitude (model)", "x": 0.23925, "xref": "paper", "y": 1.0,
         "yref": "paper", "xanchor": "center", "yanchor": "bottom", "showarrow": False,
         "font": {"size": fig.FONT_SIZE}},
        {"text": published, "x": 0.80425, "xref": "paper", "y": 1.0, "yref": "paper",
         "xanchor": "center", "yanchor": "bottom", "showarrow": False,
         "font": {"size": fig.FONT_SIZE}},
    ]


# --- The figure -----------------------------------------------------------------------

def _hline(y: float, name: str, label: str, colour: str, dash: str,
           axis: str = "") -> dict:
    """A horizontal reference line across one panel. Lines on the model panel are
    named in the legend (a label on the line would collide with the bars' values);
    lines on the published panel carry their label at the left, where no bar rises."""
    shape = {"type": "line", "name": name, "xref": f"x{axis} domain", "yref": f"y{axis}",
             "x0": 0, "x1": 1, "y0": fig.rounded(y), "y1": fig.rounded(y),
             "line": {"color": colour, "dash": dash, "width": 2}}
    if axis:
        # The criterion is named by its tick label on the y-axis, outside the plot, so
        # no label sits on a bar or on a bar's value.
        pass
    else:
        shape.update(showlegend=True, legendrank=2)
        shape["name"] = label
    return shape


def _published_criteria_shapes() -> list[dict]:
    return [_hline(percent, f"published panel {label}", label, fig.THRESHOLD, dash,
                   axis="2")
            for percent, label, dash in zip(CRITERIA_PERCENT, ("+60 %", "+100 %"),
                                            (fig.DASH, fig.LONG_DASH), strict=True)]


def _published_texts() -> list[str]:
    return [_published_percent(low) if low == high else f"{low:g}–{_published_percent(high)}"
            for _, low, high, _ in PUBLISHED]


def published_labels() -> list[str]:
    """Category labels of the published panel, each with its value and fact ID. The
    value sits under the axis, not on the bar, so no criterion line crosses it."""
    # A range on two lines ("243–" / "244 %"), so no label is wider than its bar's
    # share of a narrow screen.
    return [f"{label}<br><b>{text.replace('–', '–</b><br><b>')}</b><br>{fact}"
            for (label, _, _, fact), text in zip(PUBLISHED, _published_texts(), strict=True)]


def published_centres() -> list[float]:
    """Bar heights of the published panel: the number, or the middle of a range."""
    return [(low + high) / 2 for _, low, high, _ in PUBLISHED]


SUBPLOT_TITLES = ("CMAP amplitude (model)", "Published LEMS examples")
#: Figure heights (px): the two panels side by side, or stacked on a narrow screen.
HEIGHT_PX = 610
ONE_COLUMN_HEIGHT_PX = 1060


def emg_lab_figure() -> go.Figure:
    """The figure before the first update (trace order as in ``junction_view``)."""
    figure = make_subplots(
        rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.13,
        subplot_titles=SUBPLOT_TITLES)
    # On a narrow screen the panels stack (issue 13: side by side, the panel titles ran
    # into each other and the title and legend were cut off).
    one_column = make_subplots(rows=2, cols=1, vertical_spacing=0.2,
                               subplot_titles=SUBPLOT_TITLES)
    figure.add_trace(go.Bar(textposition="none", cliponaxis=False, showlegend=True,
                            legendrank=1,
                            hovertemplate="%{y:.2f} mV<extra></extra>"),
                     row=1, col=1)
    # Only a published range gets a range bar; single numbers get none (None).
    half_ranges = [(high - low) / 2 if high > low else None for _, low, high, _ in PUBLISHED]
    texts = _published_texts()
    figure.add_trace(go.Bar(
        x=published_labels(), y=published_centres(), text=texts, textposition="none",
        cliponaxis=False,
        error_y={"type": "data", "array": half_ranges, "visible": True, "width": 0,
                 "color": fig.BLACK},
        marker={"color": fig.REFERENCE, "line": {"color": fig.BLACK, "width": 1}},
        name="Published LEMS examples<br>(highlighted: this protocol)", showlegend=True,
        hovertemplate="%{x}: %{text}<extra>published</extra>"), row=1, col=2)
    figure.update_layout(**fig.base_layout(
        "Virtual EMG lab (model)", "Stimulus", "CMAP amplitude (mV, model)",
        # The legend's entries take up to three lines, and plotly centres them on
        # their symbols: the legend starts well under the axis title.
        height=HEIGHT_PX, margin={"t": 110, "b": 180},
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": -0.4,
                "yanchor": "top"}))
    figure.update_layout(fig.one_column_layout(
        one_column, ONE_COLUMN_HEIGHT_PX, titles=len(SUBPLOT_TITLES),
        title={"font": {"size": fig.FONT_SIZE + 1}},
        margin={"l": 84, "r": 12, "t": 100, "b": 270},
        # Under the published panel's labels, one entry a line, in a smaller font so
        # the longest fits the plot's width.
        legend={"orientation": "v", "x": 0.0, "y": -0.14,
                "font": {"size": fig.FONT_SIZE - 2}},
        # Level labels: ten stimuli side by side, each value under its bar.
        xaxis={"tickangle": 0, "tickfont": {"size": fig.FONT_SIZE - 2}},
        xaxis2={"tickfont": {"size": fig.FONT_SIZE - 4}},
        yaxis2={"title": {"text": "Change from first<br>response (%, published)"},
                "ticktext": ["−50", "0", "+60", "+100", "200", "300", "400"]}))
    figure.update_xaxes(type="category", row=1, col=1)
    figure.update_xaxes(type="category", tickangle=0, tickfont={"size": fig.FONT_SIZE - 3},
                        row=1, col=2)
    figure.update_yaxes(title_text="Change from first response (%, published)",
                        range=[-80, 460],
                        tickvals=[-50, 0, 60, 100, 200, 300, 400],
                        ticktext=["−50 %", "0", "+60 %", "+100 %", "200 %", "300 %",
                                  "400 %"],
                        zeroline=True, row=1, col=2)
    return figure


def emg_lab(condition: str = "LEMS", protocol: str = "3 Hz train") -> Explorer:
    """A virtual EMG lab: pick a condition (healthy, LEMS, myasthenia gravis, LEMS on
    3,4-DAP) and a protocol (3 Hz or 50 Hz train, 10 s or 30 s exercise, a 3 Hz train
    after exercise) and read the
    model's CMAPs, decrement or increment against the published criteria
    (F5-1a, F5-4, F5-5)."""
    condition = _condition(condition)
    protocol = _protocol(protocol)
    # Toggle buttons, not drop-downs: in JupyterLab the notebook takes the arrow keys
    # of a focused drop-down to move between cells; buttons work with Tab and Space.
    style = {"description_width": "initial", "button_width": "auto"}
    controls = {
        "condition": ipywidgets.ToggleButtons(options=list(CONDITIONS), value=condition,
                                              description="Condition", style=style),
        "protocol": ipywidgets.ToggleButtons(options=list(PROTOCOLS), value=protocol,
                                             description="Protocol", style=style),
    }
    return Explorer("Virtual EMG lab: repetitive stimulation and exercise", controls,
                    emg_lab_figure(), emg_lab_view)
