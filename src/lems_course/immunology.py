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
comes from the junction model (``electrodiagnosis.resting_cmap_mV``). 3,4-DAP changes
no antibody or channel: it widens the spike (F6-2) and acts within days (F6-4b).
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
    Junction,
    quantal_content,
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
# Effective fraction of the whole antibody pool removed by one exchange: small, because
# most IgG sits outside the blood and flows back between exchanges.
PLASMA_EXCHANGE_REMOVAL = 0.08
IVIG_INFUSION_DAYS = (0.0, 1.0)    # 1 g/kg on each of 2 days (F6-16b)
IVIG_CLEARANCE_BOOST = 0.15        # extra antibody clearance per dose, at its height
IVIG_TAU_DAYS = 21.0               # how long the infused IgG keeps acting
IMMUNOSUPPRESSION_FLOOR = 0.5      # production left once the drug acts fully
IMMUNOSUPPRESSION_TAU_DAYS = 90.0  # months to act (F6-18)

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
        if therapy == "immunosuppression":
            production *= IMMUNOSUPPRESSION_FLOOR + (1.0 - IMMUNOSUPPRESSION_FLOOR) * math.exp(
                -now / IMMUNOSUPPRESSION_TAU_DAYS)
        clearance = clearance_per_day
        if therapy == "ivig":
            clearance *= 1.0 + _ivig_clearance_boost(now)
        channels += _STEP_DAYS * (synthesis_per_day * (1.0 - channels)
                                  - removal_per_day * antibody * channels)
        antibody += _STEP_DAYS * (production - clearance * antibody)

    widening = DEFAULT_AMIFAMPRIDINE_WIDENING if therapy == "amifampridine" else 1.0
    quanta = np.array([quantal_content(Junction(channel_fraction=float(c), spike_width=widening))
                       for c in np.clip(daily_channels, 0.0, 1.0)])
    if therapy == "amifampridine":
        # Day 0 is before the first dose.
        quanta[0] = quantal_content(Junction(channel_fraction=float(daily_channels[0])))
    cmaps = cmap_from_quanta_mV(Junction(), quanta, seed)
    return TreatmentCourse(
        therapy=therapy,
        day=np.arange(n_days + 1),
        antibody_level=daily_antibody,
        channel_fraction=np.clip(daily_channels, 0.0, 1.0),
        resting_cmap_mV=cmaps,
    )
