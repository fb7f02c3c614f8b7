"""Reading Reddit dump files: zstd (multi-frame, long windows) or plain NDJSON, streamed line
by line; lines decoded to JSON objects (malformed ones counted with file and line number);
file roles (`RS_*`, `RC_*`) and record kinds (submission, comment)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

from scrapers.importers.reddit_dump_stats import DumpImportStats

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
MAX_WINDOW_SIZE = 2**31  # Pushshift dumps are compressed with --long=31
READ_SIZE = 1 << 16


JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
SNIFF_BYTES = 1 << 16
# Called with the bytes of the file read so far.
ReadProgress = Callable[[int], None]


class DumpError(Exception):
    """A dump file that cannot be read at all (missing, unreadable, not a dump)."""


def check_dump_file(path: Path) -> str:
    """`zstd` or `json` for a file that looks like a Reddit dump; DumpError naming the file
    otherwise. Read before anything is written: a `.zst` must start with the zstd magic
    bytes, a `.jsonl`/`.ndjson`/`.json` file with a JSON object line, anything else with
    either."""
    try:
        with path.open("rb") as raw:
            head = raw.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise DumpError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DumpError(f"{path}: is a folder, not a dump file") from None
    except OSError as exc:
        raise DumpError(f"{path}: cannot open: {exc.strerror}") from exc
    suffix = path.suffix.lower()
    if head.startswith(ZSTD_MAGIC):
        if suffix in JSON_SUFFIXES:
            raise DumpError(f"{path}: a zstd file named {suffix}; rename it to .zst")
        return "zstd"
    if suffix == ".zst":
        raise DumpError(f"{path}: not a zstd file (it does not start with the zstd magic "
                        "bytes); give the RS_/RC_ .zst dump itself, or a .jsonl file")
    if _looks_like_ndjson(head):
        return "json"
    raise DumpError(f"{path}: not a Reddit dump: neither zstd nor JSON lines (one JSON "
                    "object per line)")


def _looks_like_ndjson(head: bytes) -> bool:
    """Whether the first line of `head` is (the start of) a JSON object."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return False
    line = text.split(b"\n", 1)[0]
    if b"\n" not in text and len(head) >= SNIFF_BYTES:
        return True  # a first line longer than the sniff: it starts like an object
    try:
        return isinstance(json.loads(line), dict)
    except (UnicodeDecodeError, ValueError):
        return False


class _CountingReader:
    """A binary file that reports its position after every read."""

    def __init__(self, raw: BinaryIO, on_read: ReadProgress) -> None:
        self.raw = raw
        self.on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.on_read(self.raw.tell())
        return data


class TruncatedStream(Exception):
    """A compressed stream that ends in the middle of a frame."""


def _zstd_chunks(raw: Any) -> Iterator[bytes]:
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


def _plain_chunks(raw: Any) -> Iterator[bytes]:
    while chunk := raw.read(READ_SIZE):
        yield chunk


def iter_lines(path: Path, on_read: ReadProgress | None = None) -> Iterator[bytes]:
    """The lines of a dump file (zstd detected by its magic bytes), without line ends;
    `on_read` is told the compressed bytes read so far.

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
        source: Any = raw if on_read is None else _CountingReader(raw, on_read)
        rest = b""
        for chunk in (_zstd_chunks(source) if compressed else _plain_chunks(source)):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            yield from lines
        if rest:
            yield rest


def iter_records(path: Path, stats: DumpImportStats | None = None,
                 count_malformed: bool = True, on_read: ReadProgress | None = None,
                 ) -> Iterator[dict[str, Any]]:
    """The JSON objects of one dump file, line by line.

    Malformed lines (bad UTF-8, bad JSON, not an object) are counted in `stats` with their
    line number when `count_malformed`, and skipped. A corrupt or truncated zstd stream ends
    the file with a recorded error (`corrupt_file`); the records before it are kept.
    """
    counting = stats if count_malformed else None
    line_no = 0
    try:
        for line in iter_lines(path, on_read):
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
