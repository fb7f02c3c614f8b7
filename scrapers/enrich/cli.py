"""`python -m scrapers.enrich`: enrichment as a subprocess, for the scheduler."""

from __future__ import annotations

import json

from scrapers.enrich.run import enrich
from scrapers.enrich.settings import EnrichSettings


def main(argv: list[str] | None = None) -> int:
    """`python -m scrapers.enrich [--config PATH] [--all] [--refresh] [--no-references]
    [--limit N] [--s2-url URL] [--epmc-url URL]`: enrichment as a subprocess (for the
    scheduler). Prints one JSON line with the counts; exit 1 when every study asked about
    failed."""
    import argparse
    import sys

    from models.config import ConfigError, load_config
    from models.db import make_engine, session_factory
    from models.schema_version import SchemaNotReady, require_schema

    parser = argparse.ArgumentParser(prog="python -m scrapers.enrich",
                                     description="Enrich stored studies (TLDR, citations).")
    parser.add_argument("--config", help="config file (default: the usual lookup)")
    parser.add_argument("--all", action="store_true", help="ask again about enriched studies")
    parser.add_argument("--limit", type=int, default=None, help="at most N studies")
    parser.add_argument("--s2-url", help="Semantic Scholar base URL")
    parser.add_argument("--epmc-url", help="Europe PMC base URL")
    parser.add_argument("--crossref-url", help="Crossref base URL")
    parser.add_argument("--refresh", action="store_true",
                        help="fetch every study's reference list again")
    parser.add_argument("--no-references", action="store_true",
                        help="do not fetch reference lists")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"error: configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        overrides = {"use_references": False} if args.no_references else {}
        settings = EnrichSettings.from_env(args.s2_url, args.epmc_url, contact=config.contact,
                                           crossref_base=args.crossref_url,
                                           section=config.section("enrich"), **overrides)
    except ValueError as exc:
        print(f"error: configuration error: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(config.database_url)
    try:
        require_schema(engine)
        with session_factory(engine)() as session:
            report = enrich(session, settings, everything=args.all, limit=args.limit,
                            refresh_references=args.refresh)
    except SchemaNotReady as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    for message in report.messages:
        print(f"warning: {message}", file=sys.stderr)
    print(json.dumps({"asked": report.asked, "from_s2": report.from_s2,
                      "from_epmc": report.from_epmc, "from_crossref": report.from_crossref,
                      "not_found": report.not_found,
                      "failed": report.failed, "requests": report.requests,
                      "retries": report.retries,
                      "references": report.references.as_dict()}), flush=True)
    return 1 if report.asked and report.failed == report.asked else 0
