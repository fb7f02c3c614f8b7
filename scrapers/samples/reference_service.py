"""A loopback stand-in for the reference-list endpoints of Semantic Scholar and Europe PMC.

    service = ReferenceService()
    service.add(["PMID:99100001", "DOI:10.5555/x"], [{"externalIds": {"DOI": "10.1/y"},
                                                      "title": "...", "year": 2001}])
    server.route("/s2/graph/v1/paper/", service.s2)                  # LoopbackServer
    server.route("/europepmc/webservices/rest/", service.epmc)

Answers as the real services do: Semantic Scholar pages `{"offset", "next"?, "data":
[{"citedPaper": {...}}]}` with `offset`/`limit` (no `next` on the last page) and a 404
`{"error": "Paper with id X not found"}` for unknown ids; Europe PMC
`{"hitCount", "referenceList": {"reference": [...]}}` pages (`page`, `pageSize`). Used by the
demo's sample server, the quality benchmark and tests.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from scrapers.loopback import Request

Response = tuple[int, dict[str, str], bytes]
_JSON = {"Content-Type": "application/json"}
_S2_REFS = re.compile(r"/graph/v1/paper/(?P<id>[^/]+)/references$")
_EPMC_REFS = re.compile(r"/(?P<source>MED|PMC)/(?P<id>[^/]+)/references$", re.IGNORECASE)


def s2_key(raw: str) -> str:
    """`pmid:1` -> `PMID:1`, `doi:10.X/Y` -> `DOI:10.x/y`, `PMCID:PMC5` -> `PMCID:5`."""
    prefix, sep, value = raw.partition(":")
    if not sep:
        return raw
    prefix = prefix.upper()
    if prefix == "DOI":
        value = value.lower()
    if prefix == "PMCID":
        value = value.upper().removeprefix("PMC")
    return f"{prefix}:{value}"


class ReferenceService:
    """Reference lists by paper id, served in the two services' formats."""

    def __init__(self) -> None:
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.epmc_lists: dict[str, list[dict[str, Any]]] = {}  # "MED:1" / "PMC:PMC5"
        self.max_limit = 1000

    def add(self, ids: list[str], references: list[dict[str, Any]]) -> None:
        """Serve `references` (Semantic Scholar paper objects) under every id in `ids`."""
        for raw in ids:
            self.lists[s2_key(raw)] = references

    def add_epmc(self, source: str, ident: str, references: list[dict[str, Any]]) -> None:
        """Serve a Europe PMC reference list (`{"id", "source", "title", "pubYear", ...}`)."""
        self.epmc_lists[f"{source.upper()}:{ident.upper()}"] = references

    def s2(self, request: Request) -> Response:
        """GET .../graph/v1/paper/{id}/references?fields=...&offset=&limit=."""
        match = _S2_REFS.search(request.path)
        if not match:
            return 404, _JSON, b'{"error":"Not found"}'
        paper_id = unquote(match.group("id"))
        refs = self.lists.get(s2_key(paper_id))
        if refs is None:
            return 404, _JSON, json.dumps(
                {"error": f"Paper with id {paper_id} not found"}).encode("utf-8")
        try:
            offset = int(request.arg("offset") or 0)
            limit = int(request.arg("limit") or 100)
        except ValueError:
            return 400, _JSON, b'{"error":"offset and limit must be integers"}'
        if limit > self.max_limit or offset < 0 or limit < 1:
            return 400, _JSON, b'{"error":"limit must be between 1 and 1000"}'
        page: dict[str, Any] = {"offset": offset,
                                "data": [{"citedPaper": r} for r in refs[offset:offset + limit]]}
        if offset + limit < len(refs):
            page["next"] = offset + limit
        return 200, _JSON, json.dumps(page).encode("utf-8")

    def epmc(self, request: Request) -> Response:
        """GET .../{MED|PMC}/{id}/references?format=json&page=&pageSize=."""
        match = _EPMC_REFS.search(request.path)
        if not match:
            return 404, _JSON, b'{"error":"Not found"}'
        key = f"{match.group('source').upper()}:{match.group('id').upper()}"
        refs = self.epmc_lists.get(key)
        if refs is None:
            return 404, _JSON, b'{"errCode":404,"errMsg":"not found"}'
        page = max(1, int(request.arg("page") or 1))
        size = max(1, min(1000, int(request.arg("pageSize") or 25)))
        chunk = refs[(page - 1) * size:page * size]
        payload = {"version": "6.9", "hitCount": len(refs),
                   "request": {"id": match.group("id"), "source": match.group("source"),
                               "page": page, "pageSize": size},
                   "referenceList": {"reference": chunk}}
        return 200, _JSON, json.dumps(payload).encode("utf-8")
