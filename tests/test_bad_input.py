"""Bad input gets a clear ValueError/TypeError naming the argument and the allowed range."""

import math

import pytest

from lems_course import electrodiagnosis as emg
from lems_course import immunology
from lems_course import physiology as nmj


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: nmj.Junction(channel_fraction=1.5), ValueError, ["channel_fraction", "[0, 1]"]),
    (lambda: nmj.Junction(channel_fraction=-0.1), ValueError, ["channel_fraction", "[0, 1]"]),
    (lambda: nmj.Junction(channel_fraction="0.5"), TypeError, ["channel_fraction", "number"]),
    (lambda: nmj.Junction(calcium_mM=0), ValueError, ["calcium_mM", "mM"]),
    (lambda: nmj.Junction(calcium_mM=math.nan), ValueError, ["calcium_mM", "finite"]),
    (lambda: nmj.Junction(spike_width=math.inf), ValueError, ["spike_width"]),
    (lambda: nmj.lems(channel_loss=1.5), ValueError, ["channel_loss", "[0, 1]"]),
    (lambda: nmj.lems(channel_loss=None), TypeError, ["channel_loss"]),
    (lambda: nmj.myasthenia(receptor_loss=2), ValueError, ["receptor_loss", "[0, 1]"]),
    (lambda: nmj.with_amifampridine(nmj.lems(), widening=0.5), ValueError, ["widening"]),
    (lambda: nmj.with_amifampridine("lems"), TypeError, ["Junction"]),
    (lambda: nmj.quantal_content(None), TypeError, ["Junction"]),
    (lambda: nmj.train(nmj.lems(), -3, 10), ValueError, ["frequency_hz", "Hz"]),
    (lambda: nmj.train(nmj.lems(), 0, 10), ValueError, ["frequency_hz", "(0"]),
    (lambda: nmj.train(nmj.lems(), "3", 10), TypeError, ["frequency_hz", "number"]),
    (lambda: nmj.train(nmj.lems(), True, 10), TypeError, ["frequency_hz"]),
    (lambda: nmj.train(nmj.lems(), 3, 2.5), TypeError, ["n_impulses", "whole number"]),
    (lambda: nmj.train(nmj.lems(), 3, 0), ValueError, ["n_impulses", "[1,"]),
    (lambda: nmj.release_events(nmj.lems(), 10, seed=-1), ValueError, ["seed"]),
    (lambda: nmj.quantal_contents_at(nmj.lems(), [0.2, 0.1]), ValueError, ["ascending"]),
    (lambda: emg.cmap_train(nmj.lems(), -50), ValueError, ["frequency_hz"]),
    (lambda: emg.cmap_train(nmj.lems(), 3, n_stimuli=0), ValueError, ["n_stimuli"]),
    (lambda: emg.decrement_percent([5.0, 4.0]), ValueError, ["at least 4"]),
    (lambda: emg.decrement_percent(["a", "b", "c", "d"]), TypeError, ["cmaps"]),
    (lambda: emg.decrement_percent([0.0, 0.0, 0.0, 0.0]), ValueError, ["0 mV"]),
    (lambda: emg.decrement_percent([5.0, math.nan, 4.0, 4.0]), ValueError, ["finite"]),
    (lambda: emg.increment_percent(0, 5), ValueError, ["before_mV"]),
    (lambda: emg.increment_percent(2, -1), ValueError, ["after_mV"]),
    (lambda: emg.post_exercise_cmap(nmj.lems(), exercise_s=-10), ValueError, ["exercise_s"]),
    (lambda: emg.post_exercise_cmap(nmj.lems(), exercise_s="10"), TypeError, ["exercise_s"]),
    (lambda: emg.rns_after_exercise(nmj.myasthenia(), -1, 2), ValueError, ["exercise_s"]),
    (lambda: emg.rns_after_exercise(nmj.myasthenia(), 10, -2), ValueError, ["delay_s"]),
    (lambda: emg.rns_after_exercise(nmj.myasthenia(), 10, 2, frequency_hz=0),
     ValueError, ["frequency_hz"]),
    (lambda: emg.rns_after_exercise(nmj.myasthenia(), 10, 2, n_stimuli=0),
     ValueError, ["n_stimuli"]),
    (lambda: immunology.amifampridine_day((8.0, 25.0)), ValueError, ["dose_times_h", "24"]),
    (lambda: immunology.amifampridine_day(8.0), TypeError, ["dose_times_h"]),
    (lambda: immunology.amifampridine_day(channel_loss=1.0), ValueError, ["channel_loss"]),
    (lambda: immunology.treatment_course("aspirin"), ValueError, ["therapy", "plasma_exchange"]),
    (lambda: immunology.treatment_course(3), TypeError, ["therapy"]),
    (lambda: immunology.treatment_course("ivig", days=0), ValueError, ["days"]),
    (lambda: immunology.treatment_course("ivig", days=10.5), TypeError, ["days"]),
    (lambda: immunology.treatment_course("ivig", channel_loss=1.0), ValueError, ["channel_loss"]),
])
def test_bad_argument_is_rejected_with_a_message_naming_it(call, error, words):
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    for word in words:
        assert word in message


def test_a_zero_resting_cmap_gives_no_increment_rather_than_a_nan():
    silent = nmj.lems(0.95)
    assert emg.resting_cmap_mV(silent) == 0
    with pytest.raises(ValueError, match="0 mV"):
        emg.high_rate_increment_percent(silent)
