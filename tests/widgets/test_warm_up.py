"""The warm-up explorer: packets released → signal against threshold."""

from __future__ import annotations

import pytest

from lems_course import physiology
from lems_course.widgets import warm_up_explorer
from lems_course.widgets.warm_up import BAR, MAX_QUANTA, MIN_QUANTA, warm_up_view


def _quanta_to_fire() -> int:
    j = physiology.healthy()
    return next(n for n in range(MIN_QUANTA, MAX_QUANTA + 1)
                if physiology.epp_from_quanta_mV(j, n) >= j.threshold_mV)


def test_bar_shows_the_models_signal_for_the_chosen_packets():
    explorer = warm_up_explorer()
    explorer.controls["quanta"].value = 25
    expected = physiology.epp_from_quanta_mV(physiology.healthy(), 25)
    assert explorer.figure.data[BAR].y[0] == pytest.approx(expected, rel=1e-3)
    assert explorer.summary_text.startswith("25 packets")


def test_fibre_fires_exactly_from_the_models_threshold_on():
    enough = _quanta_to_fire()
    assert "does not fire" in warm_up_view(enough - 1).summary
    assert "fibre fires" in warm_up_view(enough).summary


@pytest.mark.parametrize("quanta", [MIN_QUANTA, MAX_QUANTA])
def test_slider_ends_draw_a_positive_bar(quanta):
    view = warm_up_view(quanta)
    assert view.traces[BAR]["y"][0] > 0


def test_one_packet_is_singular():
    assert warm_up_view(1).summary.startswith("1 packet gives ")


def test_zero_packets_is_refused_with_the_range():
    with pytest.raises(ValueError, match="quanta"):
        warm_up_explorer(quanta=0)
