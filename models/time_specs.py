"""`--since`/`--until` values: an ISO date or datetime, or an age like `30d` before now."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from models.utc import as_utc


class BadTimeSpec(ValueError):
    """A `--since`/`--until` value that is neither a date nor a relative age like `30d`."""


_RELATIVE = re.compile(r"^(\d+)\s*([hdwmy])$", re.IGNORECASE)
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1),
         "m": timedelta(days=30), "y": timedelta(days=365)}


def parse_time_spec(text: str, now: datetime | None = None, end_of_day: bool = False) -> datetime:
    """`30d`/`12h`/`2w`/`6m`/`1y` before `now`, or an ISO date or datetime (UTC if naive).

    A bare date means its start, or with `end_of_day` the start of the next day (so an
    `--until` date includes that day).
    """
    value = text.strip()
    now = now or datetime.now(UTC)
    match = _RELATIVE.match(value)
    if match:
        try:
            return now - int(match.group(1)) * _UNIT[match.group(2).lower()]
        except OverflowError:
            raise BadTimeSpec(f"bad time {text!r}: that age reaches before the year 1; "
                              "use a smaller one or a date") from None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end_of_day and day == date.max:  # the last day there is: to its very end
                return datetime.max.replace(tzinfo=UTC)
            if end_of_day:
                day += timedelta(days=1)
            return datetime.combine(day, time(), tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadTimeSpec(
            f"bad time {text!r}: use a date (2025-01-31), a datetime or an age like 30d"
        ) from None
    try:
        return as_utc(moment)
    except OverflowError:
        raise BadTimeSpec(f"bad time {text!r}: out of range in UTC") from None
