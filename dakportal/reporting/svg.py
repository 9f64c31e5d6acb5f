"""A report's chart drawn as SVG on the server, for the PDF (#14): WeasyPrint runs no JavaScript, so the page's
Chart.js canvas cannot be printed. The same `Built.chart_data()` feeds both; here bars (grouped by series) or
lines on one scale, at most MAX_LABELS categories (the PDF's table below has every row)."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape

from dakportal.formatting import number

MAX_LABELS = 30
COLOURS = ("#0a58ca", "#198754", "#fd7e14", "#6f42c1", "#b02a37")
WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 24, 64


def chart_svg(chart: dict[str, Any] | None, *, title: str = "") -> str:
    """The chart as an SVG document; with a `title`, an image for a page (#14: the dashboard's trend): it scales to
    its box (viewBox) and is named for screen readers, the figures themselves being in a table beside it."""
    if not chart or not chart["labels"]:
        return ""
    labels = [str(label) for label in chart["labels"][:MAX_LABELS]]
    series = [(str(s["label"]), [float(v or 0) for v in s["data"][:MAX_LABELS]]) for s in chart["datasets"]]
    top = max([v for _label, values in series for v in values] + [0]) or 1
    top = _nice(top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(labels)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    size = f'width="{WIDTH}" height="{HEIGHT}"'
    if title:
        size = f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-label="{escape(title)}"'
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" {size} font-size="8" '
             f'font-family="DejaVu Sans, sans-serif">']  # fmt: skip
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for tick in range(5):  # the value axis: 0, 1/4 ... of the rounded maximum
        value = top * tick / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y(value) + 3:.1f}" text-anchor="end">{_short(value)}</text>')
    for index, label in enumerate(labels):
        x = LEFT + step * (index + 0.5)
        parts.append(
            f'<text transform="translate({x:.1f},{TOP + plot_h + 8}) rotate(40)" font-size="7">'
            f"{escape(label[:22])}</text>"
        )
    for number_, (_label, values) in enumerate(series):
        colour = COLOURS[number_ % len(COLOURS)]
        if chart["kind"] == "line":
            points = " ".join(f"{LEFT + step * (i + 0.5):.1f},{y(v):.1f}" for i, v in enumerate(values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        else:
            bar = step * 0.8 / len(series)
            for i, value in enumerate(values):
                x = LEFT + step * i + step * 0.1 + bar * number_
                parts.append(
                    f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{bar:.1f}" height="{TOP + plot_h - y(value):.1f}" '
                    f'fill="{colour}"/>'
                )
    for number_, (label, _values) in enumerate(series):  # the legend, above the plot
        x = LEFT + number_ * 190
        parts.append(f'<rect x="{x}" y="6" width="9" height="9" fill="{COLOURS[number_ % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 13}" y="14">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice(value: float) -> float:
    """The maximum rounded up to 1, 2, 2.5 or 5 times a power of ten, so the axis reads in round numbers."""
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * magnitude:
            return factor * magnitude
    return value


def _short(value: float) -> str:
    return number(value, 0 if value == int(value) else 2)
