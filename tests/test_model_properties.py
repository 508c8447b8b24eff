"""Properties that hold over the whole valid input space (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lems_course import electrodiagnosis as emg
from lems_course import physiology as nmj

fractions = st.floats(0.0, 1.0, allow_nan=False)
calcium = st.floats(0.05, nmj.MAX_CALCIUM_MM, allow_nan=False)
widths = st.floats(0.5, nmj.MAX_SPIKE_WIDTH, allow_nan=False)
frequencies = st.floats(0.1, 100.0, allow_nan=False)

junctions = st.builds(nmj.Junction, channel_fraction=fractions, receptor_fraction=fractions,
                      calcium_mM=calcium, spike_width=widths)


@given(fractions, fractions, calcium)
def test_release_never_increases_when_channels_are_lost(first, second, calcium_mM):
    fewer, more = sorted((first, second))
    assert nmj.quantal_content(nmj.Junction(channel_fraction=fewer, calcium_mM=calcium_mM)) <= \
        nmj.quantal_content(nmj.Junction(channel_fraction=more, calcium_mM=calcium_mM))


@given(junctions)
def test_probabilities_stay_between_zero_and_one(junction):
    assert 0.0 <= nmj.release_probability(junction) <= 1.0


@settings(max_examples=60, deadline=None)
@given(junctions, frequencies, st.integers(1, 30))
def test_no_nan_or_inf_anywhere_in_the_valid_input_space(junction, frequency_hz, n_impulses):
    values = [nmj.quantal_content(junction), nmj.mepp_mV(junction), nmj.epp_mV(junction),
              nmj.safety_factor(junction), nmj.calcium_entry(junction)]
    values.extend(nmj.train(junction, frequency_hz, n_impulses))
    values.extend(emg.cmap_train(junction, frequency_hz, n_impulses))
    assert np.all(np.isfinite(values))
    assert min(values) >= 0.0


@settings(max_examples=60, deadline=None)
@given(junctions, frequencies, st.floats(0.0, 40.0))
def test_cmaps_stay_between_zero_and_the_healthy_maximum(junction, frequency_hz, exercise_s):
    cmaps = list(emg.cmap_train(junction, frequency_hz, 10))
    cmaps.extend(emg.post_exercise_cmap(junction, exercise_s))
    assert all(0.0 <= cmap <= emg.HEALTHY_CMAP_MV for cmap in cmaps)


@given(junctions)
def test_train_quanta_never_exceed_the_docked_pool(junction):
    quanta = nmj.train(junction, 50.0, 20)
    assert np.all(quanta <= junction.docked_vesicles)


@settings(max_examples=40, deadline=None)
@given(junctions, st.floats(0.0, 60.0), st.floats(0.0, 300.0), st.integers(4, 12))
def test_post_exercise_trains_stay_finite_and_within_the_healthy_maximum(junction, exercise_s,
                                                                         delay_s, n_stimuli):
    cmaps = emg.rns_after_exercise(junction, exercise_s, delay_s, 3.0, n_stimuli)
    assert cmaps.shape == (n_stimuli,)
    assert np.all(np.isfinite(cmaps))
    assert np.all((cmaps >= 0.0) & (cmaps <= emg.HEALTHY_CMAP_MV))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 24.0), min_size=1, max_size=6), st.floats(0.0, 0.95))
def test_a_day_of_amifampridine_never_drops_below_the_untreated_cmap(doses, channel_loss):
    from lems_course import immunology
    day = immunology.amifampridine_day(tuple(doses), channel_loss)
    untreated = emg.resting_cmap_mV(nmj.lems(channel_loss))
    assert np.all(np.isfinite(day.resting_cmap_mV))
    assert np.all(day.resting_cmap_mV >= untreated - 1e-9)
    assert np.all(day.spike_width >= 1.0) and np.all(day.spike_width <= nmj.MAX_SPIKE_WIDTH)
