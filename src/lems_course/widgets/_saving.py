"""Saved lessons stay readable without a kernel: a Jupyter server pre-save hook.

Why: a course widget's output holds the widget-view mimetype. Reopened in JupyterLab
after the kernel is gone, the notebook is trusted (the learner ran it), so JupyterLab's
widget renderer (rank -10, always preferred) looks for a model that no longer exists
and shows "Error displaying widget: model not found" instead of the output's other
forms (jupyterlab-manager's ``WidgetRenderer.renderModel``; ipympl #16 and #473 are
the same problem). A fallback inside the same bundle is never shown there.

What: every course widget marks its live output with ``metadata["lems_course"]
["live"] = True``. When the notebook is saved, this hook removes the widget-view
mimetype from those outputs only, so the saved file holds their static forms (text,
figure), exactly what an untouched lesson file shows. The page being edited is not
changed: the widgets stay live. The explorers keep a separate static output (last
figure and summary) up to date while the learner works (``widgets._base``), so the
saved file shows the lesson as the learner left it. Outputs of other libraries are
left alone. The hook never blocks a save: the server logs a failing hook and saves.

It is a Jupyter server extension (``jupyter-config/jupyter_server_config.d``,
installed into ``<prefix>/etc/jupyter`` with the package), registered with
``ContentsManager.register_pre_save_hook`` so other hooks keep working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
#: Key of the output metadata that course widgets use for their markers.
METADATA_KEY = "lems_course"


def config_dir() -> Path:
    """The package's Jupyter config folder (``jupyter_server_config.d/lems_course.json``
    enables this extension; the same folder holds the course's JupyterLab settings).
    Put it on ``JUPYTER_CONFIG_PATH`` when starting a server from an editable install,
    which does not install the copy in ``<prefix>/etc``."""
    return Path(__file__).resolve().parents[1] / "data" / "jupyter"


#: Public name (``lems_course.widgets.jupyter_config_dir``) for ``lems-course open``.
jupyter_config_dir = config_dir


def live_metadata() -> dict[str, Any]:
    """Metadata for a live widget output: removed from the saved file by the hook."""
    return {METADATA_KEY: {"live": True}}


def strip_live_widgets(notebook: dict[str, Any]) -> int:
    """Remove the widget-view mimetype from the course's live outputs in a notebook
    (nbformat 4 dict, changed in place); return how many outputs were changed."""
    changed = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            marker = (output.get("metadata") or {}).get(METADATA_KEY)
            data = output.get("data")
            if isinstance(marker, dict) and marker.get("live") and data \
                    and WIDGET_MIMETYPE in data:
                del data[WIDGET_MIMETYPE]
                changed += 1
                if not "".join(data.get("text/plain", "")).strip() and \
                        set(data) <= {"text/plain"}:
                    continue  # nothing left to show: a quiz's static copy follows it
            kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = kept
    return changed


def pre_save_hook(model: dict[str, Any], **_kwargs: Any) -> None:
    """``ContentsManager`` pre-save hook: strip live course widgets from notebooks."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    strip_live_widgets(model["content"])


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.info("lems-course: saved lessons keep static forms of their widgets")
