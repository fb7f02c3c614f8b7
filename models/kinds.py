"""The fixed words some columns hold, as `Literal` types (no SQLAlchemy import here: the
CLI's light commands read them). `models.types.words` makes their column types."""

from __future__ import annotations

from typing import Literal, get_args

CrawlStatus = Literal["running", "finished", "failed", "cancelled"]
FinalCrawlStatus = Literal["finished", "failed", "cancelled"]
LinkKind = Literal["citation", "topic"]
# What a thread reports about a treatment's effect on hair ("none": nothing said).
Effect = Literal["improved", "no_effect", "mixed", "none"]
# The service a study's reference list came from ("none": no service had one).
ReferenceService = Literal["s2", "epmc", "none"]

CRAWL_STATUSES: tuple[CrawlStatus, ...] = get_args(CrawlStatus)
FINAL_CRAWL_STATUSES: tuple[FinalCrawlStatus, ...] = get_args(FinalCrawlStatus)
LINK_KINDS: tuple[LinkKind, ...] = get_args(LinkKind)
EFFECTS: tuple[Effect, ...] = get_args(Effect)
REFERENCE_SERVICES: tuple[ReferenceService, ...] = get_args(ReferenceService)

