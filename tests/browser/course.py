"""What the browser tests need to know about the course files (no browser here)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
LESSONS_DIR = REPO_ROOT / "lessons"
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"  # gitignored
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"

EXPECTED_LESSONS = (
    "00_start_here.ipynb",
    "01_neuromuscular_junction.ipynb",
    "02_acetylcholine_release.ipynb",
    "03_calcium_channel_autoimmunity.ipynb",
    "04_symptoms_and_diagnosis.ipynb",
    "05_cancer_association.ipynb",
    "06_treatment.ipynb",
    "07_case_study.ipynb",
)

# The explorer functions of lems_course.widgets (team brief, explorer contract).
EXPLORER_NAMES = (
    "warm_up_explorer",
    "safety_factor_explorer",
    "release_simulator",
    "cooperativity_explorer",
    "channel_loss_explorer",
    "spike_width_explorer",
    "emg_lab",
    "treatment_simulator",
    "delta_p_calculator",
)
_EXPLORER_CALL = re.compile(r"\b(" + "|".join(EXPLORER_NAMES) + r")\s*\(")


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def lesson_files() -> list[Path]:
    """The lessons present now (collected at import time, so tests follow the course
    as lessons land)."""
    return sorted(LESSONS_DIR.glob("[0-9][0-9]_*.ipynb"))


def code_sources(notebook_path: Path) -> list[str]:
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    sources = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            sources.append("".join(source) if isinstance(source, list) else source)
    return sources


def explorer_cells(notebook_path: Path) -> list[str]:
    """Code cells that call an explorer (each should draw at least one plotly plot)."""
    return [source for source in code_sources(notebook_path) if _EXPLORER_CALL.search(source)]


def lesson_path(name: str) -> Path:
    return LESSONS_DIR / name


def require(condition: bool, message: str) -> None:
    """Skip with ``message`` when ``condition`` is false; under CI, fail instead."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)")
    pytest.skip(message)
