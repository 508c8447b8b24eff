"""What a widget update costs in the model: medians against their targets.

Run: python benchmarks/model.py

Timings on a shared machine are noisy, so each figure is the median of many repeats,
printed beside a baseline measured in the same run (a bare float multiplication
through the same timing loop), and nothing here is asserted.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from lems_course import electrodiagnosis as emg
from lems_course import immunology
from lems_course import physiology as nmj


def median_seconds(action, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def import_seconds(repeats: int = 5) -> float:
    code = ("import time; s = time.perf_counter(); import lems_course.physiology, "
            "lems_course.electrodiagnosis, lems_course.immunology; import sys; "
            "print(time.perf_counter() - s, 'plotly' in sys.modules, "
            "'ipywidgets' in sys.modules)")
    samples, heavy = [], False
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        samples.append(float(out[0]))
        heavy = heavy or "True" in out[1:]
    if heavy:
        print("WARNING: importing the model pulled in plotly or ipywidgets")
    return statistics.median(samples)


def main() -> None:
    lems = nmj.lems()
    emg.muscle(0)  # build the cached fibre population once, as a widget session does
    baseline = median_seconds(lambda: 2.0 * 3.0, 2000)

    def quantal_and_epp():
        nmj.quantal_content(lems)
        nmj.epp_mV(lems)

    rows = [
        ("quantal content + EPP", median_seconds(quantal_and_epp, 2000), 50e-6),
        ("10-stimulus CMAP train (50 Hz)",
         median_seconds(lambda: emg.cmap_train(lems, 50.0, 10), 300), 5e-3),
        ("10 s exercise protocol", median_seconds(lambda: emg.post_exercise_cmap(lems, 10), 100),
         20e-3),
        ("60 s exercise protocol", median_seconds(lambda: emg.post_exercise_cmap(lems, 60), 30),
         50e-3),
        ("3 Hz train 3 min after 60 s exercise",
         median_seconds(lambda: emg.rns_after_exercise(lems, 60, 180), 30), 50e-3),
        ("one day of 3,4-DAP (quarter hours)",
         median_seconds(lambda: immunology.amifampridine_day(), 30), 50e-3),
        ("120-day treatment course",
         median_seconds(lambda: immunology.treatment_course("plasma_exchange", 120), 30), 20e-3),
        ("import lems_course model (fresh process)", import_seconds(), 0.3),
    ]
    print(f"baseline (empty timed call): {baseline * 1e6:8.2f} µs")
    print(f"{'what':45s} {'median':>12s} {'target':>10s}  verdict")
    for name, seconds, target in rows:
        verdict = "ok" if seconds < target else "OVER TARGET"
        print(f"{name:45s} {seconds * 1e3:9.3f} ms {target * 1e3:7.3f} ms  {verdict}")


if __name__ == "__main__":
    main()
