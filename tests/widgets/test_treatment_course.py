"""The treatment simulator draws the immunology model's own course for each therapy,
marks its CMAP peak, and quotes the published timings with their fact IDs."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from lems_course import immunology
from lems_course.figures import percent_text
from lems_course.widgets import treatment_simulator
from lems_course.widgets._base import PLOTLY_MIMETYPE, TEXT_MIMETYPE
from lems_course.widgets.treatment_course import (
    ANTIBODY,
    CHANNELS,
    CMAP,
    PEAK,
    UNTREATED_CMAP,
    treatment_view,
)

TREATMENTS = [therapy for therapy in immunology.THERAPIES if therapy != "none"]


@pytest.fixture(scope="module")
def simulator():
    return treatment_simulator()


@pytest.mark.parametrize("therapy", immunology.THERAPIES)
def test_curves_are_the_models_course(simulator, therapy):
    simulator.controls["days"].value = 120
    simulator.controls["therapy"].value = therapy
    course = immunology.treatment_course(therapy, 120)
    data = simulator.figure.data
    assert list(data[ANTIBODY].y) == pytest.approx(course.antibody_level, rel=1e-3)
    assert list(data[CHANNELS].y) == pytest.approx(100 * course.channel_fraction, rel=1e-3)
    assert list(data[CMAP].y) == pytest.approx(course.resting_cmap_mV, rel=1e-3, abs=1e-6)
    assert list(data[CMAP].x) == list(range(121))
    assert all(math.isfinite(value) for trace in data for value in (trace.y or ()))


@pytest.mark.parametrize("therapy", TREATMENTS)
def test_peak_marker_sits_on_the_models_highest_cmap(simulator, therapy):
    simulator.controls["days"].value = 120
    simulator.controls["therapy"].value = therapy
    cmap = immunology.treatment_course(therapy, 120).resting_cmap_mV
    peak_day = int(np.argmax(cmap))
    assert simulator.figure.data[PEAK].x == (peak_day,)
    assert simulator.figure.data[PEAK].y[0] == pytest.approx(cmap[peak_day], rel=1e-3)
    assert f"day {peak_day}" in simulator.figure.data[PEAK].text[0]


def test_untreated_course_has_no_peak_marker():
    view = treatment_view("none", 120)
    assert view.traces[PEAK]["x"] == [] and view.traces[PEAK]["y"] == []
    assert "stay at the untreated balance" in view.summary


def test_plasma_exchange_summary_gives_the_model_peak_and_the_published_window():
    # F6-17b: peak CMAP 10–15 days after plasma exchange, about 2.5-fold
    course = immunology.treatment_course("plasma_exchange", 120)
    peak_day = int(np.argmax(course.resting_cmap_mV))
    summary = treatment_view("plasma_exchange", 120).summary
    assert summary.startswith("Plasma exchange (model)")
    assert f"on day {peak_day}" in summary
    assert "10–15 days" in summary and "F6-17b" in summary
    lowest = percent_text(100 * course.antibody_level.min())
    assert f"antibody falls to {lowest}" in summary


def test_published_peak_window_is_shaded_for_plasma_exchange_and_ivig():
    # F6-17b: 10–15 days; F6-16c: 2–4 weeks
    for therapy, window in (("plasma_exchange", (10, 15)), ("ivig", (14, 28))):
        rects = [shape for shape in treatment_view(therapy, 120).layout["shapes"]
                 if shape["type"] == "rect"]
        assert [(rect["x0"], rect["x1"]) for rect in rects] == [window]
    rects = [shape for shape in treatment_view("immunosuppression", 120).layout["shapes"]
             if shape["type"] == "rect"]
    assert rects == []


@pytest.mark.parametrize(("therapy", "facts"), [
    ("plasma_exchange", ["F6-17b"]),
    ("ivig", ["F6-16c", "2–4 weeks"]),
    ("immunosuppression", ["F6-18a", "F6-18b"]),
    ("amifampridine", ["F13-6", "F6-4c"]),
])
def test_each_therapy_quotes_its_published_timing_and_the_non_responders(therapy, facts):
    summary = treatment_view(therapy, 120).summary
    for fact in facts:
        assert fact in summary
    assert "Not everyone responds well to treatment (F10-11)" in summary
    assert "(model)" in summary


def test_ivig_summary_shows_the_decline_by_eight_weeks():
    # F6-16c: benefit declines by 8 weeks
    cmap = immunology.treatment_course("ivig", 120).resting_cmap_mV
    summary = treatment_view("ivig", 120).summary
    assert "at 8 weeks (day 56)" in summary
    assert cmap[56] < cmap.max()


def test_immunosuppression_is_still_rising_at_the_end_of_the_period():
    # F6-18: immunosuppression acts over months to years
    summary = treatment_view("immunosuppression", 120).summary
    assert "still rising" in summary


def test_amifampridine_leaves_antibodies_alone():
    # F6-2: 3,4-DAP widens the spike; it removes no antibody
    view = treatment_view("amifampridine", 60)
    assert view.traces[ANTIBODY]["y"] == pytest.approx([1.0] * 61)
    assert "do not change" in view.summary


def test_days_slider_sets_the_period_shown(simulator):
    simulator.controls["therapy"].value = "ivig"
    simulator.controls["days"].value = 30
    assert len(simulator.figure.data[CMAP].y) == 31
    assert len(simulator.figure.data[UNTREATED_CMAP].y) == 31
    assert tuple(simulator.figure.layout.xaxis3.range) == (0, 30)
    assert "on day 30" in simulator.summary_text


def test_controls_are_labelled_with_readable_therapy_names(simulator):
    therapy = simulator.controls["therapy"]
    assert therapy.description and simulator.controls["days"].description
    assert [label for label, _ in therapy.options] == [
        "No treatment", "Plasma exchange", "IVIG (2 g/kg over 2 days)",
        "Immunosuppression", "3,4-DAP (amifampridine)"]
    assert (simulator.controls["days"].min, simulator.controls["days"].max) == (30, 365)


def test_bad_therapy_and_days_are_named():
    with pytest.raises(ValueError, match="therapy"):
        treatment_view("aspirin", 60)
    with pytest.raises(ValueError, match="days"):
        treatment_view("ivig", 0)


def test_figure_has_units_and_model_labels(simulator):
    layout = simulator.figure.layout
    assert "Days after starting treatment" in layout.xaxis3.title.text
    assert "mV" in layout.yaxis3.title.text and "%" in layout.yaxis2.title.text
    assert "(model)" in layout.title.text


def test_display_bundle_is_deterministic(simulator):
    simulator.controls["therapy"].value = "plasma_exchange"
    simulator.controls["days"].value = 90
    first = simulator._repr_mimebundle_()
    again = treatment_simulator("plasma_exchange", 90)._repr_mimebundle_()
    assert json.dumps(first[PLOTLY_MIMETYPE]) == json.dumps(again[PLOTLY_MIMETYPE])
    assert first[TEXT_MIMETYPE] == again[TEXT_MIMETYPE]


def test_immunosuppression_over_a_year_takes_months():
    # F6-18, H20: the year-long view shows a slow, months-long rise.
    view = treatment_view("immunosuppression", 365)
    cmap = np.array(view.traces[CMAP]["y"])
    gain = cmap[365] - cmap[0]
    assert int(np.argmax(cmap - cmap[0] >= gain / 2)) >= 60
    assert "still rising" in view.summary and "day 365" in view.summary


def test_day_view_shows_each_3_4_dap_dose_acting_within_hours(simulator):
    # F13-6: plasma peak 20–60 min, half-life 1.8–2.5 h.
    simulator.controls["therapy"].value = "amifampridine"
    simulator.controls["timescale"].value = "day"
    day = immunology.amifampridine_day()
    data = simulator.figure.data
    assert list(data[CMAP].y) == pytest.approx(day.resting_cmap_mV, rel=1e-3)
    assert list(data[CMAP].x) == pytest.approx(day.hour)
    assert len(data[PEAK].x) == 3
    for dose, peak_hour in zip(day.dose_times_h, data[PEAK].x, strict=True):
        assert dose < peak_hour <= dose + 2.0
    layout = simulator.figure.layout
    assert "Hours" in layout.xaxis3.title.text and tuple(layout.xaxis3.range) == (0, 24)
    assert "plasma" in layout.yaxis.title.text
    assert "F13-6" in simulator.summary_text and "dose" in simulator.summary_text
    simulator.controls["timescale"].value = "weeks"
    assert "Days" in simulator.figure.layout.xaxis3.title.text
    assert "Antibody" in simulator.figure.layout.yaxis.title.text


def test_day_view_for_another_therapy_says_it_does_not_change_within_a_day():
    summary = treatment_view("ivig", 120, "day").summary
    assert "does not change within a day" in summary


def test_amifampridine_weeks_view_no_longer_says_it_acts_within_days():
    summary = treatment_view("amifampridine", 120).summary
    assert "within days" not in summary and "one-day view" in summary


def test_titles_take_two_lines_so_a_narrow_screen_shows_them_whole():
    from lems_course.widgets.treatment_course import day_view, treatment_view

    assert "<br>" in treatment_view("ivig").layout["title"]["text"]
    assert "<br>" in day_view().layout["title"]["text"]
