"""The muscle and the EMG laboratory: CMAPs, repetitive stimulation and exercise.

A muscle is a population of fibres, each driven by its own junction. Junctions differ
a little (the number of docked vesicles and the depolarisation needed to fire vary
log-normally, seeded), so a falling safety factor silences fibres one by one and the
compound muscle action potential (CMAP, the sum over fibres that fire) falls in
grades rather than all at once (F1.3-6). The spreads, the number of fibres and the
healthy CMAP size are illustrative model choices.

Protocols follow the clinical ones (F5-1a): a low-rate train (3 Hz; decrement compares
the 4th response with the 1st), a high-rate train (20–50 Hz) and a single stimulus
after brief maximal exercise (increment compares after with before; 10 s is the
standard, F5-3c).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lems_course import _checks
from lems_course.physiology import (
    MAX_FREQUENCY_HZ,
    Junction,
    _junction,
    epp_from_quanta_mV,
    quantal_contents_at,
    train,
)

#: Healthy maximal CMAP in this model (illustrative; treated LEMS patients reach about
#: 8.8 mV in F6-18b, untreated ones 1.6–2.9 mV in F6-6c).
HEALTHY_CMAP_MV = 10.0

#: Fibres in the simulated muscle (illustrative; enough for a smooth graded CMAP).
N_FIBRES = 400

#: Log-normal spreads across fibres (standard deviations of the natural log) of the
#: number of release sites and of the depolarisation needed to fire. Illustrative,
#: chosen wide enough that the resting CMAP falls gradually as channels are lost
#: (F1.3-6) instead of collapsing over a few per cent of loss.
RELEASE_SPREAD = 0.72
THRESHOLD_SPREAD = 0.3

#: Voluntary firing rate of motor units during a sustained maximal effort: about
#: 27 Hz at the start, falling to about 15 Hz after 60 s (adductor pollicis, F13-3).
#: The linear fall between those points, and holding 15 Hz beyond 60 s, are model
#: choices.
EXERCISE_START_HZ = 27.0
EXERCISE_END_HZ = 15.0
EXERCISE_SLOWING_S = 60.0

#: Pause between the end of exercise and the test stimulus (illustrative: the test
#: shock follows the end of exercise within a few seconds).
POST_EXERCISE_DELAY_S = 2.0

#: Kept for older callers: the mean firing rate over the first 10 s of effort.
EXERCISE_FIRING_HZ = EXERCISE_START_HZ - (EXERCISE_START_HZ - EXERCISE_END_HZ) * 5.0 / 60.0

MAX_STIMULI = 1000
MAX_EXERCISE_S = 120.0
MAX_DELAY_S = 600.0


@dataclass(frozen=True)
class Muscle:
    """The fibre population: a scale factor on docked vesicles and on the firing
    threshold for each fibre, and each fibre's share of the CMAP (mV)."""

    release_scale: np.ndarray
    threshold_scale: np.ndarray
    unit_cmap_mV: float


@lru_cache(maxsize=64)
def muscle(seed: int = 0) -> Muscle:
    """The model muscle for a seed (cached: a widget update reuses the same fibres)."""
    rng = np.random.default_rng(_checks.integer("seed", seed, 0, 2**32 - 1))
    release_scale = np.exp(rng.normal(0.0, RELEASE_SPREAD, N_FIBRES))
    threshold_scale = np.exp(rng.normal(0.0, THRESHOLD_SPREAD, N_FIBRES))
    release_scale.setflags(write=False)
    threshold_scale.setflags(write=False)
    return Muscle(release_scale, threshold_scale, HEALTHY_CMAP_MV / N_FIBRES)


def fraction_firing(j: Junction, quanta: float | np.ndarray, seed: int = 0) -> np.ndarray:
    """Fraction of fibres whose EPP reaches threshold for each mean quantal content
    given (per terminal of average size)."""
    j = _junction(j)
    fibres = muscle(seed)
    quanta = np.atleast_1d(np.asarray(quanta, dtype=float))
    epp = epp_from_quanta_mV(j, np.outer(quanta, fibres.release_scale))
    fires = epp >= j.threshold_mV * fibres.threshold_scale
    return fires.mean(axis=1)


def cmap_from_quanta_mV(j: Junction, quanta: float | np.ndarray, seed: int = 0) -> np.ndarray:
    """CMAP (mV) for each mean quantal content: the sum over the fibres that fire."""
    return fraction_firing(j, quanta, seed) * HEALTHY_CMAP_MV


def cmap_train(j: Junction, frequency_hz: float, n_stimuli: int = 10,
               seed: int = 0) -> np.ndarray:
    """CMAP amplitude (mV) for each stimulus of a repetitive nerve stimulation train."""
    _checks.number("frequency_hz", frequency_hz, 0.0, MAX_FREQUENCY_HZ, unit="Hz",
                   low_open=True)
    count = _checks.integer("n_stimuli", n_stimuli, 1, MAX_STIMULI)
    return cmap_from_quanta_mV(j, train(j, frequency_hz, count), seed)


def resting_cmap_mV(j: Junction, seed: int = 0) -> float:
    """CMAP to a single supramaximal stimulus of a rested muscle (F5-1a: low in LEMS)."""
    return float(cmap_train(j, 1.0, 1, seed)[0])


def _cmaps(values: object, minimum: int) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"cmaps must be a sequence of CMAP amplitudes in mV, got "
                        f"{type(values).__name__}") from None
    if array.ndim != 1 or array.size < minimum:
        raise ValueError(f"cmaps must hold at least {minimum} amplitudes in mV, "
                         f"got {array.size}")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError("cmaps must be finite amplitudes of at least 0 mV")
    return array


def decrement_percent(cmaps: object) -> float:
    """Decrement of a low-rate train: (1st − 4th) / 1st × 100 (F5-1a). Positive when
    the 4th response is smaller. A train whose 1st response is 0 mV has no defined
    decrement: that is reported as a ValueError, not a NaN."""
    array = _cmaps(cmaps, 4)
    if array[0] == 0:
        raise ValueError("the first CMAP is 0 mV, so no decrement can be computed")
    return float((array[0] - array[3]) / array[0] * 100.0)


def increment_percent(before_mV: float, after_mV: float) -> float:
    """Increment: (after − before) / before × 100 (F5-4: ≥ 60 % and ≥ 100 % cut-offs)."""
    before = _checks.number("before_mV", before_mV, 0.0, 1000.0, unit="mV", low_open=True)
    after = _checks.number("after_mV", after_mV, 0.0, 1000.0, unit="mV")
    return (after - before) / before * 100.0


def high_rate_increment_percent(j: Junction, frequency_hz: float = 50.0,
                                n_stimuli: int = 10, seed: int = 0) -> float:
    """Increment of a high-rate train: largest response against the first (F5-1a)."""
    cmaps = cmap_train(j, frequency_hz, n_stimuli, seed)
    if cmaps[0] == 0:
        raise ValueError("the first CMAP is 0 mV, so no increment can be computed")
    return increment_percent(float(cmaps[0]), float(cmaps.max()))


def exercise_firing_times_s(exercise_s: float) -> np.ndarray:
    """Times (s) at which a motor unit fires during ``exercise_s`` of sustained maximal
    voluntary effort: the rate falls from ``EXERCISE_START_HZ`` to ``EXERCISE_END_HZ``
    over the first minute (F13-3), then stays there."""
    duration = _checks.number("exercise_s", exercise_s, 0.0, MAX_EXERCISE_S, unit="s")
    if duration == 0:
        return np.empty(0)
    start, end, span = EXERCISE_START_HZ, EXERCISE_END_HZ, EXERCISE_SLOWING_S
    slope = (start - end) / span
    # Cumulative impulses φ(t) = start·t − slope·t²/2 up to ``span``, then linear.
    in_span = min(duration, span)
    count_in_span = start * in_span - slope * in_span**2 / 2.0
    k = np.arange(math.floor(count_in_span) + 1, dtype=float)
    times = (start - np.sqrt(np.maximum(start**2 - 2.0 * slope * k, 0.0))) / slope
    if duration > span:
        base = start * span - slope * span**2 / 2.0
        later = np.arange(math.floor(base) + 1, math.floor(base + end * (duration - span)) + 1,
                          dtype=float)
        times = np.concatenate([times, span + (later - base) / end])
    return times[times < duration]


def _after_exercise_quanta(j: Junction, exercise_s: float, test_times_s: np.ndarray
                           ) -> np.ndarray:
    firing = exercise_firing_times_s(exercise_s)
    end = float(exercise_s)
    times = np.concatenate([firing, end + test_times_s])
    return quantal_contents_at(j, times)[firing.size:]


def post_exercise_cmap(j: Junction, exercise_s: float = 10.0,
                       seed: int = 0) -> tuple[float, float]:
    """Resting CMAP and the CMAP to one stimulus just after ``exercise_s`` of maximal
    voluntary exercise, in mV.

    Exercise is the nerve firing at the voluntary rate of a sustained maximal effort
    (27 Hz falling towards 15 Hz, F13-3), then a test stimulus
    ``POST_EXERCISE_DELAY_S`` after the end (illustrative). Residual Ca²⁺ facilitates;
    as the effort goes on the firing slows and the reserve runs down, so 30 s
    facilitates less than 10 s (F5-3a).
    """
    duration = _checks.number("exercise_s", exercise_s, 0.0, MAX_EXERCISE_S, unit="s")
    rest = resting_cmap_mV(j, seed)
    if duration == 0:
        return rest, rest
    after_quanta = _after_exercise_quanta(j, duration, np.array([POST_EXERCISE_DELAY_S]))
    after = float(cmap_from_quanta_mV(j, after_quanta, seed)[0])
    return rest, after


def rns_after_exercise(j: Junction, exercise_s: float, delay_s: float,
                       frequency_hz: float = 3.0, n_stimuli: int = 10,
                       seed: int = 0) -> np.ndarray:
    """CMAPs (mV) of a repetitive stimulation train that starts ``delay_s`` seconds
    after ``exercise_s`` seconds of maximal voluntary exercise.

    The clinical use (F13-4, F13-5): in myasthenia a 3 Hz train just after a brief
    effort shows a smaller decrement (repair, post-exercise facilitation), and one
    2–4 minutes after a one-minute effort a larger decrement (post-exercise
    exhaustion). ``exercise_s`` 0 gives the train of a rested muscle.
    """
    duration = _checks.number("exercise_s", exercise_s, 0.0, MAX_EXERCISE_S, unit="s")
    delay = _checks.number("delay_s", delay_s, 0.0, MAX_DELAY_S, unit="s")
    rate = _checks.number("frequency_hz", frequency_hz, 0.0, MAX_FREQUENCY_HZ, unit="Hz",
                          low_open=True)
    count = _checks.integer("n_stimuli", n_stimuli, 1, MAX_STIMULI)
    if duration == 0:
        return cmap_train(j, rate, count, seed)
    test_times = delay + np.arange(count) / rate
    return cmap_from_quanta_mV(j, _after_exercise_quanta(j, duration, test_times), seed)
