"""What one explorer update costs on the server: medians against their targets.

Run: python benchmarks/widgets.py [repeats]

For each explorer and each of its controls, the control's value is set back and forth
between two values; each set runs the observer (pure view function → figure update
messages → summary): column "update". Printed beside it, measured in the same run:
- the bare view function for the same values (model arithmetic + formatting, no
  widget), the baseline that shows what the widget layer adds;
- "sweep": the median update over a pass through distinct values with the module's
  caches emptied first (a learner's first pass along a slider; back-and-forth moves
  then hit the caches);
- the bare model call that the update rests on (for channel loss: the junction's
  quantal content), for scale.
Timings on a shared machine are noisy: each figure is a median, nothing is asserted.
Without a kernel the widget messages are built but not sent, so the JSON encoding and
the browser's redraw are not in these numbers (the browser tests measure those).
"""

from __future__ import annotations

import importlib
import statistics
import sys
import time
from collections.abc import Callable

#: Targets for a server-side update (ms); a slider should feel immediate.
TARGET_MS = {"channel_loss_explorer": 30.0, "emg_lab": 30.0}
DEFAULT_TARGET_MS = 30.0

EXPLORERS = ("warm_up_explorer", "safety_factor_explorer", "release_simulator",
             "cooperativity_explorer", "channel_loss_explorer", "spike_width_explorer",
             "emg_lab", "treatment_simulator", "delta_p_calculator")


def median_ms(action: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(samples)


def two_values(control) -> tuple[object, object] | None:
    """Two different values the control accepts, away from its current one."""
    options = getattr(control, "options", None)
    if options:
        labels = [option[1] if isinstance(option, tuple) else option for option in options]
        others = [value for value in labels if value != control.value]
        return (others[0], control.value) if others else None
    if isinstance(control.value, bool):
        return (not control.value, control.value)
    low, high = getattr(control, "min", None), getattr(control, "max", None)
    if low is None or high is None or isinstance(control.value, str):
        return None
    step = getattr(control, "step", None) or 1
    quarter = low + round((high - low) * 0.25 / step) * step
    three_quarters = low + round((high - low) * 0.75 / step) * step
    if isinstance(control.value, int):
        quarter, three_quarters = int(quarter), int(three_quarters)
    return (quarter, three_quarters) if quarter != three_quarters else None


def sweep_values(control, count: int) -> list[object]:
    """Up to ``count`` distinct values across the control's range, in order."""
    options = getattr(control, "options", None)
    if options:
        labels = [option[1] if isinstance(option, tuple) else option for option in options]
        return [labels[i % len(labels)] for i in range(count)]
    if isinstance(control.value, bool):
        return [i % 2 == 0 for i in range(count)]
    low, high = getattr(control, "min", None), getattr(control, "max", None)
    if low is None or high is None or isinstance(control.value, str):
        return []
    step = getattr(control, "step", None) or 1
    positions = round((high - low) / step) + 1
    stride = max(positions // count, 1)
    values = [low + i * step for i in range(0, positions, stride)][:count]
    return [int(v) for v in values] if isinstance(control.value, int) else values


def clear_caches(explorer) -> None:
    """Empty the explorer module's lru caches, so a sweep measures first visits."""
    module = sys.modules[explorer.compute.__module__]
    for value in vars(module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def cold_update_ms(explorer, control, count: int) -> float | None:
    """Median update over a sweep of distinct values with empty caches: what a
    learner's first pass along a slider costs."""
    values = sweep_values(control, count)
    if len(values) < 2:
        return None
    clear_caches(explorer)
    samples = []
    for value in values:
        start = time.perf_counter()
        control.value = value
        samples.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(samples)


def model_baseline_ms(repeats: int) -> tuple[str, float]:
    from lems_course import physiology

    return ("quantal_content(lems(0.5))",
            median_ms(lambda: physiology.quantal_content(physiology.lems(0.5)), repeats))


def bench_explorer(name: str, repeats: int) -> list[tuple[str, float, float, float | None]]:
    widgets = importlib.import_module("lems_course.widgets")
    explorer = getattr(widgets, name)()
    rows = []
    for control_name, control in explorer.controls.items():
        values = two_values(control)
        if values is None:
            continue
        state = {"index": 0}

        def move(control=control, values=values, state=state) -> None:
            state["index"] ^= 1
            control.value = values[state["index"]]

        def compute(control_name=control_name, values=values, state=state) -> None:
            state["index"] ^= 1
            explorer.compute(**{**explorer.values(), control_name: values[state["index"]]})

        move()  # warm caches (fibre population, templates) before timing
        update = median_ms(move, repeats)
        bare = median_ms(compute, repeats)
        cold = cold_update_ms(explorer, control, repeats)
        rows.append((control_name, update, bare, cold))
    return rows


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    model_name, model_ms = model_baseline_ms(max(repeats, 1000))
    print(f"Server-side explorer updates, median of {repeats} (ms). "
          f"Model call for scale: {model_name} = {model_ms:.4f} ms")
    print(f"{'explorer':<24} {'control':<22} {'update':>8} {'view fn':>8} "
          f"{'widget':>8} {'sweep':>8} {'target':>7}  verdict")
    for name in EXPLORERS:
        try:
            rows = bench_explorer(name, repeats)
        except (ImportError, AttributeError) as error:
            print(f"{name:<24} not available yet ({type(error).__name__}: {error})")
            continue
        target = TARGET_MS.get(name, DEFAULT_TARGET_MS)
        for control_name, update, bare, cold in rows:
            worst = max(update, cold or 0.0)
            verdict = "ok" if worst < target else "SLOW"
            sweep = f"{cold:8.2f}" if cold is not None else f"{'-':>8}"
            print(f"{name:<24} {control_name:<22} {update:8.2f} {bare:8.2f} "
                  f"{update - bare:8.2f} {sweep} {target:7.0f}  {verdict}")


if __name__ == "__main__":
    main()
