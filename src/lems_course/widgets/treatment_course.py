"""Treatment-course simulator (lesson 06): antibodies, channels and strength over weeks.

The learner picks a therapy and sees, day by day, the antibody level, the functional
P/Q-type channels and the resting CMAP of one model patient. Removing antibody helps
only once the terminal has re-made its channels, so the benefit of plasma exchange and
IVIG comes days to weeks late (published: F6-17b, F6-16c); immunosuppression acts over
months (F6-18); 3,4-DAP changes no antibody or channel: each dose acts within an hour
and wears off within hours (F6-2, F13-6), which the "one day" view shows dose by dose.
Every curve comes from ``lems_course.immunology`` (``treatment_course`` and
``amifampridine_day``; model kinetics, illustrative); the published timings are drawn
next to it with their fact IDs.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import ipywidgets
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lems_course import _checks, electrodiagnosis, immunology, physiology
from lems_course import figures as fig
from lems_course.widgets._base import Explorer, View, int_slider

#: Slider limits for the days shown: up to a year, so immunosuppression's months show
#: (the function itself accepts up to ``immunology.MAX_DAYS``).
DAYS_MIN = 30
DAYS_MAX = 365
DAYS_DEFAULT = 120

#: The two time scales: weeks to months (every therapy) or one day of 3,4-DAP doses.
TIMESCALES = {"weeks": "Weeks to months", "day": "One day of 3,4-DAP, dose by dose"}

#: Published timing for each therapy: the sentence quoted in the summary and, where
#: the source gives a window in days, that window (drawn as a shaded band).
PUBLISHED_TIMING: dict[str, tuple[str, tuple[float, float] | None, str]] = {
    "none": ("", None, ""),
    "plasma_exchange": (
        "published: peak CMAP 10–15 days after starting, about a 2.5-fold mean rise; "
        "F6-17b", (10.0, 15.0), "published peak: 10–15 days (F6-17b)"),
    "ivig": (
        "published: strength peaks at 2–4 weeks and declines by 8 weeks; F6-16c",
        (14.0, 28.0), "published peak: 2–4 weeks (F6-16c)"),
    "immunosuppression": (
        "published: benefit builds over months to years; strength improved in 88 % "
        "after a median of 6 years, and CMAP rose from 2.7 to 8.8 mV after 2 years; "
        "F6-18a, F6-18b", None, ""),
    "amifampridine": (
        "published: each dose peaks in the blood 20–60 min after it is taken and its "
        "level halves every 1.8–2.5 h, F13-6; resting CMAP +1.36 mV against placebo, "
        "F6-4c; in the trials the muscle score was measured after 3–8 days, F6-4b",
        None, ""),
}

#: Below this change (mV) the CMAP curve counts as flat: no peak is marked.
FLAT_CMAP_MV = 0.05
#: The CMAP counts as still rising if it was lower at this fraction of the period.
STILL_RISING_FRACTION = 0.8
#: 8 weeks, when the published IVIG benefit has declined (F6-16c).
EIGHT_WEEKS_DAYS = 56
#: An antibody level within this fraction of untreated counts as unchanged.
UNCHANGED_FRACTION = 0.005

# Trace order in the figure.
(ANTIBODY, CHANNELS, CMAP, PEAK,
 UNTREATED_ANTIBODY, UNTREATED_CHANNELS, UNTREATED_CMAP) = range(7)


def _therapy(therapy: object) -> str:
    return _checks.choice("therapy", therapy, immunology.THERAPIES)


def _days(days: object) -> int:
    return _checks.integer("days", days, 1, immunology.MAX_DAYS)


@lru_cache(maxsize=16)
def _full_course(therapy: str, days: int) -> immunology.TreatmentCourse:
    return immunology.treatment_course(therapy, days)


def _course(therapy: str, days: int) -> immunology.TreatmentCourse:
    """The course to ``days``: the first ``days + 1`` values of one cached year-long
    run (the model is causal), so moving the days slider recomputes nothing."""
    full = _full_course(therapy, max(days, DAYS_MAX))
    return dataclasses.replace(
        full, day=full.day[:days + 1], antibody_level=full.antibody_level[:days + 1],
        channel_fraction=full.channel_fraction[:days + 1],
        resting_cmap_mV=full.resting_cmap_mV[:days + 1])


@lru_cache(maxsize=1)
def _dap_day() -> immunology.AmifampridineDay:
    return immunology.amifampridine_day()


def _mv(value: float) -> str:
    return f"{fig.number_text(value, 2, smallest=fig.SMALLEST_MV)} mV"


def has_peak(course: immunology.TreatmentCourse) -> bool:
    """Whether the resting CMAP changes enough over the course to mark a peak."""
    cmap = course.resting_cmap_mV
    return float(np.max(cmap) - np.min(cmap)) >= FLAT_CMAP_MV


# --- The pure function ----------------------------------------------------------------

def treatment_view(therapy: str = "plasma_exchange", days: int = DAYS_DEFAULT,
                   timescale: str = "weeks") -> View:
    """Figure data and summary for one therapy over ``days`` days, or (``timescale``
    "day") one day of 3,4-DAP doses (pure)."""
    therapy = _therapy(therapy)
    n_days = _days(days)
    if _checks.choice("timescale", timescale, tuple(TIMESCALES)) == "day":
        return day_view(therapy)
    course = _course(therapy, n_days)
    untreated = _course("none", n_days)
    day = course.day
    peak = has_peak(course)
    peak_day = course.peak_day
    peak_cmap = float(course.resting_cmap_mV[peak_day])
    label = immunology.THERAPY_LABELS[therapy]

    traces = [
        {"x": fig.rounded(day), "y": fig.rounded(course.antibody_level),
         "name": fig.model_label(label), "hovertemplate": _hover("day", "")},
        {"x": fig.rounded(day), "y": fig.rounded(100.0 * course.channel_fraction),
         "hovertemplate": _hover("day", " %")},
        {"x": fig.rounded(day), "y": fig.rounded(course.resting_cmap_mV),
         "hovertemplate": _hover("day", " mV")},
        {"x": [peak_day] if peak else [], "y": fig.rounded([peak_cmap]) if peak else [],
         "text": [f"peak: day {peak_day}, {_mv(peak_cmap)}"] if peak else [],
         "name": "Peak CMAP (model)"},
        {"x": fig.rounded(day), "y": fig.rounded(untreated.antibody_level)},
        {"x": fig.rounded(day), "y": fig.rounded(100.0 * untreated.channel_fraction)},
        {"x": fig.rounded(day), "y": fig.rounded(untreated.resting_cmap_mV)},
    ]
    x_range = [0, n_days]
    layout = {
        # Two lines: one runs past a narrow screen's edge.
        "title": {"text": f"Treatment course:<br>{label} (model)"},
        "xaxis": {"range": x_range}, "xaxis2": {"range": x_range},
        "xaxis3": {"range": x_range, "title": {"text": "Days after starting treatment"}},
        "yaxis": {"range": [0, 1.15], "title": {"text": ANTIBODY_TITLE}},
        "shapes": _shapes(therapy),
    }
    return View(traces=traces, layout=layout, summary=treatment_summary(course))


ANTIBODY_TITLE = "Antibody<br>(relative, 1 = untreated)"
PLASMA_TITLE = "3,4-DAP in plasma<br>(1 = peak of one dose)"


def _hover(unit_x: str, unit_y: str) -> str:
    x = "day %{x}" if unit_x == "day" else "%{x} h"
    return f"{x}: %{{y:.3g}}{unit_y}<extra>model</extra>"


def _clock(hour: float) -> str:
    return f"{int(hour):02d}:{round((hour % 1) * 60):02d}"


def day_view(therapy: str = "amifampridine") -> View:
    """One day on 3,4-DAP, dose by dose (``immunology.amifampridine_day``): plasma
    level, functional channels (unchanged) and resting CMAP every quarter hour."""
    therapy = _therapy(therapy)
    dap = _dap_day()
    hour, cmap = dap.hour, dap.resting_cmap_mV
    untreated = _course("none", 1)
    baseline = float(untreated.resting_cmap_mV[0])
    channels = 100.0 * float(untreated.channel_fraction[0])
    peaks_x, peaks_y, peaks_text, gains = [], [], [], []
    doses = dap.dose_times_h
    for index, dose in enumerate(doses):
        end = doses[index + 1] if index + 1 < len(doses) else 24.0
        window = (hour >= dose) & (hour <= end)
        at = np.flatnonzero(window)[int(np.argmax(cmap[window]))]
        peaks_x.append(float(hour[at]))
        peaks_y.append(float(cmap[at]))
        peaks_text.append(f"peak {_mv(float(cmap[at]))} at {_clock(float(hour[at]))}")
        gains.append(float(hour[at]) - dose)
    flat = [channels] * hour.size
    traces = [
        {"x": fig.rounded(hour), "y": fig.rounded(dap.plasma_level),
         "name": fig.model_label("3,4-DAP (amifampridine)"),
         "hovertemplate": _hover("hour", "")},
        {"x": fig.rounded(hour), "y": fig.rounded(flat), "hovertemplate": _hover("hour", " %")},
        {"x": fig.rounded(hour), "y": fig.rounded(cmap), "hovertemplate": _hover("hour", " mV")},
        {"x": fig.rounded(peaks_x), "y": fig.rounded(peaks_y), "text": peaks_text,
         "name": "Peak CMAP after each dose (model)"},
        {"x": fig.rounded(hour), "y": [0.0] * hour.size},
        {"x": fig.rounded(hour), "y": fig.rounded(flat)},
        {"x": fig.rounded(hour), "y": fig.rounded([baseline] * hour.size)},
    ]
    x_range = [0, 24]
    shapes = _shapes("none") + [
        {"type": "line", "name": f"dose at {_clock(dose)}", "xref": "x3", "yref": "paper",
         "x0": dose, "x1": dose, "y0": 0, "y1": 1,
         "line": {"color": fig.BLACK, "dash": fig.DASH, "width": 1},
         "label": {"text": f"dose {_clock(dose)}", "textposition": "end",
                   "textangle": 0, "font": {"size": fig.FONT_SIZE - 3}}}
        for dose in doses]
    layout = {
        "title": {"text": "One day on 3,4-DAP,<br>dose by dose (model)"},
        "xaxis": {"range": x_range}, "xaxis2": {"range": x_range},
        "xaxis3": {"range": x_range, "title": {"text": "Hours after midnight"}},
        "yaxis": {"range": [0, 1.6], "title": {"text": PLASMA_TITLE}},
        "shapes": shapes,
    }
    return View(traces=traces, layout=layout,
                summary=day_summary(dap, baseline, peaks_y, gains, therapy))


def day_summary(dap: immunology.AmifampridineDay, baseline_mV: float,
                peaks_mV: list[float], peak_after_h: list[float], therapy: str) -> str:
    """The sentence read aloud for the one-day view (F13-6, F6-4c)."""
    hour, cmap = dap.hour, dap.resting_cmap_mV
    doses = ", ".join(_clock(dose) for dose in dap.dose_times_h)
    first = dap.dose_times_h[0]
    five_h = float(cmap[np.argmin(np.abs(hour - (first + 5.0)))])
    text = (f"3,4-DAP through one day (model), doses at {doses}: before the first dose the "
            f"resting CMAP is {_mv(baseline_mV)}; each dose raises it within an hour, to "
            f"peaks of {', '.join(_mv(p) for p in peaks_mV)} "
            f"{fig.number_text(max(peak_after_h), 2)} h or less after the dose, and it "
            f"falls back as the drug is cleared: 5 h after the first dose it is "
            f"{_mv(five_h)} (published: plasma peak 20–60 min after a dose, half-life "
            f"1.8–2.5 h, F13-6; resting CMAP +1.36 mV against placebo, F6-4c). Antibodies "
            f"and channels do not change (F6-2).")
    if therapy != "amifampridine":
        text += (f" {immunology.THERAPY_LABELS[therapy]} does not change within a day: "
                 f"choose \"{TIMESCALES['weeks']}\" to see it.")
    return text


def treatment_summary(course: immunology.TreatmentCourse) -> str:
    """The sentence read aloud: what the model does over the course, next to the
    published timing (F6-4, F6-16c, F6-17b, F6-18) and the caveat of F10-11."""
    therapy = course.therapy
    label = immunology.THERAPY_LABELS[therapy]
    last = int(course.day[-1])
    cmap = course.resting_cmap_mV
    start, end = float(cmap[0]), float(cmap[-1])
    if therapy == "none":
        return (f"{label} (model): antibody, functional channels "
                f"({fig.percent_text(100 * course.channel_fraction[0])} of healthy) and "
                f"resting CMAP ({_mv(start)}) stay at the untreated balance for {last} "
                f"days. Treating an underlying cancer comes first, and the immune and "
                f"symptomatic treatments can then help (F10-11).")

    antibody = course.antibody_level
    channels = 100 * course.channel_fraction
    lowest_day = int(np.argmin(antibody))
    if float(np.min(antibody)) < 1.0 - UNCHANGED_FRACTION:
        lowest = fig.percent_text(100 * antibody[lowest_day])
        if lowest_day == last:
            antibody_text = f"antibody falls to {lowest} of the untreated level by day {last}"
        else:
            antibody_text = (f"antibody falls to {lowest} of the untreated level (lowest on "
                             f"day {lowest_day}) and is {fig.percent_text(100 * antibody[-1])}"
                             f" on day {last}")
        antibody_text += (f"; functional channels rise from {fig.percent_text(channels[0])} "
                          f"to at most {fig.percent_text(float(np.max(channels)))} of healthy")
    else:
        antibody_text = ("antibody and functional channels do not change (3,4-DAP widens "
                         "the nerve spike instead, F6-2)")

    if not has_peak(course):
        cmap_text = f"resting CMAP stays at {_mv(start)}"
    else:
        peak_day = course.peak_day
        peak = float(cmap[peak_day])
        fold = f"{fig.number_text(peak / start, 2)}-fold " if start > 0 else ""
        # A plateau at the end: either reached early (3,4-DAP) or still being reached.
        plateau = peak - end < FLAT_CMAP_MV
        late = float(cmap[int(STILL_RISING_FRACTION * last)])
        if plateau and late < end - FLAT_CMAP_MV:
            cmap_text = (f"resting CMAP rises {fold}from {_mv(start)} and is still rising "
                         f"at the end: {_mv(end)} on day {last}")
        elif plateau:
            cmap_text = (f"resting CMAP rises {fold}from {_mv(start)} to {_mv(peak)} by day "
                         f"{peak_day} and stays there to day {last}")
        else:
            cmap_text = (f"resting CMAP rises {fold}from {_mv(start)} to a peak of "
                         f"{_mv(peak)} on day {peak_day}")
            if therapy == "ivig" and peak_day < EIGHT_WEEKS_DAYS < last:
                cmap_text += f", is {_mv(float(cmap[EIGHT_WEEKS_DAYS]))} at 8 weeks (day 56)"
            cmap_text += f" and {_mv(end)} on day {last}"
    if therapy == "amifampridine":
        cmap_text += (" (the value about an hour after a dose; between doses it falls "
                      "back, as the one-day view shows)")
    published = PUBLISHED_TIMING[therapy][0]
    return (f"{label} (model): {antibody_text}; {cmap_text} ({published}). "
            f"Not everyone responds well to treatment (F10-11): the model shows one "
            f"typical patient.")


# --- The figure -----------------------------------------------------------------------

def _shapes(therapy: str) -> list[dict]:
    healthy = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    shapes = [{"type": "line", "name": "healthy resting CMAP", "xref": "x3 domain",
               "yref": "y3", "x0": 0, "x1": 1, "y0": fig.rounded(healthy),
               "y1": fig.rounded(healthy),
               "line": {"color": fig.HEALTHY, "dash": fig.HEALTHY_DASH, "width": 2},
               "label": {"text": f"healthy {_mv(healthy)} (model)",
                         "textposition": "end", "yanchor": "bottom",
                         "font": {"size": fig.FONT_SIZE - 2}}}]
    _, window, window_label = PUBLISHED_TIMING[therapy]
    if window is not None:
        shapes.append({"type": "rect", "name": window_label, "xref": "x3",
                       "yref": "paper", "x0": window[0], "x1": window[1], "y0": 0,
                       "y1": 1, "fillcolor": fig.REFERENCE, "opacity": 0.25,
                       "line": {"width": 0}, "layer": "below",
                       # Two lines, so it fits right of the band on a narrow screen.
                       "label": {"text": window_label.replace(": ", ":<br>", 1),
                                 "textposition": "top left",
                                 "textangle": 0,
                                 "font": {"size": fig.FONT_SIZE - 2, "color": fig.BLACK}}})
    return shapes


#: Heights of the antibody, channel and CMAP panels (fractions), and of the figure (px).
ROW_HEIGHTS = (0.27, 0.27, 0.46)
HEIGHT_PX = 820
#: Top margin (px): the two-line title, and the legend under it in up to three rows.
TOP_MARGIN_PX = 160


def treatment_figure() -> go.Figure:
    """The figure before the first update (trace order as in ``treatment_view``)."""
    # The CMAP panel is the tallest, so a peak's label fits under the healthy line.
    figure = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                           row_heights=list(ROW_HEIGHTS))
    line = {"color": fig.TREATED, "dash": fig.TREATED_DASH, "width": 3}
    untreated = {"color": fig.LEMS, "dash": fig.LEMS_DASH, "width": 2}
    for row, unit in ((1, ""), (2, " %"), (3, " mV")):
        figure.add_trace(go.Scatter(mode="lines", line=line, showlegend=row == 1,
                                    legendgroup="treated",
                                    hovertemplate=f"day %{{x}}: %{{y:.3g}}{unit}"
                                                  f"<extra>treated (model)</extra>"),
                         row=row, col=1)
        if row == 3:
            figure.add_trace(go.Scatter(
                mode="markers+text", marker={"size": 13, "symbol": "star",
                                             "color": fig.ACCENT,
                                             "line": {"color": fig.BLACK, "width": 1}},
                textposition="top right", cliponaxis=False, name="Peak CMAP (model)",
                hovertemplate="peak: day %{x}, %{y:.2f} mV<extra></extra>"), row=3, col=1)
    for row, unit in ((1, ""), (2, " %"), (3, " mV")):
        figure.add_trace(go.Scatter(mode="lines", line=untreated, showlegend=row == 1,
                                    legendgroup="untreated",
                                    name=fig.model_label("No treatment"),
                                    hovertemplate=f"day %{{x}}: %{{y:.3g}}{unit}"
                                                  f"<extra>untreated (model)</extra>"),
                         row=row, col=1)
    figure.update_layout(**fig.base_layout(
        "Treatment course (model)", "Days after starting treatment",
        "Antibody (relative, 1 = untreated)", height=HEIGHT_PX,
        margin={"t": TOP_MARGIN_PX, "b": 64}))
    figure.update_yaxes(title_text="Antibody<br>(relative, 1 = untreated)",
                        range=[0, 1.15], row=1, col=1)
    figure.update_yaxes(title_text="Functional channels<br>(% of healthy)",
                        range=[0, 105], row=2, col=1)
    figure.update_yaxes(title_text="Resting CMAP<br>(mV)", range=[0, 11.5], row=3, col=1)
    figure.update_xaxes(title_text="", row=1, col=1)
    figure.update_xaxes(title_text="Days after starting treatment", row=3, col=1)
    return figure


def treatment_simulator(therapy: str = "plasma_exchange", days: int = DAYS_DEFAULT,
                        timescale: str = "weeks") -> Explorer:
    """Simulate one model patient's antibody level, functional channels and resting
    CMAP over weeks to a year on a therapy, next to the published timings (F6-4,
    F6-16c, F6-17b, F6-18), or one day of 3,4-DAP dose by dose (F13-6), with the
    reminder that not everyone responds (F10-11)."""
    therapy = _therapy(therapy)
    n_days = _days(days)
    timescale = _checks.choice("timescale", timescale, tuple(TIMESCALES))
    options = [(immunology.THERAPY_LABELS[key], key) for key in immunology.THERAPIES]
    controls = {
        # Toggle buttons, not a drop-down: in JupyterLab the notebook takes the arrow
        # keys of a focused drop-down to move between cells.
        "therapy": ipywidgets.ToggleButtons(
            options=options, value=therapy, description="Treatment",
            style={"description_width": "initial", "button_width": "auto"}),
        "days": int_slider("Days shown", n_days, min(DAYS_MIN, n_days),
                           max(DAYS_MAX, n_days)),
        "timescale": ipywidgets.ToggleButtons(
            options=[(label, key) for key, label in TIMESCALES.items()], value=timescale,
            description="Time scale",
            style={"description_width": "initial", "button_width": "auto"}),
    }
    return Explorer("Treatment over weeks: antibodies, channels and strength", controls,
                    treatment_figure(), treatment_view)
