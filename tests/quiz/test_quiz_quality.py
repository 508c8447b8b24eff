"""Quality of the shipped quiz bank (issue 9, item 3): answers that cannot be gamed.

Three checks over every lesson item file, read through the package's own loader
(which unseals the answer keys):

(a) **Length cue.** For single-choice items, how often is the correct option the
    strictly longest one? With four options a bank without a length cue puts the
    correct option at the top about a quarter of the time. The per-lesson figures are
    printed (``pytest -s``) and repeated in any failure message. Bound, and why: a
    lesson has 6–12 single-choice items; if the longest option were right by chance
    (p ≈ 0.25-0.33), more than half of them being right-and-longest happens in a few
    per cent of honest lessons (binomial tail), while a bank that habitually writes
    the careful, qualified correct answer as the long one lands at 60–100 %. So each
    lesson must stay at or below 50 % and never have every item longest; the whole
    bank, where chance is tighter (about 80 items, 1 SD ≈ 5 points), must stay at or
    below 40 %. The reverse cue counts too: a lesson with 10 or more single-choice
    items must not have the correct option *never* the longest.
(b) **Near-copies.** No two items anywhere in the bank (question plus option texts)
    are near-copies: the difflib ratio stays below ``NEAR_COPY_RATIO``. Lesson 07's
    final quiz must be new, so an L07 item against an earlier lesson's item is held to
    the stricter ``L07_COPY_RATIO``. The most similar pairs are printed.
(c) **Giveaway labels.** No option carries a label that marks it as the sourced or
    the model's answer, such as "(the model's explanation)" or "(reviews say …)".
"""

from __future__ import annotations

import itertools
import re
from difflib import SequenceMatcher

import pytest

from lems_course.quiz import _items

ITEMS_DIR = _items._PACKAGE_ITEMS_DIR

LESSON_LONGEST_MAX = 0.50
BANK_LONGEST_MAX = 0.40
REVERSE_CUE_MIN_ITEMS = 10
# Measured on the bank before the rewrite: items copied from one lesson into another
# (L03-Q7/L07-Q11, L02-Q1/L07-Q7, L02-Q7/L07-Q10, L03-Q3/L07-Q12) scored 0.69-0.86;
# unrelated items scored at most 0.50.
NEAR_COPY_RATIO = 0.65
L07_COPY_RATIO = 0.60

GIVEAWAY = re.compile(
    r"\((?:the\s+)?model'?s?\s+explanation\)"
    r"|\((?:most\s+)?reviews?\s+(?:say|said|agree)"
    r"|\(most reviews\)"
    r"|\((?:the\s+)?sources?\s+say"
    r"|\((?:the\s+)?course'?s?\s+(?:answer|explanation|view)\)",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def bank():
    """Every shipped item, keys unsealed, in lesson order."""
    items = _items.load_items(directory=ITEMS_DIR)
    assert items, f"no item files found in {ITEMS_DIR}"
    return items


def _single(items):
    return [item for item in items if item.kind == "single" and item.options]


def correct_is_strictly_longest(item) -> bool:
    answer = item.key["answer"]
    right = len(item.option(answer).text)
    others = [len(option.text) for option in item.options if option.key != answer]
    return all(right > length for length in others)


def longest_figures(items) -> dict[str, tuple[int, int]]:
    """Lesson → (items whose correct option is strictly longest, single-choice items)."""
    figures: dict[str, tuple[int, int]] = {}
    for item in _single(items):
        hits, total = figures.get(item.lesson, (0, 0))
        figures[item.lesson] = (hits + correct_is_strictly_longest(item), total + 1)
    return figures


def _format(figures) -> str:
    rows = [f"{lesson}: {hits}/{total} = {hits / total:.0%}"
            for lesson, (hits, total) in sorted(figures.items())]
    hits = sum(h for h, _ in figures.values())
    total = sum(t for _, t in figures.values())
    rows.append(f"bank: {hits}/{total} = {hits / total:.0%}")
    return "correct option strictly longest (single choice): " + "; ".join(rows)


def item_text(item) -> str:
    """Question and option texts, lower-cased with runs of space collapsed."""
    parts = [item.question] + [option.text for option in item.options]
    return re.sub(r"\s+", " ", " ".join(parts)).strip().lower()


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def close_enough(a: str, b: str, threshold: float) -> float | None:
    """The difflib ratio of two texts, or None when its cheap upper bounds
    (real_quick_ratio, quick_ratio) already show it is below ``threshold``."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    return matcher.ratio()


#: Pairs whose upper bound is below this are not compared in full (speed only).
SCREEN_RATIO = 0.45


def ranked_pairs(items):
    """(ratio, item, item) for every pair that may reach SCREEN_RATIO, most similar first."""
    texts = {item.id: item_text(item) for item in items}
    pairs = []
    for first, second in itertools.combinations(items, 2):
        ratio = close_enough(texts[first.id], texts[second.id], SCREEN_RATIO)
        if ratio is not None:
            pairs.append((ratio, first, second))
    return sorted(pairs, key=lambda pair: pair[0], reverse=True)


# ------------------------------------------------------------------ (a) length cue

def test_length_cue_per_lesson_stays_near_chance(bank):
    figures = longest_figures(bank)
    report = _format(figures)
    print("\n" + report)
    too_often = {lesson: (hits, total) for lesson, (hits, total) in figures.items()
                 if hits / total > LESSON_LONGEST_MAX or (total >= 3 and hits == total)}
    assert not too_often, (f"the correct option is the longest too often in "
                           f"{sorted(too_often)} (bound {LESSON_LONGEST_MAX:.0%} per "
                           f"lesson); {report}")
    # The reverse cue ("never pick the longest") is a giveaway too: with 10 or more
    # single-choice items, none right-and-longest happens by chance about 5 % of the time.
    never = sorted(lesson for lesson, (hits, total) in figures.items()
                   if total >= REVERSE_CUE_MIN_ITEMS and hits == 0)
    assert not never, (f"the correct option is never the longest in {never}, so "
                       f"'skip the longest' would work; {report}")


def test_length_cue_over_the_whole_bank_stays_near_chance(bank):
    figures = longest_figures(bank)
    hits = sum(h for h, _ in figures.values())
    total = sum(t for _, t in figures.values())
    assert total > 0
    assert hits / total <= BANK_LONGEST_MAX, _format(figures)


def test_length_cue_counter_sees_a_longest_answer():
    """The counter itself: a made-up item whose answer is longest counts, a tie does not."""
    def fake(answer, texts):
        options = tuple(_items.Option(key, text) for key, text in zip("abcd", texts, strict=False))
        return _items.Item(id="L99-Q1", kind="single", lesson="L99", objective="L99-O1",
                           question="?", facts=(), key={"answer": answer},
                           options=options)
    assert correct_is_strictly_longest(fake("b", ["aa", "bbbbbb", "cc", "dd"]))
    assert not correct_is_strictly_longest(fake("b", ["aaaaaa", "bbbbbb", "cc", "dd"]))
    assert not correct_is_strictly_longest(fake("a", ["aa", "bbbbbb", "cc", "dd"]))


# ------------------------------------------------------------------ (b) near-copies

def test_no_two_items_are_near_copies(bank):
    pairs = ranked_pairs(bank)
    if pairs:
        ratio, first, second = pairs[0]
        print(f"\nmost similar pair in the bank: {first.id} ~ {second.id}: {ratio:.2f}")
    copies = [(round(ratio, 2), first.id, second.id) for ratio, first, second in pairs
              if ratio >= NEAR_COPY_RATIO]
    assert copies == [], f"near-copies (ratio ≥ {NEAR_COPY_RATIO}): {copies}"


def test_lesson_07_final_quiz_is_new(bank):
    later = [item for item in bank if item.lesson == "L07"]
    earlier = [item for item in bank if item.lesson < "L07"]
    assert later and earlier, "need L07 items and earlier items"
    closest = []
    for new in later:
        a = item_text(new)
        for old in earlier:
            ratio = close_enough(a, item_text(old), SCREEN_RATIO)
            if ratio is not None:
                closest.append((ratio, new.id, old.id))
    closest.sort(reverse=True)
    if closest:
        ratio, new_id, old_id = closest[0]
        print(f"\nL07 item closest to an earlier lesson: {new_id} ~ {old_id}: {ratio:.2f}")
    else:
        print(f"\nno L07 item comes within {SCREEN_RATIO} of an earlier item")
    copies = [(round(r, 2), a, b) for r, a, b in closest if r >= L07_COPY_RATIO]
    assert copies == [], (f"L07 items too close to earlier items (ratio ≥ "
                          f"{L07_COPY_RATIO}): {copies}")


def test_near_copy_measure_catches_a_reworded_copy():
    original = ("what sets the amplitude of a single mepp? the number of vesicles "
                "released per impulse the response of the muscle to one quantum")
    reworded = ("what decides the height of one mepp? how many vesicles are "
                "released per impulse the muscle's response to one quantum")
    unrelated = ("a patient scores 4 on delta-p with a negative ct; when is the next "
                 "scan? at 3 months after one year never")
    assert similarity(original, reworded) >= NEAR_COPY_RATIO
    assert similarity(original, unrelated) < L07_COPY_RATIO


# ------------------------------------------------------------------ (c) giveaways

def test_no_option_carries_a_giveaway_label(bank):
    flagged = [(item.id, option.key, option.text) for item in bank
               for option in item.options if GIVEAWAY.search(option.text)]
    assert flagged == [], f"options that label themselves: {flagged}"


@pytest.mark.parametrize("text", [
    "Because the channels must be rebuilt (the model's explanation)",
    "About 50 % (reviews say 50–60 %)",
    "62 % (most reviews)",
])
def test_giveaway_pattern_catches_known_labels(text):
    assert GIVEAWAY.search(text)


def test_giveaway_pattern_leaves_plain_options_alone():
    assert not GIVEAWAY.search("Treat the cancer first; 3,4-DAP can ease the weakness")
