"""Static views of a lesson (issue 10.4, 10.5): nbconvert's HTML, without a kernel or
JavaScript, shows a figure and a prose summary for every explorer and never asks to
"press Check".

The lesson is executed here as ``jupyter nbconvert --execute --to html`` does (widget
state stored, so nbconvert renders the widget views, which stay empty offline): the
still picture and the summary are outputs of their own and must show anyway. The
same notebook is also converted with its widget state removed (what GitHub, nbviewer
or a plain ``nbconvert --to html`` of a stored lesson sees).
"""

from __future__ import annotations

import base64
import copy
import html
import re
from pathlib import Path

import nbformat
import pytest

LESSONS_DIR = Path(__file__).resolve().parents[1] / "lessons"
LESSON = LESSONS_DIR / "03_calcium_channel_autoimmunity.ipynb"
PNG_IN_HTML = re.compile(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
EXPLORER_CALL = re.compile(
    r"\b(warm_up_explorer|safety_factor_explorer|release_simulator|cooperativity_explorer|"
    r"channel_loss_explorer|spike_width_explorer|emg_lab|treatment_simulator|"
    r"delta_p_calculator)\s*\(")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Lesson 03 executed headless with nbconvert's defaults (widget state stored)."""
    if not LESSON.exists():
        pytest.skip(f"{LESSON.name} has not been written yet")
    from nbconvert.preprocessors import ExecutePreprocessor

    home = tmp_path_factory.mktemp("home")
    notebook = nbformat.read(LESSON, as_version=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEMS_COURSE_HOME", str(home))
        ExecutePreprocessor(timeout=300, kernel_name="python3").preprocess(
            notebook, {"metadata": {"path": str(LESSON.parent)}})
    assert "widgets" in notebook.metadata, "nbconvert's default stores widget state"
    return notebook


def _html(notebook) -> str:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    return body


def _outputs_only(notebook):
    """The notebook with its Markdown cells emptied: only outputs are judged."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = ""
    return notebook


def _explorer_cells(notebook) -> list:
    return [cell for cell in notebook.cells
            if cell.cell_type == "code" and EXPLORER_CALL.search(cell.source)]


def _summaries(cell) -> list[str]:
    return [output.data["text/plain"] for output in cell.outputs
            if "text/markdown" in output.get("data", {})]


@pytest.mark.parametrize("state", ["widget state stored", "no widget state"])
def test_html_shows_a_figure_and_a_prose_summary_per_explorer(executed, state):
    notebook = _outputs_only(executed)
    if state == "no widget state":
        notebook.metadata.pop("widgets", None)
    explorers = _explorer_cells(notebook)
    assert explorers, "the lesson shows no explorer: this test would prove nothing"
    page = _html(notebook)
    pictures = PNG_IN_HTML.findall(page)
    assert len(pictures) == len(explorers), "one still picture per explorer"
    for picture in pictures:
        assert base64.b64decode(picture).startswith(b"\x89PNG")
    for cell in explorers:
        (summary,) = _summaries(cell)
        # Markdown becomes a paragraph that wraps like text, not a <pre> block.
        escaped = html.escape(summary, quote=False)
        paragraph = re.search(r"<p>([^<]*)</p>", page[page.index(escaped[:40]) - 3:])
        assert paragraph and paragraph.group(1).startswith(escaped[:40]), summary
        assert not re.search(r"<pre>[^<]*" + re.escape(escaped[:40]), page)


@pytest.mark.parametrize("state", ["widget state stored", "no widget state"])
def test_quizzes_in_static_html_do_not_ask_to_press_check(executed, state):
    notebook = _outputs_only(executed)
    if state == "no widget state":
        notebook.metadata.pop("widgets", None)
    page = _html(notebook)
    quizzes = sum('quiz("' in cell.source for cell in notebook.cells)
    assert quizzes and page.count("Run → Run All Cells") >= quizzes
    assert "press check" not in page.lower()


def test_executed_notebook_stays_small_without_plotly_js_or_anywidget_bundles(executed):
    # Keep a lesson under 300 KB (house rule): the pictures are small PNGs.
    stored = copy.deepcopy(executed)
    stored.metadata.pop("widgets", None)
    size = len(nbformat.writes(stored).encode("utf-8"))
    assert size < 300_000, f"{LESSON.name} executed is {size / 1000:.0f} KB"
