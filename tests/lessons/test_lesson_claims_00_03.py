"""Lessons 00–03 say what their explorers show (issue 13.6 and 13.8).

Each test drives an explorer (the widgets' headless API: set a control's value, read
``explorer.figure`` and ``explorer.summary_text``) or calls the model at the control
values a lesson asks the learner to try, and checks the direction and size of what the
lesson's text claims there. The quoted claims are the lessons' words; if the model
changes, these tests say which sentence no longer holds.

A second group checks that every control of every explorer in lessons 00–03 is named
in the lesson's text before the explorer, so no control goes unexplained.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from lems_course import figures as fig
from lems_course import physiology
from lems_course.widgets import (
    channel_loss_explorer,
    cooperativity_explorer,
    release_simulator,
    safety_factor_explorer,
    warm_up_explorer,
)
from lems_course.widgets.calcium_cooperativity import log_log_slope
from lems_course.widgets.channel_loss import BARS, CHAIN_LABELS, FIRING_POINT, MG_POINT
from lems_course.widgets.channel_loss import HEALTHY_POINT, THIS_POINT, channel_loss_view
from lems_course.widgets.safety_factor import BAR as SF_BAR
from lems_course.widgets.safety_factor import MIN_QUANTA as SF_MIN_QUANTA
from lems_course.widgets.safety_factor import MIN_QUANTAL_SIZE_MV, safety_factor_of
from lems_course.widgets.stochastic_release import release_view
from lems_course.widgets.warm_up import MAX_QUANTA as WARM_MAX, warm_up_view

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
ENTRY, PROBABILITY, QUANTAL, EPP = (CHAIN_LABELS.index(label) for label in (
    "Ca²⁺ entry", "Release probability", "Quantal content", "End-plate potential"))


def _fires_warm_up(quanta: int) -> bool:
    return "so the muscle fibre fires" in warm_up_view(quanta).summary


def _bars(loss_percent: float, calcium_mM: float = 2.0, drug: bool = False) -> list[float]:
    return list(channel_loss_view(loss_percent, calcium_mM, drug).traces[BARS]["y"])


def _firing_percent(loss_percent: float, calcium_mM: float = 2.0, drug: bool = False) -> float:
    return channel_loss_view(loss_percent, calcium_mM, drug).traces[FIRING_POINT]["y"][0]


# --- lesson 00: the warm-up -------------------------------------------------------------

def test_l00_warm_up_opens_at_ten_packets_below_the_threshold():
    # "The explorer opens at 10 packets. Move the slider up … until the bar crosses it"
    explorer = warm_up_explorer()
    assert explorer.controls["quanta"].value == 10
    assert "does not fire" in explorer.summary_text
    assert explorer.figure.data[0].marker.color == fig.NEUTRAL  # "grey when it does not"


def test_l00_warm_up_is_all_or_none_and_crosses_at_about_35_packets():
    # "the line is crossed at about 35 packets (model): one packet more or less decides"
    fires = [_fires_warm_up(q) for q in range(1, WARM_MAX + 1)]
    crossing = fires.index(True) + 1
    assert 30 <= crossing <= 40, crossing
    assert not any(fires[:crossing - 1]) and all(fires[crossing - 1:]), (
        "the fibre must fail below the crossing and fire at and above it")
    assert warm_up_view(crossing).traces[0]["marker"]["color"] == fig.HEALTHY  # blue


# --- lesson 01: the safety factor -----------------------------------------------------

def test_l01_healthy_epp_can_lose_about_half_and_still_fire():
    # "the EPP can lose about half of its size and the fibre still fires"
    explorer = safety_factor_explorer()
    start = explorer.controls["quanta"].value
    assert start == round(physiology.quantal_content(physiology.healthy()))
    explorer.controls["quanta"].value = round(start / 2)
    assert "so the fibre fires" in explorer.summary_text
    _epp, half_factor = safety_factor_of(round(start / 2), 0.4)
    assert half_factor >= 1
    assert physiology.safety_factor(physiology.healthy()) > 2  # "a wide margin"


def test_l01_lowering_either_slider_far_enough_turns_the_bar_orange_red():
    # "keep lowering it until the bar changes colour; try the MEPP-size slider the same way"
    explorer = safety_factor_explorer()
    assert explorer.figure.data[SF_BAR].marker.color == fig.HEALTHY
    explorer.controls["quanta"].value = SF_MIN_QUANTA
    assert explorer.figure.data[SF_BAR].marker.color == fig.LEMS
    assert "does not fire" in explorer.summary_text
    explorer.controls["quanta"].value = round(physiology.quantal_content(physiology.healthy()))
    explorer.controls["quantal_size_mV"].value = MIN_QUANTAL_SIZE_MV
    assert explorer.figure.data[SF_BAR].marker.color == fig.LEMS


# --- lesson 02: the release simulator and the cooperativity explorer ------------------

def _mean_and_failures(calcium_mM: float) -> tuple[float, int, int, int]:
    summary = release_view(0.0, calcium_mM, 200, 0).summary
    low, high = map(int, re.search(r"from (\d+) to (\d+)", summary).groups())
    failures = re.search(r"(\d+) of 200 impulses released no quantum", summary)
    mean = physiology.quantal_content(replace(physiology.healthy(), calcium_mM=calcium_mM))
    return mean, (int(failures.group(1)) if failures else 0), low, high


def test_l02_counts_scatter_and_fall_with_calcium_with_failures_at_half_a_millimolar():
    # "they scatter from impulse to impulse"; "Lower Ca²⁺ shifts the whole distribution
    # down"; "At 0.5 mM … one or two quanta per impulse on average, and many impulses
    # release none at all"
    mean_2, failures_2, low_2, high_2 = _mean_and_failures(2.0)
    mean_1, _, _, _ = _mean_and_failures(1.0)
    mean_05, failures_05, _, _ = _mean_and_failures(0.5)
    assert low_2 < high_2 and failures_2 == 0
    assert mean_2 > mean_1 > mean_05
    assert 0.5 <= mean_05 <= 3
    assert failures_05 >= 10


def test_l02_slope_four_runs_parallel_to_the_published_slope_and_doubling_gives_16():
    # "With 4 ions … parallel to the published slope of about 4 (F2-1a): doubling Ca²⁺
    # multiplies release by about 2⁴ = 16, not by 2"
    assert log_log_slope(4.0, 0.2, 0.5) == pytest.approx(3.78, abs=0.5)
    low = physiology.quantal_content(replace(physiology.healthy(), calcium_mM=0.2))
    double = physiology.quantal_content(replace(physiology.healthy(), calcium_mM=0.4))
    assert 10 <= double / low <= 20


def test_l02_slope_one_doubles_release_and_six_is_steeper_and_normal_calcium_bends():
    # "With 1 ion the slope is about 1 …; with 6 the curve is steeper still";
    # "Towards normal Ca²⁺ the curve bends over and the slope falls"
    assert log_log_slope(1.0, 0.2, 0.5) == pytest.approx(1.0, abs=0.3)
    assert log_log_slope(6.0, 0.2, 0.5) > log_log_slope(4.0, 0.2, 0.5) + 1
    assert log_log_slope(4.0, 1.8, 2.2) < 0.6 * log_log_slope(4.0, 0.2, 0.5)
    explorer = cooperativity_explorer()
    assert explorer.controls["hill_coefficient"].value == 4  # "Start at 4"


# --- lesson 03: the channel-loss explorer ---------------------------------------------

def test_l03_explorer_opens_at_half_the_channels_lost():
    explorer = channel_loss_explorer(channel_loss_percent=50)
    assert explorer.controls["channel_loss_percent"].value == 50
    assert "50 % of channels lost" in explorer.summary_text


def test_l03_half_the_channels_lost_halves_entry_and_leaves_under_a_third_of_release():
    # "Ca²⁺ entry falls in step with the channels …: with half the channels lost, the
    # quantal content is under a third of healthy, and only about half of the fibres
    # still fire (model)"
    bars = _bars(50)
    assert bars[ENTRY] == pytest.approx(50, abs=0.5)
    assert bars[QUANTAL] < 100 / 3
    assert 35 <= _firing_percent(50) <= 70
    # the three answers: the model lies between the toy 0.5⁴ and the linear 50 %
    model = 100 * physiology.quantal_content(physiology.lems(0.5)) / \
        physiology.quantal_content(physiology.healthy())
    assert 100 * 0.5**4 < model < 50


def test_l03_a_quarter_and_three_quarters_lost_say_what_the_lesson_says():
    # "at 25 % lost, entry is three quarters of healthy and release about two thirds;
    # at 75 % lost, entry is a quarter, release only a few per cent, and almost no fibre
    # fires (model)"
    quarter = _bars(25)
    assert quarter[ENTRY] == pytest.approx(75, abs=0.5)
    assert 55 <= quarter[QUANTAL] <= 72
    three_quarters = _bars(75)
    assert three_quarters[ENTRY] == pytest.approx(25, abs=0.5)
    assert three_quarters[QUANTAL] < 10
    assert _firing_percent(75) < 5


@pytest.mark.parametrize("loss", range(5, 100, 5))
def test_l03_release_falls_faster_than_entry_at_every_loss(loss):
    # "The same holds at every loss you try"; L03-Q5: release falls by a larger share
    bars = _bars(loss)
    assert bars[QUANTAL] < bars[ENTRY]


def test_l03_more_calcium_or_3_4_dap_pushes_the_bars_back_up_and_dap_turns_them_green():
    # "Raising extracellular Ca²⁺ or ticking 3,4-DAP pushes the bars back up (model)";
    # "when you tick 3,4-DAP they turn bluish green"
    base = _bars(50)
    assert _bars(50, calcium_mM=3.0)[QUANTAL] > base[QUANTAL]
    assert _bars(50, drug=True)[QUANTAL] > base[QUANTAL]
    explorer = channel_loss_explorer(channel_loss_percent=50)
    assert explorer.figure.data[BARS].marker.color == fig.LEMS
    explorer.controls["amifampridine"].value = True
    assert explorer.figure.data[BARS].marker.color == fig.TREATED
    assert explorer.figure.data[THIS_POINT].marker.color == fig.TREATED


def test_l03_lems_keeps_a_normal_mepp_and_mg_shrinks_it_but_releases_at_least_as_much():
    # section 4: in LEMS the MEPP stays the same, in MG it is small; "the model's MG
    # junction releases at least as many quanta as the healthy one (model)"
    healthy, lems_half, mg = physiology.healthy(), physiology.lems(0.5), physiology.myasthenia()
    assert physiology.mepp_mV(lems_half) == pytest.approx(physiology.mepp_mV(healthy))
    assert physiology.mepp_mV(mg) < 0.75 * physiology.mepp_mV(healthy)
    assert physiology.quantal_content(mg) >= physiology.quantal_content(healthy) * (1 - 1e-9)
    assert physiology.quantal_content(lems_half) < physiology.quantal_content(healthy)
    view = channel_loss_view(50)
    assert view.traces[MG_POINT]["y"][0] < view.traces[HEALTHY_POINT]["y"][0]
    assert view.traces[THIS_POINT]["y"][0] == pytest.approx(view.traces[HEALTHY_POINT]["y"][0])


# --- every control is explained before its explorer ----------------------------------

EXPLORERS = [
    ("00_start_here.ipynb", "warm_up_explorer(", warm_up_explorer),
    ("01_neuromuscular_junction.ipynb", "safety_factor_explorer(", safety_factor_explorer),
    ("02_acetylcholine_release.ipynb", "release_simulator(", release_simulator),
    ("02_acetylcholine_release.ipynb", "cooperativity_explorer(", cooperativity_explorer),
    ("03_calcium_channel_autoimmunity.ipynb", "channel_loss_explorer(",
     channel_loss_explorer),
]


def _labels(explorer) -> list[str]:
    """The visible label of every control and extra widget (sliders, boxes, buttons)."""
    labels = []
    for widget in explorer.widget.children[1].children:
        label = getattr(widget, "description", "") or ""
        if label:
            labels.append(label)
    return labels


def _text_before(lesson: str, call: str) -> str:
    cells = nbformat.read(LESSONS_DIR / lesson, as_version=4).cells
    index = next(i for i, cell in enumerate(cells)
                 if cell.cell_type == "code" and call in cell.source)
    section = []
    for cell in reversed(cells[:index]):
        if cell.cell_type != "markdown":
            continue
        section.append(cell.source)
        if any(line.startswith("## ") for line in cell.source.splitlines()):
            break
    return "\n".join(reversed(section))


def _plain(text: str) -> str:
    return re.sub(r"[*_`]", "", text).lower()


@pytest.mark.parametrize("lesson, call, factory", EXPLORERS,
                         ids=[call.rstrip("(") for _, call, _ in EXPLORERS])
def test_every_control_is_named_in_the_text_before_its_explorer(lesson, call, factory):
    labels = _labels(factory())
    assert labels, f"{call}: no labelled controls found"
    text = _plain(_text_before(lesson, call))
    missing = [label for label in labels if _plain(label) not in text]
    assert not missing, (f"{lesson}: the text before {call}…) does not explain the "
                         f"control(s) {missing}")


def test_control_check_notices_an_unexplained_control():
    # the check above can fail: a text that names no control misses all of them
    labels = _labels(channel_loss_explorer())
    assert [label for label in labels if _plain(label) not in "nothing here"] == labels
