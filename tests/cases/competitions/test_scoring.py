"""competitions.scoring against hand-computed examples: the arithmetic is written out next to each one."""

import math
import random
import statistics
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.competitions import scoring
from cases.competitions.scoring import (
    Criterion,
    EntryResult,
    RoundResults,
    Score,
    advancing,
    award_levels,
    compute_round,
    judge_totals,
)

ONE = [Criterion(id=1, max_points=100)]  # a single criterion, weight 1: points = total


def grid(table, criterion=1):
    """{entry: {judge: points}} → scores on one criterion."""
    return [Score(e, j, criterion, p) for e, by_judge in table.items() for j, p in by_judge.items()]


def by_entry(results: RoundResults) -> dict[int, EntryResult]:
    return {r.entry: r for r in results.entries}


def ranks(results: RoundResults) -> list[tuple[int, int, str | None]]:
    return [(r.entry, r.rank, r.decided_by) for r in results.entries]


# --- totals and weights -------------------------------------------------------------------------------------


def test_judge_total_is_points_times_weight():
    criteria = [
        Criterion(1, max_points=10, weight=2),
        Criterion(2, max_points=10),  # weight defaults to 1
        Criterion(3, max_points=Decimal("10"), weight=Decimal("0.5")),
        Criterion(4, max_points=Decimal("10"), weight=Decimal("1.5")),
    ]
    scores = [
        Score(1, 7, 1, 8),
        Score(1, 7, 2, 6),
        Score(1, 7, 3, Decimal("4")),
        Score(1, 7, 4, Decimal("7.5")),
        # judge 8 skipped criteria 3 and 4: their total covers what they scored
        Score(1, 8, 1, 5),
        Score(1, 8, 2, Decimal("9.5")),
    ]
    # judge 7: 8×2 + 6×1 + 4×0.5 + 7.5×1.5 = 16 + 6 + 2 + 11.25 = 35.25
    # judge 8: 5×2 + 9.5×1 = 19.5
    assert judge_totals(scores, criteria) == {(1, 7): pytest.approx(35.25), (1, 8): pytest.approx(19.5)}
    results = compute_round(scores, criteria)
    assert results.max_total == pytest.approx(10 * 2 + 10 + 10 * 0.5 + 10 * 1.5)  # 50
    (entry,) = results.entries
    assert entry.totals == {7: pytest.approx(35.25), 8: pytest.approx(19.5)}
    assert entry.mean == pytest.approx((35.25 + 19.5) / 2)  # 27.375


def test_totals_reached_in_a_different_order_are_equal():
    criteria = [Criterion(c, max_points=1) for c in (1, 2, 3)]
    # 0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in the last bit as floats; the totals must still be equal
    scores = [Score(1, 1, c, p) for c, p in ((1, 0.1), (2, 0.2), (3, 0.3))]
    scores += [Score(2, 1, c, p) for c, p in ((3, 0.3), (2, 0.2), (1, 0.1))]
    totals = judge_totals(scores, criteria)
    assert totals[(1, 1)] == totals[(2, 1)]


@pytest.mark.parametrize(
    "scores, message",
    [
        ([Score(1, 1, 9, 5)], "unknown criterion 9"),
        ([Score(1, 1, 1, 5), Score(1, 1, 1, 6)], "twice"),
        ([Score(1, 1, 1, 101)], "outside"),
        ([Score(1, 1, 1, -1)], "outside"),
    ],
)
def test_bad_scores_are_refused(scores, message):
    with pytest.raises(ValueError, match=message):
        compute_round(scores, ONE)


def test_bad_method_and_criteria_are_refused():
    with pytest.raises(ValueError, match="method"):
        compute_round([], ONE, method="median")
    with pytest.raises(ValueError, match="twice"):
        compute_round([], [Criterion(1, 10), Criterion(1, 10)])
    with pytest.raises(ValueError, match="negative weight"):
        compute_round([], [Criterion(1, 10, weight=-1)])


# --- aggregation ----------------------------------------------------------------------------------------------


def test_mean_and_trimmed_with_five_judges():
    results = compute_round(grid({1: {1: 70, 2: 80, 3: 90, 4: 85, 5: 60}}), ONE, method="trimmed")
    (entry,) = results.entries
    # mean = (70 + 80 + 90 + 85 + 60) / 5 = 385 / 5 = 77
    assert entry.mean == pytest.approx(77)
    # trimmed drops one highest (90) and one lowest (60): (70 + 80 + 85) / 3 = 235 / 3 = 78.333…
    assert entry.trimmed == pytest.approx(235 / 3)
    assert entry.aggregate == entry.trimmed
    assert entry.judges == 5
    assert entry.lowest_total == 60


def test_trimmed_drops_only_one_of_equal_extremes():
    (entry,) = compute_round(grid({1: {1: 90, 2: 90, 3: 80, 4: 60, 5: 60}}), ONE).entries
    # drop one 90 and one 60: (90 + 80 + 60) / 3 = 230 / 3 = 76.666…
    assert entry.trimmed == pytest.approx(230 / 3)


def test_trimmed_with_four_judges_is_the_mean():
    (entry,) = compute_round(grid({1: {1: 70, 2: 80, 3: 90, 4: 60}}), ONE, method="trimmed").entries
    # fewer than 5 judges: nothing is dropped; (70 + 80 + 90 + 60) / 4 = 300 / 4 = 75
    assert entry.mean == pytest.approx(75)
    assert entry.trimmed == pytest.approx(75)
    assert entry.aggregate == pytest.approx(75)


def test_zscore_two_judges_three_entries_with_a_flat_judge():
    #            entry 1  entry 2  entry 3
    # judge 1:      60       70       80   μ = 70, σ = √((100 + 0 + 100) / 3) = √(200/3) ≈ 8.165
    # judge 2:      50       50       50   σ = 0 → z = 0 for every score
    results = compute_round(grid({1: {1: 60, 2: 50}, 2: {1: 70, 2: 50}, 3: {1: 80, 2: 50}}), ONE, method="zscore")
    sigma1 = math.sqrt(200 / 3)
    # judge 1's z: −10/σ, 0, +10/σ; entry mean z = (z₁ + 0) / 2 → −5/σ, 0, +5/σ
    # panel: 60 + 70 + 80 + 50 + 50 + 50 = 360 → mean 60; deviations 0, 10, 20, −10, −10, −10
    #        → squares 0 + 100 + 400 + 100 + 100 + 100 = 800 → sd = √(800/6) = √(400/3) ≈ 11.547
    panel_sd = math.sqrt(800 / 6)
    assert results.panel_mean == pytest.approx(60)
    assert results.panel_sd == pytest.approx(panel_sd)
    # entry 1: 60 − (5/σ)·panel_sd = 60 − 5·√(3/200 · 400/3) = 60 − 5√2 ≈ 52.929
    # entry 3: 60 + 5√2 ≈ 67.071; entry 2: 60
    zscores = {r.entry: r.zscore for r in results.entries}
    assert zscores == {
        1: pytest.approx(60 - 5 * math.sqrt(2)),
        2: pytest.approx(60),
        3: pytest.approx(60 + 5 * math.sqrt(2)),
    }
    assert zscores[1] == pytest.approx(60 - 5 / sigma1 * panel_sd)
    # the plain means for comparison: 55, 60, 65
    assert {r.entry: r.mean for r in results.entries} == {1: 55, 2: 60, 3: 65}
    assert [r.entry for r in results.entries] == [3, 2, 1]
    assert all(r.aggregate == r.zscore for r in results.entries)
    calibration = {j.judge: j for j in results.judges}
    assert calibration[1].sd == pytest.approx(sigma1)
    assert calibration[2].sd == 0


def test_zscore_judge_with_a_single_score_counts_as_zero():
    # judge 1: entry 1 = 40, entry 2 = 60 → μ = 50, σ = 10 → z = −1, +1
    # judge 2: only entry 1 = 90 → one score → z = 0
    results = compute_round(grid({1: {1: 40, 2: 90}, 2: {1: 60}}), ONE, method="zscore")
    # panel: 40, 60, 90 → mean 190/3; deviations −70/3, −10/3, 80/3 → squares (4900 + 100 + 6400)/9 = 11400/9
    #        → population variance 11400/27 → sd ≈ 20.548
    panel_mean, panel_sd = 190 / 3, math.sqrt(11400 / 27)
    e = by_entry(results)
    assert e[1].zscore == pytest.approx(panel_mean + (-1 + 0) / 2 * panel_sd)  # ≈ 53.059
    assert e[2].zscore == pytest.approx(panel_mean + 1 * panel_sd)  # ≈ 83.881


def test_zscore_with_a_flat_panel_is_the_panel_mean():
    # every total is 70: panel sd 0 → every entry reads just the panel mean
    results = compute_round(grid({1: {1: 70, 2: 70}, 2: {1: 70, 2: 70}}), ONE, method="zscore")
    assert results.panel_sd == 0
    assert [r.zscore for r in results.entries] == [70, 70]


def test_flat_judge_with_inexact_floats_still_gives_zero():
    # 0.1 + 0.1 + 0.1 is not exactly 3 × 0.1 in floats: a naive σ would be ~1e-17 and z would blow up to ±1
    criteria = [Criterion(c, max_points=1) for c in (1, 2, 3)]
    scores = [Score(e, 1, c, 0.1) for e in (1, 2, 3) for c in (1, 2, 3)]
    scores += [Score(e, 2, 1, p) for e, p in ((1, 0.2), (2, 0.5), (3, 0.8))]
    results = compute_round(scores, criteria, method="zscore")
    assert {j.judge: j.sd for j in results.judges}[1] == 0


def test_all_three_aggregates_are_computed_and_method_picks_the_ranking():
    # entry 1: 70, 80, 90, 85, 60 → mean 77, trimmed 78.333…
    # entry 2: 78 × 5             → mean 78, trimmed 78
    table = {1: {1: 70, 2: 80, 3: 90, 4: 85, 5: 60}, 2: {j: 78 for j in range(1, 6)}}
    by_mean = compute_round(grid(table), ONE, method="mean")
    by_trimmed = compute_round(grid(table), ONE, method="trimmed")
    assert [r.entry for r in by_mean.entries] == [2, 1]
    assert [r.entry for r in by_trimmed.entries] == [1, 2]
    for results in (by_mean, by_trimmed):
        e = by_entry(results)
        assert (e[1].mean, e[1].trimmed) == (pytest.approx(77), pytest.approx(235 / 3))
        assert (e[2].mean, e[2].trimmed) == (pytest.approx(78), pytest.approx(78))
    assert by_mean.method == "mean"
    assert by_trimmed.method == "trimmed"


def test_criterion_means_per_entry():
    criteria = [Criterion(1, 10), Criterion(2, 10, weight=2)]
    scores = [
        Score(1, 1, 1, 8),
        Score(1, 1, 2, 6),
        Score(1, 2, 1, 7),
        Score(1, 2, 2, 9),
        Score(1, 3, 1, Decimal("9")),  # judge 3 left criterion 2 unscored
    ]
    (entry,) = compute_round(scores, criteria).entries
    # criterion 1: (8 + 7 + 9) / 3 = 8; criterion 2: (6 + 9) / 2 = 7.5 (only the judges who scored it)
    assert entry.criterion_means == {1: pytest.approx(8), 2: pytest.approx(7.5)}
    assert list(entry.criterion_means) == [1, 2]  # in the order the criteria are listed


# --- ranking and tie-breaks -----------------------------------------------------------------------------------


def test_shared_ranks_are_standard_competition_ranking():
    results = compute_round(grid({1: {1: 90}, 2: {1: 80}, 3: {1: 80}, 4: {1: 70}}), ONE)
    assert ranks(results) == [(1, 1, None), (2, 2, "aggregate"), (3, 2, "shared"), (4, 4, "aggregate")]


def test_tie_break_key_criterion():
    # key criterion: 1 (weight 2). entry 1: 8×2 + 4 = 20; entry 2: 7×2 + 6 = 20 → same aggregate
    # key criterion means: 8 > 7 → entry 1 first
    criteria = [Criterion(1, 10, weight=2), Criterion(2, 10)]
    scores = [Score(1, 1, 1, 8), Score(1, 1, 2, 4), Score(2, 1, 1, 7), Score(2, 1, 2, 6)]
    results = compute_round(scores, criteria)
    assert results.key_criterion == 1
    assert ranks(results) == [(1, 1, None), (2, 2, "key_criterion")]


@pytest.mark.parametrize("order, key, winner", [((1, 2), 1, 1), ((2, 1), 2, 2)])
def test_tie_break_key_criterion_is_the_first_listed_of_equal_weights(order, key, winner):
    # criteria 1 and 2 both weigh 2, criterion 3 weighs 1
    # entry 1: 8×2 + 5×2 + 2 = 28; entry 2: 7×2 + 6×2 + 2 = 28 → same aggregate
    # key = criterion 1 (listed first) → entry 1 (8 > 7); key = criterion 2 → entry 2 (6 > 5)
    weights = {1: 2, 2: 2}
    criteria = [Criterion(c, 10, weight=weights[c]) for c in order] + [Criterion(3, 10)]
    scores = [Score(1, 1, 1, 8), Score(1, 1, 2, 5), Score(1, 1, 3, 2)]
    scores += [Score(2, 1, 1, 7), Score(2, 1, 2, 6), Score(2, 1, 3, 2)]
    results = compute_round(scores, criteria)
    assert results.key_criterion == key
    assert results.entries[0].entry == winner
    assert results.entries[1].decided_by == "key_criterion"


def test_aggregates_are_compared_at_two_decimals():
    # 80.004 and 80.001 both show as 80.00: the aggregate does not decide, the next tie-break does
    # (one criterion, so its mean is the total: 80.004 > 80.001)
    results = compute_round(grid({1: {1: 80.001}, 2: {1: 80.004}}), ONE)
    assert ranks(results) == [(2, 1, None), (1, 2, "key_criterion")]
    # 80.01 vs 80.00 does decide
    results = compute_round(grid({1: {1: 80.0}, 2: {1: 80.01}}), ONE)
    assert ranks(results) == [(2, 1, None), (1, 2, "aggregate")]


def test_tie_break_lowest_total():
    # entry 1: 70, 80 → mean 75, lowest 70; entry 2: 60, 90 → mean 75, lowest 60
    # one criterion, so the key criterion means are the means too (75 = 75)
    results = compute_round(grid({1: {1: 60, 2: 90}, 2: {1: 70, 2: 80}}), ONE)
    assert ranks(results) == [(2, 1, None), (1, 2, "lowest_total")]


def test_tie_break_judge_count():
    # entry 1: 70, 80 → mean 75, lowest 70, 2 judges; entry 2: 70, 80, 75 → mean 75, lowest 70, 3 judges
    results = compute_round(grid({1: {1: 70, 2: 80}, 2: {1: 70, 2: 80, 3: 75}}), ONE)
    assert ranks(results) == [(2, 1, None), (1, 2, "judge_count")]


def test_each_tie_break_in_one_round():
    # entry 1: 90             → first on the aggregate
    # entries 2–6 all mean 80:
    #   entry 2: 80, 80, 80   → lowest 80, 3 judges
    #   entry 3: 80, 80       → lowest 80, 2 judges  (judge count)
    #   entry 4: 70, 90       → lowest 70            (lowest total)
    #   entry 5: 70, 90       → the same as entry 4  (shared)
    #   entry 6: 60, 100      → lowest 60            (lowest total)
    # entry 7: 50             → aggregate
    table = {
        1: {1: 90},
        2: {1: 80, 2: 80, 3: 80},
        3: {1: 80, 2: 80},
        4: {1: 70, 2: 90},
        5: {1: 70, 2: 90},
        6: {1: 60, 2: 100},
        7: {1: 50},
    }
    results = compute_round(grid(table), ONE)
    assert ranks(results) == [
        (1, 1, None),
        (2, 2, "aggregate"),
        (3, 3, "judge_count"),
        (4, 4, "lowest_total"),
        (5, 4, "shared"),
        (6, 6, "lowest_total"),
        (7, 7, "aggregate"),
    ]


# --- calibration ----------------------------------------------------------------------------------------------


def test_judge_calibration_and_severity():
    #            entry 1  entry 2
    # judge 1:      60       50
    # judge 2:      70       70
    # judge 3:      80       90
    results = compute_round(grid({1: {1: 60, 2: 70, 3: 80}, 2: {1: 50, 2: 70, 3: 90}}), ONE)
    judges = {j.judge: j for j in results.judges}
    # judge 1: entry 1: 60 − (70 + 80)/2 = −15; entry 2: 50 − (70 + 90)/2 = −30 → severity (−15 − 30)/2 = −22.5
    # judge 2: 70 − (60 + 80)/2 = 0; 70 − (50 + 90)/2 = 0 → 0
    # judge 3: 80 − (60 + 70)/2 = 15; 90 − (50 + 70)/2 = 30 → 22.5
    assert {j: c.severity for j, c in judges.items()} == {
        1: pytest.approx(-22.5),
        2: pytest.approx(0),
        3: pytest.approx(22.5),
    }
    # judge 1: mean (60 + 50)/2 = 55, population sd √((25 + 25)/2) = 5; judge 2: 70, sd 0; judge 3: 85, 5
    assert [(c.judge, c.count, c.mean, c.sd) for c in results.judges] == [
        (1, 2, pytest.approx(55), pytest.approx(5)),
        (2, 2, pytest.approx(70), 0),
        (3, 2, pytest.approx(85), pytest.approx(5)),
    ]
    assert results.outliers == set()  # only 2 other judges on each entry


def test_severity_is_none_for_a_judge_who_never_shared_an_entry():
    results = compute_round(grid({1: {1: 60, 2: 80}, 2: {3: 90}}), ONE)
    judges = {j.judge: j for j in results.judges}
    assert judges[3].severity is None
    assert judges[3].count == 1
    assert judges[1].severity == pytest.approx(-20)  # 60 − 80


def test_outlier_fires_beyond_two_sd_of_the_others():
    # others on entry 1: 70, 72, 74 → mean 72, sample sd √((4 + 0 + 4)/2) = 2 → limit 2 × 2 = 4
    # judge 4 gives 77: |77 − 72| = 5 > 4 → 偏差过大
    # (with 77 included, it would sit only (77 − 73.25)/sd(70, 72, 74, 77) = 3.75/2.99 ≈ 1.25 sd out)
    # the others, each against the remaining three, stay within bounds, e.g. judge 1: 70 vs 72, 74, 77
    # → mean 74.33, sd √((5.44 + 0.11 + 7.11)/2) ≈ 2.52, |70 − 74.33| = 4.33 < 5.03
    results = compute_round(grid({1: {1: 70, 2: 72, 3: 74, 4: 77}}), ONE)
    assert results.outliers == {(1, 4)}


@pytest.mark.parametrize("points", [75.99, 76])
def test_outlier_does_not_fire_at_or_just_under_two_sd(points):
    # others 70, 72, 74: limit 4 as above. 75.99 → 3.99 < 4; 76 → exactly 4, not "more than" → no flag
    results = compute_round(grid({1: {1: 70, 2: 72, 3: 74, 4: points}}), ONE)
    assert (1, 4) not in results.outliers


def test_outlier_when_the_others_agree_exactly():
    # one criterion worth 50 × weight 2 → maximum total 100 → 10 % = 10
    # others 70, 70, 70 (sd 0): 81 → |81 − 70| = 11 > 10 → flag; 79 → 9 → no; 80 → exactly 10 → no
    criteria = [Criterion(1, max_points=50, weight=2)]
    table = {
        1: {1: 35, 2: 35, 3: 35, 4: 40.5},  # totals 70, 70, 70, 81
        2: {1: 35, 2: 35, 3: 35, 4: 39.5},  # totals 70, 70, 70, 79
        3: {1: 35, 2: 35, 3: 35, 4: 40},  # totals 70, 70, 70, 80
    }
    results = compute_round(grid(table), criteria)
    assert results.max_total == 100
    # the judges giving 70 compare against e.g. 70, 70, 81: sd √(80.67/2) ≈ 6.35, |70 − 73.67| ≈ 3.67 → no
    assert results.outliers == {(1, 4)}


def test_outlier_exactly_at_the_flat_limit_with_five_others():
    # others 70 × 5, judge 6 gives 80: |80 − 70| = 10, exactly 10 % of 100 → not flagged. The mean of all six
    # (430/6 = 71.666…) is inexact in floats, so the difference must not be derived from it.
    results = compute_round(grid({1: {1: 70, 2: 70, 3: 70, 4: 70, 5: 70, 6: 80}}), ONE)
    assert results.outliers == set()
    results = compute_round(grid({1: {1: 70, 2: 70, 3: 70, 4: 70, 5: 70, 6: 80.5}}), ONE)
    assert results.outliers == {(1, 6)}


def test_no_outlier_with_fewer_than_three_other_judges():
    # judge 3's 100 is far from 70, 70 but only 2 others scored: never flagged
    results = compute_round(grid({1: {1: 70, 2: 70, 3: 100}}), ONE)
    assert results.outliers == set()


# the suite's autouse cache fixture is harmless across hypothesis examples
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40).map(lambda n: n / 2), min_size=1, max_size=8),
        min_size=1,
        max_size=6,
    )
)
def test_leave_one_out_matches_the_direct_computation(table):
    """The O(n) leave-one-out formulas agree with computing the others' mean and sd directly."""
    scores = grid({e: dict(enumerate(points)) for e, points in enumerate(table)})
    criteria = [Criterion(1, max_points=20)]
    results = compute_round(scores, criteria)
    expected_outliers = set()
    deviations: dict[int, list[float]] = {}
    for e, points in enumerate(table):
        for j, x in enumerate(points):
            others = points[:j] + points[j + 1 :]
            if not others:
                continue
            m = sum(others) / len(others)
            deviations.setdefault(j, []).append(x - m)
            if len(others) < 3:
                continue
            if len(set(others)) == 1:
                limit = 0.1 * 20
            else:
                limit = 2 * math.sqrt(sum((o - m) ** 2 for o in others) / (len(others) - 1))
            # exactly at the limit is "not more than": the direct float arithmetic here may land either side
            if abs(x - m) > limit and not math.isclose(abs(x - m), limit, abs_tol=1e-9):
                expected_outliers.add((e, j))
    assert results.outliers == expected_outliers
    severity = {c.judge: c.severity for c in results.judges}
    for j, devs in deviations.items():
        assert severity[j] == pytest.approx(sum(devs) / len(devs))


# --- advancement ----------------------------------------------------------------------------------------------


@pytest.fixture
def tied_round():
    # totals 90, 80, 80, 70, 60 → ranks 1, 2, 2, 4, 5
    results = compute_round(grid({1: {1: 90}, 2: {1: 80}, 3: {1: 80}, 4: {1: 70}, 5: {1: 60}}), ONE)
    assert [r.rank for r in results.entries] == [1, 2, 2, 4, 5]
    return results


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, set()),
        (1, {1}),
        (2, {1, 2, 3}),  # the cut falls inside the tie at rank 2: both advance
        (3, {1, 2, 3}),
        (4, {1, 2, 3, 4}),
        (9, {1, 2, 3, 4, 5}),
        (Decimal("2.00"), {1, 2, 3}),  # as stored in a DecimalField
    ],
)
def test_advancing_top_n(tied_round, n, expected):
    assert advancing(tied_round, "top_n", n) == expected


@pytest.mark.parametrize(
    "percent, expected",
    [
        (10, {1}),  # ⌈10 % × 5⌉ = ⌈0.5⌉ = 1
        (20, {1}),  # ⌈1.0⌉ = 1
        (40, {1, 2, 3}),  # ⌈2.0⌉ = 2: rank 2 is shared, both advance
        (Decimal("50"), {1, 2, 3}),  # ⌈2.5⌉ = 3
        (70, {1, 2, 3, 4}),  # ⌈3.5⌉ = 4
        (100, {1, 2, 3, 4, 5}),
    ],
)
def test_advancing_top_percent(tied_round, percent, expected):
    assert advancing(tied_round, "top_percent", percent) == expected


@pytest.mark.parametrize(
    "threshold, expected",
    [
        (80, {1, 2, 3}),  # at least 80, inclusive: the tied 80s both advance
        (Decimal("80.01"), {1}),
        (60, {1, 2, 3, 4, 5}),
        (95, set()),
    ],
)
def test_advancing_min_score(tied_round, threshold, expected):
    assert advancing(tied_round, "min_score", threshold) == expected


def test_min_score_reads_the_aggregate_as_displayed():
    # 79.996 shows as 80.00 and passes a threshold of 80
    results = compute_round(grid({1: {1: 79.996}}), ONE)
    assert advancing(results, "min_score", 80) == {1}


def test_advancing_refuses_bad_rules(tied_round):
    with pytest.raises(ValueError, match="unknown advancement rule"):
        advancing(tied_round, "best", 3)
    with pytest.raises(ValueError):
        advancing(tied_round, "top_n", 2.5)
    with pytest.raises(ValueError):
        advancing(tied_round, "top_percent", 120)


# --- awards ---------------------------------------------------------------------------------------------------

LEVELS = [("一等奖", 2), ("二等奖", 3), ("三等奖", 5)]


def test_awards_by_quota():
    # 12 entries, totals 100, 99, …, 89 → ranks 1–12 without ties
    results = compute_round(grid({e: {1: 101 - e} for e in range(1, 13)}), ONE)
    awards = award_levels(results, LEVELS)
    assert awards == {
        1: "一等奖",
        2: "一等奖",
        3: "二等奖",
        4: "二等奖",
        5: "二等奖",
        **{e: "三等奖" for e in range(6, 11)},
    }  # entries 11 and 12: no award


def test_awards_tie_at_a_boundary_lifts_the_tied_entries():
    # totals: entry 1 = 100, entries 2 and 3 = 95 (ranks 1, 2, 2), then 90, 89, … → ranks 4, 5, …
    table = {1: {1: 100}, 2: {1: 95}, 3: {1: 95}, **{e: {1: 94 - e} for e in range(4, 13)}}
    results = compute_round(grid(table), ONE)
    assert [r.rank for r in results.entries] == list(range(1, 2)) + [2, 2] + list(range(4, 13))
    awards = award_levels(results, LEVELS)
    # 一等奖 quota 2, but ranks 1, 2, 2 → three 一等奖; 二等奖 covers places up to 2 + 3 = 5 → ranks 4, 5 only
    # (its quota shrinks to 2); 三等奖 places 6–10 → ranks 6–10
    assert [e for e, level in awards.items() if level == "一等奖"] == [1, 2, 3]
    assert [e for e, level in awards.items() if level == "二等奖"] == [4, 5]
    assert [e for e, level in awards.items() if level == "三等奖"] == [6, 7, 8, 9, 10]
    assert 11 not in awards


def test_awards_tie_at_the_last_boundary_extends_the_last_level():
    # ranks 1, 2, 3, 3 with levels of 1 and 2: places 1 → A; places 2–3 → B, and rank 3 is shared → both B
    results = compute_round(grid({1: {1: 90}, 2: {1: 80}, 3: {1: 70}, 4: {1: 70}, 5: {1: 60}}), ONE)
    assert award_levels(results, [("A", 1), ("B", 2)]) == {1: "A", 2: "B", 3: "B", 4: "B"}


def test_awards_tie_can_swallow_a_whole_level():
    # ranks 1, 1, 1, 4: three share first → all A; B covers place 2 only, which nobody starts at; C from rank 4
    results = compute_round(grid({1: {1: 90}, 2: {1: 90}, 3: {1: 90}, 4: {1: 80}}), ONE)
    assert award_levels(results, [("A", 1), ("B", 1), ("C", 5)]) == {1: "A", 2: "A", 3: "A", 4: "C"}


# --- empty input and scale ------------------------------------------------------------------------------------


def test_empty_round():
    results = compute_round([], ONE, method="zscore")
    assert results.entries == []
    assert results.judges == []
    assert results.outliers == set()
    assert results.panel_mean is None
    assert judge_totals([], ONE) == {}
    assert advancing(results, "top_n", 3) == set()
    assert advancing(results, "top_percent", 50) == set()
    assert advancing(results, "min_score", 0) == set()
    assert award_levels(results, LEVELS) == {}
    assert compute_round([], []).key_criterion is None


def test_a_full_round_at_scale_follows_the_rules():
    """300 entries × 5 judges × 8 criteria = 12,000 scores, every figure checked against the rules worked out
    entry by entry in exact fractions. How fast it runs is for `make bench` (tests/perf/bench.py) to hold."""
    criteria = [Criterion(c, max_points=Decimal(10), weight=Decimal(1 + c % 3)) for c in range(1, 9)]
    key = 2  # the first of the criteria of the highest weight, 3
    rng = random.Random(300)
    scores = [
        Score(e, j, c.id, Decimal(rng.randint(0, 20)) / 2) for e in range(300) for j in range(5) for c in criteria
    ]
    totals = {}
    key_points = {}
    for s in scores:
        totals[s.entry, s.judge] = totals.get((s.entry, s.judge), 0) + Fraction(s.points) * (1 + s.criterion % 3)
        if s.criterion == key:
            key_points.setdefault(s.entry, []).append(Fraction(s.points))
    entries, judges = range(300), range(5)
    by_entry = {e: [totals[e, j] for j in judges] for e in entries}
    by_judge = {j: [totals[e, j] for e in entries] for j in judges}
    judge_mean_sd = {j: (statistics.mean(values), statistics.pstdev(values)) for j, values in by_judge.items()}
    panel_mean, panel_sd = statistics.mean(totals.values()), statistics.pstdev(totals.values())
    flat_limit = Fraction(10 * sum(1 + c % 3 for c in range(1, 9)), 10)  # a tenth of the highest total
    expected_outliers = set()
    for e, values in by_entry.items():
        for j, value in enumerate(values):
            others = values[:j] + values[j + 1 :]
            off = abs(value - statistics.mean(others))
            if len(set(others)) == 1:  # the others agree: their sd is 0
                flagged = off > flat_limit
            else:  # more than two sample sds of the others: off² > 4 s²
                flagged = off**2 > 4 * statistics.variance(others)
            if flagged:
                expected_outliers.add((e, j))
    assert 50 < len(expected_outliers) < 500  # the data has outliers, and not everywhere

    expected = {}
    for e, values in by_entry.items():
        z = statistics.fmean(float(value - judge_mean_sd[j][0]) / judge_mean_sd[j][1] for j, value in enumerate(values))
        expected[e] = {
            "mean": statistics.mean(values),
            "trimmed": statistics.mean(sorted(values)[1:-1]),  # 5 judges: one highest, one lowest dropped
            "zscore": float(panel_mean) + z * panel_sd,
        }

    for method in scoring.METHODS:
        results = compute_round(scores, criteria, method=method)
        assert [c.judge for c in results.judges] == list(judges)
        assert all(c.count == 300 for c in results.judges)
        assert results.outliers == expected_outliers
        assert len(results.entries) == 300
        for r in results.entries:
            assert (r.mean, r.trimmed, r.zscore) == pytest.approx(tuple(expected[r.entry].values()))
        # Best first by the displayed aggregate, then the key criterion's mean, then the lowest total; entries
        # equal on all of them share a rank (1, 2, 2, 4).
        order = {e: (round(expected[e][method], 2), statistics.mean(key_points[e]), min(by_entry[e])) for e in entries}
        expected_rank = {e: 1 + sum(order[other] > order[e] for other in entries) for e in entries}
        assert [(r.entry, r.rank) for r in results.entries] == sorted(
            expected_rank.items(), key=lambda item: (item[1], item[0])
        )
