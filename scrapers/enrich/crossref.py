"""Crossref `/works/<doi>`: title, journal and year for studies missing them."""

from __future__ import annotations

import urllib.parse

from models.study_store import StudyIn
from scrapers.enrich.client import HttpClient, RequestFailed
from scrapers.parsers import crossref
from scrapers.parsers.jsonbody import ServiceError


def crossref_work(client: HttpClient, doi: str) -> StudyIn | None:
    """Crossref's bibliographic record of `doi` (None when Crossref does not know it)."""
    settings = client.settings
    query = f"?{urllib.parse.urlencode({'mailto': settings.contact})}" if settings.contact \
        else ""
    url = f"{settings.crossref_base}/works/{urllib.parse.quote(doi, safe='/')}{query}"
    status, body = client.request("crossref", settings.crossref_interval, url)
    if status == 404:
        return None
    if status != 200:
        raise RequestFailed(f"crossref: HTTP {status}")
    try:
        works = crossref.parse_works(body)
    except ServiceError as exc:
        raise RequestFailed(f"crossref: {exc}") from exc
    return next((w for w in works if w.get("doi") == doi), None)
