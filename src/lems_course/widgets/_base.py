"""The ``Explorer``: controls + a plotly figure (``PlotlyPlot``) + a spoken-friendly summary.

Every explorer of the course is built the same way:

- ONE pure function turns control values into a :class:`View` (trace updates,
  layout updates, summary sentence). Tests call it directly; the observer calls it
  and only copies the result into the figure (``Explorer.apply``), which a
  :class:`~lems_course.widgets._plot.PlotlyPlot` redraws in the browser.
- The summary lives in an ``aria-live="polite"`` region, so a screen reader announces
  the new sentence after a slider moves; the same widget gives the slider handles
  their accessible names (:mod:`lems_course.widgets._summary`).
- Displaying an explorer emits three outputs (:meth:`Explorer._ipython_display_`):
  1. the live widget (marked ``metadata.lems_course.live``; the course's server
     extension, ``widgets._saving``, drops its widget-view from saved files, so a
     reopened lesson never says "Error displaying widget: model not found");
  2. the figure: a deterministic plotly snapshot (rounded numbers, no uids) and a
     PNG picture of it (``widgets._static``) that static renderers (nbconvert HTML,
     GitHub, nbviewer, Jupyter Book) show without JavaScript;
  3. the summary as Markdown prose (wraps like text, unlike a ``<pre>``).
  While the widget is live, a style rule hides 2 and 3 under it (``_summary.py``).
  As the learner works, 2 and 3 follow the widget (display updates, at most about
  once a second), so a saved lesson shows the last figure and summary.
  nbval compares the snapshot JSON and the summary, identical on every run.
"""

from __future__ import annotations

import base64
import html
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import ipywidgets
import plotly.graph_objects as go
import plotly.io as pio

from lems_course import _checks, physiology
from lems_course.figures import rounded
from lems_course.widgets._plot import PlotlyPlot
from lems_course.widgets._saving import live_metadata
from lems_course.widgets._summary import EXPLORER_CLASS, SummaryRegion

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
TEXT_MIMETYPE = "text/plain"
MARKDOWN_MIMETYPE = "text/markdown"
PNG_MIMETYPE = "image/png"

#: Seconds between two updates of the stored figure and summary while a learner works
#: (the live widget itself is redrawn at once; these only matter once saved).
STATIC_UPDATE_DELAY_S = 1.0

#: Significant figures kept in the stored snapshot.
SNAPSHOT_DIGITS = 4

#: Plotly config stored with the snapshot (static, so deterministic).
PLOTLY_CONFIG = {"displaylogo": False}


@dataclass(frozen=True)
class View:
    """What one state of the controls looks like.

    Attributes:
        traces: one dict of property updates per trace, in the figure's trace order
            (``{"x": …, "y": …, "text": …}``); a trace not listed is left as is.
        layout: layout updates (shapes, annotations, axis ranges…). Lists such as
            ``shapes`` and ``annotations`` replace the figure's list.
        summary: the sentence a learner reads (or hears) for this state.
    """

    traces: Sequence[Mapping[str, Any]] = ()
    layout: Mapping[str, Any] = field(default_factory=dict)
    summary: str = ""


def _strip_and_round(value: Any, digits: int) -> Any:
    """Figure JSON without trace uids and with every number rounded."""
    if isinstance(value, Mapping):
        return {key: _strip_and_round(item, digits) for key, item in value.items()
                if key != "uid"}
    if isinstance(value, (list, tuple)):
        return [_strip_and_round(item, digits) for item in value]
    return rounded(value, digits)


def _same(old: Any, new: Any) -> bool:
    """True if two trace or layout updates are equal. Updates holding NumPy arrays
    cannot be compared with ``==`` (ambiguous truth value): they count as changed."""
    try:
        return bool(old == new)
    except ValueError:
        return False


class Explorer:
    """Controls, a live figure and a summary sentence, kept in step.

    Args:
        title: a short heading shown above the controls.
        controls: name → ipywidget. Every widget with a ``value`` is passed to
            ``compute`` as a keyword argument of that name.
        figure: the initial figure (traces, layout); copied, then kept in step with
            the controls and drawn by a :class:`PlotlyPlot`.
        compute: pure function ``compute(**control_values) -> View``.
        extra: widgets shown with the controls that are not passed to ``compute``
            (for example a "New sample" button that changes a control).
    """

    def __init__(self, title: str, controls: Mapping[str, ipywidgets.Widget],
                 figure: go.Figure, compute: Callable[..., View],
                 extra: Sequence[ipywidgets.Widget] = ()) -> None:
        self.title = title
        self.controls: dict[str, ipywidgets.Widget] = dict(controls)
        self.compute = compute
        #: The current figure, kept here (tests and snapshots read it) and redrawn
        #: in the browser by ``self.plot``.
        self.figure = go.Figure(figure)
        self.plot = PlotlyPlot(config=PLOTLY_CONFIG)
        self._summary = SummaryRegion()
        self._applied: View | None = None
        # Display handles of the stored figure and summary, kept up to date (a timer).
        self._static_lock = threading.Lock()
        self._static_handles: list[tuple[Any, Any]] = []
        self._static_timer: threading.Timer | None = None
        self._shown: Any = None
        self._heading = ipywidgets.HTML(value=f"<strong>{html.escape(title)}</strong>")
        self.widget = ipywidgets.VBox(
            [self._heading,
             ipywidgets.VBox([*self.controls.values(), *extra]),
             self.plot,
             self._summary])
        self.widget.add_class(EXPLORER_CLASS)
        _align_labels(self.controls.values())
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")
        self.update()

    # --- state ---------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The current control values, by name."""
        return {name: control.value for name, control in self.controls.items()
                if hasattr(control, "value")}

    def view(self) -> View:
        """The :class:`View` for the current control values (no side effects)."""
        return self.compute(**self.values())

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        self.update()

    def update(self) -> View:
        """Recompute from the controls and copy the result into figure and summary."""
        view = self.view()
        self.apply(view)
        return view

    def apply(self, view: View) -> None:
        """Copy a :class:`View` into the figure and the summary, then send the figure
        to the browser once (one ``Plotly.react`` there per change).

        Trace and layout entries equal to the previously applied ones are skipped:
        plotly's validation is the slow part of an update, and many traces (reference
        points, fixed curves) do not change when one slider moves. It also lets a
        learner's zoom on an axis survive changes that do not set that axis.
        """
        previous = self._applied
        for index, properties in enumerate(view.traces):
            if not properties:
                continue
            if previous is not None and index < len(previous.traces) \
                    and _same(previous.traces[index], properties):
                continue
            # Nested dicts merge ({"marker": {"color": c}} keeps the marker's size).
            self.figure.data[index].update(properties)
        for key, value in view.layout.items():
            if previous is not None and key in previous.layout \
                    and _same(previous.layout[key], value):
                continue
            if isinstance(value, (list, tuple)):
                # Shapes, annotations: the view's list replaces the figure's.
                self.figure.layout[key] = value
            else:
                # A dict updates the axis (its title stays), it does not replace it.
                self.figure.update_layout({key: value})
        self.plot.show(self.figure)
        self._applied = view
        self._summary.text = view.summary
        self._schedule_static_update()

    @property
    def summary_text(self) -> str:
        """The current summary sentence, as plain text."""
        return self._summary.text

    # --- static forms ----------------------------------------------------------------

    def snapshot(self) -> go.Figure:
        """A static copy of the current figure: no trace uids, numbers rounded."""
        spec = _strip_and_round(self.figure.to_plotly_json(), SNAPSHOT_DIGITS)
        return go.Figure(spec)

    def plotly_json(self) -> dict[str, Any]:
        """The snapshot as the dict stored under the plotly mimetype."""
        text = pio.to_json(self.snapshot(), validate=False, remove_uids=True)
        spec = json.loads(text)
        spec["config"] = dict(PLOTLY_CONFIG)
        return spec

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """All forms in one bundle (for callers that want one dict; a notebook shows
        the three outputs of :meth:`_ipython_display_` instead)."""
        bundle = {key: value for key, value in self.widget._repr_mimebundle_().items()
                  if key != TEXT_MIMETYPE}
        bundle[PLOTLY_MIMETYPE] = self.plotly_json()
        bundle[TEXT_MIMETYPE] = self.summary_text
        return bundle

    # --- the three outputs ---------------------------------------------------------

    def live_bundle(self) -> dict[str, Any]:
        """Output 1: the live widget, and a line for places where it cannot run."""
        bundle = {key: value for key, value in self.widget._repr_mimebundle_().items()
                  if key != TEXT_MIMETYPE}
        bundle[TEXT_MIMETYPE] = (f"[Interactive explorer: {self.title}. It runs in "
                                 "JupyterLab once the lesson's cells have run.]")
        return bundle

    def figure_bundle(self, picture: bool = True) -> dict[str, Any]:
        """Output 2: the figure as plotly JSON, as a PNG picture (``picture``) and as
        a one-line description."""
        spec = self.plotly_json()
        bundle: dict[str, Any] = {PLOTLY_MIMETYPE: spec}
        if picture:
            try:
                from lems_course.widgets._static import figure_png
            except ImportError:  # matplotlib missing: the live explorer still works
                figure_png = None
            if figure_png is not None:
                bundle[PNG_MIMETYPE] = base64.b64encode(figure_png(spec)).decode("ascii")
        bundle[TEXT_MIMETYPE] = f"Figure: {self.title}"
        return bundle

    def summary_bundle(self) -> dict[str, str]:
        """Output 3: the summary sentence as prose (Markdown) and plain text."""
        return {MARKDOWN_MIMETYPE: _markdown_escape(self.summary_text),
                TEXT_MIMETYPE: self.summary_text}

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.live_bundle(), raw=True, metadata=live_metadata())
        figure = display(self.figure_bundle(), raw=True, display_id=True)
        summary = display(self.summary_bundle(), raw=True, display_id=True)
        with self._static_lock:
            self._static_handles.append((figure, summary))
            self._shown = self._applied

    def _schedule_static_update(self) -> None:
        """Bring the stored figure and summary up to date, about once a second at most:
        a trailing timer, so the last state is always sent."""
        with self._static_lock:
            if not self._static_handles or self._static_timer is not None:
                return
            timer = threading.Timer(STATIC_UPDATE_DELAY_S, self._update_static)
            timer.daemon = True
            self._static_timer = timer
        timer.start()

    def _update_static(self) -> None:
        with self._static_lock:
            self._static_timer = None
            handles = list(self._static_handles)
            if self._applied is self._shown:  # a View holds arrays: compare identity
                return
            self._shown = self._applied
        try:
            # No picture here: plotly JSON is what JupyterLab draws when a saved lesson
            # is reopened, and making a PNG would cost the kernel a second per move.
            # Read what was last sent to the browser (dicts replaced whole on every
            # change), not self.figure, which the kernel's main thread may be changing.
            sent = self.plot.figure
            spec = _strip_and_round(
                {"data": sent.get("data", []),
                 "layout": {**sent.get("layout", {}), "template": self.plot.template}},
                SNAPSHOT_DIGITS)
            spec["config"] = dict(PLOTLY_CONFIG)
            figure = {PLOTLY_MIMETYPE: spec, TEXT_MIMETYPE: f"Figure: {self.title}"}
            summary = self.summary_bundle()
            for figure_handle, summary_handle in handles:
                figure_handle.update(figure, raw=True)
                summary_handle.update(summary, raw=True)
        except Exception:  # the live widget matters more than its saved copy
            with self._static_lock:
                self._shown = None  # the next change tries again

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.title!r}: {self.summary_text}>"


def _markdown_escape(text: str) -> str:
    """Plain text that Markdown shows as written (no emphasis, lists or HTML)."""
    escaped = html.escape(text, quote=False)
    for char in "\\`*_[]#|":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", "  \n")


def _align_labels(controls: Iterable[ipywidgets.Widget]) -> None:
    """Give the labelled controls built here one label width, so their tracks line up.

    Only controls left at ``description_width="initial"`` (the helpers below) are
    changed; checkboxes keep their label beside the box."""
    aligned = [control for control in controls
               if not isinstance(control, ipywidgets.Checkbox)
               and getattr(getattr(control, "style", None), "description_width", None)
               == "initial"]
    if len(aligned) < 2:
        return
    longest = max(len(control.description) for control in aligned)
    width = f"{0.6 * longest + 1:.1f}em"  # about 0.6 em per character at 13-14 px
    for control in aligned:
        control.style.description_width = width


def slider(description: str, value: float, low: float, high: float, step: float,
           *, readout_format: str = ".1f") -> ipywidgets.FloatSlider:
    """A keyboard-usable float slider with a plain-words label and its unit."""
    return ipywidgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=True, readout=True, readout_format=readout_format,
        style={"description_width": "initial"},
        layout=ipywidgets.Layout(width="min(100%, 34rem)"))


def int_slider(description: str, value: int, low: int, high: int,
               step: int = 1) -> ipywidgets.IntSlider:
    """A keyboard-usable integer slider with a plain-words label."""
    return ipywidgets.IntSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=True, readout=True, style={"description_width": "initial"},
        layout=ipywidgets.Layout(width="min(100%, 34rem)"))


def checkbox(description: str, value: bool) -> ipywidgets.Checkbox:
    """A labelled checkbox (Space toggles it)."""
    return ipywidgets.Checkbox(value=value, description=description, indent=False,
                               style={"description_width": "initial"})


# --- Shared control ranges and the control → model adapter ----------------------------

#: Slider limits shared by the explorers that change channels and [Ca²⁺]o.
CHANNEL_LOSS_MAX_PERCENT = 95.0
CALCIUM_MIN_MM = 0.2
CALCIUM_MAX_MM = 4.0


def junction_from_controls(channel_loss_percent: float, calcium_mM: float,
                           amifampridine: bool = False) -> physiology.Junction:
    """The model junction for the usual controls: a LEMS junction with
    ``channel_loss_percent`` of its P/Q-type channels lost (F3-6, F3-7), at
    ``calcium_mM`` extracellular Ca²⁺, on 3,4-DAP or not (F6-2).

    0 % loss is the healthy junction. Arguments are checked, so a bad value passed to
    an explorer function fails with a message naming it and its range.
    """
    loss = _checks.number("channel_loss_percent", channel_loss_percent, 0.0,
                          CHANNEL_LOSS_MAX_PERCENT, unit="%")
    calcium = _checks.number("calcium_mM", calcium_mM, CALCIUM_MIN_MM, CALCIUM_MAX_MM,
                             unit="mM")
    drug = _checks.flag("amifampridine", amifampridine)
    junction = replace(physiology.lems(loss / 100.0), calcium_mM=calcium)
    return physiology.with_amifampridine(junction) if drug else junction
