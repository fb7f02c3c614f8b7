"""What the forum renderers share: content types, stable user ids and escaping."""

from __future__ import annotations

import html
import zlib

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"


def user_id(name: str) -> int:
    """A stable numeric user id for sample user `name`."""
    return 100 + zlib.crc32(name.encode()) % 9000


def esc(text: str) -> str:
    """HTML-escape text, quotes included (for attributes and text alike)."""
    return html.escape(text, quote=True)
