"""Antibodies, channel turnover and therapies over weeks.

Two quantities change over days (both relative, illustrative kinetics):

- **antibody level** ``A`` (1 = the untreated steady state). It is made at a steady
  rate and cleared; plasma exchange removes it in steps (F6-17), IVIG neutralises part
  of it for weeks and lowers titres (F6-16c, F6-16d), immunosuppression slowly lowers
  its production (F6-18).
- **functional channel fraction** ``C``. Antibodies cross-link and remove P/Q-type
  channels at a rate proportional to ``A·C`` (F3-6, F3-7, F3-10); the terminal makes
  new channels at a rate proportional to ``1 − C`` (re-synthesis over days to weeks,
  a model choice).

So the benefit of removing antibody is delayed: channels must be re-made before release
recovers. The peak 10–15 days after plasma exchange (F6-17b) and the 2–4-week peak of
IVIG (F6-16c) emerge from that re-synthesis, not from a hard-coded curve. Resting CMAP
comes from the junction model (``electrodiagnosis.resting_cmap_mV``).

3,4-DAP changes no antibody or channel: it widens the spike (F6-2) for as long as
each dose is in the blood. Its plasma level peaks 20–60 min after a dose and halves
every 1.8–2.5 h (F13-6), so a dose acts within an hour and wears off within hours;
``amifampridine_day`` shows one day dose by dose. In ``treatment_course`` the daily
value for "amifampridine" is the CMAP about an hour after a dose, from day 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lems_course import _checks
from lems_course.electrodiagnosis import cmap_from_quanta_mV
from lems_course.physiology import (
    DEFAULT_AMIFAMPRIDINE_WIDENING,
    DEFAULT_LEMS_CHANNEL_LOSS,
    MAX_SPIKE_WIDTH,
    Junction,
    quantal_content,
    quantal_contents_for,
)

THERAPIES = ("none", "plasma_exchange", "ivig", "immunosuppression", "amifampridine")

#: Readable names for the therapies, for widgets and summaries.
THERAPY_LABELS = {
    "none": "No treatment",
    "plasma_exchange": "Plasma exchange",
    "ivig": "IVIG (2 g/kg over 2 days)",
    "immunosuppression": "Immunosuppression",
    "amifampridine": "3,4-DAP (amifampridine)",
}

MAX_DAYS = 730

# Illustrative kinetics (days). None of these rates is in the fact sheet; they are
# chosen so that the model's timing matches the published peaks (F6-16c, F6-17b).
CHANNEL_RESYNTHESIS_TAU_DAYS = 8.0
ANTIBODY_REBOUND_TAU_DAYS = 10.0   # clearance plus return from the tissues
PLASMA_EXCHANGE_DAYS = (0.0, 2.0, 4.0, 6.0, 8.0)   # five exchanges (F6-17a: 5–15)
# Effective fraction of the whole antibody pool removed by one exchange. Chosen so a
# five-exchange course lowers the antibody by about three-quarters: serum IgG falls
# below 30 % of its starting level after five exchanges (F13-7); IgG flowing back
# from the tissues between exchanges is part of the rebound below.
PLASMA_EXCHANGE_REMOVAL = 0.35
IVIG_INFUSION_DAYS = (0.0, 1.0)    # 1 g/kg on each of 2 days (F6-16b)
IVIG_CLEARANCE_BOOST = 0.15        # extra antibody clearance per dose, at its height
IVIG_TAU_DAYS = 21.0               # how long the infused IgG keeps acting
IMMUNOSUPPRESSION_FLOOR = 0.45     # production left once the drug acts fully
IMMUNOSUPPRESSION_TAU_DAYS = 120.0  # months to act (F6-18: benefit over months to years)
IMMUNOSUPPRESSION_DELAY_DAYS = 30.0  # weeks before the drugs act (illustrative)

# 3,4-DAP pharmacokinetics (F13-6): one-compartment oral absorption. The half-life is
# the middle of the published 1.8–2.5 h; the absorption rate puts the peak about
# 35–40 min after a dose (published 20–60 min). The effect follows the plasma level
# without delay (model choice).
AMIFAMPRIDINE_HALF_LIFE_H = 2.2
AMIFAMPRIDINE_ABSORPTION_PER_H = 4.5
AMIFAMPRIDINE_DOSE_TIMES_H = (8.0, 13.0, 18.0)
_DAY_STEP_H = 0.25

_STEP_DAYS = 0.05


@dataclass(frozen=True)
class TreatmentCourse:
    """Daily values from day 0 (start of treatment) to the last day.

    ``antibody_level`` is the antibody activity acting on the terminal, relative to
    the untreated steady state; ``channel_fraction`` the functional P/Q-type channels
    relative to healthy; ``resting_cmap_mV`` the model's resting CMAP.
    """

    therapy: str
    day: np.ndarray
    antibody_level: np.ndarray
    channel_fraction: np.ndarray
    resting_cmap_mV: np.ndarray

    @property
    def peak_day(self) -> int:
        """Day of the highest resting CMAP (the first, if several days tie)."""
        return int(self.day[int(np.argmax(self.resting_cmap_mV))])


def _plasma_exchange_removal(start: float, end: float) -> float:
    """Fraction of antibody left after the exchanges that fall in [start, end)."""
    left = 1.0
    for exchange_day in PLASMA_EXCHANGE_DAYS:
        if start <= exchange_day < end:
            left *= 1.0 - PLASMA_EXCHANGE_REMOVAL
    return left


def _ivig_clearance_boost(day: float) -> float:
    """Extra clearance of the patient's antibody on ``day`` caused by IVIG.

    One mechanism often proposed is faster catabolism of IgG; the titres fall (F6-16d).
    The shape (a boost that fades as the infused IgG is cleared) is a model choice.
    """
    return sum(IVIG_CLEARANCE_BOOST * math.exp(-(day - infusion_day) / IVIG_TAU_DAYS)
               for infusion_day in IVIG_INFUSION_DAYS if day >= infusion_day)


def treatment_course(therapy: str, days: int = 120,
                     channel_loss: float = DEFAULT_LEMS_CHANNEL_LOSS,
                     seed: int = 0) -> TreatmentCourse:
    """Antibody level, functional channels and resting CMAP, day by day, for one therapy
    started on day 0 in a patient whose untreated channel loss is ``channel_loss``.

    ``therapy`` is one of ``THERAPIES``. ``days`` is 1–730. The untreated patient stays
    at steady state, where removal by antibody balances re-synthesis.
    """
    _checks.choice("therapy", therapy, THERAPIES)
    n_days = _checks.integer("days", days, 1, MAX_DAYS)
    loss = _checks.number("channel_loss", channel_loss, 0.0, 0.95)

    synthesis_per_day = 1.0 / CHANNEL_RESYNTHESIS_TAU_DAYS
    steady_channels = 1.0 - loss
    # Removal rate per unit antibody that makes (1 − loss) the untreated steady state.
    removal_per_day = synthesis_per_day * loss / steady_channels
    clearance_per_day = 1.0 / ANTIBODY_REBOUND_TAU_DAYS

    steps_per_day = round(1.0 / _STEP_DAYS)
    antibody, channels = 1.0, steady_channels
    daily_antibody = np.empty(n_days + 1)
    daily_channels = np.empty(n_days + 1)
    for step in range(n_days * steps_per_day + 1):
        now = step * _STEP_DAYS
        if step % steps_per_day == 0:
            day = step // steps_per_day
            daily_antibody[day] = antibody
            daily_channels[day] = channels
        if therapy == "plasma_exchange":
            antibody *= _plasma_exchange_removal(now, now + _STEP_DAYS)
        production = clearance_per_day
        if therapy == "immunosuppression" and now > IMMUNOSUPPRESSION_DELAY_DAYS:
            acting = now - IMMUNOSUPPRESSION_DELAY_DAYS
            production *= IMMUNOSUPPRESSION_FLOOR + (1.0 - IMMUNOSUPPRESSION_FLOOR) * math.exp(
                -acting / IMMUNOSUPPRESSION_TAU_DAYS)
        clearance = clearance_per_day
        if therapy == "ivig":
            clearance *= 1.0 + _ivig_clearance_boost(now)
        channels += _STEP_DAYS * (synthesis_per_day * (1.0 - channels)
                                  - removal_per_day * antibody * channels)
        antibody += _STEP_DAYS * (production - clearance * antibody)

    widening = DEFAULT_AMIFAMPRIDINE_WIDENING if therapy == "amifampridine" else 1.0
    quanta = quantal_contents_for(np.clip(daily_channels, 0.0, 1.0), widening)
    if therapy == "amifampridine":
        # Day 0 is before the first dose; from day 1 the value is the CMAP about an
        # hour after a dose, when the drug acts (F13-6).
        quanta[0] = quantal_content(Junction(channel_fraction=float(daily_channels[0])))
    cmaps = cmap_from_quanta_mV(Junction(), quanta, seed)
    return TreatmentCourse(
        therapy=therapy,
        day=np.arange(n_days + 1),
        antibody_level=daily_antibody,
        channel_fraction=np.clip(daily_channels, 0.0, 1.0),
        resting_cmap_mV=cmaps,
    )


def _plasma_level(hours: np.ndarray, dose_times_h: tuple[float, ...]) -> np.ndarray:
    """Plasma 3,4-DAP relative to the peak of one dose (Bateman function, F13-6)."""
    elimination = math.log(2.0) / AMIFAMPRIDINE_HALF_LIFE_H
    absorption = AMIFAMPRIDINE_ABSORPTION_PER_H
    peak_h = math.log(absorption / elimination) / (absorption - elimination)
    one_peak = math.exp(-elimination * peak_h) - math.exp(-absorption * peak_h)
    level = np.zeros_like(hours)
    for dose in dose_times_h:
        after = np.clip(hours - dose, 0.0, None)
        level += np.where(hours >= dose,
                          (np.exp(-elimination * after) - np.exp(-absorption * after)) / one_peak,
                          0.0)
    return level


@dataclass(frozen=True)
class AmifampridineDay:
    """One day on 3,4-DAP, every quarter hour from 0 to 24 h.

    ``plasma_level`` is relative to the peak of a single dose; ``spike_width`` the
    presynaptic spike width it gives; ``resting_cmap_mV`` the model's resting CMAP.
    """

    dose_times_h: tuple[float, ...]
    hour: np.ndarray
    plasma_level: np.ndarray
    spike_width: np.ndarray
    resting_cmap_mV: np.ndarray

    def __getitem__(self, key: str) -> object:
        # Also readable as a mapping: day["hour"], day["resting_cmap_mV"].
        if key not in ("dose_times_h", "hour", "plasma_level", "spike_width",
                       "resting_cmap_mV"):
            raise KeyError(key)
        return getattr(self, key)


def amifampridine_day(dose_times_h: tuple[float, ...] = AMIFAMPRIDINE_DOSE_TIMES_H,
                      channel_loss: float = DEFAULT_LEMS_CHANNEL_LOSS,
                      seed: int = 0) -> AmifampridineDay:
    """Resting CMAP through one day of 3,4-DAP taken at ``dose_times_h`` (hours after
    midnight, 0–24, at most 6 doses) by a patient with ``channel_loss`` (0–0.95).

    Each dose widens the spike in proportion to its plasma level, which peaks 20–60
    min after the dose and halves every 1.8–2.5 h (F13-6): so a dose acts within an
    hour, peaks by two and is mostly gone by five. At its peak a single dose gives the
    usual widening of ``physiology.with_amifampridine`` (model choice); doses taken
    close together add up, capped at the model's widest spike.
    """
    try:
        doses = tuple(dose_times_h)
    except TypeError:
        raise TypeError("dose_times_h must be a sequence of hours from 0 to 24, got "
                        f"{type(dose_times_h).__name__}") from None
    if len(doses) > 6:
        raise ValueError(f"dose_times_h must hold at most 6 doses, got {len(doses)}")
    doses = tuple(sorted(_checks.number("dose_times_h", dose, 0.0, 24.0, unit="h")
                         for dose in doses))
    loss = _checks.number("channel_loss", channel_loss, 0.0, 0.95)
    _checks.integer("seed", seed, 0, 2**32 - 1)
    hours = np.arange(0.0, 24.0 + _DAY_STEP_H / 2, _DAY_STEP_H)
    level = _plasma_level(hours, doses)
    widths = np.minimum(1.0 + (DEFAULT_AMIFAMPRIDINE_WIDENING - 1.0) * level, MAX_SPIKE_WIDTH)
    quanta = quantal_contents_for(np.full(widths.shape, 1.0 - loss), widths)
    return AmifampridineDay(
        dose_times_h=doses,
        hour=hours,
        plasma_level=level,
        spike_width=widths,
        resting_cmap_mV=cmap_from_quanta_mV(Junction(), quanta, seed),
    )
