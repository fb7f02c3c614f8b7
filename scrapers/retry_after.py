"""The Retry-After header, read the same way by the crawler and the enrichment client."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from models.utc import as_utc


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date); None if absent
    or unreadable."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, (as_utc(when) - (now or datetime.now(UTC))).total_seconds())
