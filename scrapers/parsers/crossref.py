"""Crossref REST API answers (`/works/{doi}`, `/works?query=`): bibliographic records."""

from __future__ import annotations

import html
import re
from typing import Any

from models.identifiers import normalise_doi
from models.study_store import StudyIn
from scrapers.parsers.jsonbody import ServiceError, as_int, as_text, load_json

_TAG = re.compile(r"<[^>]+>")
_DATE_KEYS = ("published-print", "published-online", "published", "issued")


def _date(work: dict[str, Any]) -> tuple[int | None, int | None, int | None]:
    for key in _DATE_KEYS:
        value = work.get(key)
        if not isinstance(value, dict):
            continue
        parts = value.get("date-parts")
        if not parts or not isinstance(parts[0], list) or not parts[0]:
            continue
        numbers = [as_int(p) for p in parts[0]] + [None, None]
        if numbers[0] is None:
            continue
        return numbers[0], numbers[1], numbers[2] if numbers[1] else None
    return None, None, None


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return next((t for t in (as_text(v) for v in value) if t), None)
    return as_text(value)


def _author(author: dict[str, Any]) -> str | None:
    name = as_text(author.get("name"))
    if name:
        return name
    return as_text(f"{author.get('given') or ''} {author.get('family') or ''}")


def parse_work(work: dict[str, Any]) -> StudyIn | None:
    """One work as a study record (None when it has no usable DOI).

    The citation count (`is-referenced-by-count`) is not carried over: enrichment counts
    come from Semantic Scholar / Europe PMC only, so sources do not overwrite each other.
    """
    doi = normalise_doi(work.get("DOI"))
    if doi is None:
        return None
    year, month, day = _date(work)
    abstract = as_text(work.get("abstract"))
    if abstract:
        abstract = as_text(html.unescape(_TAG.sub(" ", abstract)))
    authors = [name for name in (_author(a) for a in work.get("author") or []
                                 if isinstance(a, dict)) if name]
    return {
        "doi": doi,
        "title": _first(work.get("title")) or "",
        "journal": _first(work.get("container-title")),
        "authors": authors,
        "pub_year": year,
        "pub_month": month,
        "pub_day": day,
        "abstract": abstract,
        "url": as_text(work.get("URL")) or f"https://doi.org/{doi}",
    }


def parse_works(body: bytes | str | Any) -> list[StudyIn]:
    """Study records of a `work` or `work-list` answer; other lists give none.

    Crossref answers a missing DOI with a plain-text 404 body ("Resource not found."):
    that, and `status: failed` documents, raise ServiceError.
    """
    data = load_json(body)
    if not isinstance(data, dict):
        raise ServiceError("unexpected Crossref answer")
    if data.get("status") not in (None, "ok"):
        raise ServiceError(f"Crossref status {data.get('status')}: {data.get('message')}")
    message = data.get("message")
    kind = data.get("message-type")
    if kind == "work" and isinstance(message, dict):
        works = [message]
    elif kind == "work-list" and isinstance(message, dict):
        works = [w for w in message.get("items") or [] if isinstance(w, dict)]
    else:
        return []
    return [study for study in (parse_work(w) for w in works) if study is not None]
