"""Shared fixtures: a private progress home and a sealed copy of the fixture lesson."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lems_course.quiz import _files

FIXTURE = Path(__file__).parent / "fixtures" / "L09.json"


@pytest.fixture(autouse=True)
def private_environment(tmp_path, monkeypatch):
    """Never touch the real home; never let an author's plaintext setting leak in."""
    monkeypatch.setenv("LEMS_COURSE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LEMS_COURSE_ALLOW_PLAINTEXT", raising=False)
    monkeypatch.delenv("LEMS_COURSE_QUIZ_DIR", raising=False)


@pytest.fixture
def fixture_file():
    """The plaintext fixture lesson (read it, never write it)."""
    return FIXTURE


@pytest.fixture
def fixture_data():
    """The fixture lesson as a plaintext dict, for tests that break it on purpose."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def bank_dir(tmp_path, monkeypatch):
    """A folder with the fixture lesson sealed, which quiz() and check() read."""
    folder = tmp_path / "items"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "L09.json")
    _files.seal_file(folder / "L09.json")
    monkeypatch.setenv("LEMS_COURSE_QUIZ_DIR", str(folder))
    return folder


@pytest.fixture
def progress_file(tmp_path):
    return tmp_path / "home" / "progress.json"
