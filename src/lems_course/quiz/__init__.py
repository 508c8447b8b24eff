"""Quizzes: items as data, an accessible quiz widget, ``check()`` for code exercises,
and opt-in local progress.

Lessons call ``quiz("L03-Q2")`` and ``check("L05-E1", value)``. Teachers call
``load_items()`` and ``answer_text()``. Item authors run
``python -m lems_course.quiz seal|unseal|validate``.

Loading and checking do not import ipywidgets; only ``quiz()`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._items import (
    Item,
    Option,
    QuizError,
    answer_text,
    get_item,
    lesson_objectives,
    load_items,
)

if TYPE_CHECKING:
    from ._widget import QuizWidget

__all__ = [
    "Item",
    "Option",
    "QuizError",
    "answer_text",
    "get_item",
    "lesson_objectives",
    "load_items",
    "quiz",
]


def quiz(item_id: str) -> QuizWidget:
    """An accessible quiz widget for one item (see ``QuizWidget``)."""
    from ._widget import QuizWidget

    return QuizWidget(get_item(item_id))
