"""The EMG protocols reproduce H6–H10 (model.md §3) and the 10 s vs 30 s finding."""

import numpy as np
import pytest

from lems_course import electrodiagnosis as emg
from lems_course import physiology as nmj

HEALTHY_REST_MV = emg.resting_cmap_mV(nmj.healthy())


def three_hertz_decrement(junction):
    return emg.decrement_percent(emg.cmap_train(junction, 3.0))


def exercise_increment(junction, seconds=10.0):
    return emg.increment_percent(*emg.post_exercise_cmap(junction, seconds))


def test_healthy_muscle_barely_changes_in_any_protocol():
    # H6: the high safety factor hides release run-down (F1.3-6, F1.4-3).
    healthy = nmj.healthy()
    assert abs(three_hertz_decrement(healthy)) < 10
    assert abs(emg.high_rate_increment_percent(healthy)) < 25
    assert abs(exercise_increment(healthy)) < 25


def test_lems_resting_cmap_is_a_tenth_to_a_half_of_healthy():
    # H7: low CMAP at rest (F5-1a, F6-6c).
    assert 0.10 <= emg.resting_cmap_mV(nmj.lems()) / HEALTHY_REST_MV <= 0.50


def test_lems_decrements_at_three_hertz():
    # H8: decrement at 3 Hz (F5-1a; 31.6 % in F5-2).
    assert three_hertz_decrement(nmj.lems()) >= 10


def test_ten_seconds_of_exercise_more_than_doubles_lems_cmap():
    # H9: ≥ 100 % increment after 10 s of exercise (F5-4a, F5-2, F5-3a), not absurdly more.
    assert 100 <= exercise_increment(nmj.lems()) < 2000


def test_fifty_hertz_train_more_than_doubles_lems_cmap():
    # H9: ≥ 100 % increment at 50 Hz (F5-1a, F5-2).
    assert 100 <= emg.high_rate_increment_percent(nmj.lems()) < 2000


def test_thirty_seconds_of_exercise_facilitates_less_than_ten():
    # F5-3a: 243–244 % after 10 s versus 84 % after 30 s.
    assert exercise_increment(nmj.lems(), 30) < exercise_increment(nmj.lems(), 10)


def test_myasthenia_rests_near_normal_decrements_and_does_not_increment():
    # H10: MG resting CMAP ≥ 70 %, 3 Hz decrement 10–60 %, increment < 60 % (F5-4c).
    mg = nmj.myasthenia()
    assert emg.resting_cmap_mV(mg) >= 0.7 * HEALTHY_REST_MV
    assert 10 <= three_hertz_decrement(mg) <= 60
    assert emg.high_rate_increment_percent(mg) < 60
    assert exercise_increment(mg) < 60


def test_cmap_falls_in_grades_as_channels_are_lost():
    # F1.3-6: fibre-to-fibre variation turns a falling safety factor into a graded fall.
    cmaps = [emg.resting_cmap_mV(nmj.lems(loss)) for loss in np.linspace(0, 0.9, 19)]
    assert np.all(np.diff(cmaps) <= 0)
    intermediate = [c for c in cmaps if 0.05 * HEALTHY_REST_MV < c < 0.95 * HEALTHY_REST_MV]
    assert len(intermediate) >= 2


def test_decrement_compares_fourth_response_with_first():
    assert emg.decrement_percent([10.0, 9.0, 8.0, 7.5, 7.0]) == pytest.approx(25.0)


def test_increment_compares_after_with_before():
    assert emg.increment_percent(2.0, 5.0) == pytest.approx(150.0)


def test_muscle_is_the_same_for_the_same_seed_and_differs_for_another():
    assert np.array_equal(emg.muscle(0).release_scale, emg.muscle(0).release_scale)
    assert not np.array_equal(emg.muscle(0).release_scale, emg.muscle(1).release_scale)


def test_cmap_train_returns_one_amplitude_per_stimulus_within_healthy_range():
    cmaps = emg.cmap_train(nmj.lems(), 50.0, n_stimuli=12)
    assert cmaps.shape == (12,)
    assert np.all((cmaps >= 0) & (cmaps <= emg.HEALTHY_CMAP_MV))


def test_no_exercise_means_no_change():
    rest, after = emg.post_exercise_cmap(nmj.lems(), 0)
    assert rest == after
