"""Bounds the database's integer columns put on values (no imports: the command line's
option parsing reads it at start-up)."""

from typing import Final

# the largest value a BIGINT column (ids, scores, counts) holds; an option or a path
# parameter beyond it names no row and is refused before a query would overflow
MAX_BIGINT: Final = 2**63 - 1
