"""PlotlyPlot: the figure goes to the browser one way, complete, and only on change."""

from __future__ import annotations

import plotly
import plotly.graph_objects as go

from lems_course.widgets._plot import PlotlyPlot


def test_the_browser_code_carries_the_packaged_plotly_js_and_redraws_with_react():
    esm = PlotlyPlot._esm
    assert "* plotly.js v" in esm  # the bundle's own header
    assert f"__lemsCoursePlotly_{plotly.__version__}" in esm  # evaluated once per page
    assert "Plotly.react(plot, data, layout" in esm
    assert "export default { render }" in esm
    assert "http://" not in esm.split("function render", 1)[1]  # nothing fetched


def test_show_sends_data_and_layout_and_the_template_apart():
    plot = PlotlyPlot(go.Figure(go.Scatter(x=[0, 1], y=[2, 3]),
                                layout={"title": {"text": "T"}}))
    assert plot.figure["data"][0]["y"] == [2, 3]
    assert plot.figure["layout"]["title"]["text"] == "T"
    assert "template" not in plot.figure["layout"]
    assert plot.template["layout"]  # plotly's default template, sent once


def test_showing_the_same_figure_again_sends_nothing():
    figure = go.Figure(go.Scatter(x=[0, 1], y=[2, 3]))
    plot = PlotlyPlot(figure)
    changes = []
    plot.observe(changes.append, names=["figure", "template"])
    plot.show(figure)
    assert changes == []
    figure.data[0].y = [4, 5]
    plot.show(figure)
    assert [change["name"] for change in changes] == ["figure"]


def test_numpy_data_is_sent_as_json():
    import json

    import numpy as np

    plot = PlotlyPlot(go.Figure(go.Scatter(x=np.arange(3.0), y=np.array([1.0, 2.0, 3.0]))))
    json.dumps(plot.figure)  # what ipywidgets will do; fails on ndarray
