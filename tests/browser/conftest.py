"""Fixtures for the browser tests: one real JupyterLab server and one Chromium for
this package's tests, serving a throw-away copy of ``lessons/`` and ``assets/``.

Package scope, not session: both are closed when the last test here has run, so
that other suites can start their own Playwright afterwards (two sync Playwright
instances cannot be open at once in one thread).

Chromium comes from the system package (``apt-get install chromium``); Playwright
never downloads a browser here. Without Chromium the tests skip, except under CI
(env var ``CI`` set) where they fail.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from . import jupyter_harness as harness
from .course import ARTIFACTS_DIR, SCREENSHOTS_DIR, require

# The fixture notebooks are opened in the browser, not validated by nbval.
collect_ignore_glob = ["fixtures/*"]

FIXTURES_DIR = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def chromium_path() -> str:
    path = harness.find_chromium()
    require(
        path is not None,
        "Chromium not found: install it with `apt-get install chromium` "
        "(Playwright must not download a browser here)",
    )
    return path


@pytest.fixture(scope="package")
def lab_server() -> Iterator[harness.LabServer]:
    work_dir = harness.make_work_dir()
    root = harness.prepare_root(
        work_dir / "root",
        extra_files={f"fixtures/{p.name}": p for p in FIXTURES_DIR.glob("*.ipynb")},
    )
    server = harness.start_lab(root, work_dir / "jupyter", ARTIFACTS_DIR / "jupyterlab.log")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(work_dir, ignore_errors=True)


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, 'the Python package playwright is missing: pip install -e ".[test]"')

    with sync_playwright() as playwright:
        chromium = harness.launch_chromium(playwright, chromium_path)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="package")
def browser_context(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="package")
def run_notebook(
    chromium_path: str, lab_server: harness.LabServer, browser_context
) -> Callable[[str], harness.NotebookPage]:
    """Open a notebook (path relative to the server root), run all cells, wait for
    its plots; the caller shuts it down with ``harness.shut_down``.
    (``chromium_path`` comes first so that a missing browser skips before the server
    starts.)"""

    def run(path: str, expected_plots: int = 0) -> harness.NotebookPage:
        notebook = harness.open_notebook(browser_context, lab_server, path)
        try:
            harness.run_all(notebook)
            harness.wait_for_plots(notebook, expected_plots)
        except Exception:
            # Keep a picture of the failure before re-raising it.
            harness.full_page_screenshot(
                notebook, SCREENSHOTS_DIR / f"FAILED_{Path(path).stem}.png"
            )
            harness.shut_down(notebook)
            raise
        return notebook

    return run
