"""Draw the figures of docs/model.md: one per protocol, healthy, LEMS and myasthenia
gravis side by side, plus graded disease, one day of 3,4-DAP and the therapies.

Run: python scripts/model_figures.py  (needs matplotlib, in the "test" extra)
Writes PNG files into docs/figures/. Every number comes from lems_course's model
(default presets, fibre seed 0); the figures are regenerated, never edited by hand.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from lems_course import electrodiagnosis as emg
from lems_course import immunology
from lems_course import physiology as nmj
from lems_course.figures import HEALTHY, LEMS, MG, NEUTRAL, TREATED

OUT = Path(__file__).resolve().parent.parent / "docs" / "figures"
CONDITIONS = (("Healthy", nmj.healthy(), HEALTHY), ("LEMS (55 % channel loss)", nmj.lems(), LEMS),
              ("Myasthenia gravis (55 % receptor loss)", nmj.myasthenia(), MG))


def _panels(title: str):
    figure, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharey=True, constrained_layout=True)
    figure.suptitle(f"{title} (model)")
    axes[0].set_ylim(0, 10.8)
    return figure, axes


def _save(figure, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    figure.savefig(OUT / name, dpi=90)
    plt.close(figure)
    print(f"wrote docs/figures/{name}")


def train_figure(frequency_hz: float, n_stimuli: int, name: str) -> None:
    figure, axes = _panels(f"{frequency_hz:g} Hz train, {n_stimuli} stimuli")
    for axis, (label, junction, colour) in zip(axes, CONDITIONS, strict=True):
        cmaps = emg.cmap_train(junction, frequency_hz, n_stimuli)
        if n_stimuli <= 20:
            axis.bar(np.arange(1, n_stimuli + 1), cmaps, color=colour)
        else:
            axis.plot(np.arange(1, n_stimuli + 1), cmaps, color=colour, linewidth=2)
        axis.set_title(label, fontsize=10)
        axis.set_xlabel("Stimulus number")
    axes[0].set_ylabel("CMAP amplitude (mV, model)")
    _save(figure, name)


def exercise_figure() -> None:
    figure, axes = _panels("Single stimulus at rest and 2 s after maximal exercise")
    labels = ["rest", "10 s", "30 s", "60 s"]
    for axis, (label, junction, colour) in zip(axes, CONDITIONS, strict=True):
        rest = emg.resting_cmap_mV(junction)
        values = [rest] + [emg.post_exercise_cmap(junction, seconds)[1]
                           for seconds in (10.0, 30.0, 60.0)]
        axis.bar(labels, values, color=colour)
        axis.set_title(label, fontsize=10)
        axis.set_xlabel("Exercise before the stimulus")
    axes[0].set_ylabel("CMAP amplitude (mV, model)")
    _save(figure, "exercise.png")


def post_exercise_rns_figure() -> None:
    figure, axes = _panels("3 Hz train at rest, 2 s after 10 s and 3 min after 60 s of exercise")
    cases = (("at rest", 0.0, 0.0, "-"), ("2 s after 10 s", 10.0, 2.0, "--"),
             ("3 min after 60 s", 60.0, 180.0, ":"))
    for axis, (label, junction, colour) in zip(axes, CONDITIONS, strict=True):
        for case, exercise_s, delay_s, style in cases:
            cmaps = emg.rns_after_exercise(junction, exercise_s, delay_s)
            decrement = emg.decrement_percent(cmaps) if cmaps[0] > 0 else float("nan")
            axis.plot(np.arange(1, 11), cmaps, style, color=colour, marker="o",
                      label=f"{case}: decrement {decrement:.0f} %")
        axis.set_title(label, fontsize=10)
        axis.set_xlabel("Stimulus number (3 Hz)")
        axis.legend(fontsize=8, loc="lower left")
    axes[0].set_ylabel("CMAP amplitude (mV, model)")
    _save(figure, "post_exercise_rns.png")


def graded_figure() -> None:
    figure, axis = plt.subplots(figsize=(6, 3.8), constrained_layout=True)
    losses = np.linspace(0.0, 0.95, 96)
    healthy = emg.resting_cmap_mV(nmj.healthy())
    cmaps = [100 * emg.resting_cmap_mV(nmj.lems(loss)) / healthy for loss in losses]
    axis.plot(100 * losses, cmaps, color=LEMS, linewidth=2, label="LEMS, resting CMAP")
    axis.axvline(100 * nmj.DEFAULT_LEMS_CHANNEL_LOSS, color=NEUTRAL, linestyle=":",
                 label="default LEMS")
    axis.set_title("Resting CMAP against channel loss (model)")
    axis.set_xlabel("P/Q-type channels lost (%)")
    axis.set_ylabel("Resting CMAP (% of healthy)")
    axis.legend(fontsize=8)
    _save(figure, "graded_disease.png")


def amifampridine_day_figure() -> None:
    day = immunology.amifampridine_day()
    figure, axis = plt.subplots(figsize=(7, 3.8), constrained_layout=True)
    axis.plot(day.hour, day.resting_cmap_mV, color=TREATED, linewidth=2,
              label="LEMS on 3,4-DAP")
    for dose in day.dose_times_h:
        axis.axvline(dose, color=NEUTRAL, linestyle=":")
    axis.set_title("One day of 3,4-DAP, doses at 08:00, 13:00, 18:00 (model)")
    axis.set_xlabel("Hours after midnight")
    axis.set_ylabel("Resting CMAP (mV, model)")
    axis.set_xlim(0, 24)
    axis.set_ylim(0, 8)
    axis.legend(fontsize=8, loc="lower right")
    _save(figure, "amifampridine_day.png")


def therapies_figure() -> None:
    figure, axis = plt.subplots(figsize=(7, 3.8), constrained_layout=True)
    styles = {"none": (NEUTRAL, ":"), "plasma_exchange": (LEMS, "-"), "ivig": (MG, "--"),
              "immunosuppression": (TREATED, "-."), "amifampridine": (HEALTHY, "-")}
    for therapy in immunology.THERAPIES:
        course = immunology.treatment_course(therapy, 365)
        colour, style = styles[therapy]
        axis.plot(course.day, course.resting_cmap_mV, style, color=colour,
                  label=immunology.THERAPY_LABELS[therapy])
    axis.set_title("Resting CMAP over a year of each therapy (model)")
    axis.set_xlabel("Days after starting treatment")
    axis.set_ylabel("Resting CMAP (mV, model)")
    axis.set_ylim(0, 10)
    axis.legend(fontsize=8, loc="lower right", ncols=2)
    _save(figure, "therapies.png")


def main() -> None:
    train_figure(3.0, 10, "train_3hz.png")
    train_figure(50.0, 50, "train_50hz.png")
    train_figure(20.0, 200, "train_20hz_10s.png")
    exercise_figure()
    post_exercise_rns_figure()
    graded_figure()
    amifampridine_day_figure()
    therapies_figure()


if __name__ == "__main__":
    main()
