"""Semantic Scholar's batch endpoint: TLDR, citation count and identifiers of many papers
per POST (`PMID:` ids, else `DOI:`)."""

from __future__ import annotations

import urllib.parse

from models.study_store import StudyIn
from scrapers.enrich.client import HttpClient, RequestFailed
from scrapers.parsers import semanticscholar
from scrapers.parsers.jsonbody import ServiceError

S2_BATCH_PATH = "/graph/v1/paper/batch"


def s2_batch(client: HttpClient, records: list[StudyIn],
             ) -> list[semanticscholar.S2Paper | None]:
    """Semantic Scholar papers for `records` (aligned; None = unknown). RequestFailed on error."""
    settings = client.settings
    ids = [semanticscholar.batch_id(r) for r in records]
    query = urllib.parse.urlencode({"fields": semanticscholar.BATCH_FIELDS})
    url = f"{settings.s2_base}{S2_BATCH_PATH}?{query}"
    headers = {"x-api-key": settings.s2_api_key} if settings.s2_api_key else {}
    status, body = client.request("s2", settings.s2_interval, url,
                                  payload={"ids": [i for i in ids if i]}, headers=headers)
    if status == 404:
        return [None] * len(records)
    if status != 200:
        raise RequestFailed(f"s2: HTTP {status}: {body[:200]!r}")
    try:
        papers = semanticscholar.parse_papers(body)
    except ServiceError as exc:
        raise RequestFailed(f"s2: {exc}") from exc
    asked = [i for i in ids if i]
    if len(papers) != len(asked):
        raise RequestFailed(f"s2: asked {len(asked)} ids, got {len(papers)} answers")
    answers = iter(papers)
    return [next(answers) if i else None for i in ids]
