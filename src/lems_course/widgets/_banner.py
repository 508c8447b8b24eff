"""``lesson_banner()``: the first thing a lesson shows says whether it is running.

A lesson that has not run (or was reopened after its kernel stopped) looks live but
does nothing (issue 13.4). The banner's output carries two forms:

- a static one (Markdown): "Run all cells (Run → Run All Cells) to make this lesson
  interactive", which JupyterLab shows when there is no live widget (an untouched
  file, a saved lesson reopened: the course's server extension drops the widget view
  from saved files, ``widgets._saving``) and which static views show;
- a live widget, shown instead once the cell has run: "This lesson is running".

Run All moves JupyterLab's active cell to the end and scrolls there (its
``runAll`` action). The live banner, drawn a moment later when the first cell has
run, scrolls the notebook back to the top, once, and only just after its cell ran.
"""

from __future__ import annotations

import secrets
from typing import Any

import anywidget
import traitlets

from lems_course.widgets._saving import live_metadata

#: What a learner reads before the lesson runs (the static form).
RUN_ALL_TEXT = "Run all cells (Run → Run All Cells) to make this lesson interactive."
#: What the live banner says once the lesson's cells have run.
RUNNING_TEXT = ("This lesson is running: its explorers and quizzes respond. If the "
                "kernel stops or restarts, run all cells again.")

_ESM = """
// When each banner model arrived in this page: a banner drawn right after its cell
// ran (Run All) brings the view back to the top; one drawn later (scrolling back to
// it, a second view) does not move the page.
const arrived = new Map();

function initialize({ model }) {
  arrived.set(model.get("token"), performance.now());
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "lems-banner lems-banner-running";
  box.setAttribute("role", "status");
  box.textContent = model.get("text");
  el.appendChild(box);
  const token = model.get("token");
  const since = arrived.has(token) ? performance.now() - arrived.get(token) : Infinity;
  if (since < 5000) {
    arrived.delete(token);
    requestAnimationFrame(() => {
      const scroller = el.closest(".jp-WindowedPanel-outer") || el.closest(".jp-Notebook");
      if (scroller) scroller.scrollTop = 0;
      else window.scrollTo(0, 0);
    });
  }
}
export default { initialize, render };
"""


class LessonBanner(anywidget.AnyWidget):
    """The banner's live form; displayed with its static form (see module doc)."""

    _esm = _ESM
    _css = """
    .lems-banner { padding: 0.4em 0.7em; border-left: 4px solid #009E73;
                   background: rgba(0, 158, 115, 0.08); line-height: 1.4; }
    """
    text = traitlets.Unicode(RUNNING_TEXT).tag(sync=True)
    token = traitlets.Unicode().tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(token=secrets.token_hex(8), **kwargs)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        shown = super()._repr_mimebundle_(**kwargs)
        data = shown[0] if isinstance(shown, tuple) else shown  # anywidget: (data, meta)
        bundle = {key: value for key, value in data.items()
                  if key == "application/vnd.jupyter.widget-view+json"}
        bundle["text/markdown"] = f"**▶ {RUN_ALL_TEXT}**"
        bundle["text/plain"] = RUN_ALL_TEXT
        return bundle, live_metadata()


def lesson_banner() -> LessonBanner:
    """The banner for a lesson's setup cell (its last line): "Run all cells … to make
    this lesson interactive" until the cell runs, "This lesson is running" after."""
    return LessonBanner()
