"""Charts drawn on the server as SVG: nothing to load, readable on a phone, printable.

Each function returns SVG markup (every text escaped) sized by its ``viewBox`` so it scales
to the screen. The page shows the same numbers in a table beside each chart, for screen
readers and for printing.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from motcua.formatting import group_digits, percent

PALETTE = ("#0b5394", "#e69138", "#6aa84f", "#cc0000", "#674ea7")


def _num(value: float) -> str:
    """``3846`` → ``3.846``; ``2.46`` → ``2,5`` (one decimal)."""
    return group_digits(round(float(value), 1))


def _nice_step(raw: float) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ (at least 1) not below ``raw``: a scale step people read."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            if m * magnitude >= raw:
                return m * magnitude
        magnitude *= 10


def stacked_bars(labels: list[str], series: list[tuple[str, list[int]]], title: str) -> SafeString:
    """Vertical bars, one per label, stacked by series (e.g. received per month by channel)."""
    width, height, left, bottom, top = 400, 250, 40, 30, 40
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    tick = _nice_step(max(totals + [1]) / 4)
    peak = tick * 4          # the scale's top: four whole steps, so every label is a whole number
    slot = (width - left - 6) / max(len(labels), 1)
    bar = max(min(slot * 0.7, 60), 4)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart">']
    for i in range(5):  # grid and scale
        y = top + (height - top - bottom) * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="#e3e7ec"/>')
        parts.append(f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#4a525c">{_num(tick * (4 - i))}</text>')
    step = max(1, round(len(labels) / 8))  # at most about 8 labels under the axis
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        base: float = height - bottom
        for k, (name, values) in enumerate(series):
            h = (height - top - bottom) * values[i] / peak
            if h > 0:
                parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                             f'<title>{escape(label)} · {escape(name)}: {_num(values[i])}</title></rect>')
            base -= h
        if i % step == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12" fill="#1b1f24">{escape(label)}</text>')
    for k, (name, _) in enumerate(series):  # legend
        x = 4 + k * 130
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{PALETTE[k % len(PALETTE)]}"/>'
                     f'<text x="{x + 19}" y="20" font-size="14" fill="#1b1f24">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def percent_bars(items: list[tuple[str, float | None]], title: str, target: float | None = None) -> SafeString:
    """Horizontal bars of percentages (e.g. the on-time rate of each unit), each with its label
    above it so long unit names stay readable on a phone; ``None`` is drawn as "–"."""
    width, row = 400, 46
    height = row * max(len(items), 1) + 6
    span = width - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart">']
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        short = label if len(label) <= 52 else label[:51] + "…"
        parts.append(f'<text x="0" y="{y + 14}" font-size="14" fill="#1b1f24">{escape(short)}<title>{escape(label)}</title></text>')
        parts.append(f'<rect x="0" y="{y + 20}" width="{span}" height="16" fill="#eef2f7"/>')
        if value is not None:
            colour = PALETTE[2] if target is None or value >= target else PALETTE[1]
            parts.append(f'<rect x="0" y="{y + 20}" width="{span * min(max(value, 0), 100) / 100:.1f}" height="16" fill="{colour}"/>')
        text = "–" if value is None else percent(value)
        parts.append(f'<text x="{span + 6}" y="{y + 33}" font-size="14" fill="#1b1f24">{text}</text>')
    if target is not None:
        x = span * target / 100
        parts.append(f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 2}" stroke="#cc0000" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
