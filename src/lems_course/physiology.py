"""The neuromuscular junction, from a nerve impulse to an end-plate potential.

Read from top to bottom, this module follows the causal chain the course teaches:

1. functional P/Q-type channels and extracellular Ca²⁺ set the Ca²⁺ entry per impulse
   (F2-11…F2-15; 3,4-DAP widens the spike and so the entry, F6-2, chain *derived* F6-3);
2. Ca²⁺ entry sets the release probability of a docked vesicle, through cooperative
   binding of about four ions (Dodge & Rahamimoff, F2-1a, F2-1d, F2-7) that saturates
   near normal [Ca²⁺]o (F2-1c);
3. release sites × probability = quantal content *m*, the mean number of quanta
   released (F1.2-2, F1.2-5); each quantum gives a MEPP of size *q* (F1.2-1);
4. the EPP is about *m·q*, with a saturating correction because the end-plate is
   driven toward 0 mV (F1.1-3);
5. the safety factor is EPP / depolarisation needed to fire (F1.3-3);
6. over a train, residual Ca²⁺ facilitates (F1.5-1) and release empties sites, which
   refill in seconds at rest and much faster while residual Ca²⁺ is high (F1.4-1…F1.4-4,
   F13-1, F13-2) from a large recycling reserve that long efforts run down.

Channel loss removes whole release sites as well as lowering the Ca²⁺ at the sites
left (model choice), so the resting CMAP falls gradually with channel loss.

The muscle, the CMAP and the clinical protocols are in ``electrodiagnosis``.

**What is sourced and what is a model.** The shapes are sourced: the fourth-power
cooperativity, its saturation, MEPP size, facilitation by residual Ca²⁺, depletion and
refilling. Most magnitudes are not: human quantal content (F1.2-8), EPP amplitude
(F1.3-1), firing threshold (F1.3-2) and safety factor (F1.3-5) are UNCONFIRMED, so
the values below are *illustrative*, chosen so that the model reproduces the
behaviours of ``model.md`` section 3. Treating release as a function of total Ca²⁺
entry is itself a simplification (F2-9, F2-10; F7-11c).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from lems_course import _checks

#: Extracellular Ca²⁺ taken as "normal" in this model. Illustrative: the fact sheet
#: says only that the slope falls as [Ca²⁺]o approaches normal levels (F2-1c).
NORMAL_CALCIUM_MM = 2.0

#: Limits of the arguments the lessons' sliders may reach; beyond them the model is
#: not meant to say anything.
MAX_CALCIUM_MM = 10.0
MAX_SPIKE_WIDTH = 3.0
MAX_FREQUENCY_HZ = 200.0
MAX_IMPULSES = 100_000


@dataclass(frozen=True)
class Junction:
    """Parameters of one nerve terminal and its end-plate.

    Disease and treatment change the first four fields; the rest describe the
    machinery and are illustrative unless a fact ID is given.

    Attributes:
        channel_fraction: functional P/Q-type (Ca_V2.1) channels relative to a healthy
            terminal, 0–1. These channels carry the Ca²⁺ that triggers release
            (F2-11…F2-15); LEMS antibodies cross-link and remove them (F3-6, F3-7,
            F3-10).
        receptor_fraction: functional acetylcholine receptors relative to healthy,
            0–1. Lowered in myasthenia gravis, which shrinks the MEPP (F3-17, F3-18).
        calcium_mM: extracellular Ca²⁺ in mM (F2-1: release depends steeply on it).
        spike_width: duration of the presynaptic action potential relative to
            healthy. 3,4-DAP blocks K⁺ channels and widens it (F6-2a, F6-2b).
        docked_vesicles: release sites of a healthy terminal, each holding one docked
            vesicle when full (the readily releasable pool, F1.4-1a). Illustrative: the
            mouse terminal has about 1730 (F1.2-9); no human number is confirmed
            (F1.2-8).
        site_loss_share: how channel loss is shared between fewer release sites and
            less Ca²⁺ per remaining site. Sites scale as ``channel_fraction**share``,
            Ca²⁺ entry per site as ``channel_fraction**(1 − share)``. Model choice:
            antibodies cross-link channels and the active-zone particles disappear in
            clusters (F3-6, F3-7), so whole sites are lost, not only channels within
            them. It makes the resting CMAP fall gradually with channel loss.
        max_release_probability: release probability of a docked vesicle when its
            Ca²⁺ sensor is saturated. Illustrative; release per site is low at the
            mammalian junction (F1.2-10, F7-1).
        hill_coefficient: Ca²⁺ ions that must bind together for fusion: about 4
            (F2-1a, F2-1d; teaching range 3–4, F2-7).
        half_activation_entry: Ca²⁺ signal per site, relative to a healthy impulse at
            normal [Ca²⁺]o, that gives half the maximal probability. Below 1, so a
            healthy terminal works near saturation and the log–log slope falls near
            normal [Ca²⁺]o (F2-1c). The value is illustrative.
        quantal_size_mV: MEPP amplitude with all receptors working: 0.4 mV (F1.2-1a;
            0.5 mV in F1.2-1b).
        driving_force_mV: how far the end-plate can be depolarised; ACh-gated channels
            drive it toward about 0 mV (F1.1-3) from a resting potential taken as
            −80 mV (illustrative). It bends the EPP below m·q for large m.
        threshold_mV: depolarisation from rest needed to fire a muscle action
            potential. Illustrative: the real value is UNCONFIRMED (F1.3-2).
        fast_facilitation: residual Ca²⁺ left by one impulse in the fast component,
            as a fraction of that impulse's entry (F1.5-1). Illustrative.
        fast_facilitation_tau_s: decay time of that fast component: tens of ms
            (model.md; illustrative value).
        slow_facilitation: the slow (post-tetanic) component per impulse, as a
            fraction of entry (F1.5-1). Illustrative.
        slow_loading_floor: the slow component loads in proportion to
            ``floor + fast residual``, so it builds mostly during rapid firing, when
            Ca²⁺ accumulates in the terminal (model choice; post-tetanic potentiation
            needs high-rate activity, F1.5-1).
        slow_facilitation_tau_s: its decay time: tens of seconds, so post-exercise
            facilitation fades within about a minute (F5-8). Illustrative value.
        refill_tau_s: time constant for refilling empty sites at rest: seconds
            (F1.4-1…F1.4-4; the slow recovery of F13-2).
        calcium_refill_per_s: extra refilling rate when residual Ca²⁺ is high: active
            terminals refill their sites much faster while Ca²⁺ stays raised
            (Ca²⁺-dependent replenishment, F13-1, F13-2). The value is illustrative.
        calcium_refill_half: residual Ca²⁺ (in units of one healthy impulse's entry
            per site) that gives half of that extra rate. Illustrative.
        calcium_refill_hill: steepness of that dependence. Model choice: above 1, so
            the little residual Ca²⁺ left between 3 Hz shocks barely speeds refilling
            while the build-up at 20–50 Hz does.
        reserve_ratio: how many full refills of the sites the recycling reserve holds
            (F1.4-1b, F1.4-2: most vesicles are outside the readily releasable pool).
            Refilling slows in proportion to what is left. Illustrative.
        reserve_recovery_tau_s: how long recycling takes to restore the reserve after
            heavy use: minutes. Illustrative; it is what gives post-exercise exhaustion
            minutes after a long effort (F13-5) and makes 30 s of exercise facilitate
            less than 10 s (F5-3a).
    """

    channel_fraction: float = 1.0
    receptor_fraction: float = 1.0
    calcium_mM: float = NORMAL_CALCIUM_MM
    spike_width: float = 1.0
    docked_vesicles: float = 625.0
    site_loss_share: float = 0.4
    max_release_probability: float = 0.32
    hill_coefficient: float = 4.0
    half_activation_entry: float = 0.85
    quantal_size_mV: float = 0.4
    driving_force_mV: float = 80.0
    threshold_mV: float = 13.0
    fast_facilitation: float = 0.8
    fast_facilitation_tau_s: float = 0.05
    slow_facilitation: float = 0.02
    slow_facilitation_tau_s: float = 15.0
    slow_loading_floor: float = 0.2
    refill_tau_s: float = 7.0
    calcium_refill_per_s: float = 40.0
    calcium_refill_half: float = 0.8
    calcium_refill_hill: float = 2.0
    reserve_ratio: float = 60.0
    reserve_recovery_tau_s: float = 120.0

    def __post_init__(self) -> None:
        _checks.fraction("channel_fraction", self.channel_fraction)
        _checks.fraction("receptor_fraction", self.receptor_fraction)
        _checks.number("calcium_mM", self.calcium_mM, 0.0, MAX_CALCIUM_MM, unit="mM",
                       low_open=True)
        _checks.number("spike_width", self.spike_width, 0.5, MAX_SPIKE_WIDTH)
        _checks.number("docked_vesicles", self.docked_vesicles, 1.0, 1e5)
        _checks.fraction("site_loss_share", self.site_loss_share)
        _checks.number("max_release_probability", self.max_release_probability, 0.0, 1.0,
                       low_open=True)
        _checks.number("hill_coefficient", self.hill_coefficient, 0.5, 8.0)
        _checks.number("half_activation_entry", self.half_activation_entry, 0.01, 100.0)
        _checks.number("quantal_size_mV", self.quantal_size_mV, 0.01, 5.0, unit="mV")
        _checks.number("driving_force_mV", self.driving_force_mV, 1.0, 200.0, unit="mV")
        _checks.number("threshold_mV", self.threshold_mV, 0.1, 100.0, unit="mV")
        for name in ("fast_facilitation", "slow_facilitation"):
            _checks.number(name, getattr(self, name), 0.0, 10.0)
        for name in ("fast_facilitation_tau_s", "slow_facilitation_tau_s", "refill_tau_s",
                     "reserve_recovery_tau_s"):
            _checks.number(name, getattr(self, name), 0.0, 3600.0, unit="s", low_open=True)
        _checks.number("calcium_refill_per_s", self.calcium_refill_per_s, 0.0, 1000.0,
                       unit="/s")
        _checks.number("calcium_refill_half", self.calcium_refill_half, 0.0, 100.0,
                       low_open=True)
        _checks.number("slow_loading_floor", self.slow_loading_floor, 0.0, 10.0)
        _checks.number("calcium_refill_hill", self.calcium_refill_hill, 0.5, 8.0)
        _checks.number("reserve_ratio", self.reserve_ratio, 0.0, 1e4, low_open=True)


def _junction(j: object) -> Junction:
    if not isinstance(j, Junction):
        raise TypeError(
            f"j must be a Junction (from healthy(), lems() or myasthenia()), "
            f"got {type(j).__name__}")
    return j


# --- Presets --------------------------------------------------------------------------

#: Channel loss in the default LEMS junction: a typical moderate case in this model.
#: The real loss of active-zone particles is UNCONFIRMED (F3-9); 55 % is the model's
#: choice that gives a resting CMAP a little under half of the model's healthy one (low
#: at rest, F5-1a; untreated patients 1.6–2.9 mV in F6-6c).
DEFAULT_LEMS_CHANNEL_LOSS = 0.55

#: Receptor loss in the default myasthenia junction (illustrative).
DEFAULT_MG_RECEPTOR_LOSS = 0.55

#: How much 3,4-DAP widens the presynaptic spike at a usual dose. Illustrative: the
#: direction is sourced (F6-2), the size is chosen so that, at the peak of a dose, the
#: default LEMS resting CMAP rises by about 1.6–2 mV: near the placebo-corrected mean
#: of +1.36 mV (95 % CI 0.99–1.72, F6-4c) and McEvoy's +2.1 mV (F6-6c).
DEFAULT_AMIFAMPRIDINE_WIDENING = 1.12


def healthy() -> Junction:
    """A healthy junction: all channels and receptors, normal [Ca²⁺]o."""
    return Junction()


def lems(channel_loss: float = DEFAULT_LEMS_CHANNEL_LOSS) -> Junction:
    """A LEMS junction: a fraction ``channel_loss`` (0–1) of P/Q-type channels removed by
    antibodies (F3-6, F3-7, F3-10). Receptors are untouched, so MEPPs stay normal
    (F3-13…F3-15)."""
    loss = _checks.fraction("channel_loss", channel_loss)
    return Junction(channel_fraction=1.0 - loss)


def myasthenia(receptor_loss: float = DEFAULT_MG_RECEPTOR_LOSS) -> Junction:
    """A myasthenia gravis junction, for contrast: a fraction ``receptor_loss`` (0–1) of
    acetylcholine receptors lost, so MEPPs shrink (F3-17, F3-18). Release stays normal
    here; in patients it is normal or raised, as terminals compensate (F14-4)."""
    loss = _checks.fraction("receptor_loss", receptor_loss)
    return Junction(receptor_fraction=1.0 - loss)


def with_amifampridine(j: Junction,
                       widening: float = DEFAULT_AMIFAMPRIDINE_WIDENING) -> Junction:
    """The same junction on 3,4-diaminopyridine (amifampridine).

    K⁺-channel block widens the presynaptic spike (F6-2a, F6-2b); in this model Ca²⁺
    entry grows in proportion to the width (the chain is *derived*, F6-3). ``widening``
    multiplies the current width (1–3); the result is capped at the model's maximum.
    """
    j = _junction(j)
    factor = _checks.number("widening", widening, 1.0, MAX_SPIKE_WIDTH)
    return replace(j, spike_width=min(j.spike_width * factor, MAX_SPIKE_WIDTH))


# --- 1. Ca²⁺ entry --------------------------------------------------------------------

def calcium_entry(j: Junction) -> float:
    """Total Ca²⁺ entry per impulse into the terminal, relative to a healthy impulse at
    normal [Ca²⁺]o.

    Proportional to functional channels (F2-14, F2-15), to [Ca²⁺]o and to spike
    duration (F6-2b). Linear in each is a model choice: at low [Ca²⁺]o it gives the
    Dodge–Rahamimoff slope of about 4 (F2-1a), but it ignores nanodomain coupling
    (F2-9, F2-10).
    """
    j = _junction(j)
    return j.channel_fraction * j.spike_width * j.calcium_mM / NORMAL_CALCIUM_MM


def release_sites(j: Junction) -> float:
    """Release sites left in the terminal: ``docked_vesicles × channel_fraction**share``.

    Channel loss removes some sites altogether (model choice, see
    ``Junction.site_loss_share``)."""
    j = _junction(j)
    return j.docked_vesicles * j.channel_fraction**j.site_loss_share


def site_calcium_entry(j: Junction) -> float:
    """Ca²⁺ entry per impulse at one remaining release site, relative to healthy: the
    total entry shared over the sites that are left."""
    j = _junction(j)
    return (j.channel_fraction**(1.0 - j.site_loss_share) * j.spike_width
            * j.calcium_mM / NORMAL_CALCIUM_MM)


# --- 2. Release probability -----------------------------------------------------------

def _probability_from_entry(j: Junction, entry: float) -> float:
    """Hill function of the local Ca²⁺ signal (F2-1d: release ∝ [CaX]⁴)."""
    n = j.hill_coefficient
    activated = entry**n
    return j.max_release_probability * activated / (activated + j.half_activation_entry**n)


def release_probability(j: Junction) -> float:
    """Probability that one docked vesicle fuses on the first impulse of a train.

    Fusion needs about four Ca²⁺ ions bound at once, so probability rises with about
    the fourth power of the Ca²⁺ entry at a site at low levels and saturates near
    normal [Ca²⁺]o (F2-1a, F2-1c, F2-1d). The saturation level is illustrative
    (F1.2-10).
    """
    return _probability_from_entry(j, site_calcium_entry(j))


# --- 3. Quanta ------------------------------------------------------------------------

def quantal_content(j: Junction) -> float:
    """Mean number of quanta released by the first impulse: release sites × release
    probability (binomial mean, F1.2-2). The site number is illustrative (F1.2-8)."""
    return release_sites(j) * release_probability(j)


def quantal_contents_for(channel_fractions: np.ndarray, spike_widths: np.ndarray | float = 1.0,
                         j: Junction | None = None) -> np.ndarray:
    """``quantal_content`` for many channel fractions (and spike widths) at once,
    other parameters as in ``j`` (default healthy). Vectorised: the immunology model
    asks for one value per day or per quarter hour."""
    base = Junction() if j is None else _junction(j)
    fractions = np.clip(np.asarray(channel_fractions, dtype=float), 0.0, 1.0)
    widths = np.clip(np.asarray(spike_widths, dtype=float), 0.5, MAX_SPIKE_WIDTH)
    share = base.site_loss_share
    sites = base.docked_vesicles * fractions**share
    entry = fractions**(1.0 - share) * widths * base.calcium_mM / NORMAL_CALCIUM_MM
    activated = entry**base.hill_coefficient
    probability = base.max_release_probability * activated / (
        activated + base.half_activation_entry**base.hill_coefficient)
    return sites * probability


def mepp_mV(j: Junction) -> float:
    """Miniature end-plate potential: the response to one quantum (F1.2-1), scaled by
    the functional receptors. Normal in LEMS (F3-13…F3-15), small in MG (F3-17)."""
    j = _junction(j)
    return j.quantal_size_mV * j.receptor_fraction


def release_events(j: Junction, n_impulses: int, seed: int = 0) -> np.ndarray:
    """Quanta released by each of ``n_impulses`` independent impulses (a rested junction
    each time): binomial over the release sites with the first-impulse probability.

    Their mean tends to ``quantal_content(j)`` (F1.2-2: evoked responses come in whole
    quanta). Seeded, so a lesson shows the same histogram every run.
    """
    j = _junction(j)
    count = _checks.integer("n_impulses", n_impulses, 1, MAX_IMPULSES)
    rng = np.random.default_rng(_checks.integer("seed", seed, 0, 2**32 - 1))
    sites = release_sites(j)
    whole = max(round(sites), 1 if sites > 0 else 0)
    probability = release_probability(j) * sites / whole if whole else 0.0
    return rng.binomial(whole, min(probability, 1.0), size=count)


# --- 4. EPP and 5. safety factor ------------------------------------------------------

def epp_from_quanta_mV(j: Junction, quanta: float | np.ndarray) -> float | np.ndarray:
    """EPP for a given number of quanta: m·q bent by the driving force,
    V·(1 − exp(−m·q/V)). Close to m·q while m·q ≪ V (F1.1-3; the correction's form is
    a model choice)."""
    linear = np.asarray(quanta, dtype=float) * mepp_mV(j)
    result = j.driving_force_mV * -np.expm1(-linear / j.driving_force_mV)
    return float(result) if result.ndim == 0 else result


def epp_mV(j: Junction) -> float:
    """End-plate potential of the first impulse (F1.1-2), from quantal content and
    MEPP size."""
    return epp_from_quanta_mV(j, quantal_content(j))


def safety_factor(j: Junction) -> float:
    """EPP divided by the depolarisation needed to fire the fibre (F1.3-3). Above 1 the
    fibre fires. The threshold is illustrative (F1.3-2, F1.3-5), so the number is the
    model's, not a measured human value."""
    return epp_mV(j) / _junction(j).threshold_mV


# --- 6. Trains: facilitation, depletion and Ca²⁺-dependent refilling ------------------

def _integrated_decay(tau_s: float, interval_s: float) -> float:
    """∫₀^Δ exp(−t/τ) dt: how much residual Ca²⁺ acts on refilling over an interval."""
    return tau_s * -math.expm1(-interval_s / tau_s)


def quantal_contents_at(j: Junction, impulse_times_s: np.ndarray) -> np.ndarray:
    """Quantal content of each impulse at the given times (s, ascending), starting
    from a rested junction.

    State carried from impulse to impulse (all fractions):

    - **residual Ca²⁺**: each impulse leaves a fast component (tens of ms) and a slow
      one (tens of s), each a fixed fraction of its entry (F1.5-1, Katz–Miledi; the
      fractions are illustrative). It adds to the next impulse's signal, so the
      steep Hill curve turns it into facilitation where release probability is low
      (LEMS) and into little where it is near saturation (healthy, MG).
    - **filled sites**: release empties sites; they refill at a resting rate
      (``refill_tau_s``) plus a rate that grows with residual Ca²⁺
      (``calcium_refill_per_s``): Ca²⁺-dependent replenishment (F13-1, F13-2). So a
      terminal firing at 20–50 Hz keeps most of its sites filled.
    - **reserve**: refilling draws on a large recycling reserve (F1.4-1b, F1.4-2);
      refilling slows as it runs down, and it recovers over minutes
      (``reserve_recovery_tau_s``, illustrative). Long efforts therefore leave a
      terminal that refills more slowly for minutes (post-exercise exhaustion,
      F13-5).
    """
    j = _junction(j)
    times = np.asarray(impulse_times_s, dtype=float)
    if times.ndim != 1 or times.size == 0:
        raise ValueError("impulse_times_s must be a non-empty 1-D sequence of times in s")
    if not np.all(np.isfinite(times)) or np.any(np.diff(times) < 0):
        raise ValueError("impulse_times_s must be finite and in ascending order")
    entry = site_calcium_entry(j)
    sites = release_sites(j)
    rest_rate = 1.0 / j.refill_tau_s
    ca_rate, ca_hill = j.calcium_refill_per_s, j.calcium_refill_hill
    ca_half = j.calcium_refill_half**ca_hill
    tau_fast, tau_slow = j.fast_facilitation_tau_s, j.slow_facilitation_tau_s
    tau_reserve, reserve_size = j.reserve_recovery_tau_s, j.reserve_ratio
    filled, fast_residual, slow_residual, reserve = 1.0, 0.0, 0.0, 1.0
    result = np.empty(times.size)
    previous = times[0]
    exp = math.exp
    for index, now in enumerate(times.tolist()):
        interval = now - previous
        if interval > 0.0:
            # Mean residual Ca²⁺ (absolute, per site) over the interval drives refilling.
            residual = entry * (fast_residual * _integrated_decay(tau_fast, interval)
                                + slow_residual * _integrated_decay(tau_slow, interval)
                                ) / interval
            driven = residual**ca_hill
            rate = reserve * (rest_rate + ca_rate * driven / (driven + ca_half))
            refilled = (1.0 - filled) * -math.expm1(-rate * interval)
            filled += refilled
            reserve = max(reserve - refilled / reserve_size, 0.0)
            reserve = 1.0 - (1.0 - reserve) * exp(-interval / tau_reserve)
            fast_residual *= exp(-interval / tau_fast)
            slow_residual *= exp(-interval / tau_slow)
        signal = entry * (1.0 + fast_residual + slow_residual)
        released = filled * _probability_from_entry(j, signal)
        result[index] = sites * released
        filled -= released
        # The slow store loads mostly while residual Ca²⁺ from earlier impulses is
        # still high, that is during rapid firing.
        slow_residual += j.slow_facilitation * (j.slow_loading_floor + fast_residual)
        fast_residual += j.fast_facilitation
        previous = now
    return result


def train(j: Junction, frequency_hz: float, n_impulses: int) -> np.ndarray:
    """Quantal content of each impulse of a regular train at ``frequency_hz``.

    At 3 Hz depletion dominates (release runs down, F1.4-3); at 20–50 Hz residual
    Ca²⁺ builds up, low-probability junctions facilitate (F1.5-1, F5-1a), and
    Ca²⁺-dependent refilling keeps the sites supplied (F13-1, F13-2).
    """
    rate = _checks.number("frequency_hz", frequency_hz, 0.0, MAX_FREQUENCY_HZ, unit="Hz",
                          low_open=True)
    count = _checks.integer("n_impulses", n_impulses, 1, MAX_IMPULSES)
    return quantal_contents_at(j, np.arange(count) / rate)
