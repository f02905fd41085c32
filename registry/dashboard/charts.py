"""Server-side SVG charts: geometry computed here, drawn by templates/_macros/charts.html.
No script and no inline style (the CSP forbids both): only SVG presentation attributes, and
colours from classes in static/app.css. Every bar is a link."""
from __future__ import annotations

from dataclasses import dataclass

from registry.dashboard.stats import Chart

WIDTH = 560
LABEL_W = 190
ROW_H = 26
BAR_H = 18
COL_CHART_H = 180


@dataclass
class Shape:
    x: float
    y: float
    w: float
    h: float
    label: str
    shown: str
    detail: str
    url: str
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0


@dataclass
class Drawing:
    chart: Chart
    width: int
    height: int
    shapes: list[Shape]
    columns: bool = False


def horizontal(chart: Chart, url_for_args) -> Drawing:
    """Bars left to right, labels on the left, values at the end of each bar."""
    top = max((b.value for b in chart.bars), default=0) or 1
    span = WIDTH - LABEL_W - 60
    shapes = []
    for i, bar in enumerate(chart.bars):
        y = i * ROW_H + 4
        w = round(span * bar.value / top, 1)
        shapes.append(Shape(LABEL_W, y, max(w, 1 if bar.value else 0), BAR_H, _clip(bar.label),
                            bar.shown, bar.detail, url_for_args(bar.args), LABEL_W - 8,
                            y + BAR_H - 5, LABEL_W + w + 6, y + BAR_H - 5))
    return Drawing(chart, WIDTH, max(len(shapes), 1) * ROW_H + 8, shapes)


def vertical(chart: Chart, url_for_args, top: float = 100) -> Drawing:
    """Columns (a percentage over time), value above each, label below."""
    n = max(len(chart.bars), 1)
    slot = (WIDTH - 20) / n
    shapes = []
    for i, bar in enumerate(chart.bars):
        h = round(COL_CHART_H * bar.value / top, 1)
        x = 10 + i * slot + slot * 0.15
        w = slot * 0.7
        y = 20 + COL_CHART_H - h
        shapes.append(Shape(round(x, 1), y, round(w, 1), h, bar.label, bar.shown, bar.detail,
                            url_for_args(bar.args), round(x + w / 2, 1), 20 + COL_CHART_H + 18,
                            round(x + w / 2, 1), y - 5))
    return Drawing(chart, WIDTH, COL_CHART_H + 46, shapes, columns=True)


def _clip(text: str, limit: int = 25) -> str:
    # 25 characters fill the label column (LABEL_W) at the chart's font size; more are cut off.
    return text if len(text) <= limit else text[:limit - 1] + "…"
