"""Items the spiders yield. Pipelines validate, clean and store them (see scrapers.pipelines).

Times are aware UTC datetimes. HTML goes in `body_html` (the clean pipeline turns it into
text, keeping link targets as plain URLs); sources that give plain text or markdown (Reddit)
fill `body` directly. `author` is the raw name: the pipeline hashes it with the per-install
salt and never stores the name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ReplyItem:
    """A top reply of a thread."""

    external_id: str
    body: str | None = None
    body_html: str | None = None
    score: int | None = None
    created_at: datetime | None = None
    author: str | None = None
    # `body` is `scrapers.text.tidy`'s output already (a forum spider's `Post.text`): the
    # clean pipeline leaves it as it is instead of tidying it again (`tidy` gives it back).
    body_tidy: bool = field(default=False, compare=False, repr=False)


@dataclass
class ThreadItem:
    """One thread with its top replies, as seen on one crawl."""

    source: str
    external_id: str
    url: str
    title: str
    created_at: datetime | None
    body: str | None = None
    body_html: str | None = None
    category: str | None = None
    score: int | None = None
    num_comments: int = 0
    edited_at: datetime | None = None
    last_activity_at: datetime | None = None
    author: str | None = None
    replies: list[ReplyItem] = field(default_factory=list)
    body_tidy: bool = field(default=False, compare=False, repr=False)  # (as `ReplyItem`'s)


@dataclass
class StudyItem:
    """A study record from a study source (PubMed, enrichment services)."""

    source: str
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    title: str = ""
    authors: list[str] = field(default_factory=list)
    journal: str | None = None
    pub_year: int | None = None
    pub_month: int | None = None
    pub_day: int | None = None
    abstract: str | None = None
    tldr: str | None = None
    citation_count: int | None = None
    mesh_terms: list[str] = field(default_factory=list)
    publication_types: list[str] = field(default_factory=list)
    url: str | None = None
