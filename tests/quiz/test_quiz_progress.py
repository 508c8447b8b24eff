"""Progress: on unless turned off (opt-out), local, atomic; a corrupt or missing file
never breaks a lesson."""

from __future__ import annotations

import json
import os

import pytest

from lems_course.quiz import _progress, check, progress, quiz


@pytest.fixture(autouse=True)
def _bank(bank_dir):
    return bank_dir


def test_answers_are_recorded_until_the_learner_turns_progress_off(progress_file):
    assert "Nothing is recorded yet" in progress().text
    check("L09-E1", 20)
    assert json.loads(progress_file.read_text())["items"]["L09-E1"]["answer"] == 20
    progress.disable()
    quiz("L09-Q1").answer("b")
    data = json.loads(progress_file.read_text())
    assert data["enabled"] is False and list(data["items"]) == ["L09-E1"]
    assert "progress.enable()" in progress().text


def test_turning_progress_off_first_is_remembered(progress_file):
    report = progress.disable()
    assert report.enabled is False
    check("L09-E1", 20)
    assert json.loads(progress_file.read_text()) == {"version": 1, "enabled": False,
                                                     "items": {}}
    assert _progress.last_answer("L09-E1") is None


def test_last_answer_is_what_the_learner_last_checked(progress_file):
    quiz("L09-Q1").answer("a")
    quiz("L09-Q1").answer("b")
    entry = _progress.last_answer("L09-Q1")
    assert entry["answer"] == "b" and entry["attempts"] == 2
    assert _progress.last_answer("L09-Q2") is None


def test_last_answer_of_an_unreadable_file_is_none_and_the_file_is_left_alone(
        progress_file):
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_text("{not json")
    assert _progress.last_answer("L09-Q1") is None
    assert progress_file.read_text() == "{not json"


def test_enabled_progress_records_answers_and_summarises_them(progress_file):
    progress.enable()
    check("L09-E1", 10)
    check("L09-E1", 20)
    quiz("L09-Q1").answer("a")
    quiz("L09-P1").answer("b")
    data = json.loads(progress_file.read_text())
    assert data["items"]["L09-E1"] == {"kind": "numeric", "attempts": 2, "correct": True,
                                       "ever_correct": True, "answer": 20}
    assert data["items"]["L09-Q1"]["correct"] is False
    assert data["items"]["L09-P1"]["prediction"] == "b"
    assert "L09: 1 of 4 graded items answered correctly (2 tried), 1 prediction made." in (
        progress().text)


def test_malformed_answers_are_not_recorded(progress_file):
    progress.enable()
    check("L09-E1", "fifty")
    check("L09-E1", None)
    assert json.loads(progress_file.read_text())["items"] == {}


def test_disable_stops_recording_but_keeps_the_file(progress_file):
    progress.enable()
    check("L09-E1", 20)
    progress.disable()
    check("L09-Q1", "b")
    data = json.loads(progress_file.read_text())
    assert data["enabled"] is False
    assert list(data["items"]) == ["L09-E1"]


def test_forget_deletes_the_answers_and_keeps_progress_off(progress_file):
    check("L09-E1", 20)
    progress.forget()
    assert json.loads(progress_file.read_text()) == {"version": 1, "enabled": False,
                                                     "items": {}}
    check("L09-E1", 20)
    assert json.loads(progress_file.read_text())["items"] == {}


@pytest.mark.parametrize("content", [b"{ half a file", b"[1, 2, 3]", b'{"version": 99}',
                                     b"\xff\xfe\x00garbage"])
def test_corrupt_file_is_moved_aside_with_a_one_line_note(progress_file, content):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_bytes(content)
    result = check("L09-E1", 20)
    assert result.correct is True
    note = result.message.splitlines()[-1]
    assert note.startswith("Note: your progress file could not be read; it was moved to")
    aside = progress_file.with_name("progress.json.corrupt-1")
    assert aside.read_bytes() == content
    assert json.loads(progress_file.read_text())["items"]["L09-E1"]["correct"] is True


def test_second_corrupt_file_gets_the_next_free_number(progress_file):
    progress_file.parent.mkdir(parents=True)
    progress_file.with_name("progress.json.corrupt-1").write_text("old")
    progress_file.write_text("new garbage")
    assert "corrupt-2" in progress().text
    assert progress_file.with_name("progress.json.corrupt-1").read_text() == "old"


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary(progress_file,
                                                                  monkeypatch):
    progress.enable()
    check("L09-E1", 20)
    before = progress_file.read_bytes()

    def crash(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    result = check("L09-Q1", "b")
    assert result.correct is True
    assert "progress could not be saved" in result.message
    assert progress_file.read_bytes() == before
    assert sorted(path.name for path in progress_file.parent.iterdir()) == ["progress.json"]


def test_write_atomic_replaces_the_file_in_one_step(tmp_path, monkeypatch):
    target = tmp_path / "p.json"
    calls = []
    real_replace = os.replace

    def spy(source, destination):
        calls.append((os.path.dirname(source), str(destination)))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", spy)
    _progress.write_atomic(target, {"a": 1})
    assert calls == [(str(tmp_path), str(target))]  # a temporary in the same folder
    assert json.loads(target.read_text()) == {"a": 1}


def test_the_home_folder_can_be_moved_with_an_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("LEMS_COURSE_HOME", str(tmp_path / "elsewhere"))
    progress.enable()
    assert (tmp_path / "elsewhere" / "progress.json").exists()
