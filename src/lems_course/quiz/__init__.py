"""Quizzes: items as data, an accessible quiz widget, ``check()`` for code exercises,
and local progress (on unless the learner turns it off; never sent anywhere), which
lets a quiz run again show the learner's last answer.

Lessons call ``quiz("L03-Q2")``, ``check("L05-E1", value)`` and ``progress()``.
Teachers call ``load_items()`` and ``answer_text()``. Item authors run
``python -m lems_course.quiz seal|unseal|validate``.

Loading and checking do not import ipywidgets; only ``quiz()`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _progress
from ._files import QuizError
from ._grading import CheckResult, Feedback, grade_exercise, unknown_item
from ._items import (
    Item,
    Option,
    answer_text,
    get_item,
    item_files,
    lesson_objectives,
    lesson_title,
    load_bank,
    load_items,
)
from ._progress import ProgressReport

if TYPE_CHECKING:
    from ._widget import QuizWidget

__all__ = [
    "CheckResult",
    "Feedback",
    "Item",
    "Option",
    "ProgressReport",
    "QuizError",
    "answer_text",
    "check",
    "disable_progress",
    "enable_progress",
    "get_item",
    "lesson_objectives",
    "lesson_title",
    "load_items",
    "progress",
    "quiz",
]


def quiz(item_id: str) -> QuizWidget:
    """An accessible quiz widget for one item (see ``QuizWidget``).

    An unknown ID raises :class:`QuizError` naming close IDs: it is a lesson bug,
    and nbval should fail on it.
    """
    from ._widget import QuizWidget

    return QuizWidget(get_item(item_id))


def check(item_id: str, value: Any) -> CheckResult:
    """Check a code exercise's answer; always returns a :class:`CheckResult`, never raises.

    ``value`` is a number for numeric items, an option key (``"b"``) or a list of
    keys for choice items, and a choice or text for predictions.
    """
    if not isinstance(item_id, str):
        return unknown_item(item_id, "The first argument of check() is the exercise's ID "
                            f"as a string, like 'L05-E1', got {item_id!r}.")
    try:
        item = get_item(item_id)
    except QuizError as error:
        text = str(error)
        if not text.startswith("There is no quiz item"):
            text = ("This exercise cannot be checked: the lesson's quiz file has a "
                    f"problem. Please tell your teacher:\n{text}")
        return unknown_item(item_id, text)
    except OSError as error:
        return unknown_item(item_id, "This exercise cannot be checked: its quiz file "
                            f"could not be read ({error.strerror or error}).")
    result = grade_exercise(item, value)  # an answer whose cell just failed is not graded
    return result.with_note(_progress.record(item.id, item.kind, result.status, value))


def _graded_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in item_files():
        try:
            bank = load_bank(path)
        except (QuizError, OSError):
            continue  # a broken lesson file must not hide the learner's progress
        counts[bank.lesson] = sum(item.graded for item in bank.items)
    return counts


class _Progress:
    """``progress()`` summarises the learner's local record; ``progress.enable()``,
    ``progress.disable()`` and ``progress.forget()`` manage it. On unless turned off;
    kept on this computer, nothing is sent.
    """

    def __call__(self) -> ProgressReport:
        return _progress.summary(_graded_counts())

    @staticmethod
    def enable() -> ProgressReport:
        return _progress.enable()

    @staticmethod
    def disable() -> ProgressReport:
        return _progress.disable()

    @staticmethod
    def forget() -> ProgressReport:
        return _progress.forget()

    @property
    def path(self) -> str:
        return str(_progress.progress_path())

    def __repr__(self) -> str:
        return ("progress: call progress() for a summary; progress.enable() / "
                "progress.disable() / progress.forget() manage the local record")


progress = _Progress()
enable_progress = _progress.enable
disable_progress = _progress.disable
