"""Scoring for a case-competition round: aggregation, ranking, judge calibration, advancement and awards.

Pure Python over numbers and ids (no Django), so every result can be checked by hand and computed fast.
Points and weights may arrive as ``Decimal`` or ``float``; everything is computed in ``float``.

* A judge's **total** for an entry is Σ points × weight over the criteria that judge scored for it.
* Every entry gets three aggregates over its judges' totals, shown side by side to staff:

  - ``mean``: the arithmetic mean;
  - ``trimmed``: with at least 5 judges, the mean after dropping exactly one highest and one lowest total;
    with fewer judges, the plain mean;
  - ``zscore``: each judge's totals are standardised against that judge's own mean and population standard
    deviation over the round (a judge whose totals are all equal, or who scored once, gives z = 0); the
    entry's mean z is mapped back onto the points scale as ``panel_mean + mean_z × panel_sd`` (mean and
    population sd of every total in the round), so staff still read points.

  The round's ``method`` picks which of the three is the ``aggregate`` used for ranking.
* Ranking, best first, with the tie-breaks in this order: higher aggregate (compared after rounding to 2
  decimals, as displayed); higher mean points on the key criterion (the highest-weight criterion, the first
  listed if several share that weight); higher lowest single judge total; more judges; otherwise the
  entries share the rank (standard competition ranking: 1, 2, 2, 4). Each entry records which step decided
  its place against the entry just above it (``decided_by``).
* Calibration for staff: per judge their count, mean, sd and severity; per score an outlier flag.
* Advancement and award levels are read off the ranks, so tied entries are never split.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Number = Decimal | float | int
Method = Literal["mean", "trimmed", "zscore"]

METHODS: tuple[str, ...] = ("mean", "trimmed", "zscore")
TRIM_MIN_JUDGES = 5  # "trimmed" drops one highest and one lowest total only from this many judges up
AGGREGATE_PLACES = 2  # aggregates are compared as staff see them: rounded to 2 decimals
OUTLIER_SD_FACTOR = 2  # a score is "偏差过大" beyond this many sds of the other judges' totals
OUTLIER_MIN_OTHERS = 3  # fewer other judges than this: too little to judge a score against, never flagged
OUTLIER_FLAT_SHARE = 0.1  # others all agree (sd 0): flag beyond this share of the maximum possible total
OUTLIER_LABEL = "偏差过大"

# Totals are sums of float products, so the same total reached in a different order can differ in the last
# bit; rounding them (and the tie-break means) far below any real point step makes equal values compare
# equal, which ties and the "all equal → sd 0" rules rely on.
_NOISE_PLACES = 9
# Float slack when comparing a difference with an outlier limit, so a score exactly at the limit (e.g. others
# 70 × 5 and 80 against a limit of 10) is not flagged because of rounding in the last bit.
_TOLERANCE = 1e-9

# decided_by values: which comparison placed an entry below the one just above it.
DECIDED_AGGREGATE = "aggregate"
DECIDED_KEY_CRITERION = "key_criterion"
DECIDED_LOWEST_TOTAL = "lowest_total"
DECIDED_JUDGE_COUNT = "judge_count"
DECIDED_SHARED = "shared"
_DECIDERS = (DECIDED_AGGREGATE, DECIDED_KEY_CRITERION, DECIDED_LOWEST_TOTAL, DECIDED_JUDGE_COUNT)


@dataclass(frozen=True)
class Criterion:
    id: int
    max_points: Number
    weight: Number = 1


@dataclass(frozen=True)
class Score:
    entry: int
    judge: int
    criterion: int
    points: Number


@dataclass(frozen=True)
class EntryResult:
    entry: int
    judges: int  # how many judges scored this entry
    mean: float
    trimmed: float
    zscore: float
    aggregate: float  # the round method's value, unrounded; ranking compares it rounded to 2 decimals
    rank: int
    decided_by: str | None  # None for the first entry, else one of the DECIDED_* values
    criterion_means: dict[int, float]  # criterion id → mean points across the judges who scored it
    totals: dict[int, float]  # judge id → that judge's total
    lowest_total: float


@dataclass(frozen=True)
class JudgeCalibration:
    judge: int
    count: int  # entries scored
    mean: float  # mean total
    sd: float  # population sd of their totals (the σ_j used by the zscore method)
    # Mean of (their total − mean of the other judges' totals on the same entry): negative = harsher than
    # the rest of the panel. None when the judge never shared an entry with another judge.
    severity: float | None


@dataclass(frozen=True)
class RoundResults:
    method: str
    entries: list[EntryResult]  # in rank order
    judges: list[JudgeCalibration]  # by judge id
    outliers: frozenset[tuple[int, int]]  # (entry, judge) pairs flagged OUTLIER_LABEL
    key_criterion: int | None  # the criterion behind the "key_criterion" tie-break
    max_total: float  # Σ max_points × weight: the highest total a judge can give
    panel_mean: float | None  # mean of every total in the round (None when nothing was scored)
    panel_sd: float | None  # population sd of every total in the round


def _criteria_table(criteria: Iterable[Criterion]) -> tuple[dict[int, float], dict[int, float]]:
    weights: dict[int, float] = {}
    maxima: dict[int, float] = {}
    for c in criteria:
        if c.id in weights:
            raise ValueError(f"criterion {c.id} is listed twice")
        weight, max_points = float(c.weight), float(c.max_points)
        if not weight >= 0:
            raise ValueError(f"criterion {c.id} has a negative weight: {c.weight}")
        if not max_points >= 0:
            raise ValueError(f"criterion {c.id} has a negative maximum: {c.max_points}")
        weights[c.id] = weight
        maxima[c.id] = max_points
    return weights, maxima


def weighted_total(scored: Iterable[tuple[Number, Number]]) -> Number:
    """A judge's total for an entry from (points, weight) of each criterion they scored: Σ points × weight.

    The one place of this formula: the ranking here, the judge's score sheet (Assignment.total) and the highest
    total of a round (Round.max_total) all add up through it, in Decimal or float as given.
    """
    return sum(points * weight for points, weight in scored)


def _collect(scores: Iterable[Score], weights: dict[int, float], maxima: dict[int, float]):
    """One pass over the scores: judge totals, and per (entry, criterion) the sum and count of points."""
    sheets: dict[tuple[int, int], list[tuple[float, float]]] = {}  # (entry, judge) → [(points, weight)]
    crit_sum: dict[tuple[int, int], float] = {}
    crit_count: dict[tuple[int, int], int] = {}
    seen: set[tuple[int, int, int]] = set()
    for s in scores:
        criterion = s.criterion
        try:
            weight = weights[criterion]
        except KeyError:
            raise ValueError(f"score for entry {s.entry} by judge {s.judge}: unknown criterion {criterion}") from None
        key = (s.entry, s.judge, criterion)
        if key in seen:
            raise ValueError(f"judge {s.judge} scored criterion {criterion} of entry {s.entry} twice")
        seen.add(key)
        points = float(s.points)
        if not 0 <= points <= maxima[criterion]:
            raise ValueError(
                f"judge {s.judge} gave entry {s.entry} {s.points} points on criterion {criterion}, "
                f"outside 0–{maxima[criterion]:g}"
            )
        sheets.setdefault((s.entry, s.judge), []).append((points, weight))
        ec = (s.entry, criterion)
        crit_sum[ec] = crit_sum.get(ec, 0.0) + points
        crit_count[ec] = crit_count.get(ec, 0) + 1
    totals = {pair: round(weighted_total(sheet), _NOISE_PLACES) for pair, sheet in sheets.items()}
    return totals, crit_sum, crit_count


def judge_totals(scores: Iterable[Score], criteria: Iterable[Criterion]) -> dict[tuple[int, int], float]:
    """{(entry, judge): Σ points × weight over the criteria that judge scored for that entry}.

    Raises ValueError for a score on an unknown criterion, a criterion scored twice by the same judge for the
    same entry, or points outside 0..max_points.
    """
    weights, maxima = _criteria_table(criteria)
    return _collect(scores, weights, maxima)[0]


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and population sd; the sd is exactly 0 when all values are equal (no rounding residue)."""
    n = len(values)
    mean = sum(values) / n
    if min(values) == max(values):
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / n)


def _key_criterion(criteria: Sequence[Criterion]) -> int | None:
    """The highest-weight criterion; the first listed when several share that weight."""
    key, best = None, -math.inf
    for c in criteria:
        weight = float(c.weight)
        if weight > best:
            key, best = c.id, weight
    return key


def compute_round(scores: Iterable[Score], criteria: Iterable[Criterion], method: Method = "mean") -> RoundResults:
    """Aggregate, rank and calibrate one round. See the module docstring for the rules.

    Only entries with at least one score appear. Runs in time linear in the number of scores (plus sorting
    the entries and each entry's handful of totals).
    """
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}; expected one of {', '.join(METHODS)}")
    criteria = list(criteria)
    weights, maxima = _criteria_table(criteria)
    totals, crit_sum, crit_count = _collect(scores, weights, maxima)
    max_total = weighted_total((maxima[c], weights[c]) for c in weights)
    key_criterion = _key_criterion(criteria)
    if not totals:
        return RoundResults(method, [], [], frozenset(), key_criterion, max_total, None, None)

    by_entry: dict[int, dict[int, float]] = {}
    by_judge: dict[int, list[float]] = {}
    for (entry, judge), total in totals.items():
        by_entry.setdefault(entry, {})[judge] = total
        by_judge.setdefault(judge, []).append(total)

    judge_stats = {judge: _mean_sd(values) for judge, values in by_judge.items()}
    panel_mean, panel_sd = _mean_sd(list(totals.values()))

    severity_sum: dict[int, float] = {}
    severity_count: dict[int, int] = {}
    outliers: set[tuple[int, int]] = set()
    flat_limit = max_total * OUTLIER_FLAT_SHARE
    crit_ids = [c.id for c in criteria]

    rows = []
    for entry, entry_totals in by_entry.items():
        judges = sorted(entry_totals)
        values = [entry_totals[j] for j in judges]
        n = len(values)
        total_sum = sum(values)
        mean = total_sum / n
        low, high = min(values), max(values)
        trimmed = (total_sum - low - high) / (n - 2) if n >= TRIM_MIN_JUDGES else mean

        z_sum = 0.0
        for judge, value in zip(judges, values, strict=True):
            mu, sigma = judge_stats[judge]
            if sigma > 0:  # σ == 0 (all equal, or a single score): z = 0
                z_sum += (value - mu) / sigma
        zscore = panel_mean + (z_sum / n) * panel_sd if panel_sd > 0 else panel_mean

        if n >= 2:
            _leave_one_out(entry, judges, values, mean, flat_limit, outliers, severity_sum, severity_count)

        criterion_means = {
            c: crit_sum[(entry, c)] / crit_count[(entry, c)] for c in crit_ids if (entry, c) in crit_count
        }
        rows.append(
            {
                "entry": entry,
                "judges": n,
                "mean": mean,
                "trimmed": trimmed,
                "zscore": zscore,
                "aggregate": {"mean": mean, "trimmed": trimmed, "zscore": zscore}[method],
                "criterion_means": criterion_means,
                "totals": dict(zip(judges, values, strict=True)),
                "lowest_total": low,
            }
        )

    return RoundResults(
        method=method,
        entries=_rank(rows, key_criterion),
        judges=[
            JudgeCalibration(
                judge=judge,
                count=len(by_judge[judge]),
                mean=judge_stats[judge][0],
                sd=judge_stats[judge][1],
                severity=severity_sum[judge] / severity_count[judge] if judge in severity_count else None,
            )
            for judge in sorted(by_judge)
        ],
        outliers=frozenset(outliers),
        key_criterion=key_criterion,
        max_total=max_total,
        panel_mean=panel_mean,
        panel_sd=panel_sd,
    )


def _leave_one_out(entry, judges, values, mean, flat_limit, outliers, severity_sum, severity_count):
    """Compare each judge's total on one entry with the mean and sd of the OTHER judges' totals.

    The comparison leaves the score itself out on purpose. With it included, a single score among n can be
    at most (n − 1)/√n sample sds from the mean (the extreme case: all others equal): 1.15 for n = 3, 1.5 for
    n = 4, 1.79 for n = 5. With the usual panel of ≤ 5 judges a "> 2 sd" flag could then never fire, however
    wild the score. Against the others alone, a lone wild score stands out as it should.

    O(n) per entry: with d_i = x_i − mean, the others' mean differs from x_k by d_k · n/(n − 1), and their
    sum of squared deviations is Σd² − d_k² − d_k²/(n − 1) (centred, so no large-number cancellation).
    Whether the others are all equal is decided exactly from the sorted totals instead of from a float sd.
    """
    n = len(values)
    others = n - 1
    ordered = sorted(values)
    deviations = [v - mean for v in values]
    ss_all = sum(d * d for d in deviations)
    for judge, value, d in zip(judges, values, deviations, strict=True):
        diff = d * n / others  # judge's total − mean of the other judges' totals
        severity_sum[judge] = severity_sum.get(judge, 0.0) + diff
        severity_count[judge] = severity_count.get(judge, 0) + 1
        if others < OUTLIER_MIN_OTHERS:
            continue
        others_low = ordered[1] if value == ordered[0] else ordered[0]
        others_high = ordered[-2] if value == ordered[-1] else ordered[-1]
        if others_low == others_high:  # the others agree exactly: their sd is 0
            excess = abs(value - others_low) - flat_limit  # exact difference, no rounding from the mean
        else:
            ss_others = max(ss_all - d * d - d * d / others, 0.0)
            sd_others = math.sqrt(ss_others / (others - 1))  # sample sd of the others' totals
            excess = abs(diff) - OUTLIER_SD_FACTOR * sd_others
        if excess > _TOLERANCE:  # "more than": a score exactly at the limit is not flagged
            outliers.add((entry, judge))


def _rank(rows: list[dict], key_criterion: int | None) -> list[EntryResult]:
    def sort_key(row):
        key_mean = row["criterion_means"].get(key_criterion)
        return (
            round(row["aggregate"], AGGREGATE_PLACES),
            -math.inf if key_mean is None else round(key_mean, _NOISE_PLACES),
            row["lowest_total"],
            row["judges"],
        )

    keyed = sorted(((sort_key(row), row) for row in rows), key=lambda kr: (tuple(-k for k in kr[0]), kr[1]["entry"]))
    ranked: list[EntryResult] = []
    previous = None
    for position, (key, row) in enumerate(keyed, start=1):
        if previous is None:
            rank, decided_by = 1, None
        else:
            decided_by = next((name for name, a, b in zip(_DECIDERS, previous, key, strict=True) if a != b), None)
            if decided_by is None:
                rank, decided_by = ranked[-1].rank, DECIDED_SHARED
            else:
                rank = position
        ranked.append(EntryResult(rank=rank, decided_by=decided_by, **row))
        previous = key
    return ranked


def _ranked_entries(results: RoundResults | Iterable[EntryResult]) -> list[EntryResult]:
    return list(results.entries if isinstance(results, RoundResults) else results)


def _count(value, what: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"{what} must be a whole number ≥ 0, got {value!r}")
    return int(value)


def advancing(results: RoundResults | Iterable[EntryResult], rule: str, value: Number) -> set[int]:
    """Entry ids that advance from a ranked round.

    rule:
      * ``"top_n"``: the best ``value`` places (rank ≤ N);
      * ``"top_percent"``: the best ⌈value % × number of ranked entries⌉ places (value in 0..100);
      * ``"min_score"``: every entry whose aggregate, rounded to 2 decimals as displayed, is ≥ ``value``.

    Ties at the cut all advance together: an entry advances when its rank is within the cut, and entries
    sharing a rank share it, so the cut can admit more entries than N (ranks 1, 2, 2 with N = 2 → three).
    With ``min_score`` tied entries have the same rounded aggregate, so they too pass or fail together.
    """
    entries = _ranked_entries(results)
    if rule == "top_n":
        cut = _count(value, "top_n")
    elif rule == "top_percent":
        percent = Decimal(str(value))
        if not 0 <= percent <= 100:
            raise ValueError(f"top_percent must be within 0..100, got {value!r}")
        cut = math.ceil(percent * len(entries) / 100)
    elif rule == "min_score":
        threshold = float(value)
        return {e.entry for e in entries if round(e.aggregate, AGGREGATE_PLACES) >= threshold}
    else:
        raise ValueError(f"unknown advancement rule {rule!r}; expected top_n, top_percent or min_score")
    return {e.entry for e in entries if e.rank <= cut}


def award_levels(
    results: RoundResults | Iterable[EntryResult], levels: Sequence[tuple[Hashable, int]]
) -> dict[int, Hashable]:
    """{entry id: level id} for award levels given best first as [(level_id, quota), ...].

    Levels are filled in rank order: level i covers ranks up to the sum of the quotas of levels 1..i. Entries
    sharing a rank all get the level of that rank's first place, so a tie across a level's boundary lifts
    every tied entry into the higher level: that level's quota is exceeded and the following level(s) shrink
    by as much (possibly to nothing). Entries below the last level get no entry in the result.
    """
    bounds = []
    cumulative = 0
    for level, quota in levels:
        cumulative += _count(quota, f"quota of award level {level!r}")
        bounds.append((cumulative, level))
    awarded: dict[int, Hashable] = {}
    for e in _ranked_entries(results):
        place = e.rank - 1  # places taken by better entries
        for bound, level in bounds:
            if place < bound:
                awarded[e.entry] = level
                break
        else:
            break  # ranks only grow from here
    return awarded
