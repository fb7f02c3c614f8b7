"""Building blocks of the config schema: the strict base model and the checked value types
(intervals, durations, crontab lines, http(s) URLs, time zone names) every table uses.

Values come from TOML, so validation is strict (no "5" for 5, no true for 1); every bound is
inclusive unless it says otherwise. Intervals (`every`) are at least one minute:
`$HAIRLINK_MIN_INTERVAL` (seconds, at least 1) lowers that floor for tests and demos.
"""

from __future__ import annotations

import os
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

MIN_INTERVAL_ENV = "HAIRLINK_MIN_INTERVAL"
DEFAULT_MIN_INTERVAL = 60          # seconds: `every = "0s"` would run a job every second
MAX_INTERVAL = 366 * 86400         # a year and a day
MAX_DURATION = 30 * 86400          # time limits and graces
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_INTERVAL_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_URL = re.compile(r"^https?://[^/\s]+")
_ZONE = re.compile(r"[A-Za-z0-9_+\-/]+")


class Section(BaseModel):
    """A config table: unknown keys refused, types checked as TOML gives them."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              allow_inf_nan=False)


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


def _interval(text: str) -> str:
    seconds = parse_interval(text)
    floor = min_interval()
    if seconds < floor:
        raise ValueError(f"must be at least {_human(floor)} (got {text!r}); "
                         "use a longer interval")
    if seconds > MAX_INTERVAL:
        raise ValueError(f"must be at most 366d (got {text!r})")
    return text


def duration_seconds(value: int | str) -> int:
    """A duration given as seconds (int) or as an interval string (`'90s'`, `'2h'`)."""
    return value if isinstance(value, int) else parse_interval(value)


def _duration(value: object, *, zero: bool = False) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("must be a duration like '30s', '10m' or '2h' (or seconds)")
    try:
        seconds = duration_seconds(value)
    except ValueError:
        raise ValueError("must be a duration like '30s', '10m' or '2h' (or seconds), "
                         f"got {value!r}") from None
    if seconds < 0 or (seconds == 0 and not zero):
        raise ValueError(f"must be {'zero or more' if zero else 'longer than zero'} "
                         f"(got {value!r})")
    if seconds > MAX_DURATION:
        raise ValueError(f"must be at most 30d (got {value!r})")
    return value


def _duration_or_zero(value: object) -> int | str:
    return _duration(value, zero=True)


def _cron(text: str) -> str:
    if len(text.split()) != 5:
        raise ValueError("must be a 5-field crontab expression like '*/30 * * * *'")
    return text


def _http_url(text: str) -> str:
    if not _URL.match(text):
        raise ValueError(f"must be an http(s) URL (got {text!r})")
    return text


def _time_zone(text: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not _ZONE.fullmatch(text):
        raise ValueError("must be an IANA time zone name like 'UTC' or 'Europe/Berlin'")
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {text!r}") from None
    return text


def _human(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def matching(pattern: str, expected: str) -> AfterValidator:
    """A check that a string matches `pattern` (whole), else "expected <expected>, got 'x'"."""
    regex = re.compile(pattern)

    def check(text: str) -> str:
        if not regex.fullmatch(text):
            raise ValueError(f"expected {expected}, got {text!r}")
        return text

    return AfterValidator(check)


NonEmpty = Annotated[str, Field(min_length=1)]
Interval = Annotated[str, AfterValidator(_interval)]
Duration = Annotated[int | str, BeforeValidator(_duration)]
DurationOrZero = Annotated[int | str, BeforeValidator(_duration_or_zero)]
Cron = Annotated[str, AfterValidator(_cron)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
TimeZoneName = Annotated[str, AfterValidator(_time_zone)]


class KeyProblem(ValueError):
    """A check across keys (raised from a model validator) that names the key to blame."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def one_of_every_cron(model: BaseModel, every: str = "every", cron: str = "cron") -> None:
    """KeyProblem (on `cron`) when a table gives both `every` and `cron`."""
    if getattr(model, every) is not None and getattr(model, cron) is not None:
        raise KeyProblem(cron, f"give either '{every}' or '{cron}', not both")
