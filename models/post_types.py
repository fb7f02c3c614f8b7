"""The values the posts query API takes and returns: `PostQuery` in, `Post` (with its
`PostLink`s to `StudyRef`s) out; `ThreadHead`, the fields every outgoing thread shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from models.identifiers import study_key
from models.kinds import LinkKind

SORTS = ("score", "new", "relevance")


@dataclass(frozen=True)
class StudyRef:
    """The identifying part of a study, as shown beside a post."""

    id: int
    pmid: str | None
    doi: str | None
    pmcid: str | None
    title: str

    @property
    def key(self) -> str:
        """The preferred public key: `pmid:N`, else `doi:...`, else `pmcid:...`, else `id:N`."""
        return study_key(self.pmid, self.doi, self.pmcid, self.id)


@dataclass(frozen=True)
class PostLink:
    """A thread's link to a study."""

    study: StudyRef
    kind: LinkKind
    score: float


@dataclass(frozen=True)
class ReplyRef:
    """A stored top reply of a thread: under a digest's post card, and in `--with-replies`."""

    score: int | None
    created_at: datetime | None
    body: str


@dataclass
class ThreadHead:
    """What every outgoing shape of a thread carries: the thread's columns read under their
    own names, and its source's name and kind. `Post` (a page of threads) and
    `models.thread_detail.ThreadDetail` (one thread in full) extend it, so a column added
    here reaches both."""

    id: int
    source: str
    source_kind: str
    external_id: str
    url: str
    title: str
    category: str | None
    score: int | None
    num_comments: int
    created_at: datetime


@dataclass
class Post(ThreadHead):
    """One thread as the query API returns it."""

    body_start: str = ""
    treatments: list[str] = field(default_factory=list)
    links: list[PostLink] = field(default_factory=list)
    relevance: float | None = None
    link_kind: LinkKind | None = None  # the kind of this post's link to the queried study
    summary: str | None = None  # what the poster reports and the replies say (aggregator)
    # treatment -> {"effect": ..., "side_effects": [...]} (what the thread reports)
    outcomes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The stored top replies (`post_rows.top_replies`), when loaded: by `--with-replies`
    # and the digests' cards; None when not asked for (then not in JSON or CSV).
    replies: list[ReplyRef] | None = None


@dataclass
class PostQuery:
    """Filters, order and page of a posts query. Every filter given must hold."""

    treatments: Sequence[str] = ()
    study_id: int | None = None
    source: str | None = None
    category: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_score: int | None = None
    search: str | None = None
    # what the thread reports (about `treatments` when given, else about any treatment)
    effect: str | None = None  # improved | no_effect | mixed
    side_effect: str | None = None  # sexual, mood, shedding, skin, cardio, body_hair...
    sort: str = "relevance"
    limit: int | None = 50
    offset: int = 0
