"""The thread cards of a page, rendered by the digests' shared `card` macro and memoised.

A card shows only its thread's stored data (title, score, treatments by their display names,
outcomes, summary or excerpt, top replies), its link kind to the page's study and its age. The
names are the page's, read once per data version like the cards. The same threads come
back on page after page (the best-scored threads of a treatment top most filtered
searches), so each card's HTML is kept per data version (`hairlink.web.cache`) under its
thread, link kind, age text and whether replies are shown: an unchanged database and the
same age give the same HTML. Only the threads not found are completed (treatments, outcomes,
links, replies: one query each for all of them) and rendered.

A page can also be given as the keys that placed its threads on it (`PageKey`, as a study
page keeps them per data version): then the threads whose cards are not kept are read by id
first (`keyed_cards`), and a page whose cards are all kept reads no thread at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request

from aggregator.digest.present import age
from aggregator.digest.views import post_view
from hairlink.web.render import thread_href, treatment_href
from models.digest_queries import attach_top_replies
from models.post_queries import posts_by_keys
from models.post_rows import attach_details
from models.post_types import Post

CARD_ENTRIES = 10_000  # cards kept per process (~1 kB of HTML each: ~12 MB with the keys)

# What placed a thread on a page: (thread id, relevance, link kind, created_at). A plain
# tuple of untracked values, so a kept page of them is left out of the collector's passes.
PageKey = tuple[int, float | None, str | None, datetime]


def page_key(post: Post) -> PageKey:
    """The key of a post on its page (its link kind interned: one string for all)."""
    kind = None if post.link_kind is None else sys.intern(post.link_kind)
    return (post.id, post.relevance, kind, post.created_at)


def post_cards(request: Request, session: Session, at: Hashable, posts: Sequence[Post],
               now: datetime, replies: bool = False, *,
               names: Mapping[str, str] | None = None) -> list[Markup]:
    """The card of each post of `posts` (as `query_posts_counted(..., details=False)` read
    them) at data version `at`: memoised ones as they are, the others completed in
    `session` (with their top replies when `replies`) and rendered, treatments named from
    `names` (the display names read at `at`)."""
    cards = _cards(request, session, at, [page_key(p) for p in posts], now, replies,
                   lambda wanted: [posts[i] for i in wanted], names)
    assert cards is not None  # every post is given
    return cards


def keyed_cards(request: Request, session: Session, at: Hashable, keys: Sequence[PageKey],
                now: datetime, replies: bool = False, *,
                names: Mapping[str, str] | None = None) -> list[Markup] | None:
    """The cards of the threads of `keys` (`page_key`) at data version `at`: memoised
    ones as they are, the other threads read by id (`posts_by_keys`), completed and
    rendered as `post_cards` does. None when one of those threads is gone (a write
    committed after `at` was probed): the page is then read afresh."""
    return _cards(request, session, at, keys, now, replies,
                  lambda wanted: posts_by_keys(session, [keys[i] for i in wanted]), names)


def _cards(request: Request, session: Session, at: Hashable, keys: Sequence[PageKey],
           now: datetime, replies: bool,
           load: Callable[[list[int]], list[Post]],
           names: Mapping[str, str] | None) -> list[Markup] | None:
    """The cards of `keys`, the posts at the positions not memoised read by `load` (None
    when it finds fewer)."""
    cache = request.app.state.cards
    cards: list[Any] = []
    missing: list[tuple[int, tuple[Any, ...]]] = []
    for i, (thread_id, _, link_kind, created_at) in enumerate(keys):
        key = ("card", thread_id, link_kind, replies, age(created_at, now))
        found = cache.find(key, at)
        cards.append(found)
        if found is None:
            missing.append((i, key))
    if missing:
        todo = load([i for i, _ in missing])
        if len(todo) != len(missing):
            return None
        attach_details(session, todo, links=False)  # a card shows no study links
        if replies:
            attach_top_replies(session, todo)
        card = request.app.state.templates.get_template("_post.html.j2").module.card
        for (i, key), post in zip(missing, todo, strict=True):
            html = card(post_view(post, now, names), thread_href(post.id), treatment_href)
            cache.put(key, at, str(html))  # a plain str: not tracked by the collector
            cards[i] = html
    return [Markup(html) for html in cards]
