"""``lems-course``: finding lessons, opening one, and the error paths a teacher meets."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from teacher_helpers import FIXTURE_LESSONS, run_cli

from lems_course.cli import main
from lems_course.teacher.lessons import (
    CourseError,
    find_lessons_dir,
    find_source_dir,
    resolve_lesson,
)


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


def test_open_dry_run_prints_jupyter_lab_on_the_lesson(course, monkeypatch, capsys):
    monkeypatch.chdir(course)
    assert main(["open", "3", "--dry-run"]) == 0
    command = shlex.split(capsys.readouterr().out)
    assert command[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert command[4] == str((course / "lessons" / "03_explorers.ipynb").resolve())
    assert f"--ServerApp.root_dir={course.resolve()}" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)


def test_open_accepts_a_path_outside_the_course_and_serves_its_folder(
        course, tmp_path_factory, capsys):
    elsewhere = tmp_path_factory.mktemp("downloads")
    path = elsewhere / "05_graded_exercise.ipynb"
    shutil.copy(course / "lessons" / path.name, path)
    assert main(["open", str(path), "--dry-run", "--lessons", str(course / "lessons")]) == 0
    command = shlex.split(capsys.readouterr().out)
    assert command[4] == str(path.resolve())
    assert f"--ServerApp.root_dir={elsewhere.resolve()}" in command


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
