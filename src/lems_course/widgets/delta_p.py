"""DELTA-P calculator (lesson 05): the chance that LEMS comes with small-cell lung
cancer (SCLC), and the screening it suggests.

Six yes/no items give one point each (F4.6-2a…f). The figure shows both published
risk tables by score: the 2011 derivation cohort (Titulaer et al., F4.6-5; only the
published points: scores 0–1 together as "0–2.6 %", 2 and 3 not published in our
sources, drawn as gaps) and the 2020 prospective validation (Maddison et al.,
F4.6-6). The learner's score is highlighted and the screening schedule for it
(F4.6-7) is drawn as a timeline. Every number comes from ``lems_course.clinic``.
SOX1 antibodies are not part of the score (F4.6-3). Teaching material, not medical
advice.
"""

from __future__ import annotations

import html

import ipywidgets
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lems_course import clinic
from lems_course import figures as fig
from lems_course.widgets._base import Explorer, View, checkbox

SCORES = tuple(range(clinic.MAX_SCORE + 1))

#: Months shown on the screening timeline (the longest plan ends at month 27).
TIMELINE_MONTHS = (-1.5, 30.0)

#: Height (on the risk axis, %) of the marker that points at the learner's score.
YOUR_SCORE_Y_PERCENT = 112

#: Shown beside the checkboxes.
NOT_ADVICE = ("For learning only, not medical advice: the score and the screening "
              "schedule are decided by a patient's own doctors.")

SOX1_NOTE = ("SOX1 antibodies also predicted SCLC but are not part of the score "
             "(F4.6-3).")

# Trace order in the figure.
DERIVATION, VALIDATION, YOUR_SCORE, SCREENS = range(4)

_COHORT_STYLE = {
    "derivation": (fig.BLUE, ""),
    "validation": (fig.ORANGE, "/"),
}


def _percent(value: float) -> str:
    """A published percentage as published ("93.5 %", "100 %")."""
    return f"{value:g} %"


def _risk_text(score: int, cohort: str) -> str:
    published = clinic.delta_p_risk_range(score, cohort)
    if published is None:
        return "not published"
    low, high = published
    return _percent(high) if low == high else f"{low:g}–{_percent(high)}"


def risk_table(cohort: str) -> tuple[list[float | None], list[float], list[str]]:
    """Bar heights, downward range bars and labels for one cohort, by score 0–6.

    A range (0–2.6 % for scores 0–1 in 2011) is a bar up to its top with a range bar
    down to its bottom; an unpublished point is ``None``, which plotly draws as a gap.
    Single published points have no range bar (``None``).
    """
    heights: list[float | None] = []
    below: list[float | None] = []
    labels: list[str] = []
    for score in SCORES:
        published = clinic.delta_p_risk_range(score, cohort)
        if published is None:
            heights.append(None)
            below.append(None)
            labels.append("")
        else:
            low, high = published
            heights.append(high)
            below.append(high - low if high > low else None)
            labels.append(_risk_text(score, cohort))
    return heights, below, labels


# --- The pure function ----------------------------------------------------------------

def delta_p_view(*, age_50_or_over: bool = False, smoking: bool = False,
                 weight_loss_5_percent: bool = False, bulbar: bool = False,
                 erectile_dysfunction: bool = False,
                 karnofsky_below_70: bool = False) -> View:
    """Figure data and summary for one set of answers (pure)."""
    score = clinic.delta_p_score(
        age_50_or_over=age_50_or_over, smoking=smoking,
        weight_loss_5_percent=weight_loss_5_percent, bulbar=bulbar,
        erectile_dysfunction=erectile_dysfunction, karnofsky_below_70=karnofsky_below_70)
    plan = clinic.screening_plan(score)
    widths = [3.0 if value == score else 0.5 for value in SCORES]
    traces = [
        {"marker": {"line": {"width": widths}}},
        {"marker": {"line": {"width": widths}}},
        {"x": [score], "text": [f"your score: {score}"]},
        {"x": list(plan.months), "y": [0] * len(plan.months),
         "text": [str(month) for month in plan.months]},
    ]
    highlight = {"type": "rect", "name": "your score", "xref": "x", "yref": "y domain",
                 "x0": score - 0.5, "x1": score + 0.5, "y0": 0, "y1": 1,
                 "fillcolor": fig.YELLOW, "opacity": 0.3, "line": {"width": 0},
                 "layer": "below"}
    layout = {
        # Three short lines, so the title fits a narrow screen (issue 13).
        "title": {"text": f"DELTA-P score {score} of {clinic.MAX_SCORE}:<br>published "
                          f"chance of SCLC<br>and suggested screening"},
        "shapes": [highlight],
    }
    return View(traces=traces, layout=layout, summary=delta_p_summary(score))


def delta_p_summary(score: int) -> str:
    """The sentence read aloud: both published risks for the score (F4.6-5, F4.6-6),
    the suggested screening (F4.6-7) and the SOX1 note (F4.6-3)."""
    derivation = clinic.delta_p_risk_range(score, "derivation")
    validation = clinic.delta_p_risk(score, "validation")
    if derivation is None:
        first = ("the 2011 derivation cohort's figure for this score is not published "
                 "in our sources")
    elif derivation[0] != derivation[1]:
        scores = [s for s in SCORES
                  if clinic.delta_p_risk_range(s, "derivation") == derivation]
        first = (f"in the 2011 derivation cohort {_risk_text(score, 'derivation')} of "
                 f"patients with a score of {scores[0]}–{scores[-1]} had SCLC")
    else:
        first = (f"in the 2011 derivation cohort {_percent(derivation[1])} of patients "
                 f"with this score had SCLC")
    if validation is None:
        second = "the 2020 validation cohort's figure is not published"
    elif derivation is None:
        second = (f"in the 2020 validation cohort {_percent(validation)} of patients with "
                  f"this score had SCLC")
    else:
        second = f"in the 2020 validation cohort {_percent(validation)}"
    plan = clinic.screening_plan(score)
    return (f"Score {score} of {clinic.MAX_SCORE}: {first}; {second} (F4.6-5, F4.6-6). "
            f"Suggested screening: {plan.text} {SOX1_NOTE}")


# --- The figure -----------------------------------------------------------------------

def delta_p_figure() -> go.Figure:
    """The figure before the first update (trace order as in ``delta_p_view``)."""
    figure = make_subplots(
        rows=2, cols=1, row_heights=[0.72, 0.28], vertical_spacing=0.2,
        subplot_titles=("Patients with SCLC by DELTA-P score (published)",
                        "Suggested screening after diagnosis (F4.6-7)"))
    for cohort in clinic.COHORTS:
        heights, below, labels = risk_table(cohort)
        colour, pattern = _COHORT_STYLE[cohort]
        figure.add_trace(go.Bar(
            x=list(SCORES), y=heights, text=labels, textposition="outside",
            cliponaxis=False, name=clinic.COHORT_LABELS[cohort].replace(", ", ",<br>", 1),
            marker={"color": colour, "pattern": {"shape": pattern},
                    "line": {"color": fig.BLACK, "width": 0.5}},
            error_y={"type": "data", "symmetric": False, "array": [None] * len(SCORES),
                     "arrayminus": below, "color": fig.BLACK, "width": 0,
                     "visible": any(value is not None for value in below)},
            hovertemplate="score %{x}: %{text}<extra>" + clinic.COHORT_FACTS[cohort]
                          + "</extra>"), row=1, col=1)
    figure.add_trace(go.Scatter(
        x=[0], y=[YOUR_SCORE_Y_PERCENT], mode="markers+text", textposition="middle right",
        marker={"symbol": "triangle-down", "size": 14, "color": fig.BLACK},
        cliponaxis=False, name="Your score", showlegend=False,
        hovertemplate="your score: %{x}<extra></extra>"), row=1, col=1)
    figure.add_trace(go.Scatter(
        mode="markers+text", textposition="top center", cliponaxis=False,
        marker={"symbol": "diamond", "size": 14, "color": fig.BLUISH_GREEN,
                "line": {"color": fig.BLACK, "width": 1}},
        name="Screen: CT thorax, then FDG-PET<br>if negative (F4.7-1c, F4.7-2)",
        hovertemplate="screen at month %{x}<extra></extra>"), row=2, col=1)
    derivation, _, _ = risk_table("derivation")
    for score, height in zip(SCORES, derivation, strict=True):
        if height is None:
            # The derivation bar sits in the left half of the group at this score.
            figure.add_annotation(x=score - 0.2, y=2, text="not published (2011)",
                                  textangle=-90, showarrow=False, yanchor="bottom",
                                  font={"size": fig.FONT_SIZE - 3, "color": fig.BLUE},
                                  row=1, col=1)
    figure.update_layout(**fig.base_layout(
        "DELTA-P: published chance of SCLC and suggested screening",
        "DELTA-P score (points)", "Patients with SCLC (%, published)",
        height=700, barmode="group", margin={"t": 130, "b": 150},
        # The legend under the timeline: above the plot it ran into the title.
        legend={"y": -0.2, "yanchor": "top"}))
    # Narrow: shorter subplot titles, and room for the legend's wrapped rows.
    figure.update_layout(fig.one_column_layout(
        figure, 860, margin={"t": 160, "b": 250}, legend={"y": -0.17},
        annotations={"0": {"text": "Patients with SCLC by score<br>(published)"},
                     "1": {"text": "Suggested screening (F4.6-7)"}}))
    figure.update_xaxes(tickvals=list(SCORES), range=[-0.6, clinic.MAX_SCORE + 0.6],
                        row=1, col=1)
    figure.update_yaxes(range=[0, 120], row=1, col=1)
    figure.update_xaxes(title_text="Months after diagnosis", range=list(TIMELINE_MONTHS),
                        dtick=3, showgrid=True, row=2, col=1)
    figure.update_yaxes(visible=False, range=[-1, 1.5], row=2, col=1)
    return figure


def delta_p_calculator(**answers: bool) -> Explorer:
    """Score the six DELTA-P items (F4.6-2a…f; all "no" unless given, e.g.
    ``delta_p_calculator(smoking=True)``) and compare the score with both published
    risk tables (F4.6-5, F4.6-6) and the suggested screening (F4.6-7)."""
    names = [name for name, _label, _fact in clinic.DELTA_P_ITEMS]
    unknown = sorted(set(answers) - set(names))
    if unknown:
        raise TypeError(f"unknown DELTA-P item(s) {', '.join(unknown)}; the items are "
                        f"{', '.join(names)}")
    delta_p_view(**answers)  # checks every answer is True or False
    controls = {name: checkbox(f"{label} ({fact})", answers.get(name, False))
                for name, label, fact in clinic.DELTA_P_ITEMS}
    for box in controls.values():
        box.layout.width = "100%"  # the default inline width cuts the longer labels
    note = ipywidgets.HTML(value=f"<em>{html.escape(NOT_ADVICE)} "
                                 f"{html.escape(SOX1_NOTE)}</em>")
    return Explorer("DELTA-P: the chance of a small-cell lung cancer", controls,
                    delta_p_figure(), delta_p_view, extra=[note])
