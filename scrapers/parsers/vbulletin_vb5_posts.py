"""The posts of a vBulletin 5 thread page (`li.b-post[data-node-id]`), and the thread id
and canonical URL they give (`vbulletin.parse_thread_page`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from scrapers.parsers.common import ParseError, Post, from_epoch, squash
from scrapers.parsers.tree import css
from scrapers.parsers.vbulletin_dates import BoardClock
from scrapers.parsers.vbulletin_post_fields import first_of
from scrapers.parsers.vbulletin_scores import post_score
from scrapers.parsers.vbulletin_thread_fields import _canonical
from scrapers.parsers.vbulletin_urls import thread_id_of
from scrapers.parsers.vbulletin_vb34_posts import _position


def _vb5_posts(blocks: list[Any], root: Any, base: str, clock: BoardClock,
               ) -> tuple[list[Post], str | None, str | None]:
    posts = []
    starter = None
    for index, block in enumerate(blocks):
        node = block.attrib.get("data-node-id", "")
        content = css(".js-post__content-text")(block)
        if not node.isdigit() or not content:
            raise ParseError(f"post {node or '?'} has no .js-post__content-text")
        if "b-post--first" in block.attrib.get("class", "") or "js-conversation-starter" in \
                block.attrib.get("class", ""):
            starter = starter or node
        created = from_epoch(block.attrib.get("data-node-publishdate"))
        if created is None:
            created = clock.read(" ".join(css("time[itemprop=dateCreated]::text")(block)))
        author = squash(" ".join(css("[itemprop=author] .author ::text")(block))) or \
            squash(first_of(css("[itemprop=author] img::attr(alt)")(block)))
        position = _position(first_of(css("a.b-post__count::text")(block)))
        post = Post(external_id=node, body_node=content[0])
        post.external_id, post.created_at, post.author = node, created, author or None
        post.score = post_score(block, marks=clock.score_marks)
        post.position = position if position is not None else index
        posts.append(post)
    canonical = _canonical(root)
    ext = starter or (thread_id_of(urljoin(base, canonical)) if canonical else None)
    return posts, ext, canonical or base
