"""The quiz widget in real JupyterLab + Chromium: keyboard use, live feedback, axe.

Uses the browser suite's harness (``tests/browser/jupyter_harness.py``, a plain
module). Without Chromium or Playwright the tests skip, except under CI (env var
``CI`` set) where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

from lems_course.quiz._files import seal_file
from lems_course.quiz._widget import ANSWER_CHANGED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HARNESS_PATH = Path(__file__).resolve().parents[1] / "browser" / "jupyter_harness.py"
FIXTURE = Path(__file__).parent / "fixtures" / "L09.json"
FEEDBACK = ".lems-quiz-feedback"


def _require(condition: bool, message: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)")
    pytest.skip(message)


def _harness():
    spec = importlib.util.spec_from_file_location("quiz_jupyter_harness", HARNESS_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _notebook(path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("from lems_course.quiz import quiz")]
    notebook.cells += [nbformat.v4.new_code_cell(f'quiz("{item_id}")')
                       for item_id in ("L09-Q1", "L09-Q2", "L09-Q3", "L09-P2")]
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def quiz_page(tmp_path_factory):
    _require(HARNESS_PATH.exists(), f"browser harness not found at {HARNESS_PATH}")
    _require(importlib.util.find_spec("playwright") is not None,
             "the playwright Python package is not installed")
    harness = _harness()
    chromium = harness.find_chromium()
    _require(chromium is not None, "Chromium not found: install it with "
             "`apt-get install chromium` (Playwright must not download a browser here)")
    from playwright.sync_api import sync_playwright

    work = tmp_path_factory.mktemp("quiz-browser")
    items = work / "items"
    items.mkdir()
    shutil.copy(FIXTURE, items / "L09.json")
    seal_file(items / "L09.json")
    root = work / "root"
    root.mkdir()
    _notebook(root / "quiz.ipynb")
    with pytest.MonkeyPatch.context() as patch:
        # The server's kernel inherits these: the fixture bank, a throw-away home.
        patch.setenv("LEMS_COURSE_QUIZ_DIR", str(items))
        patch.setenv("LEMS_COURSE_HOME", str(work / "home"))
        server = harness.start_lab(root, work / "jupyter", work / "jupyterlab.log")
    try:
        with sync_playwright() as playwright:
            browser = harness.launch_chromium(playwright, chromium)
            context = browser.new_context(viewport={"width": 1280, "height": 1400})
            notebook = harness.open_notebook(context, server, "quiz.ipynb")
            try:
                harness.run_all(notebook)
                notebook.page.wait_for_selector(FEEDBACK, state="attached", timeout=60_000)
                notebook.page.wait_for_function(
                    f"() => document.querySelectorAll('{FEEDBACK}').length === 4",
                    timeout=60_000)
                yield notebook
            finally:
                harness.shut_down(notebook)
                context.close()
                browser.close()
    finally:
        server.stop()


def _feedback(page, index: int, timeout_s: float = 10.0) -> str:
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = page.eval_on_selector_all(FEEDBACK, "els => els.map(e => e.textContent)")[index]
        if text:
            return text
        time.sleep(0.1)
    return text


def _settled_feedback(page, index: int, expected: tuple[str, ...],
                      timeout_s: float = 10.0, contains: bool = False) -> str:
    """The feedback once it starts with (or, with ``contains``, holds) one of
    ``expected``; else the last text seen."""
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = page.eval_on_selector_all(FEEDBACK, "els => els.map(e => e.textContent)")[index]
        if text.startswith(expected) or (contains and any(e in text for e in expected)):
            return text
        time.sleep(0.05)
    return text


def test_feedback_areas_are_polite_live_regions(quiz_page):
    roles = quiz_page.page.eval_on_selector_all(
        FEEDBACK, "els => els.map(e => [e.getAttribute('role'), e.getAttribute('aria-live')])")
    assert roles == [["status", "polite"]] * 4


def test_single_choice_works_from_the_keyboard_alone(quiz_page):
    page = quiz_page.page
    page.locator(".widget-radio-box input").nth(0).focus()
    page.keyboard.press("Space")  # selects a)
    page.keyboard.press("ArrowDown")  # moves to b) (JupyterLab must not take the key)
    checked = page.locator(".widget-radio-box input").evaluate_all(
        "els => els.slice(0, 3).map(e => e.checked)")
    assert checked == [False, True, False]
    page.locator("button", has_text="Check").nth(0).focus()
    page.keyboard.press("Enter")
    # ipywidgets may still hold b) back (a) is in flight) when Check is pressed: the
    # page sends the choice it shows with the check, so b) is graded the first time.
    shown = _settled_feedback(page, 0, ("Correct: b) It stays normal.", ANSWER_CHANGED))
    assert shown.startswith("Correct: b) It stays normal.")


def test_check_grades_the_choice_the_page_shows_before_the_kernel_has_it(quiz_page):
    # The race made certain: a) is checked in the page without any event, so
    # ipywidgets never sends it and the kernel still holds its older value (none, or
    # b) from another test). Check must grade a), what the learner sees selected.
    page = quiz_page.page
    page.locator(".widget-radio-box").nth(0).evaluate(
        "box => { box.querySelectorAll('input[type=radio]')[0].checked = true; }")
    page.locator("button", has_text="Check").nth(0).click()
    shown = _settled_feedback(page, 0, ("Not quite: a)",))
    assert shown.startswith("Not quite: a)"), shown


def test_malformed_number_gets_a_message_in_the_page(quiz_page):
    page = quiz_page.page
    page.locator(".widget-text input").nth(0).fill("fifty")
    # The typed value reaches the kernel when the field loses focus, possibly after the
    # click; the page sends the text it shows with the check, so "fifty" is graded.
    page.locator("button", has_text="Check").nth(2).click()
    shown = _settled_feedback(page, 2, ("'fifty' is not a number", ANSWER_CHANGED),
                              contains=True)
    assert "'fifty' is not a number" in shown


def test_quiz_outputs_have_no_axe_violations(quiz_page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(quiz_page.page, context={"include": [[".lems-quiz"]]})
    assert results.violations_count == 0, results.generate_report()
