"""``SummaryRegion``: the explorer's sentence in a live region, and names for its sliders.

Two accessibility fixes that need a few lines in the page:

- The summary is a polite live region (``role="status"``) created once; only its
  text changes. An ``ipywidgets.HTML`` re-inserts its content on every update, and
  screen readers often do not announce a region that was just inserted.
- ipywidgets draws a slider with noUiSlider, whose handle (``role="slider"``) gets
  no accessible name from the slider's description (axe: ``aria-input-field-name``;
  noUiSlider issues #1019, #1223). The region labels every slider handle in its own
  explorer box with that description, for example "Channels lost (%)".
"""

from __future__ import annotations

import anywidget
import traitlets

#: CSS class of the explorer's outer box; the region looks for sliders inside it.
EXPLORER_CLASS = "lems-explorer"

_ESM = """
function nameSliders(box) {
  for (const slider of box.querySelectorAll(".widget-slider")) {
    const label = slider.querySelector(".widget-label");
    const name = label ? label.textContent.trim() : "";
    if (!name) continue;
    for (const handle of slider.querySelectorAll(".noUi-handle")) {
      if (handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
    }
  }
}

function render({ model, el }) {
  const region = document.createElement("div");
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.className = "lems-summary";
  const update = () => { region.textContent = model.get("text"); };
  update();
  model.on("change:text", update);
  el.appendChild(region);
  // Slider views render after this one or are re-rendered later: watch the box.
  let observer = null;
  let tries = 0;
  const attach = () => {
    const box = el.closest(".__EXPLORER_CLASS__");
    if (!box) { if (tries++ < 100) requestAnimationFrame(attach); return; }
    nameSliders(box);
    // Plotly redraws its own subtree all the time: only other changes matter.
    observer = new MutationObserver((changes) => {
      if (changes.some((c) => !(c.target.closest && c.target.closest(".js-plotly-plot")))) {
        nameSliders(box);
      }
    });
    observer.observe(box, { childList: true, subtree: true });
  };
  attach();
  return () => {
    model.off("change:text", update);
    if (observer) observer.disconnect();
  };
}
export default { render };
""".replace("__EXPLORER_CLASS__", EXPLORER_CLASS)


class SummaryRegion(anywidget.AnyWidget):
    """The summary sentence (``text``), announced politely when it changes."""

    _esm = _ESM
    # While the explorer is live, the figure and summary stored for static views and
    # for a saved lesson (the explorer's next outputs in the same cell, see
    # ``Explorer._ipython_display_``) would repeat it: hide them. Without a live widget
    # (no kernel, static views) this rule is not in the page and they show.
    _css = """
    .lems-summary { margin: 0.5em 0; line-height: 1.4; }
    .jp-OutputArea-child:has(.__EXPLORER_CLASS__) ~ .jp-OutputArea-child:has(
        :is(.jp-RenderedPlotly, .jp-RenderedImage, .jp-RenderedMarkdown,
            [data-mime-type="application/vnd.plotly.v1+json"],
            [data-mime-type="image/png"], [data-mime-type="text/markdown"])) {
      display: none;
    }
    """.replace("__EXPLORER_CLASS__", EXPLORER_CLASS)
    text = traitlets.Unicode("").tag(sync=True)
