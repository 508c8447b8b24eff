"""Keyboard-to-redraw latency in real JupyterLab + Chromium (a script, not a test).

Moves a slider with the arrow keys 30+ times and measures, for each key press, the
time from just before the press to the first animation frame in which the plot in
the page has changed:

- the course's way: the channel-loss explorer (four panels, redrawn by the course's
  ``PlotlyPlot`` widget with ``Plotly.react``);
- a one-trace figure and a slider, twice: with the course's ``PlotlyPlot`` and with
  plotly's own ``FigureWidget`` (the transport alone, almost no compute);
- the common way: ``ipywidgets.interact`` redrawing a matplotlib figure of the same
  model numbers (time until the output ``<img>`` changes).

Both run in the same server, browser and kernel, one after the other, so the ratio is
meaningful on a shared, noisy machine even when the absolute numbers are not.
Targets (printed, not asserted): median < 50 ms, p95 < 100 ms.

Run: ``.venv/bin/python benchmarks/browser_latency.py [--moves 32]``
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import time
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))

import jupyter_harness as harness  # noqa: E402  (shared with the browser tests)

TARGET_MEDIAN_MS = 50.0
TARGET_P95_MS = 100.0

EXPLORER_CELL = """\
from lems_course.widgets import channel_loss_explorer
channel_loss_explorer()"""

PLOTLYPLOT_CELL = """\
import ipywidgets as widgets
import plotly.graph_objects as go
from lems_course.widgets._plot import PlotlyPlot
# Own names: the FigureWidget cell's observer looks up its globals when it runs.
plot_slider = widgets.FloatSlider(value=0, min=0, max=95, step=5,
                                  description="Channels lost (%)")
plot_figure = go.Figure(go.Scatter(x=[0, 1, 2, 3], y=[100, 100, 100, 100]))
plot = PlotlyPlot(plot_figure)
def on_plot_change(change):
    plot_figure.data[0].y = [100 - change["new"] * k / 3 for k in range(4)]
    plot.show(plot_figure)
plot_slider.observe(on_plot_change, names="value")
widgets.VBox([plot_slider, plot])"""

FALLBACK_CELL = """\
import ipywidgets as widgets
import plotly.graph_objects as go
slider = widgets.FloatSlider(value=0, min=0, max=95, step=5, description="Channels lost (%)")
figure = go.FigureWidget(go.Scatter(x=[0, 1, 2, 3], y=[100, 100, 100, 100]))
def on_change(change):
    with figure.batch_update():
        figure.data[0].y = [100 - change["new"] * k / 3 for k in range(4)]
slider.observe(on_change, names="value")
widgets.VBox([slider, figure])"""

MATPLOTLIB_CELL = """\
%matplotlib inline
import ipywidgets as widgets
import matplotlib.pyplot as plt
try:
    from lems_course.widgets.channel_loss import channel_loss_view
    def bars(loss):
        return channel_loss_view(channel_loss_percent=loss).traces[0]["y"]
except ImportError:
    def bars(loss):
        return [100 - loss * k / 3 for k in range(4)]

def draw(channel_loss_percent=0.0):
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar(range(4), bars(channel_loss_percent), color="#D55E00")
    ax.set_ylim(0, 115)
    ax.set_ylabel("% of healthy (model)")
    ax.set_title("Losing calcium channels in LEMS (model)")
    plt.show()

widgets.interact(draw, channel_loss_percent=widgets.FloatSlider(
    value=0, min=0, max=95, step=5, description="Channels lost (%)"))"""

# Installs a requestAnimationFrame poller that resolves when the watched thing in the
# cell changes; returns at once. window.__t0 is set by the caller just before the key.
INSTALL_POLLER_JS = """
([scope, what]) => {
  const read = () => {
    const root = document.querySelector(scope);
    if (what === 'plotly') {
      const el = root.querySelector('.js-plotly-plot');
      return el && el.data ? JSON.stringify(el.data.map(t => t.y)) : null;
    }
    const img = root.querySelector('.widget-output img');
    return img ? img.src : null;
  };
  const before = read();
  window.__latency = new Promise(resolve => {
    const deadline = performance.now() + 10000;
    const poll = () => {
      const now = read();
      if (now !== null && now !== before) return resolve(performance.now() - window.__t0);
      if (performance.now() > deadline) return resolve(null);
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(notebook: harness.NotebookPage, cell_index: int, what: str, moves: int) -> list:
    """Latencies (ms) of ``moves`` arrow-key moves of the first slider in a cell."""
    scope = f'[data-lems-cell="{cell_index}"]'
    page = notebook.page
    handle = page.locator(f"{scope} .widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    latencies = []
    # Up then down, so the slider stays inside its range; 2 warm-up moves not counted.
    keys = ["ArrowRight"] * ((moves + 2) // 2) + ["ArrowLeft"] * ((moves + 2) - (moves + 2) // 2)
    for number, key in enumerate(keys):
        handle.focus()
        page.evaluate(INSTALL_POLLER_JS, [scope, what])
        page.evaluate("() => { window.__t0 = performance.now(); }")
        page.keyboard.press(key)
        latency = page.evaluate("() => window.__latency")
        if number >= 2:
            latencies.append(latency)
        page.wait_for_timeout(150)  # let the kernel go idle before the next move
    return latencies


def report(label: str, latencies: list) -> float | None:
    done = [value for value in latencies if value is not None]
    lost = len(latencies) - len(done)
    if not done:
        print(f"{label}: no redraw seen in {len(latencies)} moves")
        return None
    median, p95 = statistics.median(done), percentile(done, 0.95)
    verdict = "meets" if median < TARGET_MEDIAN_MS and p95 < TARGET_P95_MS else "misses"
    print(
        f"{label}: {len(done)} moves, median {median:.0f} ms, p95 {p95:.0f} ms, "
        f"min {min(done):.0f} ms, max {max(done):.0f} ms"
        + (f", {lost} without a redraw in 10 s" if lost else "")
        + f" ({verdict} the target median < {TARGET_MEDIAN_MS:.0f} ms, "
        f"p95 < {TARGET_P95_MS:.0f} ms)"
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=32, help="key presses per variant")
    args = parser.parse_args()

    chromium = harness.find_chromium()
    if chromium is None:
        print("Chromium not found: apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    has_explorer = importlib.util.find_spec("lems_course.widgets.channel_loss") is not None
    work_dir = harness.make_work_dir("lems-latency-")
    root = work_dir / "root"
    root.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    cells = [FALLBACK_CELL, MATPLOTLIB_CELL, PLOTLYPLOT_CELL] + (
        [EXPLORER_CELL] if has_explorer else [])
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, root / "latency.ipynb")
    log_path = REPO_ROOT / "test-artifacts" / "jupyterlab-latency.log"

    server = harness.start_lab(root, work_dir / "jupyter", log_path)
    try:
        with sync_playwright() as playwright:
            browser = harness.launch_chromium(playwright, chromium)
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            started = time.monotonic()
            page = harness.open_notebook(context, server, "latency.ipynb")
            harness.run_all(page)
            harness.wait_for_plots(page, 2 + has_explorer)
            page.page.wait_for_selector(".widget-output img", timeout=60_000)
            harness.tag_cells(page)
            print(f"notebook open and run in {time.monotonic() - started:.1f} s")
            errors = harness.error_outputs(page)
            if errors:
                print("the benchmark notebook failed:\n" + "\n".join(errors), file=sys.stderr)
                return 1

            one_trace_ms = report("one-trace plotly FigureWidget",
                                  measure(page, 0, "plotly", args.moves))
            mpl_ms = report("matplotlib interact", measure(page, 1, "matplotlib", args.moves))
            plot_ms = report("one-trace course PlotlyPlot", measure(page, 2, "plotly", args.moves))
            explorer_ms = None
            if has_explorer:
                explorer_ms = report(
                    "channel-loss explorer (4 panels, PlotlyPlot)",
                    measure(page, 3, "plotly", args.moves))
            else:
                print("channel-loss explorer: not in lems_course.widgets yet, not measured")
            for label, value in (("one-trace FigureWidget", one_trace_ms),
                                 ("one-trace PlotlyPlot", plot_ms),
                                 ("channel-loss explorer", explorer_ms)):
                if value and mpl_ms:
                    print(f"ratio {label} / matplotlib interact (medians): "
                          f"{value / mpl_ms:.2f} (under 1 = faster than matplotlib)")
            harness.shut_down(page)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
