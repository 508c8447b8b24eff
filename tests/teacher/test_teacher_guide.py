"""docs/teacher_guide.md is true: every command in its ```bash blocks runs (or, for
nbgrader, is exactly a command the grading round trip runs), and its lessons,
times and objectives match the lessons and the quiz bank."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
import tomllib
from teacher_helpers import FIXTURE_LESSONS, REPO, committed_lessons, tool_env
from test_nbgrader_roundtrip import NBGRADER_COMMANDS

GUIDE = REPO / "docs" / "teacher_guide.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def guide_commands() -> list[str]:
    return [line.strip() for block in _blocks("bash") for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def _matches_nbgrader(argv: list[str]) -> bool:
    lesson_names = {path.stem for path in committed_lessons()} | {"05_cancer_association"}
    for template in NBGRADER_COMMANDS:
        if len(template) != len(argv):
            continue
        fields = {"{assignment}": lesson_names, "{student}": {"STUDENT"}, "{seconds}": {"60"}}
        ok = True
        for want, got in zip(template, argv, strict=True):
            key = next((k for k in fields if k in want), None)
            if key is None:
                ok = ok and want == got
            else:
                prefix, suffix = want.split(key)
                ok = ok and got.startswith(prefix) and got.endswith(suffix) and \
                    got[len(prefix):len(got) - len(suffix) or None] in fields[key]
        if ok:
            return True
    return False


@pytest.mark.slow
def test_every_guide_command_runs_or_is_run_by_the_grading_test(tmp_path):
    """Run the guide top to bottom in a copy of the course folder."""
    course = tmp_path / "course"
    if committed_lessons():  # the course folder as cloned: source, learner versions, assets
        for name in ("instructor", "lessons", "assets"):
            shutil.copytree(REPO / name, course / name)
    else:
        shutil.copytree(FIXTURE_LESSONS, course / "lessons")
        shutil.copytree(FIXTURE_LESSONS.parent / "assets", course / "assets")
    cwd = course
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    commands = guide_commands()
    assert commands, "the guide has no bash commands"
    for command in commands:
        argv = shlex.split(command)
        if argv[:2] == ["pip", "install"]:
            # Installing is what the test environment already did; check the extra exists.
            extra = re.search(r"\[(\w+)\]", command)
            assert extra and extra.group(1) in extras, command
            continue
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            assert cwd.is_dir(), f"{command}: no such folder after the commands before it"
            continue
        if argv[:3] == ["python", "-m", "nbgrader"]:
            assert _matches_nbgrader(argv[3:]), f"{command} is not run by the grading test"
            if argv[3] == "generate_assignment":
                run = [sys.executable, *argv[1:]]
                if argv[4] not in {p.name for p in (cwd / "source").iterdir()}:
                    continue  # fixture lessons: the grading test runs it on its fixture
            else:
                continue
        elif argv[0] == "lems-course":
            run = [sys.executable, "-m", "lems_course.cli", *argv[1:]]
            if argv[1] == "open":
                run.append("--dry-run")
        elif argv[:2] == ["python", "-m"]:
            run = [sys.executable, *argv[1:]]
        else:
            pytest.fail(f"the guide's command {command!r} is not exercised by any test")
        result = subprocess.run(run, cwd=cwd, env=tool_env(), capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert (course / "student_copies").is_dir()
    assert (course / "lems-course-student.zip").stat().st_size > 0
    assert (course / "answer_key.html").is_file()


def test_guide_describes_every_lesson_with_its_time_and_prerequisite():
    text = GUIDE.read_text(encoding="utf-8")
    for lesson in committed_lessons():
        nb = nbformat.read(lesson, as_version=4)
        head = "\n".join(cell.source for cell in nb.cells[:3])
        title = re.search(r"^# Lesson \d+ · (.+)$", head, re.M).group(1).strip()
        minutes = re.search(r"Estimated time:\**\s*(\d+) minutes", head).group(1)
        heading = re.search(rf"^### {lesson.name[:2]} · (.+)\n\*(\d+) minutes", text, re.M)
        assert heading, f"no section '### {lesson.name[:2]} · …' with its time"
        assert heading.group(1) == title
        assert heading.group(2) == minutes, f"{lesson.name}: guide says {heading.group(2)} min"


def test_guide_objectives_are_the_quiz_bank_objectives():
    from lems_course.quiz import lesson_objectives

    text = GUIDE.read_text(encoding="utf-8")
    listed = dict(re.findall(r"^- \*\*(L\d\d-O\d+)\*\* (.+)$", text, re.M))
    expected = {}
    for lesson in committed_lessons():
        expected.update(lesson_objectives(lesson.name[:2]))
    assert listed == expected


def test_guide_names_the_lessons_with_graded_exercises():
    graded = []
    for lesson in committed_lessons():
        nb = nbformat.read(lesson, as_version=4)
        points = {cell.metadata["nbgrader"].get("points") for cell in nb.cells
                  if cell.metadata.get("nbgrader", {}).get("grade")}
        if points:
            graded.append(lesson.name[:2])
            assert points == {2}, f"{lesson.name}: the guide says 2 points each"
    if not graded:
        pytest.skip("no lesson has graded cells yet")
    sentence = re.search(r"Graded code exercises \(lessons ([^)]*?), 2 points each\)",
                         GUIDE.read_text(encoding="utf-8"))
    assert sentence and re.findall(r"\d\d", sentence.group(1)) == graded


def test_sharing_links_open_lesson_00():
    binder, hub = _blocks("text")
    assert urlparse(binder.strip()).netloc == "mybinder.org"
    assert parse_qs(urlparse(binder.strip()).query)["urlpath"] == [
        "lab/tree/lessons/00_start_here.ipynb"]
    query = parse_qs(urlparse(hub.strip()).query)
    assert urlparse(hub.strip()).path == "/hub/user-redirect/git-pull"
    assert query["urlpath"] == ["lab/tree/lems-course/lessons/00_start_here.ipynb"]
    assert query["branch"] == ["main"] and query["repo"][0].endswith("/lems-course")
