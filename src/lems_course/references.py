"""The names lessons import for their closing "References" cell.

Lessons write ``from lems_course.references import references``; this ordinary module
re-exports the functions of :mod:`lems_course.sources`, where facts and references are
loaded from the package's data files. ``lems_course.references`` is a module, and
``references`` the function in it.
"""

from __future__ import annotations

from lems_course.sources import (
    FACT_ID_PATTERN,
    FactStatus,
    References,
    citations,
    cite,
    fact_status,
    fact_text,
    find_fact_ids,
    known_fact_ids,
    references,
)

__all__ = [
    "FACT_ID_PATTERN",
    "FactStatus",
    "References",
    "citations",
    "cite",
    "fact_status",
    "fact_text",
    "find_fact_ids",
    "known_fact_ids",
    "references",
]
