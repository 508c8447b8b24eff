"""The junction model reproduces the sourced hallmarks H1–H5, H11 and H12 (model.md §3)."""

import math
from dataclasses import replace

import numpy as np
import pytest

from lems_course import electrodiagnosis as emg
from lems_course import physiology as nmj


def log_log_slope(junction, low_mM, high_mM):
    low = nmj.quantal_content(replace(junction, calcium_mM=low_mM))
    high = nmj.quantal_content(replace(junction, calcium_mM=high_mM))
    return math.log(high / low) / math.log(high_mM / low_mM)


def test_release_rises_with_about_the_fourth_power_of_low_calcium():
    # H1: Dodge & Rahamimoff's slope 3.78 ± 0.2 (F2-1a); target 3.3–4.3.
    slope = log_log_slope(nmj.healthy(), 0.2, 0.5)
    assert 3.3 <= slope <= 4.3


def test_calcium_slope_flattens_near_normal_calcium():
    # H2: the slope falls as [Ca]o approaches normal (F2-1c).
    low_slope = log_log_slope(nmj.healthy(), 0.2, 0.5)
    normal_slope = log_log_slope(nmj.healthy(), 1.8, 2.2)
    assert normal_slope < 0.5 * low_slope


def test_lems_keeps_mepp_size_normal():
    # H3: postsynaptic sensitivity is normal in LEMS (F3-13…F3-15).
    assert nmj.mepp_mV(nmj.lems()) == pytest.approx(nmj.mepp_mV(nmj.healthy()))


def test_lems_cuts_quantal_content_well_below_healthy():
    # H4: release is reduced (F3-12, F7-1).
    assert nmj.quantal_content(nmj.lems()) < 0.5 * nmj.quantal_content(nmj.healthy())


def test_myasthenia_shrinks_mepp_but_not_release():
    # H5: small MEPPs (F3-17, F3-18); quantal content normal or raised (0.85–1.6 ×).
    assert nmj.mepp_mV(nmj.myasthenia()) < 0.8 * nmj.mepp_mV(nmj.healthy())
    ratio = nmj.quantal_content(nmj.myasthenia()) / nmj.quantal_content(nmj.healthy())
    assert 0.85 <= ratio <= 1.6


def test_amifampridine_raises_lems_quantal_content_and_resting_cmap():
    # H11: 3,4-DAP raises release and the resting CMAP (F6-4c, F6-6c).
    lems = nmj.lems()
    treated = nmj.with_amifampridine(lems)
    assert nmj.quantal_content(treated) > nmj.quantal_content(lems)
    assert emg.resting_cmap_mV(treated) > emg.resting_cmap_mV(lems)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_amifampridine_raises_default_lems_cmap_by_one_to_two_and_a_half_mV(seed):
    # H19: Cochrane placebo-corrected +1.36 mV (F6-4c); McEvoy 2.9 → 5.0 mV (F6-6c).
    lems = nmj.lems()
    gain = emg.resting_cmap_mV(nmj.with_amifampridine(lems), seed) - emg.resting_cmap_mV(
        lems, seed)
    assert 1.0 <= gain <= 2.5


def test_release_falls_more_steeply_than_channels():
    # H12: monotonic and steeper than linear; half the channels leave 6–50 % of release
    # (F7-11 toy power law, derived; F3-19).
    healthy_release = nmj.quantal_content(nmj.healthy())
    losses = np.linspace(0.0, 0.95, 20)
    release = [nmj.quantal_content(nmj.lems(loss)) for loss in losses]
    assert np.all(np.diff(release) < 0)
    half = nmj.quantal_content(nmj.lems(0.5)) / healthy_release
    assert 0.06 <= half <= 0.5


def test_lems_safety_factor_falls_below_one_and_healthy_is_well_above():
    # F1.3-3, F1.3-6: normally release far exceeds what is needed.
    assert nmj.safety_factor(nmj.healthy()) > 2
    assert nmj.safety_factor(nmj.lems()) < 1


def test_release_events_average_to_quantal_content():
    # F1.2-2: evoked responses come in whole quanta; binomial mean = m.
    events = nmj.release_events(nmj.lems(), 4000, seed=1)
    assert events.dtype.kind == "i"
    assert events.mean() == pytest.approx(nmj.quantal_content(nmj.lems()), rel=0.03)


def test_release_events_are_reproducible_with_a_seed():
    first = nmj.release_events(nmj.healthy(), 50, seed=7)
    again = nmj.release_events(nmj.healthy(), 50, seed=7)
    other = nmj.release_events(nmj.healthy(), 50, seed=8)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_healthy_release_runs_down_at_three_hertz():
    # F1.4-3: release per impulse normally falls during low-rate stimulation.
    quanta = nmj.train(nmj.healthy(), 3, 10)
    assert quanta[3] < 0.95 * quanta[0]


def test_lems_release_facilitates_at_fifty_hertz():
    # F1.5-1, F5-1a: residual Ca²⁺ builds up; low-probability junctions facilitate.
    quanta = nmj.train(nmj.lems(), 50, 10)
    assert quanta.max() > 1.25 * quanta[0]
    assert quanta.argmax() > 0


def test_epp_is_close_to_m_times_q_when_small_and_bends_when_large():
    junction = nmj.healthy()
    small = nmj.epp_from_quanta_mV(junction, 1.0)
    assert small == pytest.approx(nmj.mepp_mV(junction), rel=0.01)
    large = nmj.epp_from_quanta_mV(junction, 1000.0)
    assert large < junction.driving_force_mV


def test_channel_loss_removes_release_sites_and_lowers_calcium_per_site():
    # Model choice (Junction.site_loss_share): both fall, and together they make up
    # the total Ca²⁺ entry.
    lems, healthy = nmj.lems(), nmj.healthy()
    assert nmj.release_sites(lems) < nmj.release_sites(healthy)
    assert nmj.site_calcium_entry(lems) < nmj.site_calcium_entry(healthy)
    total = nmj.release_sites(lems) / healthy.docked_vesicles * nmj.site_calcium_entry(lems)
    assert total == pytest.approx(nmj.calcium_entry(lems))


def test_calcium_dependent_refilling_keeps_a_fifty_hertz_train_supplied():
    # F13-1, F13-2: without Ca²⁺-dependent refilling the sites run dry at 50 Hz.
    healthy = nmj.healthy()
    with_refill = nmj.train(healthy, 50, 50)
    without = nmj.train(replace(healthy, calcium_refill_per_s=0.0), 50, 50)
    assert with_refill[-1] > 0.6 * with_refill[0]
    assert without[-1] < 0.5 * with_refill[-1]
