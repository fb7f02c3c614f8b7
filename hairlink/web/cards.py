"""The thread cards of a page, rendered by the digests' shared `card` macro and memoised.

A card shows only its thread's stored data (title, score, treatments, outcomes, summary or
excerpt, top replies), its link kind to the page's study and its age. The same threads come
back on page after page (the best-scored threads of a treatment top most filtered
searches), so each card's HTML is kept per data version (`hairlink.web.cache`) under its
thread, link kind, age text and whether replies are shown: an unchanged database and the
same age give the same HTML. Only the threads not found are completed (treatments, outcomes,
links, replies: one query each for all of them) and rendered.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request

from aggregator.digest.present import age
from aggregator.digest.views import post_view
from hairlink.web.render import thread_href, treatment_href
from models.digest_queries import attach_top_replies
from models.post_rows import attach_details
from models.post_types import Post

CARD_ENTRIES = 10_000  # cards kept per process (~1 kB of HTML each: ~12 MB with the keys)


def post_cards(request: Request, session: Session, at: Hashable, posts: Sequence[Post],
               now: datetime, replies: bool = False) -> list[Markup]:
    """The card of each post of `posts` (as `query_posts_counted(..., details=False)` read
    them) at data version `at`: memoised ones as they are, the others completed in
    `session` (with their top replies when `replies`) and rendered."""
    cache = request.app.state.cards
    cards: list[Any] = []
    missing: list[tuple[int, Post, tuple[Any, ...]]] = []
    for i, post in enumerate(posts):
        key = ("card", post.id, post.link_kind, replies, age(post.created_at, now))
        found = cache.find(key, at)
        cards.append(found)
        if found is None:
            missing.append((i, post, key))
    if missing:
        todo = [post for _, post, _ in missing]
        attach_details(session, todo, links=False)  # a card shows no study links
        if replies:
            attach_top_replies(session, todo)
        card = request.app.state.templates.get_template("_post.html.j2").module.card
        for i, post, key in missing:
            html = card(post_view(post, now), thread_href(post.id), treatment_href)
            cache.put(key, at, str(html))  # a plain str: not tracked by the collector
            cards[i] = html
    return [Markup(html) for html in cards]
