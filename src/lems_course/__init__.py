"""LEMS interactive course: a tested model of the neuromuscular junction and the
widgets, quizzes and lessons built on it.

Layers, each importing only those below it::

    lessons/*.ipynb            imports and calls only
    widgets, figures, quiz     presentation (ipywidgets, plotly)
    physiology, electrodiagnosis, immunology, clinic, sources      NumPy only

``import lems_course`` stays light: the presentation layer is imported only when a
lesson asks for it (see ``__getattr__``), so the model can be used and tested alone.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public names a lesson may import from the top level, and the module that holds each.
# Loaded lazily so that `import lems_course` does not pull in plotly or ipywidgets.
# `quiz` is deliberately absent: it is also the name of the subpackage, so
# `from lems_course import quiz` gives the subpackage; lessons use
# `from lems_course.quiz import quiz`. `references` is absent for the same reason: it
# names the module `lems_course.references`; lessons use
# `from lems_course.references import references`.
_LAZY = {
    "check": "lems_course.quiz",
    "progress": "lems_course.quiz",
    "cite": "lems_course.references",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'lems_course' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)
