"""Building blocks of the config schema: the strict base model and the checked value types
(intervals, durations, crontab lines, http(s) URLs, time zone names) every table uses.

Values come from TOML, so validation is strict (no "5" for 5, no true for 1); every bound is
inclusive unless it says otherwise. Intervals (`every`) are at least one minute:
`$HAIRLINK_MIN_INTERVAL` (seconds, at least 1) lowers that floor for tests and demos.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from models.intervals import (
    DEFAULT_MIN_INTERVAL,
    MIN_INTERVAL_ENV,
    duration_seconds,
    human_interval,
    min_interval,
    parse_interval,
)

__all__ = ["DEFAULT_MIN_INTERVAL", "MIN_INTERVAL_ENV", "Cron", "Duration", "DurationOrZero",
           "HttpUrl", "Interval", "KeyProblem", "NonEmpty", "Section", "TimeZoneName",
           "duration_seconds", "matching", "min_interval", "one_of_every_cron",
           "parse_interval"]

MAX_INTERVAL = 366 * 86400         # a year and a day
MAX_DURATION = 30 * 86400          # time limits and graces
_URL = re.compile(r"^https?://[^/\s]+")
_ZONE = re.compile(r"[A-Za-z0-9_+\-/]+")


class Section(BaseModel):
    """A config table: unknown keys refused, types checked as TOML gives them."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              allow_inf_nan=False)


def _interval(text: str) -> str:
    seconds = parse_interval(text)
    floor = min_interval()
    if seconds < floor:
        raise ValueError(f"must be at least {human_interval(floor)} (got {text!r}); "
                         "use a longer interval")
    if seconds > MAX_INTERVAL:
        raise ValueError(f"must be at most 366d (got {text!r})")
    return text


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
