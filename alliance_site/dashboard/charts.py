"""Horizontal bar charts drawn as SVG on the server: no script, readable without CSS, printed as they look.

Each chart is given with its data table beside it on the page; the SVG is the picture, the table the record.
"""

from dataclasses import dataclass

from django.utils.formats import number_format


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as printed at the end of the bar
    y: int
    width: float


@dataclass
class BarChart:
    title: str
    bars: list
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    target_x: float | None = None  # a vertical line at the target (100% coverage …)

    @property
    def label_x(self):  # labels end just left of the bars
        return self.label_width - 8

    @property
    def value_x(self):  # values start just right of the track
        return self.label_width + self.plot_width + 6

    @property
    def text_y(self):  # text baseline inside a bar's height
        return self.bar_height - 5


LABEL_WIDTH = 200
PLOT_WIDTH = 330
VALUE_WIDTH = 70
BAR_HEIGHT = 20
GAP = 8


def bar_chart(title, rows, *, maximum=None, percent=False, target=None):
    """rows: (label, value) pairs; None values are drawn as no bar and printed as "—"."""
    values = [value or 0 for _label, value in rows]
    top = maximum or max([*values, target or 0, 1])
    bars = []
    for index, (label, value) in enumerate(rows):
        if value is None:
            text = "—"
        else:
            text = f"{number_format(value, decimal_pos=1 if percent else None)}{'%' if percent else ''}"
        bars.append(
            Bar(
                label=str(label),
                value=value or 0,
                text=text,
                y=index * (BAR_HEIGHT + GAP),
                width=round(PLOT_WIDTH * min(value or 0, top) / top, 1),
            )
        )
    return BarChart(
        title=str(title),
        bars=bars,
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=max(1, len(bars)) * (BAR_HEIGHT + GAP),
        label_width=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        bar_height=BAR_HEIGHT,
        target_x=LABEL_WIDTH + round(PLOT_WIDTH * target / top, 1) if target else None,
    )
