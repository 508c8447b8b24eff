"""Every lesson in real JupyterLab: run all cells in Chromium, then check what a
learner would see: no errors, every explorer drawn with data and drawing what the
model gives, no serious accessibility problems in the outputs. A screenshot of
each lesson is saved under ``test-artifacts/screenshots/``.

The lessons are collected when this module is imported, so the suite follows the
course as lessons are added.
"""

from __future__ import annotations

import pytest

from . import jupyter_harness as harness
from .course import (
    EXPECTED_LESSONS,
    SCREENSHOTS_DIR,
    explorer_cells,
    lesson_files,
    lesson_path,
    require,
)
from .explorer_checks import build_explorer, find_calls, wait_until_page_matches

LESSONS = lesson_files()

# axe-core impacts that fail the test; "moderate" and "minor" are printed only.
BLOCKING_IMPACTS = ("serious", "critical")

@pytest.mark.parametrize("name", EXPECTED_LESSONS, ids=lambda name: name[:2])
def test_every_planned_lesson_exists(name):
    require(lesson_path(name).exists(), f"lesson {name} has not been written yet")


@pytest.fixture(scope="module", params=LESSONS, ids=lambda path: path.stem)
def lesson(request, run_notebook):
    """One lesson opened and run in the browser, with a full-page screenshot."""
    path = request.param
    notebook = run_notebook(f"lessons/{path.name}", expected_plots=len(explorer_cells(path)))
    harness.tag_cells(notebook)
    # Overlaps depend on the width, so look before the screenshot changes the layout,
    # at the default window and at a small laptop's.
    notebook.covered, notebook.clipped = {}, {}
    for width in (1280, 1024):
        notebook.page.set_viewport_size({"width": width, "height": 900})
        notebook.page.wait_for_timeout(300)
        notebook.covered[width] = harness.covered_choices(notebook)
        notebook.clipped[width] = harness.clipped_labels(notebook)
    notebook.page.set_viewport_size({"width": 1280, "height": 900})
    harness.full_page_screenshot(notebook, SCREENSHOTS_DIR / f"{path.stem}.png")
    yield path, notebook
    harness.shut_down(notebook)


def test_lesson_runs_without_error_outputs(lesson):
    _path, notebook = lesson
    assert harness.error_outputs(notebook) == []
    not_run = notebook.evaluate(
        """() => window.__panel.content.widgets
                 .map((c, i) => [i, c])
                 .filter(([i, c]) => c.model.type === 'code'
                         && c.model.sharedModel.getSource().trim()
                         && c.model.executionCount === null)
                 .map(([i, c]) => i)"""
    )
    assert not_run == [], f"code cells that did not run: {not_run}"


def test_lesson_raises_no_javascript_errors(lesson):
    path, notebook = lesson
    # Console errors and failed requests are reported, not failed on: JupyterLab logs
    # some of its own (e.g. a 404 for an optional resource) on a closed network.
    for message in notebook.console_errors + notebook.failed_requests:
        print(f"{path.name}: {message}")
    assert notebook.page_errors == []


def test_every_quiz_option_can_be_clicked(lesson):
    _path, notebook = lesson
    covered = {width: found for width, found in notebook.covered.items() if found}
    assert covered == {}, (
        "radio buttons or checkboxes hidden under other elements (a long option wraps "
        f"over the next one), so they cannot be clicked (by window width): {covered}"
    )


def test_every_control_label_is_shown_in_full(lesson):
    _path, notebook = lesson
    clipped = {width: found for width, found in notebook.clipped.items() if found}
    assert clipped == {}, f"labels cut off with an ellipsis (by window width): {clipped}"


def test_every_explorer_draws_a_plot_with_data(lesson):
    path, notebook = lesson
    plots = harness.plot_summaries(notebook)
    empty = [plot for plot in plots if plot["traces"] == 0 or plot["points"] == 0]
    assert empty == [], f"plots without data: {empty}"
    assert len(plots) >= len(explorer_cells(path))


def test_every_explorer_draws_what_the_model_gives(lesson):
    """Each explorer cell's plot and summary equal the same explorer built here."""
    path, notebook = lesson
    checked = 0
    for located in find_calls(path):
        try:
            explorer = build_explorer(located)
        except NameError:
            print(f"{located.call_source}: uses a lesson variable, not compared")
            continue
        scope = f'[data-lems-cell="{located.cell_index}"]'
        plot_index = harness.plot_index_in(notebook, scope)
        assert plot_index >= 0, f"cell {located.cell_index} ({located.call_source}) has no plot"
        problems = wait_until_page_matches(notebook, scope, plot_index, explorer)
        assert not problems, f"{located.call_source}:\n" + "\n".join(problems)
        checked += 1
    print(f"{path.name}: {checked} explorer(s) compared with the model")


def test_lesson_outputs_have_no_serious_accessibility_violations(lesson):
    from axe_playwright_python.sync_playwright import Axe

    path, notebook = lesson
    results = Axe().run(
        notebook.page,
        context={"include": [[".jp-NotebookPanel .jp-OutputArea"]]},
        options={"resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    blocking = []
    for violation in violations:
        nodes = violation["nodes"]
        if violation["impact"] not in BLOCKING_IMPACTS:
            print(
                f"{path.name}: {violation['impact']} {violation['id']} "
                f"({len(nodes)} nodes): {violation['help']}"
            )
            continue
        # Slider handles included: the explorers name them (widgets/_summary.py).
        where = ", ".join(" ".join(node["target"]) for node in nodes[:5])
        blocking.append(f"{violation['impact']} {violation['id']}: {violation['help']} at {where}")
    assert blocking == [], "\n".join(blocking)
