"""A still picture of an explorer's plotly figure, for renderers without JavaScript.

nbconvert's HTML, GitHub's and nbviewer's previews and Jupyter Book show ``image/png``
outputs but not plotly's JSON. Plotly's own static export (kaleido) drives a headless
Chrome: slow to start and one more thing that can fail while a lesson executes. The
explorers draw only line/marker scatter traces and bars on a grid of subplots, so
this module redraws that subset with matplotlib's Agg backend (no display, no
browser, about 0.1-0.3 s per figure): titles, axis titles and ranges, log axes,
lines, markers, bars, horizontal guide lines and text annotations. It is a snapshot,
not a twin: hover texts, legends' exact placement and patterns are left out.

Model choice: the picture is small (PNG, 256-colour palette) so that a lesson with
several explorers stays well under 300 KB.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.figure  # noqa: F401  (an ImportError here means no picture, see _base)

#: Size of the picture (inches at ``DPI``): about 760 px wide.
WIDTH_IN = 7.6
DPI = 100
_TAGS = re.compile(r"<[^>]+>")
_DASHES = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-.", "longdash": (0, (8, 3)),
           "longdashdot": "-."}


def _plain(text: Any) -> str:
    """Plotly's text (``<br>``, ``<b>`` …) as plain text with line breaks."""
    if text is None:
        return ""
    text = str(text.get("text", "") if isinstance(text, Mapping) else text)
    return _TAGS.sub("", text.replace("<br>", "\n").replace("<br />", "\n"))


def _axis_name(ref: str, letter: str) -> str:
    """``"x2"`` → ``"xaxis2"``; ``"x"`` → ``"xaxis"``."""
    suffix = ref[1:] if ref and ref[0] == letter else ""
    return f"{letter}axis{suffix}"


def _colour(value: Any, default: str = "#333333") -> Any:
    if isinstance(value, str) and value:
        match = re.fullmatch(r"rgba?\(([^)]*)\)", value.replace(" ", ""))
        if match:
            parts = [float(p) for p in match.group(1).split(",")]
            rgb = [p / 255 for p in parts[:3]]
            return (*rgb, parts[3] if len(parts) > 3 else 1.0)
        return value
    return default


def _numbers(values: Any) -> list[float | None]:
    if values is None:
        return []
    out = []
    for value in values:
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            out.append(None)
    return out


def _is_numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, (int, float)) or v is None for v in values)


def figure_png(spec: Mapping[str, Any]) -> bytes:
    """A PNG picture of a plotly figure given as its JSON dict (``data``, ``layout``)."""
    # matplotlib.figure.Figure draws with Agg without touching pyplot's global
    # backend, so a lesson's own plots (if any) are unaffected.
    from matplotlib.figure import Figure
    from PIL import Image

    layout = spec.get("layout", {}) or {}
    data = spec.get("data", []) or []
    height_px = float(layout.get("height") or 420)
    figure = Figure(figsize=(WIDTH_IN, max(2.5, height_px / 96 * WIDTH_IN / 7.6)), dpi=DPI)
    axes: dict[tuple[str, str], Any] = {}
    width_px = WIDTH_IN * DPI
    margin = layout.get("margin", {}) or {}
    fig_h = figure.get_figheight() * DPI
    left = min(0.3, (margin.get("l", 72) * 0.9) / width_px)
    right = 1 - min(0.2, (margin.get("r", 24) * 0.9) / width_px)
    bottom = min(0.3, (margin.get("b", 60) * 0.8) / fig_h)
    top = 1 - min(0.3, (margin.get("t", 70) * 0.8) / fig_h)

    def axes_for(xref: str, yref: str):
        key = (_axis_name(xref, "x"), _axis_name(yref, "y"))
        if key in axes:
            return axes[key]
        xaxis, yaxis = layout.get(key[0], {}) or {}, layout.get(key[1], {}) or {}
        x0, x1 = xaxis.get("domain", [0, 1])
        y0, y1 = yaxis.get("domain", [0, 1])
        rect = [left + x0 * (right - left), bottom + y0 * (top - bottom),
                (x1 - x0) * (right - left), (y1 - y0) * (top - bottom)]
        ax = figure.add_axes(rect)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
        for letter, axis in (("x", xaxis), ("y", yaxis)):
            title = _plain(axis.get("title"))
            log = axis.get("type") == "log"
            set_label = ax.set_xlabel if letter == "x" else ax.set_ylabel
            set_scale = ax.set_xscale if letter == "x" else ax.set_yscale
            if title:
                set_label(title, fontsize=8)
            if log:
                set_scale("log")
            limits = axis.get("range")
            if limits and len(limits) == 2 and None not in limits:
                limits = [10 ** v for v in limits] if log else limits
                (ax.set_xlim if letter == "x" else ax.set_ylim)(*limits)
            if axis.get("visible") is False:
                (ax.xaxis if letter == "x" else ax.yaxis).set_visible(False)
        axes[key] = ax
        return ax

    for trace in data:
        if trace.get("visible") in (False, "legendonly"):
            continue
        ax = axes_for(trace.get("xaxis", "x"), trace.get("yaxis", "y"))
        x, y = list(trace.get("x") or []), list(trace.get("y") or [])
        if not y and not x:
            continue
        if not x:
            x = list(range(len(y)))
        marker = trace.get("marker", {}) or {}
        colour = marker.get("color")
        if trace.get("type") == "bar":
            colours = colour if isinstance(colour, list) else None
            positions = list(range(len(x))) if not _is_numeric(x) else _numbers(x)
            values = [v or 0.0 for v in _numbers(y)]
            if trace.get("orientation") == "h":
                ax.barh(positions, [v or 0.0 for v in _numbers(x)], color=colours or
                        _colour(colour, "#0072B2"))
            else:
                ax.bar(positions, values, color=[_colour(c) for c in colours] if colours
                       else _colour(colour, "#0072B2"), width=0.7 if not _is_numeric(x)
                       else None or 0.8)
                if not _is_numeric(x):
                    ax.set_xticks(positions, [_plain(v) for v in x], fontsize=7)
            continue
        mode = trace.get("mode", "lines+markers")
        line = trace.get("line", {}) or {}
        xs = x if not _is_numeric(x) else _numbers(x)
        ys = _numbers(y)
        line_colour = _colour(line.get("color") or (colour if isinstance(colour, str)
                                                     else None))
        if "lines" in mode:
            ax.plot(xs, [float("nan") if v is None else v for v in ys], color=line_colour,
                    linestyle=_DASHES.get(line.get("dash", "solid"), "-"),
                    linewidth=min(3.0, float(line.get("width", 2)) * 0.8))
        if "markers" in mode:
            colours = colour if isinstance(colour, list) else None
            ax.scatter(xs, [float("nan") if v is None else v for v in ys], s=18,
                       color=[_colour(c) for c in colours] if colours and
                       len(colours) == len(ys) else _colour(colour, line_colour), zorder=3)
        if "text" in mode and isinstance(trace.get("text"), list):
            for xv, yv, label in zip(xs, ys, trace["text"], strict=False):
                if yv is not None and label:
                    ax.annotate(_plain(label), (xv, yv), fontsize=7, xytext=(3, 3),
                                textcoords="offset points")

    for shape in layout.get("shapes", []) or []:
        if shape.get("type") != "line" or shape.get("y0") != shape.get("y1"):
            continue
        yref = shape.get("yref", "y")
        xref = str(shape.get("xref", "x")).replace(" domain", "")
        if yref == "paper" or xref == "paper":
            continue
        ax = axes_for(xref, yref)
        line = shape.get("line", {}) or {}
        ax.axhline(shape["y0"], color=_colour(line.get("color")), linewidth=1,
                   linestyle=_DASHES.get(line.get("dash", "solid"), "-"))

    for note in layout.get("annotations", []) or []:
        text = _plain(note.get("text"))
        if not text:
            continue
        xref, yref = str(note.get("xref", "paper")), str(note.get("yref", "paper"))
        align = {"left": "left", "right": "right"}.get(note.get("xanchor"), "center")
        valign = {"bottom": "bottom", "top": "top"}.get(note.get("yanchor"), "center")
        if xref == "paper" and yref == "paper":
            figure.text(left + float(note.get("x", 0.5)) * (right - left),
                        bottom + float(note.get("y", 1)) * (top - bottom) + 0.005, text,
                        ha=align, va=valign, fontsize=9, fontweight="bold")
            continue
        if xref == "paper" or yref == "paper":
            continue
        ax = axes_for(xref.replace(" domain", ""), yref.replace(" domain", ""))
        transform = ax.transData
        if xref.endswith(" domain"):
            transform = ax.get_yaxis_transform()
        try:
            ax.text(float(note.get("x", 0)), float(note.get("y", 0)), text,
                    transform=transform, ha=align, va=valign, fontsize=7)
        except (TypeError, ValueError):
            continue

    title = _plain(layout.get("title"))
    if title:
        figure.suptitle(title, fontsize=10)
    buffer = io.BytesIO()
    # "tight" keeps labels placed at a panel's edge (plotly lets them overhang) inside.
    figure.savefig(buffer, format="png", metadata={"Software": None}, bbox_inches="tight",
                   pad_inches=0.1)
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    small = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(small, format="PNG",
                                                                      optimize=True)
    return small.getvalue()
