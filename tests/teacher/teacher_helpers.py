"""Helpers shared by the teacher-tool tests (imported as ``teacher_helpers``)."""


from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]
FIXTURE_LESSONS = HERE / "fixtures" / "lessons"
# The lessons as written (nbgrader source, with solutions) and what learners open.
LESSONS = REPO / "instructor"
LEARNER_LESSONS = REPO / "lessons"


def committed_lessons() -> list[Path]:
    """The source lessons in instructor/."""
    return sorted(LESSONS.glob("*.ipynb"))


def lesson_params() -> list:
    """Parameters over the committed lessons; one failing/skipping marker when none."""
    lessons = committed_lessons()
    if lessons:
        return [pytest.param(path, id=path.stem) for path in lessons]
    return [pytest.param(None, id="no-lessons")]


def require_lesson(lesson: Path | None) -> Path:
    if lesson is None:
        message = f"no lessons in {LESSONS}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must test the real lessons)")
        pytest.skip(message)
    return lesson


# Kernels the tests start record quiz progress here, not in the tester's home.
PROGRESS_HOME = tempfile.mkdtemp(prefix="lems-course-progress-")


def tool_env() -> dict[str, str]:
    """The environment for subprocesses: this venv's bin/ first on PATH (nbgrader runs
    ``alembic`` from PATH) and a throw-away quiz-progress folder."""
    env = dict(os.environ)
    env["LEMS_COURSE_HOME"] = PROGRESS_HOME
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def run_cli(*args: str, cwd: Path | None = None, timeout_s: float = 600
            ) -> subprocess.CompletedProcess[str]:
    """Run ``lems-course ARGS`` as a teacher would (a separate process)."""
    return subprocess.run([sys.executable, "-m", "lems_course.cli", *args], cwd=cwd,
                          env=tool_env(), capture_output=True, text=True, timeout=timeout_s)
