"""PlotlyPlot: the figure goes to the browser one way, complete, and only on change."""

from __future__ import annotations

import plotly
import plotly.graph_objects as go

from lems_course.widgets._plot import PlotlyPlot


def test_plotly_js_goes_to_the_page_once_in_one_shared_library_widget():
    first = PlotlyPlot(go.Figure(go.Scatter(y=[1])))
    second = PlotlyPlot(go.Figure(go.Scatter(y=[2])))
    assert first.library is second.library
    source = first.library.source
    assert "* plotly.js v" in source  # the bundle's own header
    assert "window.Plotly = Plotly;" not in source  # the page's globals stay as they were
    assert f"__lemsCoursePlotly_{plotly.__version__}" in first.library._esm
    # Modules stay small: anywidget gives a model 2 s to load its module and
    # initialize, so plotly.js is a string compiled later, not the module itself.
    assert len(first.library._esm) < 10_000
    assert len(PlotlyPlot._esm) < 10_000


def test_a_closed_library_is_made_again():
    first = PlotlyPlot(go.Figure())
    first.library.close()
    assert PlotlyPlot(go.Figure()).library is not first.library


def test_the_plot_redraws_with_react_and_fetches_nothing():
    esm = PlotlyPlot._esm
    assert "Plotly.react(plot, data, layout" in esm
    assert "export default { render }" in esm
    assert "http" not in esm


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
