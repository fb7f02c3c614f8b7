"""Curated study lists in files: PubMed XML, RIS, CSV (with a header row) and JSONL
(a `.json` file holding one JSON array of objects is read too).

Each reader yields `(line, record)` pairs, where a record is a `StudyIn` dict or a
`RowProblem` naming what is wrong with that row; one bad row never stops the file.
Identifiers are normalised by `models.identifiers` (a row with none that normalises is a
problem, not a study).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import rispy

from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from models.study_store import StudyIn
from scrapers.parsers.pubmed import iter_articles

FORMATS = ("pubmed", "ris", "csv", "jsonl")
_EXTENSIONS = {".xml": "pubmed", ".ris": "ris", ".csv": "csv", ".jsonl": "jsonl",
               ".ndjson": "jsonl", ".json": "jsonl"}
# Column / key names accepted for each StudyIn field (lower-case, after stripping).
_ALIASES = {
    "pmid": "pmid", "pubmed_id": "pmid", "doi": "doi", "pmcid": "pmcid", "pmc": "pmcid",
    "title": "title", "authors": "authors", "author": "authors", "journal": "journal",
    "year": "pub_year", "pub_year": "pub_year", "month": "pub_month", "pub_month": "pub_month",
    "day": "pub_day", "pub_day": "pub_day", "abstract": "abstract", "tldr": "tldr",
    "summary": "tldr", "url": "url", "link": "url", "treatments": "treatments",
    "treatment": "treatments", "citations": "citation_count",
    "citation_count": "citation_count", "cited_by": "citation_count",
    "mesh_terms": "mesh_terms", "mesh": "mesh_terms",
    "publication_types": "publication_types",
}
_LIST_FIELDS = ("authors", "treatments", "mesh_terms", "publication_types")
_INT_FIELDS = {"pub_year": (1000, 2999), "pub_month": (1, 12), "pub_day": (1, 31),
               "citation_count": (0, 10**9)}
_TEXT_FIELDS = ("title", "journal", "abstract", "tldr", "url")
_TREATMENT_ID = re.compile(r"^[a-z0-9_]{1,50}$")
_RIS_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
_RIS_PMCID = re.compile(r"\b(PMC\d{1,10})\b", re.IGNORECASE)
_RIS_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)")
_RIS_END = re.compile(r"^ER\s{2}-")
_RIS_START = re.compile(r"^TY\s{2}-")


@dataclass(frozen=True)
class RowProblem:
    """Why one row/record of a file could not be read."""

    message: str


class UnknownFormat(ValueError):
    """The file format could not be told from the extension and none was given."""


def detect_format(path: Path, explicit: str | None = None) -> str:
    """`pubmed`, `ris`, `csv` or `jsonl`: from `explicit`, else the file extension."""
    if explicit:
        if explicit not in FORMATS:
            raise UnknownFormat(f"unknown format {explicit!r} (use {', '.join(FORMATS)})")
        return explicit
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise UnknownFormat(f"{path.name}: cannot tell the format from the extension "
                            f"(use --format {'|'.join(FORMATS)})")
    return fmt


def _split_list(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        items = [str(v).strip() for v in value if v is not None]
    else:
        separator = ";" if field == "authors" or ";" in str(value) else ","
        items = [v.strip() for v in str(value).split(separator)]
    return [v for v in items if v]


def _int_field(field: str, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{field}: not a number: {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d+", text):
            raise ValueError(f"{field}: not a whole number: {value!r}")
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(f"{field}: not a number: {value!r}")
    low, high = _INT_FIELDS[field]
    if not low <= value <= high:
        raise ValueError(f"{field}: out of range: {value}")
    return value


def record_from_mapping(data: dict[str, Any]) -> StudyIn | RowProblem:
    """A study record from a CSV row or JSON object keyed by column names."""
    record: dict[str, Any] = {}
    for key, value in data.items():
        if key is None:
            continue
        field = _ALIASES.get(str(key).strip().lower())
        if field is None or field in record:
            continue
        try:
            if field in _LIST_FIELDS:
                record[field] = _split_list(value, field)
            elif field in _INT_FIELDS:
                record[field] = _int_field(field, value)
            elif field in ("pmid", "doi", "pmcid"):
                record[field] = None if value is None else str(value).strip() or None
            elif value is not None:
                if not isinstance(value, str | int | float):
                    raise ValueError(f"{field}: expected text, got {type(value).__name__}")
                record[field] = " ".join(str(value).split()) or None
        except ValueError as exc:
            return RowProblem(str(exc))
    problem = _check_identifiers(record)
    if problem:
        return problem
    bad = [t for t in record.get("treatments", []) if not _TREATMENT_ID.match(t)]
    if bad:
        return RowProblem(f"treatments: not a treatment id: {bad[0]!r}")
    if record.get("title") is None:
        record["title"] = ""
    return record  # type: ignore[return-value]


def _check_identifiers(record: dict[str, Any]) -> RowProblem | None:
    given = {k: record.get(k) for k in ("pmid", "doi", "pmcid") if record.get(k)}
    normalisers = {"pmid": normalise_pmid, "doi": normalise_doi, "pmcid": normalise_pmcid}
    for kind, value in given.items():
        if normalisers[kind](value) is None:
            return RowProblem(f"{kind}: not a valid {kind.upper()}: {value!r}")
        record[kind] = normalisers[kind](value)
    if not given:
        return RowProblem("no PMID, DOI or PMCID")
    return None


def read_csv(stream: IO[str]) -> Iterator[tuple[int, StudyIn | RowProblem]]:
    """Rows of a CSV file whose first row names the columns."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield 1, RowProblem(f"unreadable header: {exc}")
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if not any(_ALIASES.get(n) in ("pmid", "doi", "pmcid") for n in names):
        yield reader.line_num, RowProblem(
            "the header row names no identifier column (pmid, doi or pmcid)")
        return
    while True:
        start = reader.line_num + 1  # a quoted cell may span lines: report where it starts
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowProblem(f"unreadable row: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield start, RowProblem(f"expected {len(names)} columns, got {len(row)}")
            continue
        yield start, record_from_mapping(dict(zip(names, row, strict=True)))


def read_jsonl(stream: IO[str]) -> Iterator[tuple[int, StudyIn | RowProblem]]:
    """One JSON object per line (the eval `studies.jsonl` shape is accepted)."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowProblem(f"not JSON: {exc.msg}")
            continue
        if not isinstance(data, dict):
            yield number, RowProblem("not a JSON object")
            continue
        yield number, record_from_mapping(data)


def read_json_array(stream: IO[str]) -> Iterator[tuple[int | None, StudyIn | RowProblem]]:
    """A JSON array of objects (a `.json` export); problems name the item number."""
    try:
        data = json.load(stream)
    except json.JSONDecodeError as exc:
        yield exc.lineno, RowProblem(f"not JSON: {exc.msg}")
        return
    if not isinstance(data, list):
        yield None, RowProblem("expected a JSON array of objects or one object per line")
        return
    for number, item in enumerate(data, start=1):
        record = (record_from_mapping(item) if isinstance(item, dict)
                  else RowProblem("not a JSON object"))
        if isinstance(record, RowProblem):
            record = RowProblem(f"item {number}: {record.message}")
        yield None, record


def _ris_chunks(stream: IO[str]) -> Iterator[tuple[int, str | RowProblem]]:
    """Each RIS record's text from its `TY  -` line to its `ER  -` line, at the line number
    of its `TY`; or a RowProblem at the line where something is wrong. A `TY  -` line
    always starts a new record, so a broken record or stray lines never swallow the next."""
    lines: list[str] = []
    start = 0
    stray: tuple[int, int, str] | None = None  # (first line, count, text) outside records

    def stray_problem() -> tuple[int, RowProblem]:
        assert stray is not None
        first, count, text = stray
        many = f"{count} lines" if count > 1 else "a line"
        return first, RowProblem(f"{many} outside any record (no 'TY  -' before): {text!r}")

    for number, line in enumerate(stream, start=1):
        line = line.lstrip("\ufeff")
        if _RIS_START.match(line):
            if stray is not None:
                yield stray_problem()
                stray = None
            if lines:
                yield start, RowProblem(
                    f"RIS record is not closed by an 'ER  -' line before line {number}")
            lines, start = [line], number
            continue
        if not lines:
            if line.strip():
                stray = (stray[0], stray[1] + 1, stray[2]) if stray else (
                    number, 1, line.strip()[:60])
            continue
        lines.append(line)
        if _RIS_END.match(line):
            yield start, "".join(lines)
            lines = []
    if stray is not None:
        yield stray_problem()
    if lines:
        yield start, RowProblem("RIS record is not closed by an 'ER  -' line")


def _ris_author(name: str) -> str:
    if "," in name:
        family, _, given = name.partition(",")
        return f"{given.strip()} {family.strip()}".strip()
    return name.strip()


_RIS_TEXT_KEYS = ("notes", "note", "custom1", "custom2", "custom7", "accession_number",
                  "urls", "name_of_database", "database_provider")


def _ris_record(entry: dict[str, Any]) -> StudyIn | RowProblem:
    blob = _ris_blob(entry)
    pmcid = _RIS_PMCID.search(blob)
    authors = [_ris_author(a) for a in (entry.get("authors") or entry.get("first_authors")
                                       or [])]
    urls = entry.get("urls") or []
    mapping = {
        "pmid": _ris_pmid(entry, blob), "doi": _ris_doi(entry, blob),
        "pmcid": pmcid.group(1) if pmcid else None,
        "title": entry.get("title") or entry.get("primary_title") or "",
        "authors": [a for a in authors if a],
        "journal": _ris_journal(entry),
        "year": _ris_year(entry),
        "abstract": entry.get("abstract") or entry.get("notes_abstract"),
        "url": urls[0] if urls else None,
    }
    return record_from_mapping(mapping)


def _ris_doi(entry: dict[str, Any], blob: str) -> str | None:
    doi = entry.get("doi")
    if doi:
        return doi
    found = _RIS_DOI.search(blob)
    return found.group(1) if found else None


def _ris_journal(entry: dict[str, Any]) -> str | None:
    return (entry.get("journal_name") or entry.get("secondary_title")
            or entry.get("alternate_title3") or entry.get("alternate_title1")
            or entry.get("alternate_title2"))


def _ris_year(entry: dict[str, Any]) -> str | None:
    text = str(entry.get("year") or entry.get("publication_year") or entry.get("date") or "")
    year = re.match(r"\s*(\d{4})", text)
    return year.group(1) if year else None


def _ris_blob(entry: dict[str, Any]) -> str:
    """The record's free-text fields (notes, custom fields, URLs...) as one text to search."""
    texts = []
    for key in _RIS_TEXT_KEYS:
        value = entry.get(key)
        texts.extend(value if isinstance(value, list) else [value] if value else [])
    return "\n".join(str(t) for t in texts)


def _ris_pmid(entry: dict[str, Any], blob: str) -> str | None:
    """The PMID: a PubMed/MEDLINE accession number, else one written in the free text, else
    the id of a PubMed URL."""
    accession = str(entry.get("accession_number") or "").strip()
    database = f"{entry.get('name_of_database', '')} {entry.get('database_provider', '')}"
    if accession.isdigit() and re.search(r"pubmed|medline|nlm", database, re.IGNORECASE):
        return accession
    found = _RIS_PMID.search(blob)
    if found:
        return found.group(1)
    for url in entry.get("urls") or []:
        match = re.search(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)", str(url))
        if match:
            return match.group(1)
    return None


def read_ris(stream: IO[str]) -> Iterator[tuple[int, StudyIn | RowProblem]]:
    """RIS records (`TY  -` … `ER  -`), each reported at the line of its `TY` tag; stray
    lines and unclosed records are problems at their own line, the next record is read."""
    for start, chunk in _ris_chunks(stream):
        if isinstance(chunk, RowProblem):
            yield start, chunk
            continue
        try:
            entries = rispy.loads(chunk)
        except Exception as exc:  # rispy raises plain IOError/ValueError variants
            yield start, RowProblem(f"unreadable RIS record: {exc}")
            continue
        for entry in entries:
            yield start, _ris_record(entry)


def read_pubmed(stream: IO[bytes]) -> Iterator[tuple[int | None, StudyIn | RowProblem]]:
    """Articles of a PubMed XML file (efetch output or a PubMed export)."""
    problems: list[tuple[int | None, RowProblem]] = []

    def on_drop(reason: str, line: int | None) -> None:
        problems.append((line, RowProblem(reason)))

    for record in iter_articles(stream, on_drop=on_drop):
        while problems:
            yield problems.pop(0)
        yield None, record
    yield from problems


def read_file(path: Path, fmt: str) -> Iterator[tuple[int | None, StudyIn | RowProblem]]:
    """Records of one file in format `fmt` (see FORMATS). OSError if it cannot be opened."""
    if fmt == "pubmed":
        with path.open("rb") as binary:
            yield from read_pubmed(binary)
        return
    readers = {"csv": read_csv, "jsonl": read_jsonl, "ris": read_ris}
    with path.open("rb") as binary:
        reader = readers[fmt]
        head = binary.read(4096)
        # UTF-16 with its byte-order mark: what spreadsheets save as "Unicode text"
        encoding = "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) \
            else "utf-8-sig"
        if encoding == "utf-16":
            head = head.decode("utf-16", errors="replace").encode("utf-8")
        if fmt == "jsonl" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            reader = read_json_array  # type: ignore[assignment]
        binary.seek(0)
        text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
        yield from reader(text)
