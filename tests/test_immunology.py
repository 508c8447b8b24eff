"""Treatment courses reproduce H13 and H14 (model.md §3) and the other therapies' shapes."""

import numpy as np
import pytest

from lems_course import immunology


@pytest.fixture(scope="module")
def courses():
    return {therapy: immunology.treatment_course(therapy, 120)
            for therapy in immunology.THERAPIES}


def test_plasma_exchange_benefit_peaks_one_to_three_weeks_after_the_first_exchange(courses):
    # H13: peak CMAP at 10–15 days (F6-17b); target 7–20 days.
    assert 7 <= courses["plasma_exchange"].peak_day <= 20


def test_plasma_exchange_raises_cmap_about_two_and_a_half_fold(courses):
    # F6-17b: about a 2.5-fold mean increase at the peak.
    course = courses["plasma_exchange"]
    assert 1.5 <= course.resting_cmap_mV.max() / course.resting_cmap_mV[0] <= 4.0


def test_ivig_peaks_at_two_to_four_weeks_and_is_clearly_smaller_by_eight(courses):
    # H14: Bain 1996 (F6-16b, F6-16c).
    course = courses["ivig"]
    assert 14 <= course.peak_day <= 28
    baseline = course.resting_cmap_mV[0]
    gain_at_peak = course.resting_cmap_mV.max() - baseline
    gain_at_eight_weeks = course.resting_cmap_mV[56] - baseline
    assert gain_at_eight_weeks < 0.6 * gain_at_peak


def test_ivig_lowers_antibody_titres(courses):
    # F6-16d: VGCC antibody titres fell.
    assert courses["ivig"].antibody_level.min() < 0.95


def test_untreated_patient_stays_at_steady_state(courses):
    course = courses["none"]
    assert np.ptp(course.antibody_level) < 1e-9
    assert np.ptp(course.channel_fraction) < 1e-6


def test_immunosuppression_helps_slowly_over_months(courses):
    # F6-18: benefit over months to years.
    cmap = courses["immunosuppression"].resting_cmap_mV
    assert cmap[14] < cmap[60] < cmap[120]
    assert cmap[14] - cmap[0] < 0.5 * (cmap[120] - cmap[0])


def test_amifampridine_acts_within_days_without_touching_antibodies(courses):
    # F6-4b (3–8 days), F6-2: a symptomatic drug, no immune effect.
    course = courses["amifampridine"]
    assert course.resting_cmap_mV[3] > 1.3 * course.resting_cmap_mV[0]
    assert np.ptp(course.antibody_level) < 1e-9


def test_channels_recover_after_antibody_falls_not_at_the_same_time(courses):
    # The delay emerges from re-synthesis (model.md §1.7).
    course = courses["plasma_exchange"]
    assert int(np.argmin(course.antibody_level)) < course.peak_day + 1
    assert int(np.argmax(course.channel_fraction)) > int(np.argmin(course.antibody_level))


def test_course_has_one_value_per_day():
    course = immunology.treatment_course("ivig", 30)
    for series in (course.day, course.antibody_level, course.channel_fraction,
                   course.resting_cmap_mV):
        assert series.shape == (31,)
