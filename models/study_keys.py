"""Study keys as users type them (`pmid:123`, `doi:10.x/y`, `pmcid:PMC9`, `id:7`): parsed and
normalised by `parse_study_key`, resolved to a stored study by `find_study`.

Listings print the same keys (`models.identifiers.study_key`). Looser forms are accepted
too: `PMID 123`, a DOI or PMCID without prefix, and a bare number, which is a PMID when a
study has it and else the internal id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.bounds import MAX_BIGINT
from models.entities import Study
from models.identifiers import NORMALISERS


class StudyKeyError(ValueError):
    """A study key that is not `pmid:N`, `doi:10.x/...`, `pmcid:PMCn` or an internal id."""


class StudyNotFound(LookupError):
    """No stored study has the given identifier."""


def parse_study_key(key: str) -> tuple[str, str | int]:
    """`pmid:123` -> ("pmid", "123"); `42` -> ("id", 42). Raises StudyKeyError."""
    text = key.strip()
    prefix, sep, rest = text.partition(":")
    kind = prefix.lower() if sep else ""
    if kind in ("pmid", "doi", "pmcid", "id"):
        value = rest.strip()
    elif kind in ("http", "https") and "doi.org/" in text.lower():
        kind, value = "doi", text
    else:
        kind, value = "", text
    if kind == "id" or (not kind and value.isdigit()):
        if value.isdigit() and 0 < int(value) <= MAX_BIGINT:
            return "id", int(value)
        if value.isdigit() and int(value) > MAX_BIGINT:
            raise StudyKeyError(f"bad study key {key!r}: {value} is too large for a PMID or "
                                "an internal id")
        raise StudyKeyError(f"bad study key {key!r}: an internal id is a positive integer")
    if not kind:
        if value.upper().startswith("PMC"):
            kind = "pmcid"
        elif value.startswith("10."):
            kind = "doi"
        elif value.lower().startswith("pmid") and NORMALISERS["pmid"](value):
            kind = "pmid"
        else:
            raise StudyKeyError(
                f"bad study key {key!r}: use pmid:NNN, doi:10.x/..., pmcid:PMCn or an id")
    normalised = NORMALISERS[kind](value)
    if not normalised:
        raise StudyKeyError(f"bad study key {key!r}: {value!r} is not a valid {kind.upper()}")
    return kind, normalised


def find_study(session: Session, key: str) -> Study:
    """The study a key names. Raises StudyKeyError (malformed) or StudyNotFound."""
    kind, value = parse_study_key(key)
    study = None
    if kind == "id" and key.strip().isdigit():  # a bare number: a PMID first
        study = session.scalar(select(Study).where(Study.pmid == str(value)))
        if study is not None:
            return study
    if kind == "id":
        study = session.get(Study, value)
    else:
        study = session.scalar(select(Study).where(getattr(Study, kind) == value))
    if study is None:
        label = (f"pmid:{value} or id:{value}" if kind == "id" and key.strip().isdigit()
                 else f"{kind}:{value}")
        raise StudyNotFound(f"no study with {label}")
    return study
