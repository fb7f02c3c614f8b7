"""The fixed words some columns hold, as `Literal` types and string-backed column types.

Each is stored as plain text (`VARCHAR` of the length the column always had, no CHECK
constraint, no native enum), so the schema is unchanged and needs no migration; SQLAlchemy
refuses a word outside the list when it binds a value, and a type checker sees the words.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from sqlalchemy import Enum

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


def words(literal: Any, length: int) -> Enum:
    """A column type for the words of `literal`, stored as VARCHAR(`length`)."""
    return Enum(*get_args(literal), native_enum=False, create_constraint=False,
                length=length, validate_strings=True)
