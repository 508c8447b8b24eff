"""Binder: repo2docker accepts ``binder/`` and builds Python 3.11 with the course
installed and the runtime dependencies pinned to the versions tested here.

``repo2docker --no-build --debug`` prints the Dockerfile without a Docker engine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib import metadata

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.version import Version
from teacher_helpers import REPO, tool_env

BINDER = REPO / "binder"


def _pins() -> dict[str, str]:
    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            [spec] = requirement.specifier
            assert spec.operator == "==", f"{line}: pin with =="
            pins[requirement.name.lower()] = spec.version
    return pins


def _pyproject_dependencies() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {Requirement(dep).name.lower(): Requirement(dep) for dep in project["dependencies"]}


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory) -> tuple[str, str]:
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(BINDER, repo / "binder")
    shutil.copy(REPO / "pyproject.toml", repo / "pyproject.toml")
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(repo)],
        capture_output=True, text=True, timeout=300, env=tool_env(), cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, result.stderr


def test_binder_pins_exactly_the_runtime_dependencies_of_pyproject():
    assert set(_pins()) == set(_pyproject_dependencies())


def test_binder_pins_satisfy_pyproject_and_match_the_tested_major_versions():
    # A fresh install may pick up a newer patch or minor release than the pins; a new
    # major version is a real difference between Binder and what is tested here.
    for name, requirement in _pyproject_dependencies().items():
        pinned = _pins()[name]
        assert requirement.specifier.contains(pinned), f"{name}=={pinned} vs {requirement}"
        tested = metadata.version(name)
        assert Version(tested).major == Version(pinned).major, (
            f"binder pins {name}=={pinned} but {tested} is tested here: "
            "update binder/requirements.txt")


def test_binder_installs_the_course_package_from_the_repository():
    lines = [line.split("#", 1)[0].strip()
             for line in (BINDER / "requirements.txt").read_text().splitlines()]
    assert "-e ." in lines


def test_repo2docker_builds_python_3_11(dockerfile):
    stdout, stderr = dockerfile
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert "python=3.11" in stderr
    # The conda lock file of the base environment is chosen by Python version (its
    # build-context name is escaped: "." -> "-2e", "-" -> "-2d").
    assert re.search(r"environment(\.|-2e)py(-|-2d)3(\.|-2e)11(-|-2d)linux", stdout)


def test_repo2docker_installs_requirements_after_copying_the_repository(dockerfile):
    stdout, _ = dockerfile
    copy_repo = stdout.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    install = re.search(r'pip install --no-cache-dir -r "binder/requirements.txt"', stdout)
    assert install is not None, stdout[-3000:]
    # -e . needs the whole repository in the image before pip runs.
    assert install.start() > copy_repo
