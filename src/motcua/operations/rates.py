"""Rates as settings spell them (``"60/min"``): no Django import, so settings.py can parse them."""

from __future__ import annotations

from dataclasses import dataclass

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """``"60/min"``, ``"120/m"``, ``"1000/hour"``, ``"5/10s"`` → Rate; ``""``/``"off"`` → None (no limit)."""
    text = (text or "").strip().lower()
    if text in {"", "off", "none", "0"}:
        return None
    count, _sep, period = text.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits):] or "s"
    if not count.strip().isdigit() or unit not in _UNITS:
        raise ValueError(f"invalid rate {text!r}: expected N/s, N/min, N/hour or N/day")
    return Rate(int(count), int(digits or 1) * _UNITS[unit])
