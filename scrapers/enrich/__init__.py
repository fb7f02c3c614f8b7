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

Modules: `settings` (EnrichSettings: where the services are, how politely to ask), `client`
(JSON over HTTP with spacing and Retry-After retries), one per service (`semantic_scholar`,
`europe_pmc`, `crossref`), `run` (`enrich`, `enrich_studies`: the batches and fallbacks),
`report` (EnrichReport) and `cli` (`python -m scrapers.enrich`, for the scheduler).
"""
