"""``lems-course``: finding lessons, opening one, and the error paths a teacher meets."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from teacher_helpers import FIXTURE_LESSONS, REPO, run_cli, tool_env

from lems_course.cli import JUPYTER_SETTINGS_DIR, course_jupyter_env, main
from lems_course.teacher.lessons import (
    CourseError,
    find_lessons_dir,
    find_source_dir,
    resolve_lesson,
)
from lems_course.teacher.present import RENDERER


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course folder laid out like the repository: lessons/ and assets/."""
    shutil.copytree(FIXTURE_LESSONS, tmp_path / "lessons")
    shutil.copytree(FIXTURE_LESSONS.parent / "assets", tmp_path / "assets")
    return tmp_path


@pytest.mark.parametrize("typed", ["5", "05", "05_graded", "05_graded_exercise.ipynb"])
def test_lesson_can_be_named_by_number_or_start_of_name(typed):
    assert resolve_lesson(typed, FIXTURE_LESSONS).name == "05_graded_exercise.ipynb"


def test_lesson_defaults_to_start_here():
    assert resolve_lesson(None, FIXTURE_LESSONS).name == "00_start_here.ipynb"


def test_lessons_are_found_from_the_course_folder_or_below_it(course):
    assert find_lessons_dir(cwd=course) == (course / "lessons").resolve()
    assert find_lessons_dir(cwd=course / "assets") == (course / "lessons").resolve()


def test_source_lessons_are_found_next_to_the_learner_lessons(course):
    shutil.copytree(FIXTURE_LESSONS, course / "instructor")
    assert find_source_dir(cwd=course / "lessons") == (course / "instructor").resolve()
    assert find_lessons_dir(cwd=course / "instructor") == (course / "lessons").resolve()


def test_open_dry_run_prints_jupyter_lab_landing_on_the_lesson(course, monkeypatch, capsys):
    monkeypatch.chdir(course)
    assert main(["open", "3", "--dry-run"]) == 0
    setting, *command = shlex.split(capsys.readouterr().out)
    assert setting == f"JUPYTER_CONFIG_PATH={JUPYTER_SETTINGS_DIR}"
    assert command[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert f"--ServerApp.root_dir={course.resolve()}" in command
    # The lesson is the default URL, not a file argument: every printed URL opens it.
    assert "--LabApp.default_url=/lab/tree/lessons/03_explorers.ipynb" in command
    assert not any(part.endswith(".ipynb") and not part.startswith("--") for part in command)
    assert ("--allow-root" in command) == (os.geteuid() == 0)


def test_open_accepts_a_path_outside_the_course_and_serves_its_folder(
        course, tmp_path_factory, capsys):
    elsewhere = tmp_path_factory.mktemp("downloads")
    path = elsewhere / "05 graded exercise.ipynb"
    shutil.copy(course / "lessons" / "05_graded_exercise.ipynb", path)
    assert main(["open", str(path), "--dry-run", "--lessons", str(course / "lessons")]) == 0
    command = shlex.split(capsys.readouterr().out)
    assert "--LabApp.default_url=/lab/tree/05%20graded%20exercise.ipynb" in command
    assert f"--ServerApp.root_dir={elsewhere.resolve()}" in command


def test_open_passes_no_browser_port_and_address(course, capsys):
    assert main(["open", "--dry-run", "--no-browser", "--port", "9999", "--ip", "0.0.0.0",
                 "--lessons", str(course / "lessons")]) == 0
    command = shlex.split(capsys.readouterr().out)
    assert {"--no-browser", "--ServerApp.port=9999", "--ServerApp.ip=0.0.0.0"} <= set(command)
    assert "--LabApp.default_url=/lab/tree/lessons/00_start_here.ipynb" in command


def test_shipped_jupyter_settings_hide_the_news_and_come_first_on_the_config_path():
    page_config = json.loads((JUPYTER_SETTINGS_DIR / "labconfig" / "page_config.json")
                             .read_text())
    assert page_config["disabledExtensions"] == {
        "@jupyterlab/apputils-extension:announcements": True}
    server = json.loads((JUPYTER_SETTINGS_DIR / "jupyter_server_config.json").read_text())
    assert server["LabApp"]["news_url"] is None
    env = course_jupyter_env({"JUPYTER_CONFIG_PATH": "/elsewhere"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(JUPYTER_SETTINGS_DIR), "/elsewhere"]
    # The user's own config folder is not touched.
    assert "JUPYTER_CONFIG_DIR" not in course_jupyter_env({})


def test_binder_start_puts_the_shipped_settings_on_the_jupyter_config_path():
    start = REPO / "binder" / "start"
    assert os.access(start, os.X_OK)
    script = ("from jupyter_core.paths import jupyter_config_path; "
              "print('\\n'.join(jupyter_config_path()))")
    result = subprocess.run([str(start), sys.executable, "-c", script], capture_output=True,
                            text=True, timeout=60, env=tool_env())
    assert result.returncode == 0, result.stderr
    assert str(JUPYTER_SETTINGS_DIR) in result.stdout.splitlines()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "urlpath=lab/tree/lessons/00_start_here.ipynb" in readme


def test_present_dry_run_serves_the_lesson_with_the_course_image_renderer(course, capsys):
    assert main(["present", "3", "--dry-run", "--no-browser",
                 "--lessons", str(course / "lessons")]) == 0
    command = shlex.split(capsys.readouterr().out)
    assert command[:4] == [sys.executable, "-m", "voila",
                           str((course / "lessons" / "03_explorers.ipynb").resolve())]
    assert f"--VoilaExporter.markdown_renderer_class={RENDERER}" in command
    assert "--no-browser" in command


def test_voila_renderer_inlines_course_images_and_never_raises(course):
    pytest.importorskip("voila")
    from jupyter_server.services.contents.filemanager import FileContentsManager

    from lems_course.teacher.voila_images import CourseMarkdownRenderer

    (course / "outside.svg").write_text("<svg/>")
    manager = FileContentsManager(root_dir=str(course / "lessons"))
    renderer = CourseMarkdownRenderer(contents_manager=manager, escape=False, attachments={})
    html = renderer.image("junction", "../assets/junction.svg")
    assert 'src="data:image/svg+xml;base64,' in html
    # A missing image, or one outside the root that Voilà's own renderer would raise on,
    # stays as written: the page still finishes.
    assert 'src="../assets/missing.svg"' in renderer.image("x", "../assets/missing.svg")
    assert 'src="../../etc/passwd"' in renderer.image("x", "../../etc/passwd")


def test_unknown_lesson_is_a_usage_error_listing_the_lessons(course, capsys):
    assert main(["open", "9", "--dry-run", "--lessons", str(course / "lessons")]) == 2
    err = capsys.readouterr().err
    assert "No lesson matches '9'" in err and "00_start_here.ipynb" in err


def test_missing_lessons_folder_says_where_to_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    # Also hide the editable install's own lessons/ (the repository may have some).
    monkeypatch.setattr("lems_course.teacher.lessons._repo_root_of_install",
                        lambda: tmp_path)
    assert main(["student", str(tmp_path / "out")]) == 2
    assert "Could not find the course's lessons/ folder" in capsys.readouterr().err
    with pytest.raises(CourseError):
        find_lessons_dir(tmp_path / "nowhere")


def test_student_outdir_that_is_a_file_is_refused(course, capsys):
    target = course / "taken.txt"
    target.write_text("not a folder")
    assert main(["student", str(target), "--lessons", str(course / "lessons")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text() == "not a folder"


def test_malformed_notebook_is_named_and_the_others_still_processed(course, capsys):
    (course / "lessons" / "04_broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    out = course / "student"
    assert main(["student", str(out), "--lessons", str(course / "lessons")]) == 1
    captured = capsys.readouterr()
    assert "04_broken.ipynb" in captured.err and "invalid JSON" in captured.err
    assert "[3/4] 04_broken.ipynb … FAILED" in captured.out
    assert "[4/4] 05_graded_exercise.ipynb … done" in captured.out
    assert sorted(p.name for p in out.glob("*.ipynb")) == [
        "00_start_here.ipynb", "03_explorers.ipynb", "05_graded_exercise.ipynb"]


def test_notebook_that_breaks_the_schema_is_named(course, capsys):
    # Valid JSON, but a code cell without outputs or metadata is not a notebook.
    (course / "lessons" / "02_invalid.ipynb").write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, '
        '"cells": [{"cell_type": "code", "source": "1"}]}', encoding="utf-8")
    assert main(["student", str(course / "out"), "--lessons", str(course / "lessons")]) == 1
    assert "02_invalid.ipynb: not a valid notebook" in capsys.readouterr().err


def test_answer_key_needs_md_or_html(tmp_path, capsys):
    assert main(["answer-key", str(tmp_path / "key.txt")]) == 2
    assert "must end in .md or .html" in capsys.readouterr().err


def test_console_script_runs_and_reports_usage_errors_with_exit_2(tmp_path):
    result = run_cli("open", "no-such-lesson", "--dry-run", "--lessons", str(FIXTURE_LESSONS))
    assert result.returncode == 2
    assert result.stderr.startswith("error: No lesson matches")
    assert "Traceback" not in result.stderr
    assert run_cli("--help").returncode == 0
