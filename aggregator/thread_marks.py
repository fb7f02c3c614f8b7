"""The (thread id, content hash) pairs a run marks as aggregated at its end, kept compactly.

A run reads every thread's content hash with its text and writes them all in its final
transaction. Kept as one tuple and one str per thread that is about 180 bytes a thread in
the main process (540 MB at 3 million threads); here each batch is two numpy arrays: 8
bytes for the id and the hash's bytes: 20 for a SHA-1 hex digest (kept as its binary
digest when every hash of the batch is lower-case hex of one length), else its own bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np


class ThreadMarks:
    """An append-only sequence of (thread id, content hash)."""

    def __init__(self) -> None:
        # (ids, hashes, hex): hashes one row of bytes per id, `hex` when they are digests
        self._chunks: list[tuple[np.ndarray, np.ndarray, bool]] = []
        self._count = 0

    def extend(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Append pairs (one batch)."""
        ids: list[int] = []
        hashes: list[str] = []
        for thread_id, content_hash in pairs:
            ids.append(thread_id)
            hashes.append(content_hash)
        if ids:
            packed, is_hex = _pack(hashes)
            self._chunks.append((np.array(ids, dtype=np.int64), packed, is_hex))
            self._count += len(ids)

    def nbytes(self) -> int:
        """Bytes held by the arrays."""
        return sum(ids.nbytes + hashes.nbytes for ids, hashes, _ in self._chunks)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for ids, hashes, is_hex in self._chunks:
            if is_hex:
                texts: Iterable[str] = (row.tobytes().hex() for row in hashes)
            else:
                texts = (h.decode() for h in hashes.tolist())
            yield from zip(ids.tolist(), texts, strict=True)


def _pack(hashes: list[str]) -> tuple[np.ndarray, bool]:
    """The hashes as one array: binary digests (uint8 rows) when they round-trip exactly
    through `bytes.fromhex(...).hex()`, else encoded strings."""
    width = len(hashes[0])
    joined = "".join(hashes)
    if width and width % 2 == 0 and len(joined) == width * len(hashes) \
            and joined == joined.lower():
        try:
            raw = bytes.fromhex(joined)
        except ValueError:
            raw = b""
        if len(raw) * 2 == len(joined):
            return np.frombuffer(raw, dtype=np.uint8).reshape(len(hashes), width // 2), True
    return np.array([h.encode() for h in hashes], dtype=np.bytes_), False
