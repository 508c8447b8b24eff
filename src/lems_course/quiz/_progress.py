"""Local progress, on unless the learner turns it off: a small JSON file they own.

Answers are recorded (item, last answer, right or not, attempts) so that a quiz run
again shows the learner's last answer and verdict (issue 13.10, 13.2).
``progress.disable()`` stops recording and ``progress.forget()`` deletes the file.
The file lives in ``~/.lems_course/progress.json``, or in ``$LEMS_COURSE_HOME`` if
set. It is written atomically (temporary file, then
``os.replace``), so a crash never leaves half a file. An unreadable file is moved
aside (``progress.json.corrupt-1``) with a one-line note; it never breaks a lesson.
Nothing is sent over the network.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOME_ENV = "LEMS_COURSE_HOME"
FILE_NAME = "progress.json"
_VERSION = 1


def progress_path() -> Path:
    """Where the progress file is (it may not exist)."""
    override = os.environ.get(HOME_ENV)
    home = Path(override) if override else Path.home() / ".lems_course"
    return home / FILE_NAME


def _shown(path: Path) -> str:
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _fresh(enabled: bool) -> dict[str, Any]:
    return {"version": _VERSION, "enabled": enabled, "items": {}}


def _well_formed(data: Any) -> bool:
    return (isinstance(data, dict) and data.get("version") == _VERSION
            and isinstance(data.get("enabled"), bool) and isinstance(data.get("items"), dict)
            and all(isinstance(entry, dict) for entry in data["items"].values()))


def _move_aside(path: Path) -> Path:
    number = 1
    while True:
        target = path.with_name(f"{path.name}.corrupt-{number}")
        if not target.exists():
            os.replace(path, target)
            return target
        number += 1


def write_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON to ``path`` via a temporary file in the same folder and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1, ensure_ascii=False, sort_keys=True)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def read() -> tuple[dict[str, Any] | None, str | None]:
    """(data or None if progress was never enabled, a one-line note or None).

    A corrupt file is moved aside and a fresh, enabled record is started: the
    learner had opted in, since only opting in creates the file.
    """
    path = progress_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, None
    except UnicodeDecodeError:
        text = ""  # not text at all: treated as corrupt below
    except OSError as error:
        return None, (f"Note: progress is not recorded, the file {_shown(path)} "
                      f"could not be read ({error.strerror or error}).")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if _well_formed(data):
        return data, None
    try:
        moved = _move_aside(path)
        fresh = _fresh(enabled=True)
        write_atomic(path, fresh)
    except OSError as error:
        return None, (f"Note: the progress file {_shown(path)} is unreadable and could not "
                      f"be moved aside ({error.strerror or error}); progress is not recorded.")
    return fresh, (f"Note: your progress file could not be read; it was moved to "
                   f"{_shown(moved)} and a new one was started.")


def record(item_id: str, kind: str, status: str, answer: Any) -> str | None:
    """Record one answer unless progress was turned off; return a note if something
    went wrong.

    Only right / wrong answers and committed predictions are recorded. A learner who
    never turned progress on or off gets a file on their first answer (opt-out).
    """
    if status not in ("right", "wrong", "recorded"):
        return None
    data, note = read()
    if data is None and note is None:
        data = _fresh(enabled=True)
    if data is None or not data["enabled"]:
        return note
    entry = data["items"].get(item_id, {})
    entry["kind"] = kind
    entry["attempts"] = int(entry.get("attempts", 0)) + 1
    if status == "recorded":
        entry["prediction"] = _json_safe(answer)
    else:
        entry["answer"] = _json_safe(answer)
        entry["correct"] = status == "right"
        entry["ever_correct"] = bool(entry.get("ever_correct")) or status == "right"
    data["items"][item_id] = entry
    try:
        write_atomic(progress_path(), data)
    except OSError as error:
        return (f"Note: progress could not be saved to {_shown(progress_path())} "
                f"({error.strerror or error}).")
    return note


def last_answer(item_id: str) -> dict[str, Any] | None:
    """What was recorded for one item (``answer`` or ``prediction``, ``correct``,
    ``attempts``), or None: nothing recorded, progress off, or the file unreadable.
    Never raises and never changes the file, so a quiz can always be shown."""
    try:
        data, _note = _read_only()
    except Exception:
        return None
    if data is None or not data.get("enabled"):
        return None
    entry = data["items"].get(item_id)
    return dict(entry) if isinstance(entry, dict) else None


def _read_only() -> tuple[dict[str, Any] | None, None]:
    try:
        data = json.loads(progress_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    return (data if _well_formed(data) else None), None


def _json_safe(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(entry) for entry in value]
    return str(value)


@dataclass(frozen=True)
class ProgressReport:
    """What ``progress()`` shows: deterministic text for a given progress file."""

    text: str
    enabled: bool
    items: dict[str, dict[str, Any]]

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def _repr_markdown_(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.text, "text/markdown": self.text}


_OFF_TEXT = ("Progress is not being recorded. To keep a private record of your answers "
             "on this computer, run `progress.enable()`. Nothing is ever sent anywhere.")
# No path in this text: lessons print it, and their stored output must not depend on
# the computer (``progress.path`` says where the file is).
_NEW_TEXT = ("Progress is on: your answers will be kept in a file on this computer only "
             "(`progress.path` shows where; nothing is ever sent anywhere), so that a quiz "
             "shows your last answer when you come back. Nothing is recorded yet. Turn it "
             "off with `progress.disable()`.")


def enable() -> ProgressReport:
    """Start recording answers in the local progress file."""
    data, note = read()
    data = data or _fresh(enabled=True)
    data["enabled"] = True
    path = progress_path()
    try:
        write_atomic(path, data)
    except OSError as error:
        return ProgressReport(f"Progress could not be turned on: {_shown(path)} is not "
                              f"writable ({error.strerror or error}).", False, {})
    text = (f"Progress is on: your answers are recorded in {_shown(path)}, on this "
            "computer only. Turn it off with `progress.disable()`.")
    return ProgressReport(_with_note(text, note), True, dict(data["items"]))


def disable() -> ProgressReport:
    """Stop recording; the file and what it holds are kept."""
    data, note = read()
    path = progress_path()
    if data is None and note is None:
        data = _fresh(enabled=False)  # remember the choice: progress is on by default
    if data is None:
        return ProgressReport(_with_note(_OFF_TEXT, note), False, {})
    data["enabled"] = False
    try:
        write_atomic(path, data)
    except OSError as error:
        return ProgressReport(f"Progress could not be turned off: {_shown(path)} is not "
                              f"writable ({error.strerror or error}).", True, {})
    text = (f"Progress is off. What was recorded stays in {_shown(path)}; delete that file "
            "to forget it, or run `progress.forget()`.")
    return ProgressReport(_with_note(text, note), False, dict(data["items"]))


def forget() -> ProgressReport:
    """Delete what was recorded and stop recording (``progress.enable()`` resumes)."""
    path = progress_path()
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        return ProgressReport(f"Could not delete {_shown(path)} "
                              f"({error.strerror or error}).", True, {})
    try:
        # Progress is on by default: keep a record that says "off", holding no answers.
        write_atomic(path, _fresh(enabled=False))
    except OSError:
        pass
    return ProgressReport("Progress forgotten: your recorded answers were deleted. "
                          + _OFF_TEXT, False, {})


def _with_note(text: str, note: str | None) -> str:
    return f"{text}\n{note}" if note else text


def summary(graded_by_lesson: dict[str, int] | None = None) -> ProgressReport:
    """One line per lesson: graded items right (of those in the lesson), predictions made."""
    data, note = read()
    if data is None and note is None:
        return ProgressReport(_NEW_TEXT, True, {})
    if data is None:
        return ProgressReport(_with_note(_OFF_TEXT, note), False, {})
    items = data["items"]
    state = "on" if data["enabled"] else "off (run `progress.enable()` to resume)"
    lines = [f"Progress is {state}; kept in {_shown(progress_path())}, on this computer only."]
    lessons = sorted({item_id.split("-")[0] for item_id in items}
                     | set(graded_by_lesson or {}))
    for lesson in lessons:
        mine = {item_id: entry for item_id, entry in items.items()
                if item_id.startswith(lesson + "-")}
        right = sum(bool(entry.get("ever_correct")) for entry in mine.values())
        tried = sum("correct" in entry for entry in mine.values())
        predictions = sum("prediction" in entry for entry in mine.values())
        total = (graded_by_lesson or {}).get(lesson)
        of_total = f" of {total}" if total is not None else ""
        if not mine:
            lines.append(f"{lesson}: not started.")
            continue
        lines.append(f"{lesson}: {right}{of_total} graded items answered correctly "
                     f"({tried} tried), {predictions} prediction"
                     f"{'' if predictions == 1 else 's'} made.")
    return ProgressReport(_with_note("\n".join(lines), note), data["enabled"], dict(items))
