"""Reading Reddit dump files: zstd (multi-frame, long windows) or plain NDJSON, streamed line
by line; lines decoded to JSON objects (malformed ones counted with file and line number);
file roles (`RS_*`, `RC_*`) and record kinds (submission, comment)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

from scrapers.importers.reddit_dump_stats import DumpImportStats

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
MAX_WINDOW_SIZE = 2**31  # Pushshift dumps are compressed with --long=31
READ_SIZE = 1 << 16


class DumpError(Exception):
    """A dump file that cannot be read at all (missing, unreadable)."""


class TruncatedStream(Exception):
    """A compressed stream that ends in the middle of a frame."""


def _zstd_chunks(raw: BinaryIO) -> Iterator[bytes]:
    """Decompressed chunks of a (possibly multi-frame) zstd file; TruncatedStream at a cut."""
    dctx = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW_SIZE)
    dobj = dctx.decompressobj()
    pending = False  # the current frame has started but not ended
    while chunk := raw.read(READ_SIZE):
        while chunk:
            pending = True
            out = dobj.decompress(chunk)
            if out:
                yield out
            if dobj.eof:
                chunk, pending = dobj.unused_data, False
                dobj = dctx.decompressobj()
            else:
                chunk = b""
    if pending:
        raise TruncatedStream("the file ends in the middle of a compressed frame")


def _plain_chunks(raw: BinaryIO) -> Iterator[bytes]:
    while chunk := raw.read(READ_SIZE):
        yield chunk


def iter_lines(path: Path) -> Iterator[bytes]:
    """The lines of a dump file (zstd detected by its magic bytes), without line ends.

    Raises DumpError when the file cannot be opened, TruncatedStream or zstandard.ZstdError
    (after the good lines) when the compressed stream is cut or corrupt.
    """
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise DumpError(f"{path}: cannot open: {exc.strerror}") from exc
    with raw:
        compressed = raw.read(4) == ZSTD_MAGIC
        raw.seek(0)
        rest = b""
        for chunk in (_zstd_chunks(raw) if compressed else _plain_chunks(raw)):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            yield from lines
        if rest:
            yield rest


def iter_records(path: Path, stats: DumpImportStats | None = None,
                 count_malformed: bool = True) -> Iterator[dict[str, Any]]:
    """The JSON objects of one dump file, line by line.

    Malformed lines (bad UTF-8, bad JSON, not an object) are counted in `stats` with their
    line number when `count_malformed`, and skipped. A corrupt or truncated zstd stream ends
    the file with a recorded error (`corrupt_file`); the records before it are kept.
    """
    counting = stats if count_malformed else None
    line_no = 0
    try:
        for line in iter_lines(path):
            line_no += 1
            if counting is not None:
                counting.lines += 1
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (UnicodeDecodeError, ValueError) as exc:
                record, problem = None, str(exc)[:120]
            else:
                problem = "not a JSON object"
            if isinstance(record, dict):
                yield record
            elif counting is not None:
                counting.malformed += 1
                counting.skipped["malformed_line"] += 1
                counting.error(f"{path}:{line_no}: malformed line: {problem}")
    except (TruncatedStream, zstandard.ZstdError) as exc:
        if counting is not None:
            counting.skipped["corrupt_file"] += 1
            counting.error(f"{path}: after line {line_no}: compressed stream broken ({exc}); "
                           "the rest of the file is skipped")


def file_role(path: Path) -> str:
    """`submissions` for RS_* files, `comments` for RC_* files, else `mixed`."""
    name = path.name.upper()
    if name.startswith("RS_"):
        return "submissions"
    if name.startswith("RC_"):
        return "comments"
    return "mixed"


def record_kind(record: dict[str, Any]) -> str | None:
    """`submission`, `comment` or None for a dump record."""
    if "link_id" in record and "body" in record:
        return "comment"
    if "title" in record:
        return "submission"
    return None
