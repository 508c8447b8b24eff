"""The answer key covers the quiz bank; the HTML export opens offline; the install
check passes here and explains a failure."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from teacher_helpers import (
    FIXTURE_LESSONS,
    LEARNER_LESSONS,
    LESSONS,
    lesson_params,
    require_lesson,
    run_cli,
    tool_env,
)

from lems_course.cli import main
from lems_course.teacher import check as install_check
from lems_course.teacher.export import WIDGET_MIME, static_notebook


def _items():
    from lems_course.quiz import load_items

    return load_items()


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_answer_key_lists_every_quiz_item_with_answer_and_facts(tmp_path, suffix, capsys):
    items = _items()
    if not items:
        pytest.skip("the quiz bank is empty")
    out = tmp_path / f"key{suffix}"
    assert main(["answer-key", str(out)]) == 0
    assert f"for {len(items)} quiz items" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    from lems_course.quiz import answer_text, lesson_objectives

    plain = re.sub(r"<[^>]+>", "", text).replace("&#x27;", "'").replace("&quot;", '"') \
        .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    for item in items:
        assert f"{item.id} (" in plain
        assert answer_text(item).split(":")[0][:40] in plain
        for fact in item.facts:
            assert fact in plain
    for lesson in {item.lesson for item in items}:
        for objective_id in lesson_objectives(lesson):
            assert objective_id in plain


def test_export_keeps_static_forms_and_drops_live_widgets():
    nb = nbformat.read(FIXTURE_LESSONS / "03_explorers.ipynb", as_version=4)
    static, plots = static_notebook(nb, FIXTURE_LESSONS)
    outputs = [out for cell in static.cells for out in cell.get("outputs", [])]
    assert plots == 1
    assert not any(WIDGET_MIME in out.get("data", {}) for out in outputs)
    assert "Plotly.newPlot" in outputs[0].data["text/html"]
    assert "With 50 % of channels lost" in outputs[0].data["text/html"]
    assert outputs[1].data["text/plain"].startswith("L99-Q1. Which channels")
    assert "open this lesson in JupyterLab" in outputs[2].data["text/plain"]


def _assert_offline_page(html: str, plots: int) -> None:
    assert not re.search(r"<script[^>]+src=", html), "a script is loaded from elsewhere"
    assert not re.search(r"<link[^>]+href=\"?https?:", html), "a stylesheet from the network"
    assert not re.search(r"<img[^>]+src=\"(?!data:)", html), "an image not inlined"
    assert html.count("Plotly.newPlot(") == plots
    # plotly.js itself is inlined once, and only when the page has a plot.
    assert html.count("plotly.js v") <= 1 and (("plotly.js v" in html) == (plots > 0))


def test_export_of_fixture_lessons_opens_offline(tmp_path, capsys):
    course = tmp_path / "course"
    shutil.copytree(FIXTURE_LESSONS, course / "lessons")
    shutil.copytree(FIXTURE_LESSONS.parent / "assets", course / "assets")
    assert main(["export", str(tmp_path / "html"), "--lessons", str(course / "lessons")]) == 0
    assert "[2/3] 03_explorers.ipynb … done" in capsys.readouterr().out
    page = (tmp_path / "html" / "03_explorers.html").read_text(encoding="utf-8")
    _assert_offline_page(page, plots=1)
    assert "data:image/svg+xml;base64," in page
    _assert_offline_page((tmp_path / "html" / "05_graded_exercise.html").read_text(), plots=0)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    # The export is a handout: it is made from the learner versions.
    if any(LEARNER_LESSONS.glob("*.ipynb")):
        assert main(["export", str(out), "--lessons", str(LEARNER_LESSONS)]) == 0
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lesson", lesson_params())
def test_exported_lesson_is_self_contained_html(exported, lesson):
    lesson = LEARNER_LESSONS / require_lesson(lesson).name
    nb = nbformat.read(lesson, as_version=4)
    plots = sum("application/vnd.plotly.v1+json" in out.get("data", {})
                for cell in nb.cells for out in cell.get("outputs", []))
    _assert_offline_page((exported / f"{lesson.stem}.html").read_text(encoding="utf-8"), plots)


def test_install_check_passes_in_this_environment(capsys):
    lessons = LESSONS if any(LESSONS.glob("*.ipynb")) else FIXTURE_LESSONS
    assert main(["check", "--lessons", str(lessons)]) == 0
    out = capsys.readouterr().out
    assert "ok    anywidget" in out and "plotly plot widget" in out
    assert "All checks passed" in out


def test_install_check_output_is_the_course_s_own_lines_only():
    # A separate process, as a teacher runs it: the kernel's stderr and library
    # warnings would reach the terminal there (ipykernel: "Kernel is running over TCP
    # without encryption").
    lessons = LESSONS if any(LESSONS.glob("*.ipynb")) else FIXTURE_LESSONS
    result = run_cli("check", "--lessons", str(lessons), timeout_s=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    for line in result.stdout.splitlines():
        assert re.match(r"(ok  |--  |FAIL)  |      -> |All ", line), line
    assert "Warning" not in result.stdout and "WARNING" not in result.stdout
    for part in ("teacher tools", "Voilà", "Chromium for the browser tests"):
        assert part in result.stdout


def test_install_check_says_how_to_add_a_missing_optional_part(monkeypatch, capsys):
    monkeypatch.setattr(install_check, "_installed", lambda name: name != "nbgrader")
    monkeypatch.setattr(install_check, "check_kernel",
                        lambda timeout_s: install_check.Result(True, "kernel skipped"))
    assert main(["check", "--lessons", str(FIXTURE_LESSONS)]) == 0  # optional: not a failure
    out = capsys.readouterr().out
    assert "--    optional: teacher tools" in out and "nbgrader missing" in out
    assert install_check.install_hint("teacher") in out
    assert "1 optional part(s) not installed" in out


def test_install_hint_is_exact_for_a_clone_and_for_an_installed_package(
        monkeypatch, tmp_path):
    clone = tmp_path / "lems-course"
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "pip").touch()
    monkeypatch.setattr(install_check, "_clone_root", lambda: clone)
    monkeypatch.setattr(install_check.sys, "prefix", str(clone / ".venv"))
    assert install_check.install_hint("teacher") == (
        f'cd {clone} && .venv/bin/pip install -e ".[teacher]"')
    monkeypatch.setattr(install_check, "_clone_root", lambda: None)
    assert install_check.install_hint("teacher") == "pip install 'lems-course[teacher]'"


def test_export_works_without_nbgrader(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(FIXTURE_LESSONS, course / "lessons")
    shutil.copytree(FIXTURE_LESSONS.parent / "assets", course / "assets")
    # None in sys.modules makes every "import nbgrader" fail, as if it were not installed.
    script = ("import sys; sys.modules['nbgrader'] = None; "
              "from lems_course.cli import main; "
              f"sys.exit(main(['export', {str(tmp_path / 'html')!r}, "
              f"'--lessons', {str(course / 'lessons')!r}]))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, env=tool_env())
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "html").glob("*.html")) == [
        "00_start_here.html", "03_explorers.html", "05_graded_exercise.html"]


def test_student_copies_without_nbgrader_say_exactly_what_to_install(tmp_path):
    script = ("import sys; sys.modules['nbgrader'] = None; "
              "from lems_course.cli import main; "
              f"sys.exit(main(['student', {str(tmp_path / 'out')!r}, "
              f"'--lessons', {str(FIXTURE_LESSONS)!r}]))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, env=tool_env())
    assert result.returncode == 1
    assert install_check.install_hint("teacher") in result.stderr
    assert "Traceback" not in result.stderr


def test_install_check_names_a_missing_package_and_what_to_do(monkeypatch, capsys):
    monkeypatch.setattr(install_check, "KEY_PACKAGES",
                        (*install_check.KEY_PACKAGES, ("no-such-course-dep", "a test")))
    monkeypatch.setattr(install_check, "check_kernel",
                        lambda timeout_s: install_check.Result(True, "kernel skipped"))
    assert main(["check", "--lessons", str(FIXTURE_LESSONS)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  no-such-course-dep is not installed" in out
    assert "pip install no-such-course-dep" in out


def test_install_check_reports_a_kernel_error_with_advice(monkeypatch, capsys):
    monkeypatch.setattr(install_check, "KERNEL_CELLS", ("import anywidget_is_not_here",))
    result = install_check.check_kernel(timeout_s=60)
    assert not result.ok
    assert "ModuleNotFoundError" in result.what
    assert "anywidget" in result.advice


def test_committed_lessons_present_under_ci():
    require_lesson(next(iter(sorted(LESSONS.glob("*.ipynb"))), None))
