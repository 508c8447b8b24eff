"""lesson_banner(): "Run all cells" until the lesson runs, "running" once it does."""

from __future__ import annotations

from lems_course.widgets import lesson_banner
from lems_course.widgets._banner import RUN_ALL_TEXT, RUNNING_TEXT

WIDGET = "application/vnd.jupyter.widget-view+json"


def test_static_form_asks_to_run_all_cells_and_the_live_form_says_running():
    banner = lesson_banner()
    bundle, metadata = banner._repr_mimebundle_()
    assert RUN_ALL_TEXT == "Run all cells (Run → Run All Cells) to make this lesson interactive."
    assert RUN_ALL_TEXT in bundle["text/markdown"] and bundle["text/plain"] == RUN_ALL_TEXT
    assert bundle[WIDGET]["model_id"] == banner.model_id
    assert banner.text == RUNNING_TEXT and "running" in RUNNING_TEXT
    # Marked live: a saved lesson keeps only "Run all cells …" (widgets._saving).
    assert metadata == {"lems_course": {"live": True}}


def test_output_is_identical_on_every_run_for_nbval():
    (first, _), (second, _) = (lesson_banner()._repr_mimebundle_() for _ in range(2))
    assert {k: v for k, v in first.items() if k != WIDGET} == {
        k: v for k, v in second.items() if k != WIDGET}


def test_banner_scrolls_to_the_top_only_just_after_its_cell_ran():
    banner = lesson_banner()
    assert "since < 5000" in banner._esm and "scrollTop = 0" in banner._esm
    assert lesson_banner().token != banner.token
