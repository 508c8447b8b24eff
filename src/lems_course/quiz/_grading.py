"""Grading: turn a learner's answer into a friendly, deterministic message.

One pure function, :func:`grade`, serves both the quiz widget's "Check" button and
``check()`` for code exercises. A wrong, malformed or missing answer gives a message,
never a traceback.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from dataclasses import dataclass
from numbers import Real
from typing import Any

from ._items import Item

#: ``CheckResult.status`` values.
RIGHT, WRONG, UNANSWERED, INVALID, RECORDED, UNKNOWN = (
    "right", "wrong", "unanswered", "invalid", "recorded", "unknown")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one answer.

    ``correct`` is True (right), False (wrong) or None (not answered, not a valid
    answer, a prediction, or an unknown item); ``status`` tells these apart.
    The object displays as its message, the same text on every run.
    """

    item_id: str
    correct: bool | None
    message: str
    status: str

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return self.message

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.message, "text/markdown": self.message}

    def with_note(self, note: str | None) -> CheckResult:
        """The same result with a one-line note (e.g. about the progress file) added."""
        if not note:
            return self
        return CheckResult(self.item_id, self.correct, f"{self.message}\n\n{note}",
                           self.status)


#: What ``QuizWidget.answer()`` returns: the same type as ``check()`` returns.
Feedback = CheckResult



_VERDICT = re.compile(r"^(?:right|correct|yes)\b[\s:.!,—-]*", re.IGNORECASE)


def _without_verdict(feedback: str) -> str:
    """Feedback without a leading "Right:" that would repeat our own "Correct:"."""
    stripped = _VERDICT.sub("", feedback, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped else feedback

def _unit_phrase(item: Item) -> str:
    return f" in {item.unit}" if item.unit else ""


def _is_boolean(value: Any) -> bool:
    return isinstance(value, bool) or type(value).__name__ in ("bool_", "bool")


def _format_number(value: float) -> str:
    return f"{value:g}"


def _unanswered(item: Item) -> CheckResult:
    if item.kind == "prediction":
        text = "Not answered yet: make your prediction first, then commit it."
    else:
        text = ("Not answered yet: in the answer cell above, replace `None` with your "
                "answer and run that cell, then run this one.")
    return CheckResult(item.id, None, text, UNANSWERED)


def _invalid(item: Item, text: str) -> CheckResult:
    return CheckResult(item.id, None, text, INVALID)


# ---------------------------------------------------------------- numbers

def _as_number(item: Item, value: Any) -> float | CheckResult:
    """The answer as a float, or a CheckResult explaining why it is not one."""
    wanted = f"one number{_unit_phrase(item)}, written with digits (for example 12.5)"
    if value is None:
        return _unanswered(item)
    if _is_boolean(value):
        return _invalid(item, f"`{value}` is a yes/no value, not a number: give {wanted}.")
    size = getattr(value, "size", None)
    if size is not None and hasattr(value, "shape") and not isinstance(value, Real):
        if size == 1:
            return _as_number(item, value.reshape(-1)[0].item())
        return _invalid(item, f"That is an array of {size} values: give {wanted}.")
    if isinstance(value, Real):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return _unanswered(item)
        if item.unit and text.endswith(item.unit):
            text = text[: -len(item.unit)].strip()
        text = text.replace("\u2212", "-")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")  # a decimal comma, as many learners write
        try:
            number = float(text)
        except ValueError:
            return _invalid(item, f"{value!r} is not a number: give {wanted}.")
    elif isinstance(value, (list, tuple, set, dict)):
        return _invalid(item, f"That is a {type(value).__name__}: give {wanted}.")
    else:
        return _invalid(item, f"That is a {type(value).__name__}, not a number: "
                        f"give {wanted}.")
    if math.isnan(number):
        return _invalid(item, "The answer is NaN (not a number): check the calculation "
                        "for 0/0 or a missing value, then run the cell again.")
    if math.isinf(number):
        return _invalid(item, "The answer is infinite: check the calculation for a "
                        "division by zero, then run the cell again.")
    return number


def _within(number: float, target: float, tolerance: float) -> bool:
    # A small relative slack so 6.75 with tolerance 0.5 around 6.25 counts despite rounding.
    return abs(number - target) <= tolerance + 1e-9 * max(1.0, abs(target))


def _grade_numeric(item: Item, value: Any) -> CheckResult:
    number = _as_number(item, value)
    if isinstance(number, CheckResult):
        return number
    key = item.key
    feedback = key["feedback"]
    unit = f" {item.unit}" if item.unit else ""
    shown = f"{_format_number(number)}{unit}"
    if not _within(number, key["answer"], key["tolerance"]):
        # A common slip (forgot × 100, wrong response, before and after swapped) gets
        # its own hint, even outside the possible range.
        for mistake in key.get("mistakes", ()):
            if _within(number, mistake["answer"], mistake["tolerance"]):
                return CheckResult(item.id, False, f"Not quite: {shown}. {mistake['feedback']}",
                                   WRONG)
    if item.range is not None and not item.range[0] <= number <= item.range[1]:
        low, high = item.range
        side = feedback["low"] if number < low else feedback["high"]
        return CheckResult(item.id, False,
                           f"Not quite: {shown} is outside the possible range, "
                           f"{_format_number(low)} to {_format_number(high)}{unit}. {side}",
                           WRONG)
    if _within(number, key["answer"], key["tolerance"]):
        return CheckResult(item.id, True,
                           f"Correct: {shown}. {_without_verdict(feedback['right'])}"
                           f"\n\n{key['explanation']}",
                           RIGHT)
    side = feedback["low"] if number < key["answer"] else feedback["high"]
    return CheckResult(item.id, False, f"Not quite: {shown}. {side}", WRONG)


# ---------------------------------------------------------------- choices

def _option_key(item: Item, value: Any) -> str | None:
    """The option key a learner meant ('B', 'b)', '(b)' or the option's text), or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for option in item.options:
        if text == option.key:
            return option.key
    cleaned = text.strip("()").strip().lower()
    for option in item.options:
        if cleaned == option.key.lower() or cleaned == option.text.strip().lower():
            return option.key
    return None


def _options_listed(item: Item) -> str:
    return ", ".join(option.key for option in item.options)


def _one_choice(item: Item, value: Any) -> str | CheckResult:
    if value is None:
        return _unanswered(item)
    if isinstance(value, str) and not value.strip():
        return _unanswered(item)
    if isinstance(value, (list, tuple, set)):
        if len(value) == 1:
            return _one_choice(item, next(iter(value)))
        return _invalid(item, f"Pick exactly one option ({_options_listed(item)}).")
    choice = _option_key(item, value)
    if choice is None:
        return _invalid(item, f"{value!r} is not one of the options: answer with one "
                        f"option key ({_options_listed(item)}) as a string, like "
                        f"{item.options[0].key!r}.")
    return choice


def _grade_single(item: Item, value: Any) -> CheckResult:
    choice = _one_choice(item, value)
    if isinstance(choice, CheckResult):
        return choice
    key = item.key
    feedback = key["feedback"][choice]
    said = _said(item, choice)
    if choice == key["answer"]:
        return CheckResult(item.id, True,
                           f"Correct: {said} {_without_verdict(feedback)}\n\n{key['explanation']}",
                           RIGHT)
    return CheckResult(item.id, False, f"Not quite: {said} {feedback}", WRONG)


def _said(item: Item, choice: str) -> str:
    text = item.option(choice).text.rstrip(" .")
    return f"{choice}) {text}." if text[-1:] not in "?!" else f"{choice}) {text}"


def _grade_multiple(item: Item, value: Any) -> CheckResult:
    if value is None:
        return _unanswered(item)
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;\s]+", value) if part]
    if not isinstance(value, (list, tuple, set, frozenset)):
        return _invalid(item, "Give the option keys you choose as a list of strings, "
                        f"like ['{item.options[0].key}'] (options: {_options_listed(item)}).")
    if not value:
        return _unanswered(item)
    chosen: list[str] = []
    for entry in value:
        choice = _option_key(item, entry)
        if choice is None:
            return _invalid(item, f"{entry!r} is not one of the options "
                            f"({_options_listed(item)}).")
        if choice not in chosen:
            chosen.append(choice)
    order = [option.key for option in item.options]
    chosen.sort(key=order.index)
    key = item.key
    right = set(key["answer"])
    feedback = key["feedback"]
    wrong_picks = [choice for choice in chosen if choice not in right]
    if not wrong_picks and set(chosen) == right:
        lines = [f"{choice}) {feedback[choice]}" for choice in chosen]
        return CheckResult(item.id, True, "Correct. " + " ".join(lines)
                           + f"\n\n{key['explanation']}", RIGHT)
    lines = [f"{choice}) {feedback[choice]}" for choice in wrong_picks]
    missing = right - set(chosen)
    if missing:
        lines.append("At least one more option is also right: look again at the ones "
                     "you left out.")
    return CheckResult(item.id, False, "Not quite. " + " ".join(lines), WRONG)


def _grade_prediction(item: Item, value: Any) -> CheckResult:
    explanation = item.key["explanation"]
    if item.options:
        choice = _one_choice(item, value)
        if isinstance(choice, CheckResult):
            return choice
        extra = item.key.get("feedback", {}).get(choice)
        note = f" {extra}" if extra else ""
        return CheckResult(item.id, None, f"Prediction recorded: {_said(item, choice)}{note}\n\n"
                           f"What happens: {explanation}", RECORDED)
    if value is None or (isinstance(value, str) and not value.strip()):
        return _unanswered(item)
    return CheckResult(item.id, None, f"Prediction recorded.\n\nWhat happens: {explanation}",
                       RECORDED)


def grade(item: Item, value: Any, *, in_widget: bool = False) -> CheckResult:
    """Grade one answer to ``item`` (no side effects).

    ``in_widget`` words a missing answer for the widget ("press Check") rather than
    for a code cell ("replace `None`").
    """
    result = _grade(item, value)
    if in_widget and result.status == UNANSWERED and item.kind != "prediction":
        action = "type a number" if item.kind == "numeric" else "choose your answer"
        result = CheckResult(item.id, None, f"Not answered yet: {action}, then press Check.",
                             UNANSWERED)
    return result


def _grade(item: Item, value: Any) -> CheckResult:
    if item.kind == "numeric":
        return _grade_numeric(item, value)
    if item.kind == "single":
        return _grade_single(item, value)
    if item.kind == "multiple":
        return _grade_multiple(item, value)
    return _grade_prediction(item, value)


def unknown_item(item_id: Any, message: str) -> CheckResult:
    """The result for an ID that names no item (message suggests close IDs)."""
    return CheckResult(str(item_id), None, message, UNKNOWN)


# ---------------------------------------------------------------- failed answer cells
#
# In a notebook, ``decrement = twenty`` raises NameError and leaves ``decrement`` as
# it was: the check cell below would grade an earlier value. Under IPython, a
# post_run_cell hook remembers which names a failed cell was assigning, and
# ``grade_exercise`` refuses to grade such a name until a cell assigns it without error.

_failed_assignments: dict[str, str] = {}  # name -> "NameError: name 'twenty' is not defined"
_watched_shells: set[int] = set()
_ASSIGNMENT_LINE = re.compile(r"^([A-Za-z_]\w*)\s*(?:[-+*/%]|//|\*\*)?=(?!=)", re.MULTILINE)


def _shell() -> Any:
    """The running IPython shell, or None (never imports IPython itself)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


def _assigned_names(code: str) -> list[str]:
    """Names a cell assigns at top level (a line-based guess if it does not parse)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return _ASSIGNMENT_LINE.findall(code)
    names: list[str] = []
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign))
                   else [])
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def _after_cell(result: Any) -> None:
    info = getattr(result, "info", None)
    names = _assigned_names(getattr(info, "raw_cell", None) or "")
    error = getattr(result, "error_before_exec", None) or getattr(result, "error_in_exec",
                                                                  None)
    for name in names:
        if error is None:
            _failed_assignments.pop(name, None)
        else:
            _failed_assignments[name] = f"{type(error).__name__}: {error}"


def watch_cells() -> None:
    """Start remembering failed assignments in the running IPython shell (idempotent;
    does nothing outside IPython)."""
    shell = _shell()
    if shell is None or id(shell) in _watched_shells:
        return
    try:
        shell.events.register("post_run_cell", _after_cell)
    except (AttributeError, KeyError, TypeError):  # an IPython without events
        return
    _watched_shells.add(id(shell))


def _checked_name(shell: Any, item_id: str) -> str | None:
    """The variable the running cell passes to ``check(item_id, NAME)``, if it can tell."""
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if not history:
        return None
    try:
        tree = ast.parse(history[-1])
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant) and node.args[0].value == item_id
                and isinstance(node.args[1], ast.Name)):
            return node.args[1].id
    return None


def failed_answer(item: Item) -> CheckResult | None:
    """"Not answered yet" with the error, if the answer's cell failed since it last ran
    cleanly; None when nothing is known to be wrong (or outside IPython)."""
    shell = _shell()
    if shell is None:
        return None
    name = _checked_name(shell, item.id)
    if name is None or name not in _failed_assignments:
        return None
    return CheckResult(
        item.id, None,
        f"Not answered yet: the cell that sets `{name}` stopped with an error "
        f"({_failed_assignments[name]}), so `{name}` still holds an earlier value. Fix that "
        "cell and run it, then run this one again.",
        UNANSWERED)


def grade_exercise(item: Item, value: Any) -> CheckResult:
    """``grade`` for ``check()`` in a code cell: an answer whose cell failed is not graded."""
    watch_cells()
    return failed_answer(item) or grade(item, value)


watch_cells()  # at import: the setup cell imports check() before any answer cell runs
