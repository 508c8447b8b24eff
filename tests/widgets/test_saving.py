"""The server pre-save hook: saved lessons keep their widgets' static forms only."""

from __future__ import annotations

import json
from types import SimpleNamespace

from lems_course.widgets import _saving

WIDGET = "application/vnd.jupyter.widget-view+json"


def _notebook(*outputs):
    return {"cells": [{"cell_type": "markdown", "source": "x"},
                      {"cell_type": "code", "outputs": list(outputs)}]}


def _out(data, metadata=None):
    return {"output_type": "display_data", "data": dict(data), "metadata": metadata or {}}


def test_hook_drops_the_widget_view_of_live_course_outputs_only():
    live = _out({WIDGET: {"model_id": "abc"}, "text/plain": "run the cells"},
                _saving.live_metadata())
    other = _out({WIDGET: {"model_id": "def"}, "text/plain": "someone else's widget"})
    figure = _out({"application/vnd.plotly.v1+json": {"data": []}, "text/plain": "Figure"})
    model = {"type": "notebook", "content": _notebook(live, other, figure)}
    _saving.pre_save_hook(model=model, path="lessons/03.ipynb", contents_manager=None)
    outputs = model["content"]["cells"][1]["outputs"]
    assert outputs[0]["data"] == {"text/plain": "run the cells"}
    assert WIDGET in outputs[1]["data"]  # not ours: left alone
    assert outputs[2] == figure


def test_a_live_output_with_nothing_else_to_show_is_dropped():
    static = _out({"text/markdown": "**Quiz L03-Q1**", "text/plain": "Quiz L03-Q1"})
    notebook = _notebook(_out({WIDGET: {"model_id": "abc"}, "text/plain": ""},
                              _saving.live_metadata()), static)
    assert _saving.strip_live_widgets(notebook) == 1
    assert notebook["cells"][1]["outputs"] == [static]


def test_hook_ignores_files_that_are_not_notebooks():
    model = {"type": "file", "content": "text"}
    _saving.pre_save_hook(model=model, path="notes.txt")
    assert model == {"type": "file", "content": "text"}


def test_extension_registers_the_hook_with_the_contents_manager():
    registered = []
    server = SimpleNamespace(
        contents_manager=SimpleNamespace(register_pre_save_hook=registered.append),
        log=SimpleNamespace(info=lambda *args: None))
    _saving._load_jupyter_server_extension(server)
    assert registered == [_saving.pre_save_hook]
    assert _saving._jupyter_server_extension_points() == [{"module": _saving.__name__}]


def test_shipped_config_enables_the_extension():
    config = _saving.config_dir() / "jupyter_server_config.d" / "lems_course.json"
    enabled = json.loads(config.read_text())["ServerApp"]["jpserver_extensions"]
    assert enabled == {_saving.__name__: True}
