"""Clinical arithmetic for LEMS: the DELTA-P score, its published risk tables and the
tumour-screening schedule it suggests.

Everything here is sourced from the fact sheet (IDs F4.6-…, F4.7-…) except where a
docstring says "course choice". The tables hold only the published points: where a
source gives no number the functions return ``None`` rather than an interpolation.
This is teaching material, not a clinical tool.
"""

from __future__ import annotations

from dataclasses import dataclass

from lems_course import _checks

__all__ = [
    "COHORTS",
    "COHORT_FACTS",
    "COHORT_LABELS",
    "DELTA_P_ITEMS",
    "MAX_SCORE",
    "ScreeningPlan",
    "delta_p_risk",
    "delta_p_risk_range",
    "delta_p_score",
    "screening_plan",
]

MAX_SCORE = 6

#: The six DELTA-P items in the published order (F4.6-2a…f): argument name of
#: :func:`delta_p_score`, a label for a checkbox, and the fact ID.
DELTA_P_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("age_50_or_over", "Age at onset 50 years or over", "F4.6-2a"),
    ("smoking", "Smoking at diagnosis", "F4.6-2b"),
    ("weight_loss_5_percent", "Weight loss of 5 % or more", "F4.6-2c"),
    ("bulbar", "Bulbar involvement (speech, chewing, swallowing)", "F4.6-2d"),
    ("erectile_dysfunction", "Erectile dysfunction (men; women score 0)", "F4.6-2e"),
    ("karnofsky_below_70", "Karnofsky performance status below 70", "F4.6-2f"),
)

COHORTS: tuple[str, ...] = ("derivation", "validation")
COHORT_FACTS: dict[str, str] = {"derivation": "F4.6-5", "validation": "F4.6-6"}
COHORT_LABELS: dict[str, str] = {
    "derivation": "Derivation, Titulaer et al. 2011 (F4.6-5)",
    "validation": "Prospective validation, Maddison et al. 2020 (F4.6-6)",
}

# Published percent chance of SCLC as (low, high) per score. Derivation (F4.6-5):
# scores 0 and 1 are reported only together as "0–2.6 %"; 2 and 3 are not given in
# our sources. Validation (F4.6-6): one number per score.
_RISK_PERCENT: dict[str, dict[int, tuple[float, float]]] = {
    "derivation": {
        0: (0.0, 2.6),
        1: (0.0, 2.6),
        4: (93.5, 93.5),
        5: (96.6, 96.6),
        6: (100.0, 100.0),
    },
    "validation": {
        0: (0.0, 0.0),
        1: (18.8, 18.8),
        2: (45.0, 45.0),
        3: (55.5, 55.5),
        4: (85.7, 85.7),
        5: (87.5, 87.5),
        6: (100.0, 100.0),
    },
}


def delta_p_score(*, age_50_or_over: bool, smoking: bool, weight_loss_5_percent: bool,
                  bulbar: bool, erectile_dysfunction: bool,
                  karnofsky_below_70: bool) -> int:
    """DELTA-P score (0–6): one point for each item present at onset or within
    3 months (F4.6-2, items F4.6-2a…f; Titulaer et al. 2011, F4.6-1).

    Each argument must be ``True`` or ``False``; ``"yes"``, ``1`` or ``None`` raise
    TypeError naming the argument, so a missing answer is never silently a 0.

    SOX1 antibodies predicted SCLC independently but are **not** part of the score
    (F4.6-3). The fact sheet names the item "erectile dysfunction" (F4.6-2e) and
    says nothing about women; this course scores the item ``False`` for a woman
    (a course choice of wording, not a sourced rule).
    """
    answers = {
        "age_50_or_over": age_50_or_over,
        "smoking": smoking,
        "weight_loss_5_percent": weight_loss_5_percent,
        "bulbar": bulbar,
        "erectile_dysfunction": erectile_dysfunction,
        "karnofsky_below_70": karnofsky_below_70,
    }
    return sum(_checks.flag(name, answers[name]) for name, _label, _fact in DELTA_P_ITEMS)


def _score(score: object) -> int:
    return _checks.integer("score", score, 0, MAX_SCORE)


def _cohort(cohort: object) -> str:
    return _checks.choice("cohort", cohort, COHORTS)


def delta_p_risk_range(score: int, cohort: str = "derivation") -> tuple[float, float] | None:
    """Published percent chance of SCLC for a DELTA-P score, as ``(low, high)``.

    ``cohort="derivation"`` (Titulaer et al. 2011, F4.6-5): scores 0–1 give
    ``(0.0, 2.6)`` (published only as the range "0–2.6 %"), 4, 5 and 6 give a single
    point ``(x, x)`` (93.5, 96.6, 100 %), and 2 and 3 give ``None``: our sources do
    not publish them. ``cohort="validation"`` (Maddison et al. 2020, 87 patients,
    F4.6-6): one point per score, 0 % … 100 %.
    """
    points = _RISK_PERCENT[_cohort(cohort)]
    return points.get(_score(score))


def delta_p_risk(score: int, cohort: str = "derivation") -> float | None:
    """Published percent chance of SCLC for a DELTA-P score, or ``None`` if unpublished.

    Derivation (F4.6-5): 4 → 93.5, 5 → 96.6, 6 → 100; scores 0 and 1 are published
    only together as "0–2.6 %", so both return 2.6, the **upper bound** (use
    :func:`delta_p_risk_range` for the range); 2 and 3 return ``None``.
    Validation (F4.6-6): 0, 18.8, 45, 55.5, 85.7, 87.5, 100 for scores 0…6.

    ``score`` must be a whole number 0–6 (``True``, ``2.5`` or ``"3"`` raise
    TypeError); ``cohort`` must be ``"derivation"`` or ``"validation"``.
    """
    published = delta_p_risk_range(score, cohort)
    return None if published is None else published[1]


@dataclass(frozen=True)
class ScreeningPlan:
    """A tumour-screening schedule for one DELTA-P score.

    ``months`` are screening times after the LEMS diagnosis (0 = first screen),
    ``text`` says what to do and why, ``facts`` are the fact IDs it rests on.
    """

    months: tuple[int, ...]
    text: str
    facts: tuple[str, ...]


_HOW_TO_SCREEN = ("Each screen is a CT of the thorax, then FDG-PET if the CT is "
                  "negative (F4.7-1c, F4.7-2).")
_NOT_ADVICE = "Teaching example, not medical advice."


def screening_plan(score: int) -> ScreeningPlan:
    """Screening schedule suggested by a DELTA-P score (F4.6-7, MDCalc summary of the
    authors' approach).

    - score ≥ 3 (F4.6-7a): "after a negative screen, repeat at 3 months, then every
      6 months for at least 2 years". The course reads this as screens at months
      0, 3, 6, 12, 18, 24: the 6-monthly screens of the standard protocol for 2 years
      plus one early repeat at 3 months (a course reading, so that no plan runs past
      2 years, as "In LEMS, screening for 2 years is sufficient", F4.7-2).
    - score 2 (F4.6-7b): every 6 months for at least 2 years: months 0, 6, 12, 18, 24.
    - score 0–1 (F4.6-7c): one repeat at 6 months, then stop if negative: months 0, 6.

    Each screen is CT-thorax, then FDG-PET if negative (F4.7-1c, F4.7-2).
    """
    value = _score(score)
    if value >= 3:
        months: tuple[int, ...] = (0, 3, 6, 12, 18, 24)
        rule = ("DELTA-P score 3 or more: after a negative first screen, repeat at "
                "3 months, then every 6 months (F4.6-7a), for 2 years in all, which "
                "is sufficient in LEMS (F4.7-2).")
        fact = "F4.6-7a"
    elif value == 2:
        months = (0, 6, 12, 18, 24)
        rule = ("DELTA-P score 2: screen every 6 months for at least 2 years "
                "(F4.6-7b).")
        fact = "F4.6-7b"
    else:
        months = (0, 6)
        rule = ("DELTA-P score 0–1: one repeat at 6 months, then stop if negative "
                "(F4.6-7c).")
        fact = "F4.6-7c"
    listed = ", ".join(str(month) for month in months)
    text = (f"{rule} Screens at months {listed} after diagnosis. {_HOW_TO_SCREEN} "
            f"Schedule from the MDCalc summary of the authors' approach (F4.6-7). "
            f"{_NOT_ADVICE}")
    return ScreeningPlan(months=months, text=text, facts=(fact, "F4.7-1c", "F4.7-2"))
