"""The Explorer base: three outputs (live widget, figure, summary), kept current while
the learner works, with a deterministic snapshot and a still picture."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time

import plotly.graph_objects as go
import pytest

from lems_course import figures
from lems_course.widgets import _base
from lems_course.widgets._base import PLOTLY_MIMETYPE, TEXT_MIMETYPE, WIDGET_MIMETYPE, View


def _toy(value: float) -> View:
    return View(traces=[{"x": [0, 1], "y": [value, value / 3]}],
                layout={"shapes": [{"type": "line", "x0": 0, "x1": 1, "y0": value,
                                    "y1": value}]},
                summary=f"value {value:g}")


@pytest.fixture
def toy():
    figure = go.Figure([go.Scatter()], layout=figures.base_layout("Toy", "x (s)", "y (mV)"))
    return _base.Explorer("Toy", {"value": _base.slider("Value (mV)", 1.0, 0.0, 5.0, 0.1)},
                          figure, _toy)


def test_setting_a_control_updates_figure_and_summary(toy):
    toy.controls["value"].value = 2.0
    assert toy.figure.data[0].y == (2.0, 2.0 / 3)
    assert toy.summary_text == "value 2"
    assert toy.widget.children[-1].text == "value 2"


def test_summary_is_a_polite_live_region_that_also_names_the_sliders(toy):
    from lems_course.widgets._summary import EXPLORER_CLASS, SummaryRegion

    region = toy.widget.children[-1]
    assert isinstance(region, SummaryRegion)
    assert 'setAttribute("aria-live", "polite")' in region._esm
    assert 'setAttribute("role", "status")' in region._esm
    # The region looks for slider handles inside its own explorer box.
    assert EXPLORER_CLASS in toy.widget._dom_classes
    assert f'el.closest(".{EXPLORER_CLASS}")' in region._esm
    assert 'handle.setAttribute("aria-label", name)' in region._esm


def test_layout_lists_are_replaced_not_merged(toy):
    toy.apply(View(layout={"shapes": []}, summary="none"))
    assert toy.figure.layout.shapes == ()


def test_display_emits_widget_snapshot_and_summary(toy):
    bundle = toy._repr_mimebundle_()
    assert set(bundle) == {WIDGET_MIMETYPE, PLOTLY_MIMETYPE, TEXT_MIMETYPE}
    assert bundle[TEXT_MIMETYPE] == toy.summary_text
    assert bundle[WIDGET_MIMETYPE]["model_id"] == toy.widget.model_id


def test_snapshot_has_no_uids_and_rounded_numbers(toy):
    toy.controls["value"].value = 1.0
    spec = toy._repr_mimebundle_()[PLOTLY_MIMETYPE]
    assert "uid" not in json.dumps(spec)
    assert spec["data"][0]["y"] == [1.0, 0.3333]
    assert isinstance(toy.snapshot(), go.Figure)


class _Handle:
    """Stands in for IPython's DisplayHandle: records what was shown and updated."""

    def __init__(self, data, metadata):
        self.data, self.metadata, self.updates = data, metadata, []

    def update(self, data, raw=False):
        assert raw
        self.updates.append(data)


@pytest.fixture
def shown(monkeypatch):
    """Every call to IPython's display(), as a _Handle."""
    import IPython.display

    calls = []

    def display(data, raw=False, metadata=None, display_id=None):
        assert raw
        calls.append(_Handle(data, metadata))
        return calls[-1] if display_id else None

    monkeypatch.setattr(IPython.display, "display", display)
    return calls


def test_display_emits_live_widget_figure_and_summary_outputs(toy, shown):
    toy._ipython_display_()
    live, figure, summary = shown
    assert set(live.data) == {WIDGET_MIMETYPE, TEXT_MIMETYPE}
    assert live.metadata == {"lems_course": {"live": True}}  # dropped from saved files
    assert "Interactive explorer: Toy" in live.data[TEXT_MIMETYPE]
    assert set(figure.data) == {PLOTLY_MIMETYPE, "image/png", TEXT_MIMETYPE}
    assert figure.data[PLOTLY_MIMETYPE] == toy.plotly_json()
    assert base64.b64decode(figure.data["image/png"]).startswith(b"\x89PNG")
    assert summary.data == {"text/markdown": "value 1", TEXT_MIMETYPE: "value 1"}
    assert figure.metadata is None and summary.metadata is None  # kept in saved files


def test_stored_figure_and_summary_follow_the_controls(toy, shown, monkeypatch):
    monkeypatch.setattr(_base, "STATIC_UPDATE_DELAY_S", 0.01)
    toy._ipython_display_()
    _live, figure, summary = shown
    toy.controls["value"].value = 2.0
    deadline = time.monotonic() + 10
    while not summary.updates and time.monotonic() < deadline:
        time.sleep(0.02)
    assert summary.updates[-1] == {"text/markdown": "value 2", TEXT_MIMETYPE: "value 2"}
    # The update carries the same snapshot the explorer would store now (no picture:
    # a saved lesson reopened in JupyterLab draws the plotly JSON).
    assert figure.updates[-1][PLOTLY_MIMETYPE]["data"] == toy.plotly_json()["data"]
    assert "image/png" not in figure.updates[-1]


def test_static_updates_are_at_most_one_per_delay_and_end_with_the_last_state(toy, shown,
                                                                                monkeypatch):
    monkeypatch.setattr(_base, "STATIC_UPDATE_DELAY_S", 0.3)
    toy._ipython_display_()
    _live, _figure, summary = shown
    for step in range(1, 11):
        toy.controls["value"].value = step / 10
    time.sleep(1.0)
    assert len(summary.updates) == 1
    assert summary.updates[0][TEXT_MIMETYPE] == "value 1"


def test_summary_markdown_is_prose_shown_as_written(toy):
    toy.apply(View(summary="EPP *falls* to 39 % <b>\n2nd_line"))
    markdown = toy.summary_bundle()["text/markdown"]
    assert markdown == "EPP \\*falls\\* to 39 % &lt;b&gt;  \n2nd\\_line"
    assert "<pre" not in markdown


def test_live_explorer_hides_its_stored_copies_in_the_same_cell():
    css = _base.SummaryRegion._css
    assert ".jp-OutputArea-child:has(.lems-explorer) ~ .jp-OutputArea-child" in css
    assert '[data-mime-type="image/png"]' in css and ".jp-RenderedPlotly" in css


_SNAPSHOT_SCRIPT = """
import json
from lems_course.widgets import channel_loss_explorer
e = channel_loss_explorer(channel_loss_percent=60)
bundle = e._repr_mimebundle_()
print(json.dumps(bundle["application/vnd.plotly.v1+json"], sort_keys=True))
print(bundle["text/plain"])
"""


def test_plotly_snapshot_is_byte_identical_across_processes():
    outputs = [subprocess.run([sys.executable, "-c", _SNAPSHOT_SCRIPT], check=True,
                              capture_output=True, text=True).stdout for _ in range(2)]
    assert outputs[0] == outputs[1]
    assert '"uid"' not in outputs[0]


def test_rounded_keeps_integers_and_turns_nan_into_gaps():
    assert figures.rounded([1, 2.123456, float("nan")]) == [1, 2.123, None]
    assert figures.rounded(-1e-30) == -1e-30
    assert figures.rounded(0.0) == 0.0


def test_model_label_is_added_once():
    assert figures.model_label("EPP") == "EPP (model)"
    assert figures.model_label("EPP (model)") == "EPP (model)"


def test_base_layout_labels_axes_and_keeps_font_readable():
    layout = figures.base_layout("T", "Time (s)", "CMAP (mV)", height=500)
    assert layout["xaxis"]["title"]["text"] == "Time (s)"
    assert layout["font"]["size"] >= 13
    assert layout["height"] == 500


def test_junction_from_controls_refuses_calcium_outside_the_slider():
    with pytest.raises(ValueError, match="calcium_mM"):
        _base.junction_from_controls(0, 0.1)


def test_views_holding_numpy_arrays_are_applied_every_time(toy):
    import numpy as np

    toy.apply(View(traces=[{"y": np.array([1.0, 2.0])}], summary="a"))
    toy.apply(View(traces=[{"y": np.array([3.0, 4.0])}], summary="b"))
    assert list(toy.figure.data[0].y) == [3.0, 4.0]
    assert toy.summary_text == "b"


def test_unchanged_layout_entry_is_not_reapplied_but_changed_one_is(toy):
    toy.apply(View(layout={"yaxis": {"range": [0, 5]}}, summary="a"))
    toy.figure.layout.yaxis.range = [0, 9]  # a user's zoom survives an unrelated update
    toy.apply(View(layout={"yaxis": {"range": [0, 5]}}, summary="b"))
    assert toy.figure.layout.yaxis.range == (0, 9)
    toy.apply(View(layout={"yaxis": {"range": [0, 6]}}, summary="c"))
    assert toy.figure.layout.yaxis.range == (0, 6)


def test_each_change_sends_the_browser_one_complete_figure():
    # The browser redraws from the whole figure (Plotly.react), so a property the
    # view does not mention, such as a bar's category x, must still be there.
    figure = go.Figure([go.Bar(x=["EPP"], y=[1.0]), go.Scatter(x=[0, 1], y=[0, 1])])
    explorer = _base.Explorer(
        "Mixed", {"value": _base.slider("Value (mV)", 1.0, 0.0, 5.0, 0.1)}, figure,
        lambda value: View(traces=[{"y": [value]},
                                   {"y": [0, value], "line": {"color": "#000000"}}],
                           layout={"yaxis": {"range": [0, value + 1]},
                                   "shapes": [{"type": "line", "x0": 0, "x1": 1,
                                               "y0": value, "y1": value}]},
                           summary=f"{value:g}"))
    sent = []
    explorer.plot.observe(lambda change: sent.append(change["new"]), names="figure")
    explorer.controls["value"].value = 2.0
    assert len(sent) == 1
    bar, line = sent[0]["data"]
    assert bar["x"] == ["EPP"] and bar["y"] == [2.0]
    assert line["x"] == [0, 1] and line["y"] == [0, 2.0]
    assert line["line"]["color"] == "#000000"
    assert sent[0]["layout"]["yaxis"]["range"] == [0, 3.0]
    assert sent[0]["layout"]["shapes"][0]["y0"] == 2.0
    assert "template" not in sent[0]["layout"]  # synced once, apart from the data
    assert explorer.plot.template
    assert explorer.figure.data[0].x == ("EPP",)
    assert explorer.figure.layout.yaxis.range == (0, 3.0)


def test_an_axis_update_keeps_the_axis_title(toy):
    toy.figure.layout.yaxis.title.text = "y (mV)"
    toy.apply(View(layout={"yaxis": {"range": [0, 5]}}, summary="a"))
    assert toy.figure.layout.yaxis.title.text == "y (mV)"
    assert toy.plot.figure["layout"]["yaxis"]["title"]["text"] == "y (mV)"


def test_a_marker_colour_update_keeps_the_marker_size():
    figure = go.Figure([go.Scatter(x=[0], y=[0], marker={"size": 14, "color": "#000000"})])
    explorer = _base.Explorer(
        "Marker", {"value": _base.slider("Value (mV)", 1.0, 0.0, 5.0, 0.1)}, figure,
        lambda value: View(traces=[{"y": [value], "marker": {"color": "#D55E00"}}],
                           summary=f"{value:g}"))
    assert explorer.figure.data[0].marker.size == 14
    assert explorer.plot.figure["data"][0]["marker"] == {"size": 14, "color": "#D55E00"}


EXPLORER_NAMES = ("warm_up_explorer", "safety_factor_explorer", "release_simulator",
                  "cooperativity_explorer", "channel_loss_explorer", "spike_width_explorer",
                  "emg_lab", "treatment_simulator", "delta_p_calculator")


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_every_explorer_of_the_course_is_exported_by_the_widgets_package(name):
    import lems_course.widgets as widgets

    assert name in widgets.__all__
    explorer = getattr(widgets, name)()
    assert isinstance(explorer, _base.Explorer)
    assert set(explorer._repr_mimebundle_()) == {WIDGET_MIMETYPE, PLOTLY_MIMETYPE,
                                                 TEXT_MIMETYPE}
    assert explorer.summary_text
    # The still picture for static views: a small PNG of the initial state.
    picture = base64.b64decode(explorer.figure_bundle()["image/png"])
    assert picture.startswith(b"\x89PNG") and len(picture) < 40_000


def test_unknown_widget_name_raises_attribute_error():
    import lems_course.widgets as widgets

    with pytest.raises(AttributeError, match="no_such_explorer"):
        widgets.no_such_explorer  # noqa: B018


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_every_control_is_labelled_and_sliders_update_while_dragged(name):
    import ipywidgets

    import lems_course.widgets as widgets

    explorer = getattr(widgets, name)()
    for control in explorer.controls.values():
        assert control.description.strip(), f"{name}: a control has no label"
        if isinstance(control, (ipywidgets.IntSlider, ipywidgets.FloatSlider)):
            assert control.continuous_update


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_every_figure_has_a_title_and_labelled_axes(name):
    import lems_course.widgets as widgets

    figure = getattr(widgets, name)().snapshot()
    assert figure.layout.title.text
    axes = [*figure.select_xaxes(), *figure.select_yaxes()]
    for axis in axes:
        # Category axes name their bars; axes sharing another's ticks are titled there.
        if axis.type == "category" or axis.showticklabels is False or axis.visible is False:
            continue
        assert axis.title.text, f"{name}: an axis with tick labels has no title"


def test_importing_an_explorer_module_does_not_shadow_its_explorer_function():
    # Python sets a package attribute for every submodule it imports; a module named like
    # its explorer function would replace the function (``emg_lab`` once did).
    import importlib
    import types

    from lems_course import widgets

    for name, module_name in widgets._EXPLORERS.items():
        importlib.import_module(f"lems_course.widgets.{module_name}")
        explorer = getattr(widgets, name)
        assert not isinstance(explorer, types.ModuleType), name
        assert callable(explorer), name
