"""The release simulator draws the model's binomial events (F1.2-2), reproducibly."""

from __future__ import annotations

import numpy as np
import pytest

from lems_course import physiology
from lems_course.widgets import release_simulator
from lems_course.widgets._base import junction_from_controls
from lems_course.widgets.stochastic_release import (
    HISTOGRAM,
    MAX_IMPULSES,
    MIN_IMPULSES,
    MODEL_MEAN,
    SAMPLE_MEAN,
    release_view,
)


@pytest.fixture
def explorer():
    return release_simulator()


def test_histogram_counts_the_models_release_events(explorer):
    explorer.controls["calcium_mM"].value = 0.6
    j = junction_from_controls(0, 0.6)
    events = physiology.release_events(j, 200, seed=0)
    histogram = explorer.figure.data[HISTOGRAM]
    assert sum(histogram.y) == 200
    assert list(histogram.y) == np.bincount(events).tolist()
    assert explorer.figure.data[SAMPLE_MEAN].x[0] == pytest.approx(events.mean(), rel=1e-3)


def test_model_line_sits_at_the_models_quantal_content(explorer):
    explorer.controls["channel_loss_percent"].value = 50
    expected = physiology.quantal_content(physiology.lems(0.5))
    assert explorer.figure.data[MODEL_MEAN].x[0] == pytest.approx(expected, rel=1e-3)
    assert f"{expected:.3g}" in explorer.summary_text


def test_new_sample_button_moves_to_the_next_reproducible_sample(explorer):
    explorer.controls["calcium_mM"].value = 0.6
    first = list(explorer.figure.data[HISTOGRAM].y)
    explorer.new_sample_button.click()
    assert explorer.controls["seed"].value == 1
    second = list(explorer.figure.data[HISTOGRAM].y)
    assert second != first
    expected = np.bincount(physiology.release_events(junction_from_controls(0, 0.6), 200,
                                                     seed=1)).tolist()
    assert second == expected


def test_impulse_count_changes_the_sample_size(explorer):
    explorer.controls["n_impulses"].value = 1000
    assert sum(explorer.figure.data[HISTOGRAM].y) == 1000
    assert explorer.summary_text.startswith("Over 1000 impulses")


def test_low_release_reports_failures():
    view = release_view(60, 0.5, 1000, 0)
    failures = view.traces[HISTOGRAM]["y"][0]
    assert failures > 0
    assert f"{failures} of 1000 impulses released no quantum" in view.summary


@pytest.mark.parametrize("loss, calcium, impulses", [
    (95, 0.2, MIN_IMPULSES), (0, 4.0, MAX_IMPULSES), (95, 4.0, MIN_IMPULSES),
])
def test_slider_extremes_draw_a_histogram(loss, calcium, impulses):
    view = release_view(loss, calcium, impulses, 0)
    assert sum(view.traces[HISTOGRAM]["y"]) == impulses
    assert all(v is not None for v in view.traces[MODEL_MEAN]["x"])
    low, high = view.layout["xaxis"]["range"]
    assert high > low


def test_too_many_impulses_are_refused_with_the_range():
    with pytest.raises(ValueError, match="n_impulses"):
        release_simulator(n_impulses=5000)
