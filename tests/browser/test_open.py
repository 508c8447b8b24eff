"""``lems-course open`` as a learner meets it with no browser on the machine (SSH,
a container): the URL it prints opens lesson 00 itself, the file browser shows
``lessons/``, and no news pop-up covers the page (the course's shipped settings,
not the harness's: this server gets empty Jupyter config folders)."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from . import jupyter_harness as harness
from .course import ARTIFACTS_DIR
from .served import serve

LESSON = "00_start_here.ipynb"
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


@pytest.fixture(scope="module")
def opened(chromium_path, browser):
    work_dir = harness.make_work_dir("lems-open-")
    root = harness.prepare_root(work_dir / "course")
    served = serve(["open", "--no-browser", "--port", str(harness.free_port())],
                   cwd=root, work_dir=work_dir / "jupyter")
    try:
        url = served.wait_for_url("token=", timeout_s=120)
        yield served, url
    finally:
        served.stop()
        shutil.rmtree(work_dir, ignore_errors=True)


def test_every_printed_url_and_the_open_file_land_on_lesson_00(opened):
    served, _ = opened
    urls = [url for url in served.urls() if "token=" in url]
    assert urls, served.output()
    assert all(f"/lab/tree/lessons/{LESSON}?token=" in url for url in urls), urls
    assert f"/lab/tree/lessons/{LESSON}?token=" in _open_file_text(served)


def _open_file_text(served, timeout_s: float = 60.0) -> str:
    """The server's ``jpserver-*-open.html``. jupyter_server logs its URLs before it
    writes that file (``ServerApp.start_app``), so the file may not be there, or may be
    empty, when the URL is printed: wait until it holds a URL with a token."""
    deadline = time.monotonic() + timeout_s
    while True:
        files = list((served.work_dir / "runtime").glob("jpserver-*-open.html"))
        text = files[0].read_text(encoding="utf-8") if len(files) == 1 else ""
        if "token=" in text or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def test_printed_url_opens_the_lesson_with_the_file_browser_in_lessons(opened, browser):
    _, url = opened
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(".jp-NotebookPanel", timeout=120_000)
        # The lesson is the active document: the current tab of the main area.
        page.wait_for_function(
            """(name) => [...document.querySelectorAll(
                 '#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel')]
                 .some(el => el.textContent === name)""",
            arg=LESSON, timeout=60_000)
        page.wait_for_function(
            """(name) => [...document.querySelectorAll(
                 '.jp-FileBrowser .jp-DirListing-item .jp-DirListing-itemText')]
                 .some(el => el.textContent === name)""",
            arg=LESSON, timeout=60_000)
        crumbs = page.locator(".jp-FileBrowser .jp-BreadCrumbs").text_content()
        listed = page.locator(
            ".jp-FileBrowser .jp-DirListing-item .jp-DirListing-itemText").all_text_contents()
        config = json.loads(page.locator("#jupyter-config-data").text_content())
        # The news question is asked once the app has restored: give it the time.
        page.wait_for_timeout(3000)
        toasts = page.locator(".jp-toast-message, .Toastify__toast").all_text_contents()
        page.screenshot(path=str(ARTIFACTS_DIR / "screenshots" / "open_lesson_00.png"))
    finally:
        context.close()
    assert crumbs.strip("/ ").split("/")[-1].strip() == "lessons", crumbs
    assert "tests" not in listed and "conftest.py" not in listed
    assert NEWS_PLUGIN in config["disabledExtensions"]
    assert config["news"] == {"disabled": True}
    assert not any("news" in text.lower() for text in toasts), toasts
