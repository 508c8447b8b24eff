"""The layers hold: the model never imports the presentation layer (course layout)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import lems_course

PACKAGE = Path(lems_course.__file__).parent

#: The NumPy-only layer: these may import NumPy and each other, nothing that draws.
MODEL_MODULES = ("physiology", "electrodiagnosis", "immunology", "clinic", "references",
                 "_checks")
PRESENTATION = ("plotly", "ipywidgets", "IPython", "anywidget", "matplotlib")

_IMPORT_CHECK = """
import json, sys
import {module}
print(json.dumps(sorted(name for name in sys.modules
                        if name.split('.')[0] in {presentation!r})))
"""


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("name", MODEL_MODULES)
def test_model_module_does_not_import_plotting_or_widgets(name):
    path = PACKAGE / f"{name}.py"
    assert _imported_roots(path).isdisjoint(PRESENTATION)


@pytest.mark.parametrize("module", ["lems_course", "lems_course.physiology",
                                    "lems_course.electrodiagnosis"])
def test_importing_the_model_in_a_fresh_process_loads_no_plotly_or_ipywidgets(module):
    script = _IMPORT_CHECK.format(module=module, presentation=PRESENTATION)
    result = subprocess.run([sys.executable, "-c", script], check=True,
                            capture_output=True, text=True)
    assert json.loads(result.stdout) == []


def test_widgets_package_loads_explorers_only_when_asked():
    script = ("import json, sys\nimport lems_course.widgets\n"
              "print(json.dumps(sorted(n for n in sys.modules "
              "if n.startswith('lems_course.widgets.'))))")
    result = subprocess.run([sys.executable, "-c", script], check=True,
                            capture_output=True, text=True)
    assert json.loads(result.stdout) == []
