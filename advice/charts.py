"""Chart geometry for the HR summary: bars and weekly columns, drawn by its template as SVG."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import formats

# Chart geometry, in SVG viewBox units.
CHART_WIDTH = 640
LABEL_WIDTH = 190
VALUE_SPACE = 70
BAR_HEIGHT = 20
BAR_GAP = 4
GROUP_GAP = 14
COLUMN_CHART_HEIGHT = 220
COLUMN_AREA_TOP = 20
COLUMN_AREA_BOTTOM = 180
AXIS_WIDTH = 40
RIGHT_MARGIN = 24  # room for the last week's label, centred under its column


@dataclass(frozen=True)
class Bar:
    value: int
    css_class: str
    series: str  # what the bar counts, for the legend
    y: int
    length: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.72

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.length + 6


@dataclass(frozen=True)
class BarGroup:
    label: str
    bars: tuple[Bar, ...]

    @property
    def label_y(self) -> float:
        return self.bars[0].y + (len(self.bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP) / 2 + 5


@dataclass(frozen=True)
class BarChart:
    groups: tuple[BarGroup, ...]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(groups: list[tuple[str, list[tuple[int, str, str]]]]) -> BarChart:
    """Lay out horizontal bars: ``groups`` is [(label, [(value, css_class, series), ...])].

    Every bar is scaled against the largest value, so bars of one chart compare directly.
    """
    largest = max((value for _, bars in groups for value, _, _ in bars), default=0)
    scale = (CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE) / largest if largest else 0
    laid_out = []
    y = 0
    for label, bars in groups:
        group_bars = []
        for value, css_class, series in bars:
            group_bars.append(Bar(value, css_class, series, y, round(value * scale, 1)))
            y += BAR_HEIGHT + BAR_GAP
        laid_out.append(BarGroup(label, tuple(group_bars)))
        y += GROUP_GAP - BAR_GAP
    return BarChart(tuple(laid_out), height=max(y - GROUP_GAP + BAR_GAP, 0))


@dataclass(frozen=True)
class Column:
    week: date
    value: int
    x: float
    y: float
    height: float
    label: str  # the axis label, empty where it would crowd its neighbours
    label_x: float


@dataclass(frozen=True)
class ColumnChart:
    columns: tuple[Column, ...]
    column_width: float
    largest: int
    width: int = CHART_WIDTH
    height: int = COLUMN_CHART_HEIGHT
    axis_x: int = AXIS_WIDTH
    top: int = COLUMN_AREA_TOP
    baseline: int = COLUMN_AREA_BOTTOM

    @property
    def label_y(self) -> int:
        return self.baseline + 18

    @property
    def top_label_y(self) -> int:
        return self.top + 4

    @property
    def baseline_label_y(self) -> int:
        return self.baseline + 4


def column_chart(weeks: list[tuple[date, int]]) -> ColumnChart:
    """Lay out one column per week, tallest against the top; label about eight of them."""
    largest = max((value for _, value in weeks), default=0)
    slot = (CHART_WIDTH - AXIS_WIDTH - RIGHT_MARGIN) / max(len(weeks), 1)
    area = COLUMN_AREA_BOTTOM - COLUMN_AREA_TOP
    every = max(1, -(-len(weeks) // 8))  # ceiling division
    columns = []
    for i, (week, value) in enumerate(weeks):
        height = round(area * value / largest, 1) if largest else 0
        columns.append(
            Column(
                week=week,
                value=value,
                x=round(AXIS_WIDTH + i * slot + slot * 0.15, 1),
                y=round(COLUMN_AREA_BOTTOM - height, 1),
                height=height,
                label=formats.date_format(week, "j M") if i % every == 0 else "",
                label_x=round(AXIS_WIDTH + i * slot + slot / 2, 1),
            )
        )
    return ColumnChart(tuple(columns), column_width=round(slot * 0.7, 1), largest=largest)
