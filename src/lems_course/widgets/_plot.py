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
that ships inside the ``plotly`` package (no download, works offline).
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

_RENDER_JS = """
function render({ model, el }) {
  const Plotly = loadPlotly();
  const plot = document.createElement("div");
  plot.className = "lems-plot";
  el.appendChild(plot);
  let drawing = false;
  let again = false;
  let gone = false;
  // Plotly.react keeps zoom and legend clicks while uirevision stays the same, and
  // writes into the objects it is given: give it copies, not the model's state.
  const current = () => {
    const figure = structuredClone(model.get("figure"));
    const layout = { uirevision: "lems-course", ...(figure.layout || {}) };
    layout.template = model.get("template");
    return [figure.data || [], layout];
  };
  // Slider steps can arrive faster than plotly draws: draw the newest figure once
  // the current drawing is done, and skip the ones in between.
  const draw = () => {
    if (gone) return;
    if (drawing) { again = true; return; }
    drawing = true;
    const [data, layout] = current();
    Promise.resolve(Plotly.react(plot, data, layout, model.get("config")))
      .catch((error) => console.error("lems-course plot:", error))
      .finally(() => {
        drawing = false;
        if (again) { again = false; draw(); }
      });
  };
  draw();
  model.on("change:figure", draw);
  // The output area is often laid out after render(): follow its width.
  const resized = new ResizeObserver(() => {
    if (!drawing && !gone && plot.offsetWidth > 0) Plotly.Plots.resize(plot);
  });
  resized.observe(el);
  return () => {
    gone = true;
    model.off("change:figure", draw);
    resized.disconnect();
    Plotly.purge(plot);
  };
}
export default { render };
"""


@lru_cache(maxsize=1)
def _bundle() -> str:
    """plotly.js (shipped with the ``plotly`` package), evaluated once per page, then
    the render function. The UMD bundle sees a local ``module`` and exports to it."""
    source = resources.files("plotly").joinpath("package_data/plotly.min.js").read_text(
        encoding="utf-8")
    # The bundle also sets window.Plotly. Keep our copy out of the page's globals:
    # other plotly.js copies on the page (a FigureWidget's, JupyterLab's plotly
    # renderer's) may set or read that name, and this one is a different version.
    source = source.replace("window.Plotly = Plotly;", "")
    key = json.dumps(f"__lemsCoursePlotly_{plotly.__version__}")
    return (
        "function loadPlotly() {\n"
        f"  if (!globalThis[{key}]) {{\n"
        f"    globalThis[{key}] = (function () {{\n"
        "      const module = { exports: {} };\n"
        "      const exports = module.exports;\n"
        f"{source}\n;\n"
        "      return module.exports;\n"
        "    })();\n"
        "  }\n"
        f"  return globalThis[{key}];\n"
        "}\n" + _RENDER_JS)


class PlotlyPlot(anywidget.AnyWidget):
    """A plotly figure shown in the browser; :meth:`show` sends a new state.

    The layout's template (about 9 KB, the same for every state) is synced once,
    apart from the figure, so a slider step sends only data and layout.
    """

    _esm = _bundle()
    figure = traitlets.Dict().tag(sync=True)
    template = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)

    def __init__(self, figure: go.Figure | None = None, *,
                 config: dict[str, Any] | None = None) -> None:
        super().__init__(config=dict(config or {}))
        if figure is not None:
            self.show(figure)

    def show(self, figure: go.Figure) -> None:
        """Send ``figure`` to the browser (nothing is sent if it did not change)."""
        spec = json.loads(pio.to_json(figure, validate=False, remove_uids=True))
        template = spec.setdefault("layout", {}).pop("template", {})
        if template != self.template:
            self.template = template
        self.figure = spec
