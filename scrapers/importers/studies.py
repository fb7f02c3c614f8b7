"""`hairlink import studies`: curated study lists from files into the study table.

Every record goes through `models.study_store.upsert_study`, so a paper met twice (in one
file, across files, or already crawled from PubMed) stays one row whatever the order.
Records are written in savepoints of SAVEPOINT_BATCH; when the database refuses one, that
batch is redone a record at a time, so only the refused record is lost (and reported). One
transaction per file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models.entities import Treatment
from models.study_store import StudyIn, StudyWithoutIdentifier, upsert_study
from scrapers.parsers.studyfiles import RowProblem, UnknownFormat, detect_format, read_file

SAVEPOINT_BATCH = 200


@dataclass(frozen=True)
class ImportProblem:
    """A row, record or file that could not be imported (or imported with a warning)."""

    file: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass
class ImportReport:
    """What an import did, per outcome, with every problem located."""

    files: int = 0
    read: int = 0
    inserted: int = 0
    updated: int = 0
    merged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    by_file: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> list[ImportProblem]:
        """Problems that lost a record (warnings excluded)."""
        return [p for p in self.problems if not p.warning]


def import_study_files(session: Session, paths: Iterable[Path], fmt: str | None = None,
                       on_problem: Callable[[ImportProblem], None] | None = None,
                       ) -> ImportReport:
    """Import study files (format by extension unless `fmt`); commits once per file."""
    report = ImportReport()
    known = set(session.scalars(select(Treatment.id)))

    def problem(item: ImportProblem) -> None:
        report.problems.append(item)
        if on_problem:
            on_problem(item)

    for path in paths:
        name = str(path)
        try:
            file_format = detect_format(path, fmt)
        except UnknownFormat as exc:
            problem(ImportProblem(name, None, str(exc)))
            continue
        if not path.is_file():
            problem(ImportProblem(name, None, "no such file"))
            continue
        report.files += 1
        batch: list[tuple[int | None, StudyIn]] = []
        try:
            for line, record in read_file(path, file_format):
                if isinstance(record, RowProblem):
                    problem(ImportProblem(name, line, record.message))
                    continue
                treatments = record.get("treatments") or []
                unknown = [t for t in treatments if t not in known]
                if unknown:
                    problem(ImportProblem(
                        name, line, f"unknown treatment id(s) {', '.join(unknown)} not "
                        "attached (load the lexicon first)", warning=True))
                    record["treatments"] = [t for t in treatments if t in known]
                batch.append((line, record))
                if len(batch) >= SAVEPOINT_BATCH:
                    _store(session, name, batch, report, problem)
                    batch = []
        except (OSError, UnicodeError) as exc:
            problem(ImportProblem(name, None, f"cannot read: {exc}"))
        _store(session, name, batch, report, problem)
        session.commit()
    return report


def _store(session: Session, name: str, batch: list[tuple[int | None, StudyIn]],
           report: ImportReport, problem: Callable[[ImportProblem], None]) -> None:
    """Upsert a batch in one savepoint; if the database refuses any record, redo the batch
    one savepoint per record so only the refused records are lost (and reported)."""
    if not batch:
        return
    try:
        with session.begin_nested():
            outcomes = [upsert_study(session, record)[1] for _, record in batch]
    except (StudyWithoutIdentifier, SQLAlchemyError):
        outcomes = []
        for line, record in batch:
            try:
                with session.begin_nested():
                    outcomes.append(upsert_study(session, record)[1])
            except (StudyWithoutIdentifier, SQLAlchemyError) as exc:
                problem(ImportProblem(name, line, f"not stored: {str(exc).splitlines()[0]}"))
    for outcome in outcomes:
        report.read += 1
        report.by_file[name] += 1
        setattr(report, outcome, getattr(report, outcome) + 1)
