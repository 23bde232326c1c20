"""Assign judges to competition entries: k distinct judges per entry, no conflicts, loads as even as possible.

Plain functions over integer ids, deliberately free of Django so the rules can be tested (and reasoned about)
on their own; the caller loads ids from the database and saves the returned pairs.

Why it is built this way:

* Judges have no hard capacity, so every entry can always be filled from its eligible judges; filling an
  entry never has to be traded against balance. Shortfalls therefore come only from the entry itself
  (fewer than k eligible judges), and balance is a separate question asked of a complete assignment.
* A greedy pass (entries with the least slack first, each taking its least-loaded eligible judges, ties broken
  by the seeded RNG) already gives a perfectly balanced result when there are no conflicts, and a nearly
  balanced one otherwise, so the exact phase below usually has little to do.
* The exact phase treats the assignment as a flow: judge A can hand entry e to judge B if B is eligible for e
  and not already on it; chaining such hand-overs along an alternating path moves one unit of load from the
  path's first judge to its last without changing anyone in between. An assignment is optimal for every
  convex measure of unevenness at once (lowest maximum load, highest minimum load, smallest spread, ...)
  exactly when no path leads from a judge with load L to a judge with load <= L - 2; this is the
  "no cost-reducing path" condition for balanced semi-matchings / convex-cost flows. So we search for such
  paths (BFS, shortest first) and apply them until none is left, which settles rule 3 without a tuning knob.
* Thresholds are checked from the lowest load upwards: once no path reaches judges at load <= t, moves made
  for higher thresholds stay inside the already-explored (closed) region and cannot open one, so each
  threshold needs only one failed search.
* Fixed pairs count towards loads and k but are never moved: staff chose them on purpose.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

TOO_FEW_JUDGES = "too_few_judges"
CAPACITY = "capacity"


@dataclass(frozen=True)
class Shortfall:
    entry: int
    missing: int
    reason: str  # TOO_FEW_JUDGES | CAPACITY


@dataclass(frozen=True)
class Plan:
    pairs: tuple[tuple[int, int], ...]  # (entry, judge): new and fixed pairs, sorted
    new_pairs: tuple[tuple[int, int], ...]  # only pairs not in `fixed`, sorted
    shortfalls: tuple[Shortfall, ...]  # sorted by entry
    loads: dict[int, int]  # every judge -> number of entries, zero included

    @property
    def complete(self) -> bool:
        return not self.shortfalls


def assign(
    entries: Iterable[int],
    judges: Iterable[int],
    k: int,
    conflicts: Iterable[tuple[int, int]] = frozenset(),
    seed: int = 0,
    fixed: Iterable[tuple[int, int]] = (),
) -> Plan:
    """Give each entry k distinct, non-conflicted judges with loads as even as the conflicts allow.

    `conflicts` and `fixed` hold (entry, judge) pairs. Fixed pairs are kept even when they conflict, count
    towards the entry's k and the judge's load, and may give an entry more than k judges. A fixed pair naming an
    unknown entry or judge raises ValueError rather than being dropped or silently added to the pool.
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    entry_ids = sorted(set(entries))
    judge_ids = sorted(set(judges))
    fixed_pairs = sorted(set(fixed))
    known_entries, known_judges = set(entry_ids), set(judge_ids)
    for entry, judge in fixed_pairs:
        if entry not in known_entries or judge not in known_judges:
            raise ValueError(f"fixed pair {(entry, judge)} names an entry or judge that is not being assigned")

    rng = random.Random(seed)
    load = dict.fromkeys(judge_ids, 0)
    on_entry: dict[int, set[int]] = {entry: set() for entry in entry_ids}
    for entry, judge in fixed_pairs:
        on_entry[entry].add(judge)
        load[judge] += 1

    blocked: dict[int, set[int]] = {entry: set(judges_on) for entry, judges_on in on_entry.items()}
    for entry, judge in conflicts:
        if entry in blocked:
            blocked[entry].add(judge)
    # Judges that may still be added to each entry, in id order so every later choice is reproducible.
    candidates = {entry: [judge for judge in judge_ids if judge not in blocked[entry]] for entry in entry_ids}

    # Entries with new (movable) pairs per judge; a dict as an insertion-ordered set keeps iteration repeatable.
    movable: dict[int, dict[int, None]] = {judge: {} for judge in judge_ids}

    need = {entry: max(0, k - len(on_entry[entry])) for entry in entry_ids}
    tie_break = {entry: rng.random() for entry in entry_ids}
    # Tightest entries first, while the least-loaded judges are still free for them.
    order = sorted(entry_ids, key=lambda entry: (len(candidates[entry]) - need[entry], tie_break[entry]))
    for entry in order:
        wanted = min(need[entry], len(candidates[entry]))
        for judge in _least_loaded(candidates[entry], wanted, load, rng):
            on_entry[entry].add(judge)
            movable[judge][entry] = None
            load[judge] += 1

    _rebalance(load, on_entry, candidates, movable)

    shortfalls = []
    for entry in entry_ids:
        missing = k - len(on_entry[entry])
        if missing > 0:
            # Everyone who could ever judge this entry: those already on it plus the remaining candidates.
            eligible = len(on_entry[entry] | set(candidates[entry]))
            reason = TOO_FEW_JUDGES if eligible < k else CAPACITY  # CAPACITY is a safety net: filling never fails
            shortfalls.append(Shortfall(entry=entry, missing=missing, reason=reason))

    fixed_set = set(fixed_pairs)
    pairs = tuple(sorted((entry, judge) for entry, judges_on in on_entry.items() for judge in judges_on))
    return Plan(
        pairs=pairs,
        new_pairs=tuple(pair for pair in pairs if pair not in fixed_set),
        shortfalls=tuple(shortfalls),
        loads=load,
    )


def replacement(
    entry: int,
    pairs: Iterable[tuple[int, int]],
    judges: Iterable[int],
    conflicts: Iterable[tuple[int, int]] = frozenset(),
    seed: int = 0,
) -> int | None:
    """The judge to take over `entry` after one of its judges declared a conflict and was removed from `pairs`.

    An eligible judge (in `judges`, not already on the entry, no conflict with it) with the lowest current load,
    ties broken by the seeded RNG; None when there is none. Include the newly declared conflict in `conflicts`
    so the judge who just stepped down cannot be picked again.
    """
    load = dict.fromkeys(sorted(set(judges)), 0)
    on_entry = set()
    for pair_entry, judge in set(pairs):
        if judge in load:
            load[judge] += 1
        if pair_entry == entry:
            on_entry.add(judge)
    conflicts = frozenset(conflicts)
    eligible = [judge for judge in load if judge not in on_entry and (entry, judge) not in conflicts]
    if not eligible:
        return None
    lowest = min(load[judge] for judge in eligible)
    return random.Random(seed).choice([judge for judge in eligible if load[judge] == lowest])


def _least_loaded(candidates: list[int], wanted: int, load: dict[int, int], rng: random.Random) -> list[int]:
    """`wanted` candidates with the lowest loads; only the judges tied at the cut-off load are drawn at random."""
    if wanted <= 0:
        return []
    ranked = sorted(candidates, key=load.__getitem__)  # stable: ties stay in id order, so the draw is repeatable
    cutoff = load[ranked[wanted - 1]]
    below = [judge for judge in ranked if load[judge] < cutoff]
    tied = [judge for judge in ranked if load[judge] == cutoff]
    return below + rng.sample(tied, wanted - len(below))


def _rebalance(
    load: dict[int, int],
    on_entry: dict[int, set[int]],
    candidates: dict[int, list[int]],
    movable: dict[int, dict[int, None]],
) -> None:
    """Apply load-moving paths until no judge can pass work to one at least two entries lighter."""
    if not load:
        return
    threshold = min(load.values())
    while threshold + 2 <= max(load.values()):
        path = _find_path(threshold, load, on_entry, candidates, movable)
        if path is None:
            # Stays impossible for good: see the module docstring.
            threshold += 1
            continue
        for entry, giver, taker in path:
            on_entry[entry].remove(giver)
            on_entry[entry].add(taker)
            del movable[giver][entry]
            movable[taker][entry] = None
        load[path[0][1]] -= 1
        load[path[-1][2]] += 1


def _find_path(
    threshold: int,
    load: dict[int, int],
    on_entry: dict[int, set[int]],
    candidates: dict[int, list[int]],
    movable: dict[int, dict[int, None]],
) -> list[tuple[int, int, int]] | None:
    """Shortest chain of hand-overs from any judge at load >= threshold + 2 to one at load <= threshold.

    Returned as (entry, giver, taker) steps from the heavy judge to the light one, or None.
    """
    # Heaviest first, so among equally short paths the one relieving the heaviest judge wins.
    sources = sorted((judge for judge in load if load[judge] >= threshold + 2), key=lambda judge: (-load[judge], judge))
    came_from: dict[int, tuple[int, int] | None] = dict.fromkeys(sources)
    seen_entries: set[int] = set()
    queue = deque(sources)
    while queue:
        giver = queue.popleft()
        for entry in movable[giver]:
            if entry in seen_entries:
                continue
            seen_entries.add(entry)
            judges_on = on_entry[entry]
            for taker in candidates[entry]:
                if taker in came_from or taker in judges_on:
                    continue
                came_from[taker] = (entry, giver)
                if load[taker] <= threshold:
                    return _trace(taker, came_from)
                queue.append(taker)
    return None


def _trace(last: int, came_from: dict[int, tuple[int, int] | None]) -> list[tuple[int, int, int]]:
    steps = []
    taker = last
    while (step := came_from[taker]) is not None:
        entry, giver = step
        steps.append((entry, giver, taker))
        taker = giver
    steps.reverse()
    return steps
