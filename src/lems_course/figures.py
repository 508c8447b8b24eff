"""Shared plotly styling for the course's figures: palette, layout, labels, rounding.

One place for how every figure looks, so the explorers stay consistent and short.

- Colours are the Okabe–Ito palette, which stays distinguishable with the common
  colour-vision deficiencies (Okabe & Ito 2008, "Color Universal Design").
- Lines that must be told apart also differ by dash style, and bars by pattern or
  label, so colour is never the only cue.
- ``rounded`` keeps the numbers stored in a notebook's figure JSON short and
  identical from run to run (floating-point noise in the last digits would make
  nbval fail and diffs noisy).

No explorer-specific code lives here; the arithmetic is in the model modules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from numbers import Integral, Real
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

# --- Palette (Okabe–Ito) --------------------------------------------------------------

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"

#: Roles: the same meaning keeps the same colour in every lesson.
HEALTHY = BLUE
LEMS = VERMILLION
MG = REDDISH_PURPLE
TREATED = BLUISH_GREEN
THRESHOLD = BLACK
NEUTRAL = GREY
ACCENT = ORANGE
REFERENCE = SKY_BLUE

#: The palette in a fixed order, for figures with several unnamed series.
SEQUENCE = (BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE, BLACK,
            YELLOW)

# --- Dash styles, so lines differ by more than colour ---------------------------------

SOLID = "solid"
DASH = "dash"
DOT = "dot"
DASH_DOT = "dashdot"
LONG_DASH = "longdash"

#: Dash style for each role, matching the colours above.
HEALTHY_DASH = SOLID
LEMS_DASH = DASH
MG_DASH = DOT
TREATED_DASH = DASH_DOT
THRESHOLD_DASH = LONG_DASH
REFERENCE_DASH = DOT

#: Bar patterns (plotly ``marker.pattern.shape``) for the same purpose.
HEALTHY_PATTERN = ""
LEMS_PATTERN = "/"
MG_PATTERN = "."
TREATED_PATTERN = "x"

# --- Layout ---------------------------------------------------------------------------

FONT_SIZE = 14
FIGURE_HEIGHT_PX = 420
TEMPLATE = "simple_white"
MODEL_SUFFIX = " (model)"


def _merge(base: dict, extra: Mapping) -> dict:
    """Recursive dict merge: ``extra`` wins, nested dicts are merged, not replaced."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=1)
def template() -> go.layout.Template:
    """Plotly's "simple_white" with opaque shapes: its default 30 % shape opacity would
    turn a black threshold line grey."""
    base = go.layout.Template(pio.templates[TEMPLATE])
    base.layout.shapedefaults.opacity = 1.0
    return base


def axis_title(text: str) -> dict:
    """An axis title dict; ``text`` should carry its unit, e.g. "EPP (mV)"."""
    return {"text": text}


def base_layout(title: str, x_title: str, y_title: str, **kw: Any) -> dict:
    """Layout shared by every course figure, as a dict for ``go.Figure(layout=…)`` or
    ``fig.update_layout(**…)``.

    ``title`` says what is shown; axis titles carry their units ("[Ca²⁺]o (mM)").
    Keyword arguments are merged in last (nested dicts merge), so an explorer can add
    a second axis or change the height without repeating the rest.
    """
    layout = {
        "title": {"text": title, "x": 0.0, "xanchor": "left", "y": 0.97,
                  "yanchor": "top", "font": {"size": FONT_SIZE + 3}},
        "template": template(),
        "font": {"size": FONT_SIZE, "color": BLACK},
        "height": FIGURE_HEIGHT_PX,
        "margin": {"l": 72, "r": 24, "t": 96, "b": 64},
        "legend": {"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.02,
                   "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"},
        "hovermode": "closest",
        "xaxis": {"title": axis_title(x_title), "showgrid": True, "gridcolor": "#E5E5E5"},
        "yaxis": {"title": axis_title(y_title), "showgrid": True, "gridcolor": "#E5E5E5"},
    }
    return _merge(layout, kw)


#: Below this drawn width (px) a figure with a one-column layout switches to it: two
#: panels side by side would leave each too narrow for its titles (issue 13).
NARROW_BELOW_PX = 900


def one_column_layout(one_column: go.Figure, height_px: int, titles: int = 0,
                      below_px: int = NARROW_BELOW_PX, **extra: Any) -> dict:
    """Layout updates that give a multi-panel figure a one-column form for narrow
    screens, as ``{"meta": …}`` to pass to ``update_layout``.

    ``one_column`` is the same figure's panels made again with ``make_subplots`` in
    one column, in the same order (so ``xaxis2`` is the same panel in both); its axis
    domains, its first ``titles`` annotations (the subplot titles) and ``height_px``
    are used when the plot is drawn narrower than ``below_px`` (the course's plot
    widget merges them in the browser). Keyword arguments are merged in last (a
    shorter title, a margin). A model-free layout choice.
    """
    layout = one_column.layout
    narrow: dict[str, Any] = {"height": int(height_px)}
    for name in dir(layout):
        if name.startswith(("xaxis", "yaxis")) and layout[name] is not None \
                and layout[name].domain is not None:
            narrow[name] = {"domain": rounded(list(layout[name].domain))}
    narrow["annotations"] = {
        str(index): {"x": rounded(note.x), "y": rounded(note.y)}
        for index, note in enumerate(layout.annotations[:titles])}
    narrow = _merge(narrow, extra)
    return {"meta": {"lemsNarrow": {"belowPx": int(below_px), "layout": narrow}}}


def model_label(text: str) -> str:
    """``text`` marked as a model number: "Quantal content" → "Quantal content (model)"."""
    return text if text.endswith(MODEL_SUFFIX) else text + MODEL_SUFFIX


# --- Deterministic numbers ------------------------------------------------------------

def _round_number(value: float, digits: int) -> float | None:
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        # JSON has no NaN; plotly draws None as a gap, which is the honest display.
        return None
    if number == 0.0:
        return 0.0
    result = float(f"{number:.{digits}g}")
    return 0.0 if result == 0.0 else result  # no "-0.0"


def rounded(values: Any, digits: int = 4) -> Any:
    """``values`` rounded to ``digits`` significant figures, as plain Python objects.

    Integers stay integers; other numbers become floats (NaN/inf become None);
    arrays and sequences become lists (nested as needed); dicts keep their keys;
    strings, bools and None pass through.
    Used for every number an explorer stores in a figure, so the notebook's figure
    JSON is short and identical on every run.
    """
    if digits < 1:
        raise ValueError(f"digits must be at least 1, got {digits}")
    if values is None or isinstance(values, (str, bool)):
        return values
    if isinstance(values, Integral):
        return int(values)  # counts and plotly's integer properties stay exact
    if isinstance(values, Real):
        return _round_number(values, digits)
    if isinstance(values, Mapping):
        return {key: rounded(value, digits) for key, value in values.items()}
    tolist = getattr(values, "tolist", None)
    if callable(tolist):  # numpy arrays and scalars
        return rounded(tolist(), digits)
    if isinstance(values, Iterable):
        return [rounded(value, digits) for value in values]
    raise TypeError(f"values must be numbers or sequences of numbers, got "
                    f"{type(values).__name__}")


#: Below this, a percentage or a voltage is written as "under …" in prose: more digits
#: would suggest a precision the model does not have.
SMALLEST_PERCENT = 0.01
SMALLEST_MV = 0.01


def percent_text(value: float) -> str:
    """A percentage for prose: "17 %", "0.8 %", "100 %", "under 0.01 %" (never "-0 %")."""
    number = float(value)
    if 0 < abs(number) < SMALLEST_PERCENT:
        return f"under {SMALLEST_PERCENT:g} %"
    if abs(number) >= 10 or number == 0:
        text = f"{number:.0f}"
    elif abs(number) >= 1:
        text = f"{number:.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{number:.2g}"
    if text in ("-0", "-0.0"):
        text = "0"
    return f"{text} %"


def number_text(value: float, digits: int = 2, smallest: float = 0.0) -> str:
    """A number for prose with ``digits`` significant figures, without exponent for
    the magnitudes the course uses ("7.9", "0.41", "120"); below ``smallest`` it is
    "under …" ("under 0.01")."""
    number = float(value)
    if number == 0 or not math.isfinite(number):
        return f"{number:g}"
    if 0 < abs(number) < smallest:
        return f"under {smallest:g}"
    magnitude = math.floor(math.log10(abs(number)))
    decimals = max(digits - 1 - magnitude, 0)
    text = f"{round(number, decimals):.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


def change_text(percent_of_normal: float) -> str:
    """How a quantity compares with normal, for prose: "falls to 40 %",
    "rises to 150 %" or "stays at 100 %" (judged on the rounded text)."""
    text = percent_text(percent_of_normal)
    if text == "100 %":
        return "stays at 100 %"
    if text.startswith("under"):
        return f"falls to {text}"
    return f"{'rises' if percent_of_normal > 100 else 'falls'} to {text}"
