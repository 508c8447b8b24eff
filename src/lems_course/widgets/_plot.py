"""``PlotlyPlot``: a plotly.js figure in an anywidget, redrawn with ``Plotly.react``.

Why not plotly's own ``FigureWidget``: measured here (``benchmarks/browser_latency.py``
and the notes in ``docs/performance.md``), every ``FigureWidget`` update makes the
browser diff the whole drawn figure and send the differences back to the kernel,
which validates them again. On the four-panel channel-loss explorer that tripled the
browser's work per slider step (about 60 ms instead of 20 ms) and kept the kernel
busy for another 80-150 ms. Building the first ``FigureWidget`` in a kernel also
imports nbformat and jsonschema (1.5-5 s). This widget sends the figure one way
only: Python keeps the ``go.Figure`` (the explorers' single source of truth) and
the browser redraws it.

The figures are still built with ``plotly.graph_objects`` and drawn by the plotly.js
that ships inside the ``plotly`` package (no download, works offline). That 4.8 MB
bundle travels to the page once per kernel, in a :class:`PlotlyLibrary` widget
that every plot references, instead of once per figure as with ``FigureWidget``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import anywidget
import plotly
import plotly.graph_objects as go
import plotly.io as pio
import traitlets
from ipywidgets import widget_serialization

# The page-wide slot where the library widget puts plotly.js and plots wait for it.
_SLOT_JS = """
const SLOT_KEY = __SLOT_KEY__;
function slot() {
  globalThis[SLOT_KEY] ??= { plotly: null, waiting: [] };
  return globalThis[SLOT_KEY];
}
"""

# anywidget gives every model 2 s to load its module and initialize, and reports
# "[anywidget] Failed to initialize model." past that (seen in CI, on a busy
# machine, when this module was plotly.js itself). So the module stays small and
# plotly.js travels as a plain string, compiled afterwards as a module of its own;
# the plots wait for it in the slot.
_LIBRARY_JS = """
function initialize({ model }) {
  const shared = slot();
  if (shared.plotly || shared.loading) return;
  shared.loading = true;
  // The UMD bundle sees a local `module` and exports to it.
  const text = "const module = { exports: {} };\\nconst exports = module.exports;\\n" +
    model.get("source") + "\\n;\\nexport default module.exports;\\n";
  const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
  const load = () => import(url)
    .then((loaded) => {
      shared.plotly = loaded.default;
      for (const resolve of shared.waiting.splice(0)) resolve(shared.plotly);
    })
    .catch((error) => {
      shared.loading = false;
      console.error("lems-course: plotly.js did not load", error);
    })
    .finally(() => URL.revokeObjectURL(url));
  // Evaluating plotly.js holds the page for seconds on a busy machine; the models
  // made with this one (the plot, its summary, quizzes) are still inside anywidget's
  // 2 s and would fail. Start once the page is idle, i.e. after they have loaded.
  if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 3000 });
  else setTimeout(load, 0);
}
export default { initialize };
"""

_RENDER_JS = """
function whenPlotly() {
  const shared = slot();
  return shared.plotly ? Promise.resolve(shared.plotly)
    : new Promise((resolve) => shared.waiting.push(resolve));
}

// --- Figures that fit (issue 13; engineer "layout") --------------------------------
// A figure may carry a one-column layout in layout.meta.lemsNarrow =
// {belowPx, layout}: drawn narrower than belowPx, that layout is merged in (objects
// keyed "0", "1"… patch the items of a list, such as subplot-title annotations).
function narrowPatch(layout, width) {
  const narrow = layout && layout.meta && layout.meta.lemsNarrow;
  return narrow && width > 0 && width < narrow.belowPx ? narrow.layout : null;
}
function patchLayout(target, patch) {
  for (const [key, value] of Object.entries(patch)) {
    const old = target[key];
    if (value && typeof value === "object" && !Array.isArray(value)
        && old && typeof old === "object") patchLayout(old, value);
    else target[key] = value;
  }
}
// --- end of figures that fit ---------------------------------------------------------

function render({ model, el }) {
  const plot = document.createElement("div");
  plot.className = "lems-plot";
  el.appendChild(plot);
  let Plotly = null;
  let drawing = false;
  let again = false;
  let gone = false;
  // Plotly.react keeps zoom and legend clicks while uirevision stays the same, and
  // writes into the objects it is given: give it copies, not the model's state.
  const current = () => {
    const figure = structuredClone(model.get("figure"));
    const layout = { uirevision: "lems-course", ...(figure.layout || {}) };
    layout.template = model.get("template");
    const narrow = narrowPatch(layout, plot.offsetWidth);  // figures that fit
    if (narrow) patchLayout(layout, narrow);
    plot.dataset.lemsLayout = narrow ? "narrow" : "wide";
    return [figure.data || [], layout];
  };
  // Slider steps can arrive faster than plotly draws: draw the newest figure once
  // the current drawing is done, and skip the ones in between.
  const draw = () => {
    if (gone || !Plotly) return;
    if (drawing) { again = true; return; }
    drawing = true;
    const [data, layout] = current();
    Promise.resolve(Plotly.react(plot, data, layout, model.get("config")))
      .catch((error) => console.error("lems-course plot:", error))
      .finally(() => {
        drawing = false;
        if (again) { again = false; draw(); }
        // Figures that fit: a resize that came while drawing is caught up here.
        else if (plot.offsetWidth > 0 && plot._fullLayout
                 && Math.abs(plot._fullLayout.width - plot.offsetWidth) > 1) {
          Plotly.Plots.resize(plot);
        }
      });
  };
  // plotly.js arrives once per page, in its own widget: say so while it loads, and
  // say what to do if it never does (a slow or broken connection).
  plot.textContent = "Loading the plot…";
  const stuck = setTimeout(() => {
    if (!Plotly) plot.textContent = "The plot library has not loaded. Run this cell " +
      "again; if that does not help, run `lems-course check` in a terminal.";
  }, 30000);
  whenPlotly().then((library) => {
    clearTimeout(stuck);
    if (gone) return;
    Plotly = library;
    plot.textContent = "";
    draw();
  });
  model.on("change:figure", draw);
  // The output area is often laid out after render(): follow its width.
  const resized = new ResizeObserver(() => {
    if (!Plotly || gone || plot.offsetWidth <= 0) return;
    // Figures that fit: crossing the narrow width draws the other layout.
    const narrow = !!narrowPatch((model.get("figure") || {}).layout, plot.offsetWidth);
    if (drawing || narrow !== (plot.dataset.lemsLayout === "narrow")) draw();
    else Plotly.Plots.resize(plot);
  });
  resized.observe(el);
  return () => {
    gone = true;
    clearTimeout(stuck);
    model.off("change:figure", draw);
    resized.disconnect();
    if (Plotly) Plotly.purge(plot);
  };
}
export default { render };
"""


def _slot_js() -> str:
    return _SLOT_JS.replace("__SLOT_KEY__",
                            json.dumps(f"__lemsCoursePlotly_{plotly.__version__}"))


@lru_cache(maxsize=1)
def _plotly_source() -> str:
    """plotly.js as shipped with the ``plotly`` package."""
    source = resources.files("plotly").joinpath("package_data/plotly.min.js").read_text(
        encoding="utf-8")
    # The bundle also sets window.Plotly. Keep our copy out of the page's globals:
    # other plotly.js copies on the page (a FigureWidget's, JupyterLab's plotly
    # renderer's) may set or read that name, and this one is a different version.
    return source.replace("window.Plotly = Plotly;", "")


class PlotlyLibrary(anywidget.AnyWidget):
    """plotly.js for the page, never displayed. One per kernel: the 4.8 MB bundle goes
    to the browser once, however many plots a lesson shows (anywidget would send and
    evaluate it again for every widget that carried it)."""

    _esm = _slot_js() + _LIBRARY_JS
    source = traitlets.Unicode().tag(sync=True)

    def __init__(self) -> None:
        super().__init__(source=_plotly_source())


_library: PlotlyLibrary | None = None


def plotly_library() -> PlotlyLibrary:
    """The kernel's shared :class:`PlotlyLibrary` (made again if it was closed)."""
    global _library
    if _library is None or _library.comm is None:
        _library = PlotlyLibrary()
    return _library


class PlotlyPlot(anywidget.AnyWidget):
    """A plotly figure shown in the browser; :meth:`show` sends a new state.

    The layout's template (about 9 KB, the same for every state) is synced once,
    apart from the figure, so a slider step sends only data and layout.
    """

    _esm = _slot_js() + _RENDER_JS
    # Referencing the library makes the browser create it before this plot.
    library = traitlets.Instance(PlotlyLibrary).tag(sync=True, **widget_serialization)
    figure = traitlets.Dict().tag(sync=True)
    template = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)

    def __init__(self, figure: go.Figure | None = None, *,
                 config: dict[str, Any] | None = None) -> None:
        super().__init__(config=dict(config or {}), library=plotly_library())
        if figure is not None:
            self.show(figure)

    def show(self, figure: go.Figure) -> None:
        """Send ``figure`` to the browser (nothing is sent if it did not change)."""
        spec = json.loads(pio.to_json(figure, validate=False, remove_uids=True))
        template = spec.setdefault("layout", {}).pop("template", {})
        if template != self.template:
            self.template = template
        self.figure = spec
