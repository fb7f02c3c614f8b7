"""Serve the bundled sample communities and study services on loopback.

    with SampleServer() as server:
        server.base_urls["discourse"]      # http://127.0.0.1:PORT/discourse
        ...

One `scrapers.loopback.LoopbackServer` on 127.0.0.1 and a free port; each community and
study service lives under its own path prefix (`layout.PREFIX`), so each source has its own
`base_url`. Static answers come from `data/routes.json` (method, path, query constraints,
file); the Semantic Scholar batch and reference-list endpoints and the Europe PMC search
answer from lookup tables, as the real services do. robots.txt allows everything.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from scrapers.loopback import LoopbackServer, Request
from scrapers.samples import layout
from scrapers.samples.reference_service import ReferenceService

DATA_DIR = Path(__file__).parent / "data"
Response = tuple[int, dict[str, str], bytes]
_JSON = {"Content-Type": "application/json"}
ROBOTS_TXT = b"User-agent: *\nAllow: /\n"


class SampleSite:
    """The request dispatcher over the generated sample data (no sockets)."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.data_dir = data_dir
        self.routes: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for route in json.loads((data_dir / "routes.json").read_text("utf-8")):
            self.routes.setdefault((route["method"], route["path"]), []).append(route)
        self._files: dict[str, bytes] = {}

    @cached_property
    def s2_index(self) -> dict[str, Any]:
        """Semantic Scholar batch keys -> paper objects."""
        return json.loads((self.data_dir / "semanticscholar/batch_index.json").read_text("utf-8"))

    @cached_property
    def references(self) -> ReferenceService:
        """The sample studies' reference lists (Semantic Scholar reference pages)."""
        service = ReferenceService()
        lists = json.loads((self.data_dir / "semanticscholar/references.json")
                           .read_text("utf-8"))
        for key, refs in lists.items():
            service.add([key], refs)
        return service

    @cached_property
    def epmc_records(self) -> list[dict[str, Any]]:
        """Europe PMC search records of the sample studies."""
        return json.loads((self.data_dir / "europepmc/records.json").read_text("utf-8"))

    def file(self, rel: str) -> bytes:
        """A data file's bytes (cached)."""
        if rel not in self._files:
            path = (self.data_dir / rel).resolve()
            if self.data_dir.resolve() not in path.parents:
                raise ValueError(f"not a sample file: {rel}")
            self._files[rel] = path.read_bytes()
        return self._files[rel]

    def __call__(self, request: Request) -> Response:
        path = request.path
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, ROBOTS_TXT
        s2 = layout.PREFIX["semanticscholar"]
        if path == f"{s2}/graph/v1/paper/batch" and request.method == "POST":
            return self.s2_batch(getattr(request, "body", b""))
        if path.startswith(f"{s2}/graph/v1/paper/") and path.endswith("/references"):
            return self.references.s2(request)
        if path.startswith(f"{s2}/graph/v1/paper/") and request.method in ("GET", "HEAD"):
            return self.s2_paper(path.removeprefix(f"{s2}/graph/v1/paper/"))
        if path == f"{layout.PREFIX['europepmc']}/webservices/rest/search":
            return self.epmc_search(request.arg("query") or "")
        method = "GET" if request.method == "HEAD" else request.method
        for route in self.routes.get((method, path), ()):
            if _query_matches(route["query"], request.query):
                return 200, {"Content-Type": route["content_type"]}, self.file(route["file"])
        if any(path == known and verb != method for verb, known in self.routes):
            return 405, {"Content-Type": "text/plain"}, b"method not allowed"
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def s2_batch(self, body: bytes) -> Response:
        """POST /graph/v1/paper/batch: one entry per requested id, null when unknown."""
        try:
            ids = json.loads(body or b"{}").get("ids")
        except (ValueError, AttributeError):
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return 400, _JSON, b'{"error":"Unacceptable JSON: expected {\\"ids\\": [...]}"}'
        papers = [self.s2_index.get(_s2_key(i)) for i in ids]
        return 200, _JSON, json.dumps(papers).encode("utf-8")

    def s2_paper(self, paper_id: str) -> Response:
        """GET /graph/v1/paper/{id}."""
        paper = self.s2_index.get(_s2_key(paper_id))
        if paper is None:
            return 404, _JSON, json.dumps({"error": f"Paper with id {paper_id} not found"}
                                          ).encode("utf-8")
        return 200, _JSON, json.dumps(paper).encode("utf-8")

    def epmc_search(self, query: str) -> Response:
        """GET /europepmc/webservices/rest/search?query=...&format=json."""
        wanted = {token.lower() for token in re.findall(r"[\w./()-]+", query)}
        hits = [r for r in self.epmc_records
                if {str(r.get(k, "")).lower() for k in ("pmid", "doi", "pmcid")} & wanted]
        payload: dict[str, Any] = {
            "version": "6.9", "hitCount": len(hits),
            "request": {"queryString": query, "resultType": "lite", "cursorMark": "*",
                        "pageSize": 25, "sort": "", "synonym": False},
            "resultList": {"result": hits}}
        return 200, _JSON, json.dumps(payload).encode("utf-8")


def _s2_key(raw: str) -> str:
    """Normalise a batch id: `pmid:1` -> `PMID:1`, `doi:X` -> `DOI:x` as stored."""
    prefix, sep, value = raw.partition(":")
    if not sep:
        return raw
    prefix = prefix.upper()
    if prefix == "DOI":
        value = value.lower()
    return f"{prefix}:{value}"


def _query_matches(wanted: dict[str, str | None], query: dict[str, list[str]]) -> bool:
    for name, value in wanted.items():
        got = (query.get(name) or [""])[0]
        if value is None:
            if got:
                return False
        elif got != value:
            return False
    return True


class SampleServer:
    """The sample communities on a loopback server, started and stopped as a context."""

    def __init__(self, data_dir: Path = DATA_DIR, port: int = 0) -> None:
        self.site = SampleSite(data_dir)
        self.server = LoopbackServer(port=port)
        self.server.route("/", self.site)

    def start(self) -> SampleServer:
        """Start serving on 127.0.0.1 (a free port unless one was given)."""
        self.server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root(self) -> str:
        """http://127.0.0.1:PORT"""
        return self.server.base_url

    @property
    def base_urls(self) -> dict[str, str]:
        """The base URL of each service (reddit API, reddit auth, forums, study services)."""
        urls = {name: self.root + prefix for name, prefix in layout.PREFIX.items()}
        urls["reddit_token"] = urls["reddit_auth"] + "/api/v1/access_token"
        # Europe PMC's client appends /europepmc/webservices/rest/search to the host.
        urls["europepmc"] = self.root
        return urls
