"""The source kinds hairlink crawls: each engine registers ONCE, here.

A registration (`SourceKind`) says everything the rest of hairlink needs to know about a kind:

- `model`: its `[[sources]]` config model (a `SourceModel` subclass; unknown keys refused);
- `spider`: the Scrapy spider's `name` (looked up through Scrapy's SpiderLoader: `models`
  must not import `scrapers`, so the spider is named, not imported);
- `parser`: the dotted name of its parser module (`scrapers.parsers.<kind>`);
- `distributed`: whether its crawls can be shared through Redis (scrapy-redis workers);
- `score_noun`: what its score counts ("upvote", "like", "reaction"), or None when the
  engine shows no score (stored as NULL, shown as "no votes");
- `default_base_url`: the public service, for kinds that have one (else `base_url` is
  required in the config);
- `label`: the engine's human name, for messages and docs.

Adding an engine (see docs/crawling.md, "Adding a forum engine"): a parser module, a thin
spider, and one registration at the bottom of this module::

    class VbulletinSource(ForumSourceModel):
        \"\"\"`kind = "vbulletin"`: a vBulletin 3.8/4.2/5 board.\"\"\"

        kind: Literal["vbulletin"]
        forums: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)
        timezone: TimeZoneName | None = None


    register(SourceKind(name="vbulletin", model=VbulletinSource, spider="vbulletin",
                        parser="scrapers.parsers.vbulletin", distributed=True,
                        score_noun=None, label="vBulletin"))

Everything else follows from the registration: the config accepts `kind = "vbulletin"` and
checks its keys (with "did you mean" for a misspelling), `python -m scrapers.run` and the
distributed workers load the spider by name, the digest labels its score, and the registry
test checks that the spider and the parser exist.

Lookups: `source_kind(name)` (KeyError naming the known kinds), `source_kinds()` (all, in
registration order), `kind_names()`, `distributed_kinds()`, `score_noun(kind)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, model_validator

from models.config_types import (
    Cron,
    HttpUrl,
    Interval,
    NonEmpty,
    Section,
    TimeZoneName,
    matching,
    one_of_every_cron,
)

SOURCE_NAME = re.compile(r"[A-Za-z0-9_.-]+")


class SourceModel(Section):
    """The keys every `[[sources]]` entry accepts, with their bounds.

    Optional tuning keys default to None: the spider's own default applies then
    (see docs/crawling.md, "Manners"). The forum tuning keys are `ForumSourceModel`'s."""

    name: Annotated[str, matching(SOURCE_NAME.pattern, "letters, digits, '.', '_' or '-'")]
    kind: str
    base_url: HttpUrl | None = None
    every: Interval | None = None
    cron: Cron | None = None
    enabled: bool = True
    # Tuning (None: the crawler's default).
    delay: Annotated[float, Field(ge=0, le=3600)] | None = None          # 0: no delay
    timeout: Annotated[float, Field(gt=0, le=3600)] | None = None        # default 30 s

    @model_validator(mode="after")
    def _every_or_cron(self) -> SourceModel:
        one_of_every_cron(self)
        return self


class ForumSourceModel(SourceModel):
    """A source of threads with replies (every kind but PubMed): the tuning keys of the
    forum crawl (listing pages, replies kept, refresh window, parallel requests)."""

    replies: Annotated[int, Field(ge=0, le=1000)] | None = None          # default 10
    refresh_days: Annotated[float, Field(ge=0, le=3650)] | None = None   # default 7
    concurrency: Annotated[int, Field(ge=1, le=64)] | None = None        # default 2
    max_pages: Annotated[int, Field(ge=1, le=1_000_000)] | None = None   # per listing


@dataclass(frozen=True)
class SourceKind:
    """One registered engine (see the module docstring for what each field means)."""

    name: str
    model: type[SourceModel]
    spider: str
    parser: str
    distributed: bool = False
    score_noun: str | None = None
    default_base_url: str | None = None
    label: str = ""


_REGISTRY: dict[str, SourceKind] = {}


def register(kind: SourceKind) -> SourceKind:
    """Add `kind` to the registry; ValueError for a second registration of a name or a model
    whose `kind` field does not accept exactly that name."""
    if kind.name in _REGISTRY:
        raise ValueError(f"source kind {kind.name!r} is registered twice")
    if not issubclass(kind.model, SourceModel):
        raise ValueError(f"source kind {kind.name!r}: the model must subclass SourceModel")
    annotation = kind.model.model_fields["kind"].annotation
    if getattr(annotation, "__args__", None) != (kind.name,):
        raise ValueError(f"source kind {kind.name!r}: the model's `kind` must be "
                         f"Literal[{kind.name!r}]")
    _REGISTRY[kind.name] = kind
    return kind


def source_kind(name: str) -> SourceKind:
    """The registration of kind `name`; KeyError naming the known kinds."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown source kind {name!r} (known: "
                       f"{', '.join(_REGISTRY)})") from None


def source_kinds() -> tuple[SourceKind, ...]:
    """Every registered kind, in registration order."""
    return tuple(_REGISTRY.values())


def kind_names() -> tuple[str, ...]:
    """The names of the registered kinds."""
    return tuple(_REGISTRY)


def distributed_kinds() -> tuple[str, ...]:
    """The kinds whose crawls can be shared through Redis."""
    return tuple(k.name for k in _REGISTRY.values() if k.distributed)


def score_noun(kind: str) -> str:
    """What a score of this kind counts ("upvote"...); "vote" for unknown or unscored kinds."""
    registered = _REGISTRY.get(kind)
    return (registered.score_noun if registered else None) or "vote"


# -- the built-in kinds --------------------------------------------------------------------
SubredditName = Annotated[str, matching(r"[A-Za-z0-9_]{2,21}", "a subreddit name")]
DiscourseCategory = Annotated[str, matching(r"[\w-]+/\d+", "'slug/id'")]
XenforoForum = Annotated[str, matching(r"[\w-]*\.?\d+", "'slug.id'")]
ForumId = Annotated[int, Field(ge=1)]
PubmedDate = Annotated[str, matching(r"\d{4}(/\d{2}(/\d{2})?)?", "YYYY, YYYY/MM or YYYY/MM/DD")]


class RedditSource(ForumSourceModel):
    """`kind = "reddit"`: subreddits through Reddit's OAuth API."""

    kind: Literal["reddit"]
    subreddits: list[SubredditName] = Field(min_length=1)
    auth_url: HttpUrl | None = None
    user_agent: NonEmpty | None = None


class DiscourseSource(ForumSourceModel):
    """`kind = "discourse"`: categories as "slug/id" (empty: `/latest`)."""

    kind: Literal["discourse"]
    categories: list[DiscourseCategory] = []


class XenforoSource(ForumSourceModel):
    """`kind = "xenforo"`: forums as "slug.id" (XenForo 2 or 1), and the zone XenForo 1
    prints its older dates in."""

    kind: Literal["xenforo"]
    forums: list[XenforoForum] = Field(min_length=1)
    timezone: TimeZoneName | None = None


class PhpbbSource(ForumSourceModel):
    """`kind = "phpbb"`: forum ids, and the board's time zone for local date strings."""

    kind: Literal["phpbb"]
    forums: list[ForumId] = Field(min_length=1)
    timezone: TimeZoneName | None = None


VbulletinForum = ForumId | Annotated[str, matching(r"\w[\w.-]*(?:/\w[\w.-]*)*",
                                                  "a forum id or a vB5 path like 'forum/hair'")]


class VbulletinSource(ForumSourceModel):
    """`kind = "vbulletin"`: a vBulletin 3.8/4.2/5 board: forum ids (vB3/vB4
    `forumdisplay.php?f=ID`) or vB5 forum paths, and the board's zone when its footer does
    not say ("All times are GMT -5")."""

    kind: Literal["vbulletin"]
    forums: list[VbulletinForum] = Field(min_length=1)
    timezone: TimeZoneName | None = None


class PubmedSource(SourceModel):
    """`kind = "pubmed"`: a PubMed search (`term`, publication date bounds, `retmax`)."""

    kind: Literal["pubmed"]
    term: NonEmpty
    mindate: PubmedDate | None = None
    maxdate: PubmedDate | None = None
    retmax: Annotated[int, Field(ge=1, le=1_000_000)] | None = None


register(SourceKind(name="reddit", model=RedditSource, spider="reddit",
                    parser="scrapers.parsers.reddit", distributed=False, score_noun="upvote",
                    default_base_url="https://oauth.reddit.com", label="Reddit"))
register(SourceKind(name="discourse", model=DiscourseSource, spider="discourse",
                    parser="scrapers.parsers.discourse", distributed=True, score_noun="like",
                    label="Discourse"))
register(SourceKind(name="xenforo", model=XenforoSource, spider="xenforo",
                    parser="scrapers.parsers.xenforo", distributed=True,
                    score_noun="reaction", label="XenForo"))
register(SourceKind(name="phpbb", model=PhpbbSource, spider="phpbb",
                    parser="scrapers.parsers.phpbb", distributed=True, score_noun=None,
                    label="phpBB"))
register(SourceKind(name="vbulletin", model=VbulletinSource, spider="vbulletin",
                    parser="scrapers.parsers.vbulletin", distributed=True, score_noun="like",
                    label="vBulletin"))
register(SourceKind(name="pubmed", model=PubmedSource, spider="pubmed",
                    parser="scrapers.parsers.pubmed", distributed=False, score_noun=None,
                    default_base_url="https://eutils.ncbi.nlm.nih.gov", label="PubMed"))
