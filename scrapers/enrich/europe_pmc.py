"""Europe PMC search: the fallback for papers Semantic Scholar does not know or has no
citation count for (`citedByCount`)."""

from __future__ import annotations

import urllib.parse

from models.study_store import StudyIn
from scrapers.enrich.client import HttpClient, RequestFailed
from scrapers.parsers import europepmc
from scrapers.parsers.jsonbody import ServiceError

EPMC_SEARCH_PATH = "/europepmc/webservices/rest/search"


def epmc_lookup(client: HttpClient, record: StudyIn) -> europepmc.EpmcRecord | None:
    """The Europe PMC record sharing an identifier with `record`; None if unknown."""
    settings = client.settings
    query = europepmc.search_query(record)
    if not query:
        return None
    params = urllib.parse.urlencode({"query": query, "format": "json", "resultType": "lite"})
    status, body = client.request("epmc", settings.epmc_interval,
                                  f"{settings.epmc_base}{EPMC_SEARCH_PATH}?{params}")
    if status == 404:
        return None
    if status != 200:
        raise RequestFailed(f"epmc: HTTP {status}")
    try:
        result = europepmc.parse_search(body)
    except ServiceError as exc:
        raise RequestFailed(f"epmc: {exc}") from exc
    return europepmc.match(result.records, record)
