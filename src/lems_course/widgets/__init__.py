"""The course's interactive explorers, one per module.

Lessons import them from here (``from lems_course.widgets import channel_loss_explorer``).
Each is loaded only when asked for, so one explorer's module (and plotly/ipywidgets)
is imported only when a lesson uses it, and a module that is missing or broken does
not stop the others from loading.
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name → module (inside this package) that defines it.
_EXPLORERS = {
    "warm_up_explorer": "warm_up",
    "safety_factor_explorer": "safety_factor",
    "release_simulator": "stochastic_release",
    "cooperativity_explorer": "calcium_cooperativity",
    "channel_loss_explorer": "channel_loss",
    "spike_width_explorer": "spike_width",
    "emg_lab": "emg",  # module not named emg_lab: importing it would shadow the function
    "treatment_simulator": "treatment_course",
    "delta_p_calculator": "delta_p",
}

_OTHER = {
    "Explorer": "_base",
    "View": "_base",
    "lesson_banner": "_banner",
    "jupyter_config_dir": "_saving",
}

__all__ = [*_EXPLORERS, *_OTHER]


def __getattr__(name: str) -> Any:
    module_name = _EXPLORERS.get(name) or _OTHER.get(name)
    if module_name is None:
        raise AttributeError(f"module 'lems_course.widgets' has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{module_name}")
    value = getattr(module, name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
