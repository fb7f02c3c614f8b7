"""Study enrichment: TLDR and citation count from Semantic Scholar, Europe PMC as fallback.

A small synchronous HTTP client (stdlib `urllib`) rather than a Scrapy spider: enrichment is
a handful of large POSTs (500 ids each) driven by what is in the database, and it runs from
the command line, where Scrapy's reactor would need a subprocess and a round trip through
items and pipelines for what is a read-modify-write of a few columns.

Studies missing a title, journal or year that have a DOI get those from Crossref
(`/works/<doi>`, fill-gaps only).

Rules: ask Semantic Scholar's batch endpoint for every study (`PMID:` ids, else `DOI:`);
papers it does not know (`null` entries) or that come back without a citation count are
asked of Europe PMC (`citedByCount`). 429 and 503 answers are retried after `Retry-After`
(bounded); a study whose services all fail keeps what it had and stays un-enriched, so the
next run tries again. New values go through `upsert_study` (newest TLDR and citation count
win; identifiers the services report fill the gaps and merge rows of the same paper).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models.entities import Study
from models.store import utcnow
from models.study_queries import studies_to_enrich
from models.study_store import IDENTIFIERS, StudyIn, upsert_study
from scrapers.parsers import crossref, europepmc, semanticscholar
from scrapers.parsers.jsonbody import ServiceError

S2_DEFAULT_BASE = "https://api.semanticscholar.org"
EPMC_DEFAULT_BASE = "https://www.ebi.ac.uk"
CROSSREF_DEFAULT_BASE = "https://api.crossref.org"
S2_BATCH_PATH = "/graph/v1/paper/batch"
EPMC_SEARCH_PATH = "/europepmc/webservices/rest/search"
S2_BATCH_LIMIT = 500
RETRY_STATUSES = (429, 503)


class RequestFailed(Exception):
    """A request that did not get a usable answer (network error, 5xx, retries exhausted)."""


@dataclass
class EnrichSettings:
    """Where the services are and how politely to ask them."""

    s2_base: str = S2_DEFAULT_BASE
    epmc_base: str = EPMC_DEFAULT_BASE
    s2_api_key: str | None = None
    batch_size: int = S2_BATCH_LIMIT
    max_retries: int = 3
    max_wait: float = 60.0
    s2_interval: float = 1.0
    epmc_interval: float = 0.2
    timeout: float = 30.0
    user_agent: str = "hairlink (study enrichment)"
    use_epmc: bool = True
    crossref_base: str = CROSSREF_DEFAULT_BASE
    crossref_interval: float = 0.2
    use_crossref: bool = True
    contact: str | None = None

    @classmethod
    def from_env(cls, s2_base: str | None = None, epmc_base: str | None = None,
                 contact: str | None = None, crossref_base: str | None = None,
                 section: dict[str, Any] | None = None, **overrides: Any) -> EnrichSettings:
        """Settings from options, else HAIRLINK_S2_BASE_URL / HAIRLINK_EPMC_BASE_URL /
        HAIRLINK_CROSSREF_BASE_URL / HAIRLINK_S2_API_KEY, else a config table `section`
        (`s2_url`, `epmc_url`, `crossref_url`, `delay`, `epmc`, `crossref`, `batch_size`),
        else the public services. ValueError for a section value of the wrong type."""
        table = _checked_section(section or {})
        agent = "hairlink (study enrichment" + (f"; {contact})" if contact else ")")
        for key, name in (("delay", "s2_interval"), ("epmc", "use_epmc"),
                          ("crossref", "use_crossref"), ("batch_size", "batch_size")):
            if key in table:
                overrides.setdefault(name, table[key])
        settings = cls(
            s2_base=(s2_base or os.environ.get("HAIRLINK_S2_BASE_URL") or table.get("s2_url")
                     or S2_DEFAULT_BASE),
            epmc_base=(epmc_base or os.environ.get("HAIRLINK_EPMC_BASE_URL")
                       or table.get("epmc_url") or EPMC_DEFAULT_BASE),
            s2_api_key=os.environ.get("HAIRLINK_S2_API_KEY") or None,
            crossref_base=(crossref_base or os.environ.get("HAIRLINK_CROSSREF_BASE_URL")
                           or table.get("crossref_url") or CROSSREF_DEFAULT_BASE),
            user_agent=agent,
            contact=contact,
            **overrides,
        )
        settings.s2_base = settings.s2_base.rstrip("/")
        settings.epmc_base = settings.epmc_base.rstrip("/")
        settings.crossref_base = settings.crossref_base.rstrip("/")
        settings.batch_size = max(1, min(settings.batch_size, S2_BATCH_LIMIT))
        return settings


_SECTION_TYPES: dict[str, type | tuple[type, ...]] = {
    "s2_url": str, "epmc_url": str, "crossref_url": str, "delay": (int, float),
    "epmc": bool, "crossref": bool, "batch_size": int}


def _checked_section(table: dict[str, Any]) -> dict[str, Any]:
    for key, value in table.items():
        expected = _SECTION_TYPES.get(key)
        if expected is None:
            raise ValueError(f"[enrich] unknown key {key!r} (known: "
                             f"{', '.join(sorted(_SECTION_TYPES))})")
        if not isinstance(value, expected) or (isinstance(value, bool)
                                               and expected is not bool):
            raise ValueError(f"[enrich] key {key!r}: wrong type {type(value).__name__}")
    return table


@dataclass
class EnrichReport:
    """What an enrichment run did."""

    asked: int = 0
    from_s2: int = 0
    from_epmc: int = 0
    from_crossref: int = 0
    not_found: int = 0
    failed: int = 0
    requests: int = 0
    retries: int = 0
    messages: list[str] = field(default_factory=list)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or utcnow())).total_seconds())


class HttpClient:
    """JSON over HTTP with per-service spacing and Retry-After-aware retries."""

    def __init__(self, settings: EnrichSettings, sleep: Callable[[float], None] = time.sleep,
                 report: EnrichReport | None = None) -> None:
        self.settings = settings
        self.sleep = sleep
        self.report = report or EnrichReport()
        self._last: dict[str, float] = {}

    def _space(self, service: str, interval: float) -> None:
        last = self._last.get(service)
        if last is not None:
            wait = interval - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[service] = time.monotonic()

    def request(self, service: str, interval: float, url: str, payload: Any = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body) of a GET (or a JSON POST when `payload` is given).

        429/503 are retried up to `max_retries` times after Retry-After (else 2^n seconds),
        capped at `max_wait`; other statuses are returned to the caller. RequestFailed when
        there is no answer or the retries run out.
        """
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        all_headers = {"User-Agent": self.settings.user_agent, "Accept": "application/json"}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        for attempt in range(self.settings.max_retries + 1):
            self._space(service, interval)
            request = urllib.request.Request(url, data=data, headers=all_headers,
                                             method="POST" if data is not None else "GET")
            self.report.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.settings.timeout) as answer:
                    return answer.status, answer.read()
            except urllib.error.HTTPError as exc:
                body = exc.read()
                if exc.code not in RETRY_STATUSES:
                    return exc.code, body
                if attempt == self.settings.max_retries:
                    raise RequestFailed(f"{service}: HTTP {exc.code} after {attempt + 1} "
                                        "attempts") from exc
                wait = retry_after_seconds(exc.headers.get("Retry-After"))
                wait = min(self.settings.max_wait, wait if wait is not None else 2.0 ** attempt)
                self.report.retries += 1
                self.sleep(wait)
            except (urllib.error.URLError, TimeoutError, OSError, HTTPException) as exc:
                raise RequestFailed(f"{service}: {exc}") from exc
        raise RequestFailed(f"{service}: no answer")  # pragma: no cover - loop always returns


def _ids_of(study: Study) -> StudyIn:
    return {kind: getattr(study, kind) for kind in IDENTIFIERS}  # type: ignore[return-value]


def _incomplete(study: Study) -> bool:
    """A study missing a title, journal or year (Crossref can fill those from its DOI)."""
    return not study.title or not study.journal or study.pub_year is None


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


def enrich_studies(session: Session, studies: list[Study], settings: EnrichSettings,
                   sleep: Callable[[float], None] = time.sleep,
                   progress: Callable[[str], None] | None = None) -> EnrichReport:
    """Enrich `studies` in batches, committing after each batch."""
    report = EnrichReport()
    client = HttpClient(settings, sleep=sleep, report=report)
    # Identifiers are copied first: a merge during the run may fold one row into another.
    records = [_ids_of(study) for study in studies]
    incomplete = {i for i, study in enumerate(studies) if _incomplete(study)}
    for start in range(0, len(records), settings.batch_size):
        batch = records[start:start + settings.batch_size]
        report.asked += len(batch)
        try:
            papers = s2_batch(client, batch)
        except RequestFailed as exc:
            report.messages.append(str(exc))
            papers = [None] * len(batch)
            s2_failed = True
        else:
            s2_failed = False
        for offset, (record, paper) in enumerate(zip(batch, papers, strict=True)):
            _enrich_one(session, client, record, paper, s2_failed, report)
            if start + offset in incomplete and settings.use_crossref:
                _fill_from_crossref(session, client, record, paper, report)
        session.commit()
        if progress:
            progress(f"{min(start + len(batch), len(records))}/{len(records)} studies asked")
    return report


def _enrich_one(session: Session, client: HttpClient, record: StudyIn,
                paper: semanticscholar.S2Paper | None, s2_failed: bool,
                report: EnrichReport) -> None:
    found: StudyIn | None = None
    if paper is not None:
        found = _merge_ids(record, paper.enrichment())
        report.from_s2 += 1
    epmc_answered: bool | None = None  # None: not asked
    if (found is None or found.get("citation_count") is None) and client.settings.use_epmc:
        try:
            epmc = epmc_lookup(client, record)
        except RequestFailed as exc:
            report.messages.append(str(exc))
            epmc_answered = False
        else:
            epmc_answered = True
            if epmc is not None:
                found = _merge_ids(found or record, epmc.enrichment())
                report.from_epmc += 1
    if found is None:
        # "Unknown" counts only when the last service asked did answer; otherwise the
        # study stays un-enriched and the next run asks again.
        answered = epmc_answered if epmc_answered is not None else not s2_failed
        if not answered:
            report.failed += 1
            return
        report.not_found += 1
        found = dict(record)  # type: ignore[assignment]
    try:
        with session.begin_nested():
            study, _ = upsert_study(session, found)
            study.enriched_at = utcnow()
    except SQLAlchemyError as exc:  # a refused write keeps the stored values
        report.failed += 1
        report.messages.append(f"not stored: {str(exc).splitlines()[0]}")


def _fill_from_crossref(session: Session, client: HttpClient, record: StudyIn,
                        paper: semanticscholar.S2Paper | None, report: EnrichReport) -> None:
    """Fill an incomplete study's empty bibliographic fields from Crossref (by DOI)."""
    doi = record.get("doi") or (paper.doi if paper else None)
    if not doi:
        return
    try:
        work = crossref_work(client, doi)
    except RequestFailed as exc:
        report.messages.append(str(exc))
        return
    if work is None:
        return
    work = _merge_ids(work, record)
    try:
        with session.begin_nested():
            upsert_study(session, work)
    except SQLAlchemyError as exc:
        report.messages.append(f"not stored: {str(exc).splitlines()[0]}")
        return
    report.from_crossref += 1


def _merge_ids(base: StudyIn, extra: StudyIn) -> StudyIn:
    merged: dict[str, Any] = dict(base)
    for key, value in extra.items():
        if value is None:
            continue
        if key in IDENTIFIERS and merged.get(key):
            continue
        if key == "tldr" and merged.get("tldr"):
            continue
        if key == "citation_count" and merged.get("citation_count") is not None:
            continue
        merged[key] = value
    return merged  # type: ignore[return-value]


def enrich(session: Session, settings: EnrichSettings, everything: bool = False,
           limit: int | None = None, sleep: Callable[[float], None] = time.sleep,
           progress: Callable[[str], None] | None = None) -> EnrichReport:
    """Enrich the studies never enriched (or all of them with `everything`)."""
    studies = studies_to_enrich(session, everything=everything, limit=limit)
    return enrich_studies(session, studies, settings, sleep=sleep, progress=progress)


def main(argv: list[str] | None = None) -> int:
    """`python -m scrapers.enrich [--config PATH] [--all] [--limit N] [--s2-url URL]
    [--epmc-url URL]`: enrichment as a subprocess (for the scheduler). Prints one JSON line
    with the counts; exit 1 when every study asked about failed."""
    import argparse
    import sys

    from models.config import ConfigError, load_config
    from models.db import make_engine, session_factory
    from models.migrate import current_revision, head_revision, upgrade

    parser = argparse.ArgumentParser(prog="python -m scrapers.enrich",
                                     description="Enrich stored studies (TLDR, citations).")
    parser.add_argument("--config", help="config file (default: the usual lookup)")
    parser.add_argument("--all", action="store_true", help="ask again about enriched studies")
    parser.add_argument("--limit", type=int, default=None, help="at most N studies")
    parser.add_argument("--s2-url", help="Semantic Scholar base URL")
    parser.add_argument("--epmc-url", help="Europe PMC base URL")
    parser.add_argument("--crossref-url", help="Crossref base URL")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"error: configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        settings = EnrichSettings.from_env(args.s2_url, args.epmc_url, contact=config.contact,
                                           crossref_base=args.crossref_url,
                                           section=config.section("enrich"))
    except ValueError as exc:
        print(f"error: configuration error: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(config.database_url)
    try:
        if current_revision(engine) != head_revision():
            upgrade(engine)
        with session_factory(engine)() as session:
            report = enrich(session, settings, everything=args.all, limit=args.limit)
    finally:
        engine.dispose()
    for message in report.messages:
        print(f"warning: {message}", file=sys.stderr)
    print(json.dumps({"asked": report.asked, "from_s2": report.from_s2,
                      "from_epmc": report.from_epmc, "from_crossref": report.from_crossref,
                      "not_found": report.not_found,
                      "failed": report.failed, "requests": report.requests,
                      "retries": report.retries}), flush=True)
    return 1 if report.asked and report.failed == report.asked else 0


if __name__ == "__main__":
    raise SystemExit(main())
