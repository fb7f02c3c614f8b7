"""Decoding JSON answers of study services (bytes, text or already-decoded data)."""

from __future__ import annotations

import json
from typing import Any


class ServiceError(ValueError):
    """A service answered with an error document (or something that is not its format)."""


def load_json(body: bytes | str | Any) -> Any:
    """Decode a JSON body; already-decoded data passes through. ServiceError if not JSON."""
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str):
        try:
            return json.loads(body)
        except json.JSONDecodeError as exc:
            text = body.strip()[:200]
            raise ServiceError(f"not JSON: {text!r}") from exc
    return body


def as_int(value: Any) -> int | None:
    """An integer from a JSON number or numeric string ("12", "-3", "12.0"); None when
    absent, not a number, or a number with a fraction."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_text(value: Any) -> str | None:
    """A stripped non-empty string, or None."""
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None
