"""The EMG protocols reproduce H6–H10 and H15–H18 (model.md §3), the latter for three
fibre populations (seeds 0, 1, 2)."""

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


# === Version 2: trains, exercise, post-exercise RNS, graded disease (H15–H18) ===

SEEDS = [0, 1, 2]



def decrement(cmaps):
    return emg.decrement_percent(cmaps)


def relative_change(junction, exercise_s, seed):
    rest, after = emg.post_exercise_cmap(junction, exercise_s, seed)
    return after / rest - 1.0


# --- Healthy (H6) ---------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_healthy_three_hertz_decrement_is_below_eight_percent(seed):
    assert decrement(emg.cmap_train(nmj.healthy(), 3.0, 10, seed)) < 8


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("frequency_hz", "n_stimuli"), [(50.0, 50), (20.0, 200)])
def test_healthy_high_rate_trains_never_fall_below_ninety_percent(seed, frequency_hz,
                                                                   n_stimuli):
    # High safety factor (F1.3-6); pseudofacilitation up to +40 % is allowed.
    cmaps = emg.cmap_train(nmj.healthy(), frequency_hz, n_stimuli, seed)
    assert cmaps.min() >= 0.9 * cmaps[0]
    assert cmaps.max() <= 1.4 * cmaps[0]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("exercise_s", [10.0, 30.0, 60.0])
def test_healthy_cmap_after_exercise_stays_within_ten_percent(seed, exercise_s):
    assert abs(relative_change(nmj.healthy(), exercise_s, seed)) <= 0.10


# --- LEMS (H15) -----------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_lems_fifty_hertz_increment_is_at_least_100_percent_and_sustained(seed):
    # F5-1a, F5-4a: ≥ 100 %; the last of 50 responses ≥ 80 % of the largest.
    cmaps = emg.cmap_train(nmj.lems(), 50.0, 50, seed)
    assert cmaps.max() >= 2.0 * cmaps[0]
    assert cmaps[-1] >= 0.8 * cmaps.max()


@pytest.mark.parametrize("seed", SEEDS)
def test_lems_twenty_hertz_for_ten_seconds_more_than_doubles_and_ends_high(seed):
    # F5-1b: 20 Hz for 10 s rose to more than twice the initial value.
    cmaps = emg.cmap_train(nmj.lems(), 20.0, 200, seed)
    assert cmaps.max() > 2.0 * cmaps[0]
    assert cmaps[-1] > 1.5 * cmaps[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_lems_ten_seconds_of_exercise_at_least_doubles_and_thirty_seconds_less(seed):
    # F5-3a: 243–244 % after 10 s, 84 % after 30 s.
    ten = relative_change(nmj.lems(), 10.0, seed)
    thirty = relative_change(nmj.lems(), 30.0, seed)
    assert ten >= 1.0
    assert thirty < ten


# --- Myasthenia (H16, H17) ------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_myasthenia_three_hertz_train_has_the_u_shape(seed):
    # F13-4: largest fall by the 4th–5th response, then level or recovering.
    cmaps = emg.cmap_train(nmj.myasthenia(), 3.0, 10, seed)
    assert 10 <= decrement(cmaps) <= 50
    assert int(np.argmin(cmaps)) <= 4
    assert cmaps[9] >= cmaps[4]


@pytest.mark.parametrize("seed", SEEDS)
def test_myasthenia_fifty_hertz_train_holds_up_without_a_large_increment(seed):
    # F5-4c: ≥ 60 % increments are rare in MG.
    cmaps = emg.cmap_train(nmj.myasthenia(), 50.0, 50, seed)
    assert cmaps.min() >= 0.6 * cmaps[0]
    assert cmaps.max() < 1.6 * cmaps[0]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("exercise_s", [10.0, 30.0])
def test_myasthenia_cmap_after_exercise_changes_by_minus_ten_to_plus_forty_percent(
        seed, exercise_s):
    # F5-4c: 0 of 538 MG exercise tests reached a 60 % increment.
    assert -0.10 <= relative_change(nmj.myasthenia(), exercise_s, seed) <= 0.40


@pytest.mark.parametrize("seed", SEEDS)
def test_myasthenia_decrement_is_repaired_two_seconds_after_ten_seconds_of_exercise(seed):
    # F13-4: post-exercise facilitation repairs the decrement.
    mg = nmj.myasthenia()
    rest = decrement(emg.rns_after_exercise(mg, 0.0, 0.0, seed=seed))
    after = decrement(emg.rns_after_exercise(mg, 10.0, 2.0, seed=seed))
    assert after < rest


@pytest.mark.parametrize("seed", SEEDS)
def test_myasthenia_decrement_is_worse_three_minutes_after_a_minute_of_exercise(seed):
    # F13-5 (PubMed 24435816): post-exercise exhaustion at 2–4 min after 1 min.
    mg = nmj.myasthenia()
    rest = decrement(emg.cmap_train(mg, 3.0, 10, seed))
    later = decrement(emg.rns_after_exercise(mg, 60.0, 180.0, seed=seed))
    assert later > rest


def test_rns_after_exercise_returns_one_cmap_per_stimulus_and_rest_equals_a_plain_train():
    mg = nmj.myasthenia()
    assert emg.rns_after_exercise(mg, 10.0, 2.0, n_stimuli=7).shape == (7,)
    assert np.array_equal(emg.rns_after_exercise(mg, 0.0, 5.0), emg.cmap_train(mg, 3.0, 10))


# --- Graded disease (H18) -------------------------------------------------------------

LOSSES = np.round(np.arange(0.0, 0.951, 0.01), 2)


@pytest.mark.parametrize("seed", SEEDS)
def test_resting_cmap_falls_from_ninety_to_ten_percent_over_25_points_of_loss(seed):
    healthy = emg.resting_cmap_mV(nmj.healthy(), seed)
    cmaps = np.array([emg.resting_cmap_mV(nmj.lems(loss), seed) for loss in LOSSES]) / healthy
    assert np.all(np.diff(cmaps) <= 1e-12)
    loss_at_90 = LOSSES[np.argmax(cmaps < 0.9)]
    loss_at_10 = LOSSES[np.argmax(cmaps < 0.1)]
    assert loss_at_10 - loss_at_90 >= 0.25


@pytest.mark.parametrize("seed", SEEDS)
def test_severe_lems_still_has_a_measurable_cmap_that_doubles_at_fifty_hertz(seed):
    severe = nmj.lems(0.75)
    assert emg.resting_cmap_mV(severe, seed) >= 0.1
    cmaps = emg.cmap_train(severe, 50.0, 50, seed)
    assert cmaps.max() >= 2.0 * cmaps[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_lems_severity_with_a_low_cmap_increments_at_least_60_percent(seed):
    # F5-4b: the 60 % cut-off.
    healthy = emg.resting_cmap_mV(nmj.healthy(), seed)
    checked = 0
    for loss in LOSSES:
        junction = nmj.lems(loss)
        rest = emg.resting_cmap_mV(junction, seed)
        if 0.02 * healthy <= rest <= 0.5 * healthy:
            checked += 1
            cmaps = emg.cmap_train(junction, 50.0, 50, seed)
            assert cmaps.max() >= 1.6 * cmaps[0], f"loss {loss}"
    assert checked >= 10


# --- Exercise firing (F13-3) ----------------------------------------------------------

def test_voluntary_firing_slows_from_about_27_to_15_hz_over_a_minute():
    times = emg.exercise_firing_times_s(90.0)
    rates = 1.0 / np.diff(times)
    assert rates[0] == pytest.approx(27.0, abs=1.0)
    assert rates[times[1:] > 60.0] == pytest.approx(15.0, abs=0.5)
    assert np.all(np.diff(rates) <= 1e-9)
