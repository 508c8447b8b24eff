"""Argument checks shared by the model modules.

Every public function of the model rejects bad input with a message that names the
argument and the allowed range, so a learner sees what to change instead of a NaN or
a traceback from deep inside NumPy.
"""

from __future__ import annotations

import math
from numbers import Integral, Real


def _describe(value: object) -> str:
    return f"{value!r} ({type(value).__name__})"


def number(name: str, value: object, low: float, high: float, *, unit: str = "",
           low_open: bool = False) -> float:
    """Return ``value`` as a float if it is a real number within [low, high].

    ``low_open`` makes the lower bound exclusive (for example a frequency above 0 Hz).
    Booleans are refused: ``True`` as a frequency is a mistake, not 1 Hz.
    """
    suffix = f" {unit}" if unit else ""
    lower = "(" if low_open else "["
    allowed = f"{lower}{low:g}, {high:g}]{suffix}"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number in {allowed}, got {_describe(value)}")
    result = float(value)
    if math.isnan(result) or math.isinf(result):
        raise ValueError(f"{name} must be a finite number in {allowed}, got {result}")
    too_low = result <= low if low_open else result < low
    if too_low or result > high:
        raise ValueError(f"{name} must be in {allowed}, got {result:g}{suffix}")
    return result


def fraction(name: str, value: object) -> float:
    """A fraction in [0, 1]."""
    return number(name, value, 0.0, 1.0)


def integer(name: str, value: object, low: int, high: int) -> int:
    """Return ``value`` if it is a whole number within [low, high] (booleans refused)."""
    allowed = f"[{low}, {high}]"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number in {allowed}, got {_describe(value)}")
    result = int(value)
    if not low <= result <= high:
        raise ValueError(f"{name} must be in {allowed}, got {result}")
    return result


def flag(name: str, value: object) -> bool:
    """Return ``value`` if it is a bool; "yes", 1 and None are refused."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return value


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of the allowed strings."""
    listed = ", ".join(repr(option) for option in allowed)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listed}, got {_describe(value)}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value
