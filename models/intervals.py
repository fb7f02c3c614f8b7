"""Intervals and durations as the config writes them (`30s`, `10m`, `6h`, `1d`), and the
shortest `every` accepted. Plain standard library: the command line reads it cheaply."""

from __future__ import annotations

import os
import re

MIN_INTERVAL_ENV = "HAIRLINK_MIN_INTERVAL"
DEFAULT_MIN_INTERVAL = 60          # seconds: `every = "0s"` would run a job every second
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_INTERVAL_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """`30m` -> 1800. Units: s, m, h, d."""
    match = _INTERVAL.match(text)
    if not match:
        raise ValueError(f"not an interval like '30m' or '6h': {text!r}")
    return int(match.group(1)) * _INTERVAL_SECONDS[match.group(2)]


def min_interval() -> int:
    """The shortest `every` accepted, in seconds (60 unless `$HAIRLINK_MIN_INTERVAL`)."""
    raw = os.environ.get(MIN_INTERVAL_ENV, "")
    try:
        return max(1, int(raw)) if raw.strip() else DEFAULT_MIN_INTERVAL
    except ValueError:
        return DEFAULT_MIN_INTERVAL


def duration_seconds(value: int | str) -> int:
    """A duration given as seconds (int) or as an interval string (`'90s'`, `'2h'`)."""
    return value if isinstance(value, int) else parse_interval(value)


def human_interval(seconds: int) -> str:
    """60 -> '1m', 90 -> '90s'."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
