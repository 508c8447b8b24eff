"""Figures that fit (issue 13, item 7): in real JupyterLab, with the file browser
open, at 1400, 1024 and 768 px wide windows, every explorer's figure

- keeps its texts (title, subplot titles, annotations, axis titles, tick labels,
  bar and point labels, legend) apart from each other,
- keeps the labels a learner reads (annotations, point and bar labels) off the
  lines, bars and markers drawn in the plot,
- keeps every text inside the figure, and the figure inside its cell;

and at 1400 × 1000 the first slider and the panel it changes fit on one screen.

The texts are measured in the page: ``getBoundingClientRect`` of plotly's SVG
``text`` elements; lines are sampled along their SVG paths. Failures name the
lesson, the explorer cell, the width and the two texts (or text and line).
"""

from __future__ import annotations

import pytest

from . import jupyter_harness as harness
from .course import SCREENSHOTS_DIR, explorer_cells, lesson_files

WIDTHS_PX = (1400, 1024, 768)
WINDOW_HEIGHT_PX = 1000

# Two boxes closer than this do not count as overlapping: glyph boxes include
# the font's line gap, so touching boxes do not mean touching letters.
TOLERANCE_PX = 2

LESSONS = [path for path in lesson_files() if explorer_cells(path)]

# Plotly's texts in one plot, by kind; each gets a short name for messages.
_MEASURE_JS = r"""
([plotIndex, tolerance]) => {
  const plot = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[plotIndex];
  const container = plot.querySelector('.svg-container') || plot;
  const frame = container.getBoundingClientRect();
  const cell = plot.closest('.jp-OutputArea-output') || plot.parentElement;
  const cellBox = cell.getBoundingClientRect();
  const kinds = [
    ['title', '.g-gtitle text'],
    ['axis title', '[class^="g-x"][class$="title"] text, [class^="g-y"][class$="title"] text'],
    ['annotation', '.annotation text'],
    ['tick label', '.xtick text, .ytick text'],
    ['point label', '.scatterlayer .textpoint text'],
    ['bar label', '.barlayer .bartext'],
    ['legend', '.legend .legendtext'],
  ];
  const seen = new Set();
  const texts = [];
  for (const [kind, selector] of kinds) {
    for (const el of plot.querySelectorAll(selector)) {
      if (seen.has(el)) continue;
      seen.add(el);
      if (el.closest('.hoverlayer')) continue;
      const words = (el.textContent || '').trim();
      const box = el.getBoundingClientRect();
      if (!words || box.width < 1 || box.height < 1) continue;
      if (getComputedStyle(el).display === 'none' || el.closest('[display="none"]')) continue;
      texts.push({kind, words, box: {l: box.left, t: box.top, r: box.right, b: box.bottom}});
    }
  }
  const name = (t) => `${t.kind} "${t.words}"`;
  const overlap = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > tolerance
                         && Math.min(a.b, b.b) - Math.max(a.t, b.t) > tolerance;
  const problems = [];
  // Text on text.
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (overlap(texts[i].box, texts[j].box)) {
        problems.push(`${name(texts[i])} overlaps ${name(texts[j])}`);
      }
    }
  }
  // Text cut off by the figure's edge.
  for (const t of texts) {
    const b = t.box;
    if (b.l < frame.left - 1 || b.r > frame.right + 1 || b.t < frame.top - 1
        || b.b > frame.bottom + 1) {
      problems.push(`${name(t)} is cut off by the figure's edge`);
    }
  }
  // The figure wider than its cell.
  if (frame.right > cellBox.right + 1) {
    problems.push(`the figure (${Math.round(frame.width)} px) is wider than its cell `
                  + `(${Math.round(cellBox.width)} px)`);
  }
  // Labels a learner reads on lines, bars and markers. Tick labels and axis titles
  // sit outside the plot area by construction; they are checked against texts only.
  const readable = texts.filter((t) => ['annotation', 'point label', 'bar label',
                                        'title'].includes(t.kind));
  const inside = (x, y, b) => x > b.l + tolerance && x < b.r - tolerance
                           && y > b.t + tolerance && y < b.b - tolerance;
  const paths = [
    ['line', '.scatterlayer .js-line'],
    ['shape', '.shapelayer path'],
    ['axis line', '.xlines-above, .ylines-above, .xlines-below, .ylines-below'],
  ];
  for (const [kind, selector] of paths) {
    for (const path of plot.querySelectorAll(selector)) {
      if (typeof path.getTotalLength !== 'function') continue;
      // A filled band without an outline (e.g. a published range) is not a line.
      const style = getComputedStyle(path);
      if (parseFloat(style.strokeWidth) === 0 || style.stroke === 'none'
          || parseFloat(style.strokeOpacity) === 0) continue;
      const matrix = path.getScreenCTM();
      if (!matrix) continue;
      const length = path.getTotalLength();
      if (!(length > 0)) continue;
      const hit = new Set();
      for (let s = 0; s <= length; s += 2) {
        const p = path.getPointAtLength(s);
        const x = matrix.a * p.x + matrix.c * p.y + matrix.e;
        const y = matrix.b * p.x + matrix.d * p.y + matrix.f;
        for (const t of readable) if (inside(x, y, t.box)) hit.add(t);
      }
      for (const t of hit) problems.push(`${name(t)} lies on a ${kind}`);
    }
  }
  // Filled things: bars and markers, as boxes.
  const solids = [['bar', '.barlayer .point path'], ['marker', '.scatterlayer .points path']];
  for (const [kind, selector] of solids) {
    for (const el of plot.querySelectorAll(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width < 1 || box.height < 1) continue;
      const b = {l: box.left, t: box.top, r: box.right, b: box.bottom};
      for (const t of readable) {
        if (t.kind === 'bar label' && kind === 'bar') continue;  // inside/outside is plotly's
        if (overlap(t.box, b)) problems.push(`${name(t)} lies on a ${kind}`);
      }
    }
  }
  return [...new Set(problems)];
}
"""

# The plot has been drawn at its container's width and its size has stopped
# changing (a narrow layout may be drawn after a first resize).
_SETTLED_JS = r"""
(plotIndex) => {
  const plot = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[plotIndex];
  if (!plot || !plot._fullLayout) return false;
  const width = plot.getBoundingClientRect().width;
  const signature = [Math.round(width), plot._fullLayout.width, plot._fullLayout.height,
                     plot.querySelectorAll('text').length].join(':');
  window.__lemsLayoutSettled ??= {};
  const previous = window.__lemsLayoutSettled[plotIndex];
  window.__lemsLayoutSettled[plotIndex] = signature;
  return previous === signature && Math.abs(plot._fullLayout.width - width) <= 1;
}
"""

# First slider and the first panel of the figure in the same explorer, after
# scrolling the explorer's top to the top of the notebook.
_SLIDER_AND_PANEL_JS = r"""
(plotIndex) => {
  const plot = document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[plotIndex];
  const box = plot.closest('.lems-explorer') || plot.closest('.jp-OutputArea');
  const slider = box.querySelector('.widget-slider');
  if (!slider) return null;
  const scroller = plot.closest('.jp-WindowedPanel-outer') || plot.closest('.jp-Notebook');
  box.scrollIntoView({block: 'start'});
  const view = scroller.getBoundingClientRect();
  const s = slider.getBoundingClientRect();
  const svg = plot.querySelector('.main-svg').getBoundingClientRect();
  const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
  const panel = {top: svg.top + ya._offset, bottom: svg.top + ya._offset + ya._length};
  const within = (r) => r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
  return {slider: within(s), panel: within(panel),
          sliderBox: [Math.round(s.top), Math.round(s.bottom)],
          panelBox: [Math.round(panel.top), Math.round(panel.bottom)],
          view: [Math.round(view.top), Math.round(view.bottom)]};
}
"""


def _plots(notebook: harness.NotebookPage) -> list[tuple[str, int]]:
    """(explorer cell, plot index) for every plot in an explorer cell. The stored copy
    of a figure, which JupyterLab draws hidden under the live explorer once a control
    has moved (``.jp-RenderedPlotly``, 0 px wide), is not one: it is never seen, and
    it shifts the indices of the plots after it."""
    found = notebook.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')]
                 .map((plot, index) => {
                   const cell = plot.closest('[data-lems-cell]');
                   const code = cell && cell.querySelector('.jp-InputArea .cm-content');
                   return [code ? code.textContent.trim().slice(0, 60) : '?', index,
                           plot.classList.contains('jp-RenderedPlotly')];
                 })"""
    )
    return [(source, index) for source, index, stored_copy in found if not stored_copy]


def _index_now(notebook: harness.NotebookPage, position: int) -> int:
    """The index now of the ``position``-th plot of ``_plots`` (a stored copy drawn
    since may have shifted it)."""
    return _plots(notebook)[position][1]


def _settle(notebook: harness.NotebookPage, plot_index: int, where: str) -> None:
    notebook.evaluate(
        """(i) => document.querySelectorAll('.jp-NotebookPanel .js-plotly-plot')[i]
                 .scrollIntoView({block: 'center'})""",
        plot_index,
    )
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        notebook.page.wait_for_function(_SETTLED_JS, arg=plot_index, polling=250, timeout=30000)
    except PlaywrightTimeoutError as error:
        raise AssertionError(f"{where}: the plot did not settle at its new width") from error


def _open_file_browser(notebook: harness.NotebookPage) -> None:
    notebook.evaluate(
        """() => { const app = window.jupyterapp;
                   app.shell.activateById('filebrowser');
                   app.shell.expandLeft(); }"""
    )


@pytest.fixture(scope="module", params=LESSONS, ids=lambda path: path.stem)
def lesson(request, run_notebook):
    """A lesson with explorers, run in the browser; yields its name and the page."""
    path = request.param
    notebook = run_notebook(f"lessons/{path.name}", expected_plots=len(explorer_cells(path)))
    harness.tag_cells(notebook)
    yield path.stem, notebook
    # The window is shared with the other browser tests: give back the usual size.
    notebook.page.set_viewport_size({"width": 1280, "height": 900})
    harness.shut_down(notebook)


@pytest.mark.parametrize("width", WIDTHS_PX)
def test_explorer_labels_do_not_overlap_and_fit(lesson, width):
    name, notebook = lesson
    notebook.page.set_viewport_size({"width": width, "height": WINDOW_HEIGHT_PX})
    _open_file_browser(notebook)
    problems = []
    for source, index in _plots(notebook):
        where = f"{name}, `{source}`, {width} px window"
        _settle(notebook, index, where)
        problems += [f"{where}: {problem}"
                     for problem in notebook.evaluate(_MEASURE_JS, [index, TOLERANCE_PX])]
        # A picture of each explorer at each width, for whoever reviews the layout.
        notebook.page.locator(".jp-NotebookPanel .js-plotly-plot").nth(index).screenshot(
            path=str(SCREENSHOTS_DIR / f"layout_{name[:2]}_plot{index}_{width}.png"))
    if problems:
        harness.full_page_screenshot(
            notebook, SCREENSHOTS_DIR / f"LAYOUT_{name}_{width}.png", width=width)
    assert problems == [], "labels that collide or are cut off:\n" + "\n".join(problems)


def test_labels_stay_clear_with_the_first_slider_at_its_ends(lesson):
    """Labels follow the data: the reported collisions (channel loss at high loss)
    appear only at the slider's ends, so measure there too, at 1400 and 768 px."""
    name, notebook = lesson
    problems = []
    for position, (source, _) in enumerate(_plots(notebook)):
        index = _index_now(notebook, position)
        scope = notebook.evaluate(
            """(i) => { const plot = document.querySelectorAll(
                          '.jp-NotebookPanel .js-plotly-plot')[i];
                        const cell = plot.closest('[data-lems-cell]');
                        return cell ? cell.getAttribute('data-lems-cell') : null; }""",
            index,
        )
        handle = f'[data-lems-cell="{scope}"] .widget-slider .noUi-handle'
        if scope is None or notebook.page.locator(handle).count() == 0:
            continue
        for key in ("End", "Home"):
            index = _index_now(notebook, position)
            before = harness.all_trace_values(notebook, index)
            harness.press_on(notebook, handle, key)
            harness.wait_for_trace_change(notebook, index, before)
            for width in (1400, 768):
                notebook.page.set_viewport_size({"width": width, "height": WINDOW_HEIGHT_PX})
                _open_file_browser(notebook)
                where = f"{name}, `{source}`, first slider at its {key}, {width} px window"
                index = _index_now(notebook, position)
                _settle(notebook, index, where)
                problems += [f"{where}: {problem}" for problem in
                             notebook.evaluate(_MEASURE_JS, [index, TOLERANCE_PX])]
    assert problems == [], "labels that collide or are cut off:\n" + "\n".join(problems)


# The window of issue 13. (The same window at 200 % zoom, 700 × 500 CSS px, does not
# pass yet: about 380 px of notebook are left under JupyterLab's bars, see the report.)
SCREENS = {"1400x1000": (1400, 1000)}


@pytest.mark.parametrize("screen", SCREENS)
def test_first_slider_and_its_panel_fit_on_one_screen(lesson, screen):
    name, notebook = lesson
    width, height = SCREENS[screen]
    notebook.page.set_viewport_size({"width": width, "height": height})
    _open_file_browser(notebook)
    checked = 0
    for source, index in _plots(notebook):
        where = f"{name}, `{source}`, {screen} window"
        _settle(notebook, index, where)
        seen = notebook.evaluate(_SLIDER_AND_PANEL_JS, index)
        if seen is None:
            continue
        assert seen["slider"] and seen["panel"], (
            f"{where}: with the explorer scrolled to the top, the first slider "
            f"(top/bottom {seen['sliderBox']} px) and the panel it changes "
            f"({seen['panelBox']} px) are not both inside the notebook's view "
            f"({seen['view']} px)")
        checked += 1
        break  # the first slider of the lesson
    if not checked:
        print(f"{name}: no explorer with a slider")
