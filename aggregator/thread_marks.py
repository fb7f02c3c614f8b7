"""The (thread id, content hash) pairs a run marks as aggregated at its end, kept compactly.

A run reads every thread's content hash with its text and writes them all in its final
transaction. Kept as one tuple and one str per thread that is about 180 bytes a thread in
the main process (540 MB at 3 million threads); here each batch is two numpy arrays: 8
bytes for the id and the hash's own bytes (40 for a SHA-1 hex digest).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np


class ThreadMarks:
    """An append-only sequence of (thread id, content hash)."""

    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self._count = 0

    def extend(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Append pairs (one batch)."""
        ids: list[int] = []
        hashes: list[bytes] = []
        for thread_id, content_hash in pairs:
            ids.append(thread_id)
            hashes.append(content_hash.encode())
        if ids:
            self._chunks.append((np.array(ids, dtype=np.int64),
                                 np.array(hashes, dtype=np.bytes_)))
            self._count += len(ids)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for ids, hashes in self._chunks:
            yield from zip(ids.tolist(), (h.decode() for h in hashes.tolist()), strict=True)
