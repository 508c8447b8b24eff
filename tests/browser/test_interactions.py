"""Keyboard and mouse in real JupyterLab: moving an explorer's controls changes the
plot and the summary to exactly what the model gives, and a quiz shows the item's
own feedback for a wrong and a right answer.

The expected values are computed here, in the test process, by building the same
explorer with the same arguments as the lesson and changing its controls the same
way (the explorer's one pure update function does the rest).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from lems_course.quiz import check as check_answer

from . import jupyter_harness as harness
from .course import LESSONS_DIR, code_sources, require
from .explorer_checks import build_explorer, drive_explorer, find_call

# Lesson → the explorer whose controls are driven with the keyboard.
LESSON_EXPLORERS = {
    "03_calcium_channel_autoimmunity.ipynb": "channel_loss_explorer",
    "04_symptoms_and_diagnosis.ipynb": "emg_lab",
    "05_cancer_association.ipynb": "delta_p_calculator",
}
QUIZ_CALL = re.compile(r"""\bquiz\(\s*["'](L\d\d-[A-Z]+\d+)["']\s*\)""")


def answer_quiz(notebook: harness.NotebookPage, cell_index: int, item) -> None:
    """Answer a single-choice item wrongly, then rightly, by clicking; check that the
    page shows that item's feedback for each choice."""
    scope = f'[data-lems-cell="{cell_index}"]'
    keys = [option.key for option in item.options]
    right = item.key["answer"]
    wrong = next(key for key in keys if key != right)
    feedback = notebook.page.locator(f"{scope} .lems-quiz-feedback").first
    radios = notebook.page.locator(f"{scope} .widget-radio-box input[type=radio]")
    check = notebook.page.locator(f"{scope} button", has_text="Check").first

    covered = harness.covered_choices(notebook, scope)
    assert covered == [], (
        "radio buttons hidden under another option's text (a long option wraps over "
        f"the next one), so they cannot be clicked: {covered}"
    )
    shown = []
    for choice, verdict in ((wrong, "Not quite"), (right, "Correct")):
        radios.nth(keys.index(choice)).click(timeout=5000)
        # Clicked at once, as a quick learner would: Check grades the choice the page
        # shows, even while ipywidgets still holds the new choice back. Between the
        # choice and the verdict the quiz may rightly say the answer changed since the
        # last check; the verdict on the shown choice must follow.
        check.click()
        shown.append(_wait_for_feedback(notebook, feedback, (f"{verdict}: {choice})",)))
        assert check.get_attribute("data-lems-page-checks"), (
            "Check was not taken by the page's listener, so the kernel graded its own, "
            "possibly older, copy of the answer")
    assert shown[0].startswith("Not quite") and item.key["feedback"][wrong] in shown[0]
    # The right answer shows the item's own message: the same text check() gives,
    # built from the right option's feedback and the explanation.
    assert shown[1].startswith("Correct")
    assert " ".join(shown[1].split()) == " ".join(check_answer(item.id, right).message.split())
    assert item.key["explanation"] in shown[1]


def _wait_for_feedback(notebook: harness.NotebookPage, feedback, prefixes: tuple[str, ...]) -> str:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        notebook.page.wait_for_function(
            "([el, prefixes]) => prefixes.some(p => el.textContent.startsWith(p))",
            arg=[feedback.element_handle(), list(prefixes)],
            timeout=10_000,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(f"feedback never started with {prefixes}; it shows "
                             f"{feedback.text_content()!r}") from None
    return feedback.text_content()


def first_single_choice_quiz(notebook_path: Path):
    """The first single-choice quiz item the notebook displays, and its cell."""
    from lems_course.quiz import get_item

    for item_id in QUIZ_CALL.findall("\n".join(code_sources(notebook_path))):
        item = get_item(item_id)
        if item.kind == "single":
            return item, find_call_with_text(notebook_path, item_id)
    return None, None


def find_call_with_text(notebook_path: Path, text: str) -> int:
    notebook = nbformat.read(notebook_path, as_version=4)
    return next(
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and text in cell.source
    )


# --- the tests ---------------------------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(LESSON_EXPLORERS), ids=lambda name: name[:2])
def lesson(request, run_notebook):
    name = request.param
    path = LESSONS_DIR / name
    require(path.exists(), f"lesson {name} has not been written yet")
    notebook = run_notebook(f"lessons/{name}", expected_plots=1)
    harness.tag_cells(notebook)
    yield name, path, notebook
    harness.shut_down(notebook)


def test_keyboard_moves_explorer_to_what_the_model_gives(lesson):
    name, path, notebook = lesson
    explorer_name = LESSON_EXPLORERS[name]
    located = find_call(path, explorer_name)
    assert located is not None, f"{name} does not call {explorer_name}"
    drive_explorer(notebook, located.cell_index, build_explorer(located))


def test_quiz_shows_the_items_feedback_for_wrong_then_right(lesson):
    name, path, notebook = lesson
    item, cell_index = first_single_choice_quiz(path)
    assert item is not None, f"{name} shows no single-choice quiz"
    answer_quiz(notebook, cell_index, item)


@pytest.fixture(scope="module")
def generated(lab_server, run_notebook):
    """A notebook written now: the channel-loss explorer and a single-choice quiz, so
    the machinery is proved before (and independently of) the lessons."""
    from lems_course.quiz import load_items

    item = next(item for item in load_items() if item.kind == "single")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from lems_course.quiz import quiz\n"
            "from lems_course.widgets import channel_loss_explorer"
        ),
        nbformat.v4.new_code_cell("channel_loss_explorer(channel_loss_percent=50.0)"),
        nbformat.v4.new_code_cell(f'quiz("{item.id}")'),
    ]
    path = lab_server.root_dir / "generated" / "interactions.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(notebook, path)
    page = run_notebook("generated/interactions.ipynb", expected_plots=1)
    harness.tag_cells(page)
    yield path, page, item
    harness.shut_down(page)


def test_keyboard_moves_channel_loss_explorer_in_a_generated_notebook(generated):
    path, notebook, _ = generated
    located = find_call(path, "channel_loss_explorer")
    drive_explorer(notebook, located.cell_index, build_explorer(located))


def test_quiz_feedback_in_a_generated_notebook(generated):
    _, notebook, item = generated
    answer_quiz(notebook, 2, item)
