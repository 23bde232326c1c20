"""The improvement a metric block shows: how far the result moved from the baseline, in the right direction."""

from dataclasses import dataclass
from decimal import Decimal

LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"


@dataclass(frozen=True)
class Improvement:
    change: Decimal  # result − baseline, in the indicator's unit
    percent: Decimal | None  # improvement relative to the baseline; None when the baseline is zero
    improved: bool  # moved in the wanted direction

    @property
    def worsened(self):
        return self.change != 0 and not self.improved


def improvement(baseline, result, direction):
    """The improvement from `baseline` to `result` for a metric where `direction` is better.

    For lower-is-better (defect rate 2.4% → 0.6%) the improvement is (baseline − result) / baseline = 75%;
    for higher-is-better (yield 92 → 97) it is (result − baseline) / baseline ≈ 5.4%.
    """
    baseline, result = Decimal(baseline), Decimal(result)
    change = result - baseline
    gain = -change if direction == LOWER_IS_BETTER else change
    percent = None if baseline == 0 else (gain / abs(baseline) * 100).quantize(Decimal("0.1"))
    return Improvement(change=change, percent=percent, improved=gain > 0)
