"""DELTA-P score, published risk tables and screening schedule (F4.6-2…F4.6-7)."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lems_course import clinic
from lems_course.clinic import (
    DELTA_P_ITEMS,
    delta_p_risk,
    delta_p_risk_range,
    delta_p_score,
    screening_plan,
)

ITEM_NAMES = [name for name, _label, _fact in DELTA_P_ITEMS]
NONE_PRESENT = dict.fromkeys(ITEM_NAMES, False)


# --- the score -------------------------------------------------------------------

def test_delta_p_items_are_the_six_published_items_in_order():
    assert [fact for _name, _label, fact in DELTA_P_ITEMS] == [
        "F4.6-2a", "F4.6-2b", "F4.6-2c", "F4.6-2d", "F4.6-2e", "F4.6-2f"]
    assert all(label for _name, label, _fact in DELTA_P_ITEMS)


def test_delta_p_items_match_the_score_arguments():
    parameters = inspect.signature(delta_p_score).parameters
    assert list(parameters) == ITEM_NAMES
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())


def test_score_is_zero_with_no_item_and_six_with_all():
    assert delta_p_score(**NONE_PRESENT) == 0
    assert delta_p_score(**dict.fromkeys(ITEM_NAMES, True)) == 6


@given(st.fixed_dictionaries({name: st.booleans() for name in ITEM_NAMES}))
def test_score_counts_one_point_per_item_present(answers):
    # F4.6-2: one point each
    score = delta_p_score(**answers)
    assert score == sum(answers.values())
    assert type(score) is int


def test_score_refuses_positional_arguments():
    with pytest.raises(TypeError):
        delta_p_score(True, True, True, True, True, True)  # type: ignore[misc]


@pytest.mark.parametrize("name", ITEM_NAMES)
@pytest.mark.parametrize("bad", ["yes", 1, None, 0.0])
def test_score_refuses_a_non_bool_answer_and_names_it(name, bad):
    answers = {**NONE_PRESENT, name: bad}
    with pytest.raises(TypeError, match=name):
        delta_p_score(**answers)


def test_score_docstring_says_sox1_is_not_an_item():
    # F4.6-3: SOX1 predicted SCLC independently but is not part of the score
    assert "SOX1" in delta_p_score.__doc__ and "F4.6-3" in delta_p_score.__doc__
    assert not any("sox" in name for name in ITEM_NAMES)


# --- the published risk tables -----------------------------------------------------

@pytest.mark.parametrize(("score", "percent"), [(4, 93.5), (5, 96.6), (6, 100.0)])
def test_derivation_risk_matches_titulaer_2011(score, percent):
    # F4.6-5
    assert delta_p_risk(score) == percent
    assert delta_p_risk(score, "derivation") == percent
    assert delta_p_risk_range(score, "derivation") == (percent, percent)


@pytest.mark.parametrize("score", [0, 1])
def test_derivation_scores_zero_and_one_give_the_published_range(score):
    # F4.6-5: "score 0–1 → 0–2.6 %"; the single number is the upper bound
    assert delta_p_risk(score) == 2.6
    assert delta_p_risk_range(score) == (0.0, 2.6)


@pytest.mark.parametrize("score", [2, 3])
def test_derivation_scores_two_and_three_are_unpublished(score):
    assert delta_p_risk(score, "derivation") is None
    assert delta_p_risk_range(score, "derivation") is None


@pytest.mark.parametrize(("score", "percent"), list(enumerate(
    [0.0, 18.8, 45.0, 55.5, 85.7, 87.5, 100.0])))
def test_validation_risk_matches_maddison_2020(score, percent):
    # F4.6-6
    assert delta_p_risk(score, cohort="validation") == percent
    assert delta_p_risk_range(score, cohort="validation") == (percent, percent)


def test_validation_risk_rises_with_score():
    risks = [delta_p_risk(score, "validation") for score in range(7)]
    assert risks == sorted(risks)


@pytest.mark.parametrize("function", [delta_p_risk, delta_p_risk_range, screening_plan])
@pytest.mark.parametrize(("bad", "error"), [
    (7, ValueError), (-1, ValueError), (2.5, TypeError), ("3", TypeError),
    (True, TypeError), (None, TypeError)])
def test_bad_score_is_refused_with_its_name_and_range(function, bad, error):
    with pytest.raises(error, match=r"score.*\[0, 6\]"):
        function(bad)


@pytest.mark.parametrize("function", [delta_p_risk, delta_p_risk_range])
@pytest.mark.parametrize("bad", ["Derivation", "2011", "", None])
def test_unknown_cohort_is_refused_listing_both(function, bad):
    with pytest.raises((ValueError, TypeError), match="cohort") as caught:
        function(3, cohort=bad)
    assert "'derivation'" in str(caught.value) and "'validation'" in str(caught.value)


def test_every_cohort_has_a_fact_and_a_label():
    assert set(clinic.COHORT_FACTS) == set(clinic.COHORTS) == set(clinic.COHORT_LABELS)
    for cohort, fact in clinic.COHORT_FACTS.items():
        assert fact in clinic.COHORT_LABELS[cohort]


# --- screening -------------------------------------------------------------------

@pytest.mark.parametrize(("score", "months", "fact"), [
    (0, (0, 6), "F4.6-7c"),
    (1, (0, 6), "F4.6-7c"),
    (2, (0, 6, 12, 18, 24), "F4.6-7b"),
    (3, (0, 3, 6, 12, 18, 24), "F4.6-7a"),
    (6, (0, 3, 6, 12, 18, 24), "F4.6-7a"),
])
def test_screening_plan_follows_the_score(score, months, fact):
    plan = screening_plan(score)
    assert plan.months == months
    assert fact in plan.facts and fact in plan.text


@pytest.mark.parametrize("score", range(7))
def test_screening_plan_text_names_ct_then_pet(score):
    plan = screening_plan(score)
    assert "CT" in plan.text and "FDG-PET" in plan.text
    assert {"F4.7-1c", "F4.7-2"} <= set(plan.facts)
    assert "F4.6-7" in plan.text
    assert plan.months[0] == 0 and list(plan.months) == sorted(set(plan.months))


@pytest.mark.parametrize("score", range(7))
def test_no_plan_screens_beyond_two_years(score):
    # "In LEMS, screening for 2 years is sufficient" (F4.7-2).
    assert max(screening_plan(score).months) <= 24


def test_higher_scores_are_screened_at_least_as_often():
    counts = [len(screening_plan(score).months) for score in range(7)]
    assert counts == sorted(counts)


def test_screening_plan_is_frozen():
    plan = screening_plan(4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.months = ()  # type: ignore[misc]
