"""Coming back to a lesson (issue 13.2, 13.10) in real JupyterLab + Chromium.

The learner's path: open a lesson, Run All, answer a quiz wrongly then rightly, move
an explorer, save, shut the kernel down, reopen the lesson. Then no output may say
"Error displaying widget" (the course's server extension keeps only the static forms
of live widgets in the saved file), the questions are readable and the explorer
shows the figure and summary the learner left. After Run All the quiz shows the kept
answer and its verdict, said to be from before.

Also the quiz layout at 768 px (issue 13.7): each radio button sits beside the first
line of its option, and Tab from the chosen option goes to Check.

A server of its own with its own progress home, so the answers given here never
reach the other browser tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lems_course.quiz._widget import ANSWERED_BEFORE

from . import jupyter_harness as harness
from .course import ARTIFACTS_DIR, LESSONS_DIR, SCREENSHOTS_DIR, require
from .explorer_checks import build_explorer, drive_explorer, find_call
from .test_interactions import answer_quiz, first_single_choice_quiz

# Every lesson, with the explorer its learner moves before leaving (issue 13: the
# learner's path is tested for every lesson).
COMING_BACK_EXPLORERS = {
    "00_start_here.ipynb": "warm_up_explorer",
    "01_neuromuscular_junction.ipynb": "safety_factor_explorer",
    "02_acetylcholine_release.ipynb": "cooperativity_explorer",
    "03_calcium_channel_autoimmunity.ipynb": "channel_loss_explorer",
    "04_symptoms_and_diagnosis.ipynb": "emg_lab",
    "05_cancer_association.ipynb": "delta_p_calculator",
    "06_treatment.ipynb": "spike_width_explorer",
    "07_case_study.ipynb": "emg_lab",
}

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"

# The text of every output of one cell, as the page shows it.
_CELL_TEXT_JS = """
(i) => window.__panel.content.widgets[i].node.querySelector('.jp-OutputArea')?.innerText || ''
"""

# The summary (text/plain of the explorer's summary output) held by the notebook model.
_MODEL_SUMMARY_JS = """
(i) => {
  const outputs = window.__panel.content.widgets[i].model.outputs;
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs.get(k).toJSON();
    if (o.data && o.data['text/markdown'] !== undefined && o.data['text/plain'] !== undefined)
      return Array.isArray(o.data['text/plain']) ? o.data['text/plain'].join('')
                                                 : o.data['text/plain'];
  }
  return null;
}
"""


@pytest.fixture(scope="module")
def course_server(chromium_path, tmp_path_factory):
    work = tmp_path_factory.mktemp("coming-back")
    root = harness.prepare_root(work / "root")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEMS_COURSE_HOME", str(work / "home"))  # the kernels inherit it
        server = harness.start_lab(root, work / "jupyter",
                                   ARTIFACTS_DIR / "jupyterlab-coming-back.log")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def _live_outputs_left(saved: Path) -> list[str]:
    """Outputs of the saved file that still hold a course widget's live view."""
    notebook = json.loads(saved.read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            if WIDGET_MIMETYPE in output.get("data", {}) and output.get(
                    "metadata", {}).get("lems_course", {}).get("live"):
                found.append(f"cell {index}")
    return found


def _wait_until_rendered(notebook: harness.NotebookPage, cells: list[int]) -> None:
    """Wait until the given cells show their outputs (no "Loading widget...")."""
    notebook.page.wait_for_function(
        """(cells) => cells.every(i => {
             const area = window.__panel.content.widgets[i].node.querySelector('.jp-OutputArea');
             return area && area.innerText.trim() && !area.innerText.includes('Loading widget');
           })""",
        arg=cells, timeout=30_000, polling=200)


@pytest.mark.parametrize("name", sorted(COMING_BACK_EXPLORERS), ids=lambda name: name[:2])
def test_coming_back_shows_the_lesson_as_left_and_keeps_the_answers(name, course_server,
                                                                     browser_context):
    path = LESSONS_DIR / name
    require(path.exists(), f"lesson {name} has not been written yet")
    relative = f"lessons/{name}"
    item, quiz_cell = first_single_choice_quiz(path)
    located = find_call(path, COMING_BACK_EXPLORERS[name])
    assert item is not None and located is not None
    explorer_cell = located.cell_index

    # 1. The first visit: Run All, a quiz answered wrongly then rightly, the explorer
    #    moved (every control once, the page checked against the model each time).
    notebook = harness.open_notebook(browser_context, course_server, relative)
    try:
        harness.run_all(notebook)
        harness.wait_for_plots(notebook, 1)
        harness.tag_cells(notebook)
        answer_quiz(notebook, quiz_cell, item)
        explorer = build_explorer(located)
        drive_explorer(notebook, explorer_cell, explorer)
        left_summary = explorer.summary_text
        # The stored summary follows the explorer (about a second later).
        notebook.page.wait_for_function(
            f"(text) => ({_MODEL_SUMMARY_JS})({explorer_cell}) === text",
            arg=left_summary, timeout=15_000, polling=200)
        notebook.evaluate("async () => { await window.__panel.context.save(); }")
    except Exception:
        harness.full_page_screenshot(notebook, SCREENSHOTS_DIR / f"FAILED_back1_{path.stem}.png")
        raise
    finally:
        harness.shut_down(notebook)  # the kernel stops: the next day

    saved = course_server.root_dir / relative
    assert _live_outputs_left(saved) == [], "live widget views were saved in the file"

    # 2. Coming back: a new kernel, nothing run yet.
    notebook = harness.open_notebook(browser_context, course_server, relative)
    try:
        _wait_until_rendered(notebook, [quiz_cell, explorer_cell])
        notebook.page.wait_for_timeout(1000)  # let any widget renderer give up
        page_text = notebook.evaluate("() => window.__panel.node.innerText")
        assert "Error displaying widget" not in page_text
        assert "model not found" not in page_text
        quiz_text = notebook.evaluate(_CELL_TEXT_JS, quiz_cell)
        assert item.question.split()[0] in quiz_text and item.id in quiz_text
        assert "press Check" not in quiz_text
        explorer_text = notebook.evaluate(_CELL_TEXT_JS, explorer_cell)
        assert " ".join(left_summary.split()) in " ".join(explorer_text.split()), (
            "the explorer's saved summary is not the one the learner left")
        shown = notebook.evaluate(
            """(i) => [...window.__panel.content.widgets[i].node.querySelectorAll(
                   '.jp-OutputArea-child > .jp-OutputArea-output')].map(el =>
                   (el.getAttribute('data-mime-type') || '?') + ':'
                   + el.querySelectorAll('.js-plotly-plot, img').length)""", explorer_cell)
        figures = sum(int(entry.rsplit(":", 1)[1]) for entry in shown)
        assert figures == 1, f"the saved explorer shows {figures} figures: {shown}"
        harness.full_page_screenshot(notebook, SCREENSHOTS_DIR / f"back_{path.stem}.png")

        # 3. Run All again: the quiz shows the last answer, its verdict, and says so.
        harness.run_all(notebook)
        harness.tag_cells(notebook)
        scope = f'[data-lems-cell="{quiz_cell}"]'
        feedback = notebook.page.locator(f"{scope} .lems-quiz-feedback").first
        feedback.wait_for(timeout=15_000)
        notebook.page.wait_for_function(
            "(el) => el.textContent.length > 0", arg=feedback.element_handle(), timeout=15_000)
        text = feedback.text_content()
        assert text.startswith(ANSWERED_BEFORE), text
        assert f"Correct: {item.key['answer']})" in text
        checked = notebook.page.locator(f"{scope} input[type=radio]:checked")
        assert checked.count() == 1
        keys = [option.key for option in item.options]
        radios = notebook.page.locator(f"{scope} .widget-radio-box input[type=radio]")
        assert radios.nth(keys.index(item.key["answer"])).is_checked()
        # Live again: the stored copies under the explorer are hidden, the widget shows.
        harness.wait_for_plots(notebook, 1)
        hidden = notebook.evaluate(
            """(i) => [...window.__panel.content.widgets[i].node.querySelectorAll(
                   '.jp-OutputArea-child')].map(el => getComputedStyle(el).display === 'none')""",
            explorer_cell)
        assert hidden == [False, True, True], f"explorer outputs hidden: {hidden}"

        # 4. The quiz at 768 px (issue 13.7).
        notebook.page.set_viewport_size({"width": 768, "height": 1024})
        notebook.page.wait_for_timeout(500)
        drift = notebook.evaluate(
            """(scope) => [...document.querySelectorAll(scope + ' .widget-radio-box label')]
                 .map(label => {
                   const input = label.querySelector('input');
                   const box = input.getBoundingClientRect();
                   const top = label.getBoundingClientRect().top;
                   const line = parseFloat(getComputedStyle(label).lineHeight) || 18;
                   // The radio's centre lies within the first line of its text.
                   return (box.top + box.height / 2) - top <= line + 4 ? null
                          : label.textContent.trim().slice(0, 40);
                 }).filter(Boolean)""", scope)
        assert drift == [], f"radio buttons below the first line of their option: {drift}"
        radios.nth(keys.index(item.key["answer"])).focus()
        notebook.page.keyboard.press("Tab")
        focused = notebook.evaluate(
            "() => document.activeElement && document.activeElement.textContent.trim()")
        assert focused == "Check", f"Tab from the chosen option went to {focused!r}"
        notebook.page.set_viewport_size({"width": 1280, "height": 900})
    except Exception:
        harness.full_page_screenshot(notebook, SCREENSHOTS_DIR / f"FAILED_back2_{path.stem}.png")
        raise
    finally:
        harness.shut_down(notebook)


def test_lesson_banner_says_running_keeps_the_view_at_the_top_and_asks_to_run_after(
        course_server, browser_context):
    """issue 13.4: the first cell's banner. A long notebook, so that Run All (which
    makes the last cell active and scrolls to it) would leave the view at the end."""
    import nbformat

    from lems_course.widgets._banner import RUN_ALL_TEXT, RUNNING_TEXT

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# A lesson"),
                      nbformat.v4.new_code_cell("from lems_course.widgets import lesson_banner\n"
                                                "lesson_banner()")]
    for number in range(40):
        notebook.cells += [nbformat.v4.new_markdown_cell(f"Paragraph {number}. " * 30),
                           nbformat.v4.new_code_cell(f"{number} * 2")]
    relative = "generated/banner.ipynb"
    target = course_server.root_dir / relative
    target.parent.mkdir(exist_ok=True)
    nbformat.write(notebook, target)

    page = harness.open_notebook(browser_context, course_server, relative)
    try:
        harness.run_all(page)
        banner = page.page.locator(".lems-banner").first
        banner.wait_for(timeout=15_000)
        assert banner.text_content() == RUNNING_TEXT
        page.page.wait_for_timeout(1000)
        top = page.evaluate(
            """() => { const s = window.__panel.content.node.querySelector(
                           '.jp-WindowedPanel-outer') || window.__panel.content.node;
                       return s.scrollTop; }""")
        assert top == 0, f"after Run All the notebook is scrolled {top} px down"
        page.evaluate("async () => { await window.__panel.context.save(); }")
    except Exception:
        harness.full_page_screenshot(page, SCREENSHOTS_DIR / "FAILED_banner.png")
        raise
    finally:
        harness.shut_down(page)

    page = harness.open_notebook(browser_context, course_server, relative)
    try:
        _wait_until_rendered(page, [1])
        text = page.evaluate(_CELL_TEXT_JS, 1)
        assert RUN_ALL_TEXT in text and "running" not in text
        assert "Error displaying widget" not in page.evaluate(
            "() => window.__panel.node.innerText")
    finally:
        harness.shut_down(page)
