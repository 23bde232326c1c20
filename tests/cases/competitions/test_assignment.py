"""Judge assignment: the rules checked as properties over random instances, against an independent max-flow and a
brute force for small ones, plus hand-written examples."""

import itertools
import random
from collections import Counter, deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.competitions.assignment import CAPACITY, TOO_FEW_JUDGES, Plan, Shortfall, assign, replacement

SETTINGS = settings(max_examples=200, deadline=None)


# --- instances ------------------------------------------------------------------------------------------------------


@st.composite
def instances(draw, max_entries=10, max_judges=6, max_k=4, conflicts=True, fixed=True):
    # Entry and judge ids live in different ranges so a swapped pair cannot pass unnoticed.
    entries = list(range(100, 100 + draw(st.integers(0, max_entries))))
    judges = list(range(1, 1 + draw(st.integers(0, max_judges))))
    k = draw(st.integers(0, max_k))
    all_pairs = [(entry, judge) for entry in entries for judge in judges]
    conflict_set = set()
    fixed_set = set()
    if all_pairs and conflicts:
        conflict_set = draw(st.sets(st.sampled_from(all_pairs), max_size=len(all_pairs) // 2))
    if all_pairs and fixed:
        fixed_set = draw(st.sets(st.sampled_from(all_pairs), max_size=4))
    seed = draw(st.integers(0, 2**32))
    return {"entries": entries, "judges": judges, "k": k, "conflicts": conflict_set, "seed": seed, "fixed": fixed_set}


def fixed_count_by_entry(instance):
    return Counter(entry for entry, _ in instance["fixed"])


def open_candidates(instance, entry):
    """Judges that could still be added to `entry`: not conflicted and not already fixed on it."""
    return [
        judge
        for judge in instance["judges"]
        if (entry, judge) not in instance["conflicts"] and (entry, judge) not in instance["fixed"]
    ]


def demand(instance, entry):
    """New judges the entry needs and can get at all."""
    need = max(0, instance["k"] - fixed_count_by_entry(instance)[entry])
    return min(need, len(open_candidates(instance, entry)))


def check_rules(plan, instance):
    """Rules 1, 2, 5 and 6 plus the internal consistency of the plan."""
    entries, judges, k = instance["entries"], instance["judges"], instance["k"]
    conflicts, fixed = instance["conflicts"], instance["fixed"]

    assert list(plan.pairs) == sorted(set(plan.pairs)), "pairs sorted and distinct"
    assert list(plan.new_pairs) == sorted(set(plan.pairs) - fixed)
    assert fixed <= set(plan.pairs), "fixed pairs kept"
    assert all(entry in entries and judge in judges for entry, judge in plan.pairs)
    assert not set(plan.new_pairs) & conflicts, "no conflicted new pair"

    on_entry = Counter(entry for entry, _ in plan.pairs)
    fixed_on_entry = fixed_count_by_entry(instance)
    shortfalls = {shortfall.entry: shortfall for shortfall in plan.shortfalls}
    assert [s.entry for s in plan.shortfalls] == sorted(shortfalls), "shortfalls sorted by entry, one each"
    for entry in entries:
        count = on_entry[entry]
        assert count <= max(k, fixed_on_entry[entry]), "never more than k judges unless staff fixed more"
        if entry in shortfalls:
            shortfall = shortfalls[entry]
            assert shortfall.missing == k - count > 0
            eligible = fixed_on_entry[entry] + len(open_candidates(instance, entry))
            assert shortfall.reason == (TOO_FEW_JUDGES if eligible < k else CAPACITY)
        else:
            assert count >= k
    assert plan.complete == (not plan.shortfalls)

    assert plan.loads == {judge: sum(1 for _, j in plan.pairs if j == judge) for judge in judges}


def spread(plan):
    return max(plan.loads.values()) - min(plan.loads.values()) if plan.loads else 0


# --- an independent feasibility check ------------------------------------------------------------------------------


def max_flow(capacity, source, sink):
    """Edmonds-Karp on a dict-of-dicts capacity graph (mutated into the residual graph)."""
    total = 0
    while True:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            node = queue.popleft()
            for nxt, cap in capacity[node].items():
                if cap > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return total
        path = []
        node = sink
        while parent[node] is not None:
            path.append((parent[node], node))
            node = parent[node]
        push = min(capacity[u][v] for u, v in path)
        for u, v in path:
            capacity[u][v] -= push
            capacity[v][u] = capacity[v].get(u, 0) + push
        total += push


def flow_value(instance, judge_cap):
    """Most new judge slots fillable when every entry wants k judges in all and no judge exceeds `judge_cap`."""
    fixed_load = Counter(judge for _, judge in instance["fixed"])
    fixed_on_entry = fixed_count_by_entry(instance)
    capacity = {"source": {}, "sink": {}}
    for entry in instance["entries"]:
        capacity["source"][("e", entry)] = max(0, instance["k"] - fixed_on_entry[entry])
        capacity[("e", entry)] = {("j", judge): 1 for judge in open_candidates(instance, entry)}
    for judge in instance["judges"]:
        capacity[("j", judge)] = {"sink": max(0, judge_cap - fixed_load[judge])}
    return max_flow(capacity, "source", "sink")


def k_each_is_feasible(instance):
    unlimited = len(instance["entries"]) + 1
    wanted = sum(max(0, instance["k"] - fixed_count_by_entry(instance)[entry]) for entry in instance["entries"])
    return flow_value(instance, unlimited) == wanted


def lowest_feasible_max_load(instance):
    """Smallest judge load cap that still lets every entry get as many judges as it can get at all."""
    target = sum(demand(instance, entry) for entry in instance["entries"])
    cap = max(Counter(judge for _, judge in instance["fixed"]).values(), default=0)
    while flow_value(instance, cap) < target:
        cap += 1
    return cap


def highest_feasible_min_load(instance):
    """Largest m such that every judge can reach load m while entries take no more than k judges.

    Augmenting a flow towards filling every entry never lowers a judge's load, so such a partial assignment always
    extends to a full one: m is also the best minimum load among assignments that fill every entry.
    """
    fixed_load = Counter(judge for _, judge in instance["fixed"])
    best = 0
    while True:
        wanted = sum(max(0, best + 1 - fixed_load[judge]) for judge in instance["judges"])
        if flow_value(instance, best + 1) < wanted:
            return best
        best += 1


# --- properties ----------------------------------------------------------------------------------------------------


@SETTINGS
@given(instances())
def test_rules_hold_and_result_is_complete_exactly_when_flow_says_feasible(instance):
    plan = assign(**instance)
    check_rules(plan, instance)
    assert plan.complete == k_each_is_feasible(instance)
    # Nothing left out to improve balance: every entry got every judge it could get.
    assert len(plan.new_pairs) == sum(demand(instance, entry) for entry in instance["entries"])
    if instance["judges"]:
        assert max(plan.loads.values()) == lowest_feasible_max_load(instance)
        assert min(plan.loads.values()) == highest_feasible_min_load(instance)


@SETTINGS
@given(instances(max_entries=40, max_judges=15, max_k=6, conflicts=False, fixed=False))
def test_without_conflicts_loads_differ_by_at_most_one(instance):
    plan = assign(**instance)
    check_rules(plan, instance)
    if instance["k"] <= len(instance["judges"]):
        assert plan.complete
        assert spread(plan) <= 1


@settings(max_examples=100, deadline=None)  # brute force: fewer, smaller instances
@given(instances(max_entries=4, max_judges=4, max_k=2))
def test_loads_are_as_even_as_any_full_assignment_allows(instance):
    """Against every assignment that fills entries as far as possible: same lowest max, min spread and squares."""
    plan = assign(**instance)
    fixed_load = Counter(judge for _, judge in instance["fixed"])
    choices = [
        itertools.combinations(open_candidates(instance, entry), demand(instance, entry))
        for entry in instance["entries"]
    ]
    best_max = best_spread = best_squares = None
    for combo in itertools.product(*choices):
        load = Counter(fixed_load)
        for chosen in combo:
            load.update(chosen)
        loads = [load[judge] for judge in instance["judges"]]
        if not loads:
            continue
        squares = sum(x * x for x in loads)
        best_max = max(loads) if best_max is None else min(best_max, max(loads))
        best_spread = max(loads) - min(loads) if best_spread is None else min(best_spread, max(loads) - min(loads))
        best_squares = squares if best_squares is None else min(best_squares, squares)
    if best_max is not None:
        assert max(plan.loads.values()) == best_max
        assert spread(plan) == best_spread
        assert sum(x * x for x in plan.loads.values()) == best_squares


@SETTINGS
@given(instances(max_entries=15, max_judges=10, max_k=5))
def test_same_inputs_and_seed_give_the_same_plan(instance):
    plan = assign(**instance)
    assert assign(**instance) == plan
    shuffled = dict(instance, entries=instance["entries"][::-1], judges=instance["judges"][::-1])
    assert assign(**shuffled) == plan, "input order does not matter, only the seed"


# --- examples ------------------------------------------------------------------------------------------------------


def test_three_entries_three_judges_two_each():
    plan = assign([1, 2, 3], [10, 20, 30], 2)
    assert plan.complete
    assert Counter(entry for entry, _ in plan.pairs) == {1: 2, 2: 2, 3: 2}
    assert plan.loads == {10: 2, 20: 2, 30: 2}
    assert plan.new_pairs == plan.pairs


def test_entry_everyone_conflicts_with_is_reported_short_by_k():
    conflicts = {(2, judge) for judge in (10, 20, 30)}
    plan = assign([1, 2, 3], [10, 20, 30], 2, conflicts=conflicts)
    assert plan.shortfalls == (Shortfall(entry=2, missing=2, reason="too_few_judges"),)
    assert not plan.complete
    assert not [pair for pair in plan.pairs if pair[0] == 2]
    assert sorted(plan.loads.values()) == [1, 1, 2]


def test_k_larger_than_the_panel_uses_everyone_and_reports_the_rest():
    plan = assign([1, 2], [10, 20], 3)
    assert plan.pairs == ((1, 10), (1, 20), (2, 10), (2, 20))
    assert plan.shortfalls == (Shortfall(1, 1, TOO_FEW_JUDGES), Shortfall(2, 1, TOO_FEW_JUDGES))


def test_empty_inputs():
    assert assign([], [], 3) == Plan(pairs=(), new_pairs=(), shortfalls=(), loads={})
    assert assign([], [10, 20], 2).loads == {10: 0, 20: 0}
    no_judges = assign([1, 2], [], 2)
    assert no_judges.pairs == ()
    assert no_judges.shortfalls == (Shortfall(1, 2, TOO_FEW_JUDGES), Shortfall(2, 2, TOO_FEW_JUDGES))
    assert assign([1, 2], [10], 0) == Plan(pairs=(), new_pairs=(), shortfalls=(), loads={10: 0})


def test_conflicts_can_force_imbalance_but_never_an_empty_seat():
    # Judge 20 may judge nothing, so 10 takes everything rather than leaving entries short.
    plan = assign([1, 2, 3, 4], [10, 20], 1, conflicts={(entry, 20) for entry in (1, 2, 3, 4)})
    assert plan.complete
    assert plan.loads == {10: 4, 20: 0}


def test_rebalancing_moves_work_along_a_chain():
    # Judge 10 is the only one for entries 1-3; entries 4-6 could go to 10, 20 or 30. Best: 10 keeps only its
    # forced entries and 20/30 share the rest.
    conflicts = {(entry, judge) for entry in (1, 2, 3) for judge in (20, 30)}
    plan = assign([1, 2, 3, 4, 5, 6], [10, 20, 30], 1, conflicts=conflicts)
    assert plan.complete
    assert plan.loads[10] == 3
    assert sorted([plan.loads[20], plan.loads[30]]) == [1, 2]


def test_greedy_corner_is_undone_for_every_seed():
    # Entries 1-3 compete for judges 2, 4 and 5; a greedy pass can hand 2 or 5 to entry 4 (which also has 3) and
    # leave some judge idle while another has two. The only even answer gives everyone exactly one entry.
    eligible = {1: {2, 5}, 2: {2, 4}, 3: {2, 5}, 4: {2, 3, 5}, 5: {1, 2, 3, 4, 5}}
    conflicts = {(entry, judge) for entry, ok in eligible.items() for judge in range(1, 6) if judge not in ok}
    for seed in range(20):
        plan = assign(eligible, range(1, 6), 1, conflicts=conflicts, seed=seed)
        assert plan.complete
        assert plan.loads == dict.fromkeys(range(1, 6), 1), f"seed {seed}"


def test_fixed_pairs_are_kept_and_counted_even_when_they_conflict():
    fixed = {(1, 10), (2, 20), (2, 30), (2, 40)}
    plan = assign([1, 2, 3], [10, 20, 30, 40], 2, conflicts={(1, 10)}, fixed=fixed)
    assert fixed <= set(plan.pairs)
    assert set(plan.new_pairs) == set(plan.pairs) - fixed
    assert sum(1 for entry, _ in plan.pairs if entry == 1) == 2
    assert sum(1 for entry, _ in plan.pairs if entry == 2) == 3, "staff's extra judge stays, nobody is added"
    assert plan.complete
    assert sum(plan.loads.values()) == len(plan.pairs)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        assign([1], [10], -1)
    with pytest.raises(ValueError):
        assign([1], [10], 1, fixed={(1, 99)})
    with pytest.raises(ValueError):
        assign([1], [10], 1, fixed={(2, 10)})


def test_seed_changes_ties_but_not_validity():
    entries, judges = list(range(1, 7)), list(range(10, 16))
    plans = [assign(entries, judges, 2, seed=seed) for seed in range(20)]
    assert len({plan.pairs for plan in plans}) > 1
    for plan in plans:
        assert plan.complete and set(plan.loads.values()) == {2}


def test_300_entries_5_judges_each_from_60_with_ten_percent_conflicts():
    rng = random.Random(2024)
    entries, judges = list(range(1, 301)), list(range(1001, 1061))
    conflicts = {(entry, judge) for entry in entries for judge in judges if rng.random() < 0.1}
    plan = assign(entries, judges, 5, conflicts=conflicts, seed=7)
    assert plan.complete
    assert not set(plan.pairs) & conflicts
    assert spread(plan) <= 1
    assert set(plan.loads.values()) == {25}


def test_replacement_picks_the_least_loaded_eligible_judge():
    pairs = [(1, 10), (2, 10), (3, 10), (1, 20), (2, 20), (2, 30), (3, 40)]
    # Entry 1 lost a judge. 10 and 20 are on it already, 50 has a conflict, so 30 and 40 (one entry each) tie and 60
    # (no entries) wins.
    assert replacement(1, pairs, [10, 20, 30, 40, 50, 60], conflicts={(1, 50)}) == 60
    assert replacement(1, pairs, [10, 20, 30, 40, 50], conflicts={(1, 50)}) in {30, 40}
    picks = {replacement(1, pairs, [10, 20, 30, 40], seed=seed) for seed in range(20)}
    assert picks == {30, 40}, "ties go either way by seed, never to a heavier judge"
    assert replacement(1, pairs, [10, 20, 30, 40], seed=3) == replacement(1, pairs, [10, 20, 30, 40], seed=3)


def test_replacement_is_none_when_nobody_is_eligible():
    pairs = [(1, 10), (1, 20)]
    assert replacement(1, pairs, [10, 20]) is None
    assert replacement(1, pairs, [10, 20, 30], conflicts={(1, 30)}) is None
    assert replacement(1, [], []) is None
