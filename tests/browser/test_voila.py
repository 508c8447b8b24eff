"""Every lesson presented with Voilà (``lems-course present NN``) in Chromium: the
page finishes executing (Voilà 0.5 used to hang at "Executing 5 of N" on the
lessons' ``../assets`` images), the images are inlined, every explorer draws its
figure, and a slider moved from the keyboard (a lesson whose explorers have no
slider: its toggle buttons) changes the figure.

Each wait has a deadline; a page stuck while executing fails with what it shows.
"""

from __future__ import annotations

import shutil
import time

import pytest

from . import jupyter_harness as harness
from .course import ARTIFACTS_DIR, explorer_cells, in_ci, lesson_files
from .served import serve

# Time for a lesson to execute in Voilà on a busy 2-core machine (seen: 10-20 s).
RENDER_TIMEOUT_S = 240

_STATE_JS = """
() => {
  const loading = document.querySelector('#loading_text');
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return {
    loading: loading ? loading.textContent : null,
    plots: plots.length,
    drawn: plots.filter(el => Array.isArray(el.data) && el.data.length).length,
    brokenImages: [...document.querySelectorAll('img')]
        .filter(img => img.complete && img.naturalWidth === 0).map(img => img.src.slice(0, 80)),
    errors: [...document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
        + '.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]')]
        .map(el => el.textContent.slice(0, 300))
        .concat(document.body.textContent.includes('There was an error when executing')
                ? ['Voilà: there was an error when executing a cell'] : []),
  };
}
"""

# The figure of the first output that holds both a plot and a control, the control
# to operate from the keyboard (a slider handle if there is one, else an unpressed
# toggle button, a checkbox or a drop-down) and the key to press. It is tagged with
# data-lems-target so that Playwright can focus it.
_CONTROL_AND_PLOT_JS = """
() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  for (const area of document.querySelectorAll('.jp-OutputArea-output')) {
    const plot = area.querySelector('.js-plotly-plot');
    if (!plot) continue;
    let control = area.querySelector('.widget-slider .noUi-handle'), key = null, kind = null;
    if (control) {
      const now = Number(control.getAttribute('aria-valuenow'));
      const max = Number(control.getAttribute('aria-valuemax'));
      kind = 'slider'; key = now < max ? 'ArrowRight' : 'ArrowLeft';
    } else if ((control = area.querySelector(
                  '.widget-toggle-buttons button:not(.mod-active)'))) {
      kind = 'toggle button'; key = 'Enter';
    } else if ((control = area.querySelector('.widget-checkbox input'))) {
      kind = 'checkbox'; key = 'Space';
    } else if ((control = area.querySelector('.widget-dropdown select'))) {
      kind = 'drop-down';
      key = control.selectedIndex < control.options.length - 1 ? 'ArrowDown' : 'ArrowUp';
    }
    if (!control) continue;
    control.setAttribute('data-lems-target', '1');
    return {plot: plots.indexOf(plot), kind, key};
  }
  return null;
}
"""

_FIGURE_JS = """
(i) => {
  const el = document.querySelectorAll('.js-plotly-plot')[i];
  return JSON.stringify((el._fullData || el.data || []).map(t =>
      [t.x, t.y, t.z, t.values].map(v => v == null ? null : Array.from(v))));
}
"""


def lesson_params() -> list:
    lessons = lesson_files()
    if not lessons:
        return [pytest.param(None, id="no-lessons")]
    return [pytest.param(path, id=path.stem[:2]) for path in lessons]


@pytest.fixture(scope="module")
def course_root():
    if not in_ci():
        pytest.importorskip("voila", reason='Voilà is not installed: pip install -e ".[present]"')
    work_dir = harness.make_work_dir("lems-voila-")
    root = harness.prepare_root(work_dir / "course")
    yield work_dir, root
    shutil.rmtree(work_dir, ignore_errors=True)


def wait_for_page(page, expected_plots: int) -> dict:
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    while True:
        state = page.evaluate(_STATE_JS)
        if state["errors"]:
            return state
        done = state["loading"] is None and state["drawn"] == state["plots"]
        if done and state["plots"] >= expected_plots:
            return state
        if time.monotonic() > deadline:
            raise AssertionError(
                f"Voilà did not finish within {RENDER_TIMEOUT_S} s: the page shows "
                f"{state['loading']!r}, {state['drawn']} of {state['plots']} plots drawn "
                f"({expected_plots} explorers expected)")
        time.sleep(0.5)


@pytest.mark.parametrize("lesson", lesson_params())
def test_lesson_renders_in_voila_and_the_keyboard_moves_its_figure(
        lesson, course_root, chromium_path, browser):
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    if lesson is None:
        pytest.fail("no lessons found") if in_ci() else pytest.skip("no lessons found")
    work_dir, root = course_root
    expected_plots = len(explorer_cells(lesson))
    served = serve(["present", lesson.stem[:2], "--no-browser",
                    "--port", str(harness.free_port())],
                   cwd=root, work_dir=work_dir / f"jupyter-{lesson.stem[:2]}")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        url = served.wait_for_url("http", timeout_s=120)
        page.goto(url, wait_until="domcontentloaded", timeout=RENDER_TIMEOUT_S * 1000)
        state = wait_for_page(page, expected_plots)
        assert state["errors"] == [], state["errors"]
        assert state["brokenImages"] == [], state["brokenImages"]
        assert state["plots"] >= expected_plots
        target = page.evaluate(_CONTROL_AND_PLOT_JS)
        if expected_plots:
            assert target is not None, "no explorer output with a control and a plot"
        if target is not None:
            before = page.evaluate(_FIGURE_JS, target["plot"])
            control = page.locator("[data-lems-target]")
            control.scroll_into_view_if_needed()
            control.focus()
            page.keyboard.press(target["key"])
            try:
                page.wait_for_function(
                    "([i, before]) => (" + _FIGURE_JS + ")(i) !== before",
                    arg=[target["plot"], before], timeout=30_000, polling=100)
            except PlaywrightTimeoutError:
                raise AssertionError(
                    f"{target['key']} on the explorer's {target['kind']} did not change "
                    "its figure within 30 s") from None
    except Exception:
        page.screenshot(path=str(ARTIFACTS_DIR / "screenshots" /
                                 f"FAILED_voila_{lesson.stem}.png"), full_page=True)
        raise
    finally:
        context.close()
        served.stop()
    # Federated JupyterLab extensions that Voilà cannot load (nbgrader's, the
    # notebook's) log errors of their own; only the course's are checked here.
    assert not [e for e in page_errors if "lems" in e.lower()], page_errors
