"""The improvement a metric block computes, and how a case page shows it."""

from decimal import Decimal

import pytest
from django.utils import translation

from cases.blocks import MetricBlock
from cases.metrics import HIGHER_IS_BETTER as HIGHER
from cases.metrics import LOWER_IS_BETTER as LOWER
from cases.metrics import improvement

from .test_pages import metric, section

ENGLISH = {"accept-language": "en"}


# improvement() against hand-computed examples ------------------------------------------------------------

# (baseline, result, direction) → (change, percent, improved, worsened); percent is rounded to 0.1.
EXAMPLES = {
    # The design's two examples.
    "defect rate 2.4 → 0.6, lower is better: (2.4 − 0.6) / 2.4 = 75%": (
        ("2.4", "0.6", LOWER),
        ("-1.8", "75.0", True, False),
    ),
    "yield 92 → 97, higher is better: 5 / 92 = 5.43%": (("92", "97", HIGHER), ("5", "5.4", True, False)),
    # No change either way.
    "unchanged, lower is better": (("3.5", "3.5", LOWER), ("0", "0.0", False, False)),
    "unchanged, higher is better": (("98", "98", HIGHER), ("0", "0.0", False, False)),
    # Moving the wrong way: the percent is negative and the metric is worse.
    "defect rate 0.6 → 2.4, lower is better: worse by 300%": (("0.6", "2.4", LOWER), ("1.8", "-300.0", False, True)),
    "yield 97 → 92, higher is better: worse by 5 / 97 = 5.15%": (
        ("97", "92", HIGHER),
        ("-5", "-5.2", False, True),
    ),
    # A zero baseline has no relative change: only the absolute one.
    "zero baseline, lower is better, got worse": (("0", "3", LOWER), ("3", None, False, True)),
    "zero baseline, higher is better, got better": (("0", "12.5", HIGHER), ("12.5", None, True, False)),
    "zero baseline, unchanged": (("0", "0", LOWER), ("0", None, False, False)),
    # Negative baselines (a deviation, a temperature, a loss): percent is relative to |baseline|.
    "loss −10 → −5, higher is better: up 5 of 10 = 50%": (("-10", "-5", HIGHER), ("5", "50.0", True, False)),
    "deviation −10 → −5, lower is better: worse by 50%": (("-10", "-5", LOWER), ("5", "-50.0", False, True)),
    "deviation −4 → −8, lower is better: better by 100%": (("-4", "-8", LOWER), ("-4", "100.0", True, False)),
    "crossing zero −2 → 3, higher is better: 5 / 2 = 250%": (("-2", "3", HIGHER), ("5", "250.0", True, False)),
}


@pytest.mark.parametrize(("given", "expected"), list(EXAMPLES.values()), ids=list(EXAMPLES))
def test_improvement_matches_the_hand_computed_example(given, expected):
    change, percent, improved, worsened = expected

    result = improvement(*given)

    assert result.change == Decimal(change)
    assert result.percent == (None if percent is None else Decimal(percent))
    assert result.improved is improved
    assert result.worsened is worsened


def test_improvement_is_exact_decimal_arithmetic():
    """Decimals in, Decimals out: no float error creeps into the change."""
    result = improvement(Decimal("0.0003"), Decimal("0.0001"), LOWER)

    assert result.change == Decimal("-0.0002")
    assert result.percent == Decimal("66.7")  # 2/3 = 66.66…%
    assert str(result.percent) == "66.7"  # always one decimal place, as the page shows it


def test_float_input_gives_the_same_rounded_percent_as_decimal_input():
    """A float such as 2.4 is not exactly 2.4, but the rounded percent is the same."""
    assert improvement(2.4, 0.6, LOWER).percent == improvement("2.4", "0.6", LOWER).percent == Decimal("75.0")


@pytest.mark.parametrize(
    ("baseline", "result", "percent"),
    [
        ("400", "351", "12.2"),  # 12.25: the 5 is dropped after an even digit
        ("400", "350.6", "12.4"),  # 12.35: the 5 is carried after an odd digit
        ("3", "2", "33.3"),  # 33.33…
        ("3", "1", "66.7"),  # 66.66…
    ],
)
def test_percent_rounds_to_one_place_half_to_even_as_gb_t_8170_asks(baseline, result, percent):
    """GB/T 8170 数值修约: 四舍六入五成双 — an exact 5 rounds to the even digit."""
    assert improvement(baseline, result, LOWER).percent == Decimal(percent)


def test_tiny_improvement_on_a_large_baseline_keeps_its_direction():
    result = improvement("1000", "999.9999", LOWER)

    assert result.improved and not result.worsened
    assert result.percent == Decimal("0.0")


# The metric block as the page shows it ----------------------------------------------------------------------


def render_metric(baseline, result, direction, unit="%", indicator="不良率"):
    block = MetricBlock()
    value = block.to_python(
        {"indicator": indicator, "unit": unit, "baseline": baseline, "result": result, "direction": direction}
    )
    with translation.override("en"):
        return str(block.render(value))


@pytest.mark.parametrize(
    ("baseline", "result", "direction", "shown", "css"),
    [
        ("2.4", "0.6", LOWER, "Improved by 75.0%", "metric-improved"),
        ("92", "97", HIGHER, "Improved by 5.4%", "metric-improved"),
        ("0.6", "2.4", LOWER, "Worse by 300.0%", "metric-worsened"),
        ("97", "92", HIGHER, "Worse by 5.2%", "metric-worsened"),
        ("-10", "-5", LOWER, "Worse by 50.0%", "metric-worsened"),
        ("3.5", "3.5", LOWER, "Unchanged", None),
        ("0", "3", LOWER, "Change: 3%", "metric-worsened"),
        ("0", "12.5", HIGHER, "Change: 12.5%", "metric-improved"),
    ],
)
def test_metric_block_states_the_change_in_words(baseline, result, direction, shown, css):
    html = render_metric(baseline, result, direction)

    assert shown in html
    assert "Worse by -" not in html  # the sign is said in words, not doubled
    if css:
        assert css in html
    else:
        assert "metric-improved" not in html and "metric-worsened" not in html


@pytest.mark.parametrize(("direction", "words"), [(LOWER, "lower is better"), (HIGHER, "higher is better")])
def test_metric_block_says_which_direction_is_better(direction, words):
    assert f"({words})" in render_metric("5", "4", direction)


def test_metric_block_shows_plain_numbers_without_trailing_zeros_or_exponents():
    html = render_metric("100", "1000.5000", HIGHER, unit="件")

    assert "<strong>100</strong>件" in html
    assert "<strong>1000.5</strong>件" in html
    assert "E+" not in html


def test_case_page_shows_each_metric_with_its_improvement(make_case, member, client):
    case = make_case(
        member,
        body=[
            section(
                "改进效果",
                "public",
                metric("铸件气孔缺陷率", "2.4", "0.6", "%", LOWER),
                metric("一次交检合格率", "92", "97", "%", HIGHER),
                metric("交付周期", "12", "15", "天", LOWER),
            )
        ],
    )

    response = client.get(case.url, headers=ENGLISH)

    assert response.status_code == 200
    html = response.content.decode()
    assert [m["indicator"] for m in response.context["metrics"]] == ["铸件气孔缺陷率", "一次交检合格率", "交付周期"]
    # Each metric shows in the results summary and again in its section.
    assert html.count("Improved by 75.0%") == 2
    assert html.count("Improved by 5.4%") == 2
    assert html.count("Worse by 25.0%") == 2
    assert html.count("metric-worsened") == 2
    assert "Results summary" in html
