"""The virtual EMG lab shows the model's CMAPs and the published criteria, for every
condition and protocol."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from lems_course import electrodiagnosis, physiology
from lems_course.figures import percent_text
from lems_course.widgets import emg_lab
from lems_course.widgets._base import PLOTLY_MIMETYPE, TEXT_MIMETYPE, WIDGET_MIMETYPE
from lems_course.widgets.emg import (
    CMAP_BARS,
    CONDITIONS,
    CRITERIA_LABELS,
    HEALTHY_LINE,
    PROTOCOLS,
    PUBLISHED_BARS,
    emg_lab_view,
    junction_view,
    published_labels,
)


@pytest.fixture(scope="module")
def lab():
    return emg_lab()


def _numbers(value):
    """Every number in a nested figure property."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def _criterion_levels(figure) -> list[float]:
    return sorted(shape.y0 for shape in figure.layout.shapes if shape.name in CRITERIA_LABELS)


@pytest.mark.parametrize(("condition", "protocol"),
                         list(itertools.product(CONDITIONS, PROTOCOLS)))
def test_every_condition_and_protocol_draws_without_nan(condition, protocol):
    view = emg_lab_view(condition, protocol)
    numbers = list(_numbers([list(view.traces), dict(view.layout)]))
    assert numbers and all(math.isfinite(number) for number in numbers)
    assert view.traces[CMAP_BARS]["y"] and None not in view.traces[CMAP_BARS]["y"]
    assert "nan" not in view.summary.lower()
    assert view.summary.startswith(f"{condition}, {protocol}")


def test_three_hertz_bars_are_the_models_train(lab):
    lab.controls["condition"].value = "LEMS"
    lab.controls["protocol"].value = "3 Hz train"
    expected = electrodiagnosis.cmap_train(physiology.lems(), 3.0, 10)
    assert list(lab.figure.data[CMAP_BARS].y) == pytest.approx(expected, rel=1e-3)
    decrement = electrodiagnosis.decrement_percent(expected)
    assert f"a decrement of {percent_text(decrement)}" in lab.summary_text


def test_healthy_three_hertz_shows_a_small_decrement(lab):
    # H6: a high safety factor keeps the healthy 3 Hz decrement under 10 %
    lab.controls["condition"].value = "Healthy"
    lab.controls["protocol"].value = "3 Hz train"
    cmaps = lab.figure.data[CMAP_BARS].y
    decrement = electrodiagnosis.decrement_percent(
        electrodiagnosis.cmap_train(physiology.healthy(), 3.0, 10))
    assert 0 <= decrement < 10
    assert (cmaps[0] - cmaps[3]) / cmaps[0] * 100 == pytest.approx(decrement, abs=0.1)
    assert f"a decrement of {percent_text(decrement)}" in lab.summary_text


def test_three_hertz_draws_no_increment_criteria(lab):
    lab.controls["condition"].value = "LEMS"
    lab.controls["protocol"].value = "3 Hz train"
    assert _criterion_levels(lab.figure) == []


def test_lems_ten_second_exercise_passes_the_hundred_percent_criterion(lab):
    # H9 (model hallmark): LEMS facilitates by ≥ 100 % after 10 s of exercise (F5-4a)
    lab.controls["condition"].value = "LEMS"
    lab.controls["protocol"].value = "10 s exercise"
    rest, after = electrodiagnosis.post_exercise_cmap(physiology.lems(), 10)
    increment = electrodiagnosis.increment_percent(rest, after)
    assert increment >= 100
    assert list(lab.figure.data[CMAP_BARS].y) == pytest.approx([rest, after], rel=1e-3)
    assert f"an increment of {percent_text(increment)}" in lab.summary_text
    assert "above both the 60 % and the 100 % criteria" in lab.summary_text
    assert "F5-4" in lab.summary_text and "F5-5" in lab.summary_text


def test_criterion_lines_sit_at_sixty_and_hundred_percent_above_rest(lab):
    # F5-4, F5-5: ≥ 60 % and ≥ 100 % increments
    lab.controls["condition"].value = "LEMS"
    lab.controls["protocol"].value = "30 s exercise"
    rest, _ = electrodiagnosis.post_exercise_cmap(physiology.lems(), 30)
    assert _criterion_levels(lab.figure) == pytest.approx([1.6 * rest, 2.0 * rest], rel=1e-3)
    names = {shape.name for shape in lab.figure.layout.shapes}
    assert {"+60 % (F5-4, F5-5)", "+100 %"} <= names


def test_fifty_hertz_increment_is_largest_against_first(lab):
    lab.controls["condition"].value = "LEMS"
    lab.controls["protocol"].value = "50 Hz train"
    increment = electrodiagnosis.high_rate_increment_percent(physiology.lems(), 50, 10)
    assert f"an increment of {percent_text(increment)}" in lab.summary_text
    first = electrodiagnosis.cmap_train(physiology.lems(), 50.0, 10)[0]
    assert _criterion_levels(lab.figure) == pytest.approx([1.6 * first, 2 * first], rel=1e-3)


def test_myasthenia_stays_below_the_sixty_percent_criterion(lab):
    # H10, F5-4c: a ≥ 60 % increment is rare in myasthenia gravis
    lab.controls["condition"].value = "Myasthenia gravis"
    for protocol in ("50 Hz train", "10 s exercise"):
        lab.controls["protocol"].value = protocol
        assert "below the 60 % criterion" in lab.summary_text


def test_healthy_resting_reference_line_is_the_models_healthy_cmap(lab):
    lab.controls["condition"].value = "Myasthenia gravis"
    healthy_rest = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    lines = [shape for shape in lab.figure.layout.shapes
             if shape.name and shape.name.startswith(HEALTHY_LINE)]
    assert len(lines) == 1
    assert lines[0].y0 == pytest.approx(healthy_rest)
    assert "(model)" in lines[0].name


def test_resting_summary_states_percent_of_healthy(lab):
    lab.controls["condition"].value = "LEMS"
    lab.controls["protocol"].value = "10 s exercise"
    rest = electrodiagnosis.resting_cmap_mV(physiology.lems())
    healthy_rest = electrodiagnosis.resting_cmap_mV(physiology.healthy())
    assert f"({percent_text(100 * rest / healthy_rest)} of the model's healthy" in (
        lab.summary_text)


def test_a_silent_muscle_reports_no_increment_instead_of_nan():
    severe = physiology.lems(0.95)
    assert electrodiagnosis.resting_cmap_mV(severe) == 0  # the case under test
    for protocol in PROTOCOLS:
        view = junction_view(severe, "Severe LEMS", protocol)
        # Just after exercise some fibres fire again; then there is no resting
        # decrement to compare with.
        assert ("can be computed" in view.summary
                or "at rest no fibre fires" in view.summary)
        assert "nan" not in view.summary.lower()
        assert all(math.isfinite(n) for n in _numbers([list(view.traces),
                                                       dict(view.layout)]))
    assert "no increment" in junction_view(severe, "Severe LEMS", "10 s exercise").summary


def test_published_panel_holds_the_published_numbers():
    # F5-2: 31.6 % decrement at 3 Hz, 164 % at 30 Hz, 400 % after 10 s exercise;
    # F5-3a: 243–244 % at 5–10 s versus 84 % at 30 s of exercise
    figure = emg_lab().figure
    published = figure.data[PUBLISHED_BARS]
    assert list(published.y) == pytest.approx([-31.6, 164, 400, 243.5, 84])
    assert list(published.error_y.array) == [None, None, None, 0.5, None]
    assert "243–244 %" in published.text
    assert all(x.endswith(("F5-2", "F5-3a")) for x in published.x)
    assert "Published" in figure.layout.annotations[1].text
    assert "published" in figure.layout.yaxis2.title.text


def test_published_bars_for_the_chosen_protocol_are_highlighted(lab):
    lab.controls["protocol"].value = "30 s exercise"
    opacity = np.array(lab.figure.data[PUBLISHED_BARS].marker.opacity)
    assert opacity.argmax() == 4 and (opacity == opacity.max()).sum() == 1


def test_short_protocol_names_are_accepted_and_bad_ones_named():
    assert emg_lab(condition="LEMS", protocol="3 Hz").controls["protocol"].value == (
        "3 Hz train")
    with pytest.raises(ValueError, match="protocol"):
        emg_lab_view("LEMS", "5 Hz")
    with pytest.raises(ValueError, match="condition"):
        emg_lab_view("ALS", "3 Hz train")


def test_controls_are_labelled_and_figure_titled(lab):
    assert all(control.description for control in lab.controls.values())
    assert "(model)" in lab.figure.layout.title.text
    assert "mV" in lab.figure.layout.yaxis.title.text


def test_display_bundle_is_deterministic(lab):
    lab.controls["condition"].value = "LEMS"
    lab.controls["protocol"].value = "50 Hz train"
    first = lab._repr_mimebundle_()
    again = emg_lab("LEMS", "50 Hz train")._repr_mimebundle_()
    assert set(first) == {WIDGET_MIMETYPE, PLOTLY_MIMETYPE, TEXT_MIMETYPE}
    assert json.dumps(first[PLOTLY_MIMETYPE]) == json.dumps(again[PLOTLY_MIMETYPE])
    assert first[TEXT_MIMETYPE] == again[TEXT_MIMETYPE] == lab.summary_text


@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_no_summary_calls_a_result_a_limit_of_the_model(condition):
    # Version 2 of the model: MG no longer falls after effort, so no such note.
    for protocol in PROTOCOLS:
        assert "limit of the model" not in emg_lab_view(condition=condition,
                                                        protocol=protocol).summary


def test_myasthenia_summaries_tell_repair_then_exhaustion():
    # F13-4, F13-5: smaller decrement just after a brief effort, larger minutes after
    # a one-minute effort.
    repair = emg_lab_view("Myasthenia gravis", "3 Hz, 2 s after 10 s exercise").summary
    exhaustion = emg_lab_view("Myasthenia gravis", "3 Hz, 3 min after 60 s exercise").summary
    assert "repair" in repair and "F13-4" in repair
    assert "exhaustion" in exhaustion and "F13-5" in exhaustion
    assert "U shape" in emg_lab_view("Myasthenia gravis", "3 Hz train").summary


def test_lems_fifty_hertz_summary_says_the_increment_is_sustained():
    assert "sustained" in emg_lab_view("LEMS", "50 Hz train").summary


def test_post_exercise_train_protocols_draw_ten_responses(lab):
    lab.controls["condition"].value = "Myasthenia gravis"
    lab.controls["protocol"].value = "3 Hz, 3 min after 60 s exercise"
    assert len(lab.figure.data[CMAP_BARS].y) == 10


@pytest.mark.parametrize(("condition", "lems_title"), [("LEMS", True), ("Healthy", False),
                                                       ("Myasthenia gravis", False)])
def test_published_panel_title_says_it_shows_lems_whatever_the_condition(condition,
                                                                         lems_title):
    titles = [a["text"] for a in emg_lab_view(condition, "3 Hz train").layout["annotations"]]
    assert titles[1].startswith("Published LEMS examples")
    assert (f"not {condition}" in titles[1]) is not lems_title


def test_criteria_on_the_published_panel_are_tick_labels_not_labels_on_bars():
    figure = emg_lab().figure
    assert "+100 %" in figure.layout.yaxis2.ticktext
    assert "+60 %" in figure.layout.yaxis2.ticktext
    assert all(shape.label.text in (None, "") for shape in figure.layout.shapes
               if shape.yref == "y2")
    # Values are in the category labels under the axis, not on the bars.
    assert figure.data[PUBLISHED_BARS].textposition == "none"
    assert any("84 %" in label for label in figure.data[PUBLISHED_BARS].x)


def test_the_published_30_s_figure_is_quoted_for_lems_only():
    lems = emg_lab_view(condition="LEMS", protocol="30 s exercise").summary
    assert "Published, in LEMS: 30 s of exercise facilitates less than 10 s" in lems
    for condition in ("Healthy", "Myasthenia gravis"):
        assert "F5-3a" not in emg_lab_view(condition=condition, protocol="30 s exercise").summary


def test_figure_carries_a_one_column_layout_for_narrow_screens():
    from lems_course.figures import NARROW_BELOW_PX

    figure = emg_lab().figure
    narrow = figure.layout.meta["lemsNarrow"]
    assert narrow["belowPx"] == NARROW_BELOW_PX
    layout = narrow["layout"]
    # The model panel above the published one, each as wide as the figure.
    assert layout["xaxis"]["domain"] == layout["xaxis2"]["domain"] == [0.0, 1.0]
    assert layout["yaxis"]["domain"][0] > layout["yaxis2"]["domain"][1]
    assert [layout["annotations"][str(i)]["y"] for i in range(2)] == [
        layout["yaxis"]["domain"][1], layout["yaxis2"]["domain"][1]]
    assert "<br>" in layout["yaxis2"]["title"]["text"]
    assert layout["height"] > figure.layout.height


@pytest.mark.parametrize("protocol", ["3 Hz train", "3 Hz, 3 min after 60 s exercise"])
def test_long_texts_take_two_lines(protocol):
    view = emg_lab_view("LEMS + 3,4-DAP", protocol)
    assert "<br>" in view.layout["title"]["text"]
    assert "<br>" in view.traces[CMAP_BARS]["name"]
    assert "(model)" in view.traces[CMAP_BARS]["name"]
    # The published range's value is no wider than its neighbours' labels.
    assert any("243–</b><br><b>244 %" in label for label in published_labels())
