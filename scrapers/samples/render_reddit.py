"""Render the sample subreddit as Reddit OAuth API JSON (raw_json=1 form)."""

from __future__ import annotations

import html
import random
import zlib
from typing import TYPE_CHECKING, Any

from scrapers.samples import layout

if TYPE_CHECKING:
    from scrapers.samples.generate import Thread, Writer

JSON = "application/json; charset=UTF-8"


def _md_html(text: str) -> str:
    paragraphs = [f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip()]
    return '<div class="md">' + "\n".join(paragraphs) + "\n</div>"


def post_data(thread: Thread, rng: random.Random) -> dict[str, Any]:
    """A `t3` data object as /r/<sub>/new and /comments/<id> return it."""
    from scrapers.samples.generate import plain_text

    sub = layout.SUBREDDIT
    pid = layout.reddit_id(thread.id)
    body = plain_text(thread.body)
    created = float(int(thread.created.timestamp()))
    edited: float | bool = False
    if rng.random() < 0.15:
        edited = created + rng.randint(300, 20000)
    permalink = f"/r/{sub}/comments/{pid}/{thread.slug.replace('-', '_')[:50]}/"
    return {
        "approved_at_utc": None, "subreddit": sub, "selftext": body,
        "author_fullname": f"t2_{layout.base36(zlib.crc32(thread.author.encode()))}",
        "saved": False, "gilded": 0, "clicked": False, "title": thread.title,
        "link_flair_richtext": [], "subreddit_name_prefixed": f"r/{sub}", "hidden": False,
        "link_flair_css_class": thread.category.lower().replace(" ", "-"), "downs": 0,
        "hide_score": False, "name": f"t3_{pid}", "quarantine": False,
        "link_flair_text_color": "dark", "upvote_ratio": round(rng.uniform(0.78, 0.99), 2),
        "subreddit_type": "public", "ups": thread.score, "total_awards_received": 0,
        "is_original_content": False, "is_reddit_media_domain": False, "is_meta": False,
        "category": None, "link_flair_text": thread.category, "can_mod_post": False,
        "score": thread.score, "approved_by": None, "thumbnail": "self", "edited": edited,
        "content_categories": None, "is_self": True, "created": created,
        "link_flair_type": "text", "domain": f"self.{sub}", "selftext_html":
        "<!-- SC_OFF -->" + _md_html(body) + "<!-- SC_ON -->", "likes": None,
        "archived": False, "no_follow": False, "pinned": False, "over_18": False,
        "locked": False, "id": pid, "author": thread.author, "num_comments":
        len(thread.replies) + thread.extra_comments, "send_replies": True,
        "permalink": permalink, "stickied": False,
        "url": f"https://www.reddit.com{permalink}", "subreddit_subscribers": 48213,
        "created_utc": created, "num_crossposts": 0, "media": None, "is_video": False,
    }


def comment_data(thread: Thread, index: int) -> dict[str, Any]:
    """A top-level `t1` data object."""
    reply = thread.replies[index]
    pid = layout.reddit_id(thread.id)
    cid = layout.base36(3_500_000_000 + reply.id * 104729)
    from scrapers.samples.generate import plain_text

    body = plain_text(reply.text)
    created = float(int(reply.created.timestamp()))
    return {
        "subreddit_id": "t5_sample", "approved_at_utc": None, "author_is_blocked": False,
        "comment_type": None, "likes": None, "replies": "", "user_reports": [],
        "saved": False, "id": cid, "gilded": 0, "archived": False, "no_follow": False,
        "author": reply.author, "can_mod_post": False, "created_utc": created,
        "send_replies": True, "parent_id": f"t3_{pid}", "score": reply.score,
        "author_fullname": f"t2_{layout.base36(zlib.crc32(reply.author.encode()))}",
        "body": body, "edited": False, "name": f"t1_{cid}", "is_submitter": False,
        "downs": 0, "body_html": _md_html(body), "stickied": False, "link_id": f"t3_{pid}",
        "score_hidden": False, "permalink": f"/r/{layout.SUBREDDIT}/comments/{pid}/x/{cid}/",
        "subreddit_type": "public", "locked": False, "created": created,
        "subreddit": layout.SUBREDDIT, "depth": 0, "controversiality": 0, "ups": reply.score,
    }


def _listing(children: list[dict[str, Any]], after: str | None) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"after": after, "dist": len(children),
                                        "modhash": None, "geo_filter": "",
                                        "children": children, "before": None}}


def write(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
    """Listing pages with `after` cursors, one comments file per post, the token endpoint."""
    prefix, sub = layout.PREFIX["reddit"], layout.SUBREDDIT
    posts = sorted(threads, key=lambda t: t.created, reverse=True)
    datas = {t.id: post_data(t, rng) for t in posts}
    size = layout.REDDIT_PAGE_SIZE
    after: str | None = None
    for page, start in enumerate(range(0, len(posts), size)):
        chunk = posts[start:start + size]
        last = start + size >= len(posts)
        next_after = None if last else datas[chunk[-1].id]["name"]
        rel = writer.json(f"reddit/r/{sub}/new.page{page}.json",
                          _listing([{"kind": "t3", "data": datas[t.id]} for t in chunk],
                                   next_after))
        for path in (f"{prefix}/r/{sub}/new", f"{prefix}/r/{sub}/new.json"):
            writer.route(path, rel, JSON, query={"after": after})
        after = next_after
    for thread in posts:
        pid = layout.reddit_id(thread.id)
        ranked = sorted(range(len(thread.replies)), key=lambda i: -thread.replies[i].score)
        children: list[dict[str, Any]] = [{"kind": "t1", "data": comment_data(thread, i)}
                                          for i in ranked]
        if thread.extra_comments:
            hidden = [layout.base36(3_600_000_000 + thread.id * 100 + k)
                      for k in range(min(thread.extra_comments, 20))]
            children.append({"kind": "more", "data": {
                "count": thread.extra_comments, "name": f"t1_{hidden[0]}", "id": hidden[0],
                "parent_id": f"t3_{pid}", "depth": 0, "children": hidden}})
        payload = [_listing([{"kind": "t3", "data": datas[thread.id]}], None),
                   _listing(children, None)]
        rel = writer.json(f"reddit/comments/{pid}.json", payload)
        for path in (f"{prefix}/comments/{pid}", f"{prefix}/comments/{pid}.json",
                     f"{prefix}/r/{sub}/comments/{pid}", f"{prefix}/r/{sub}/comments/{pid}.json"):
            writer.route(path, rel, JSON)
    token = writer.json("reddit/access_token.json", {
        "access_token": "sample-demo-token", "token_type": "bearer", "expires_in": 86400,
        "scope": "*"})
    writer.route(f"{layout.PREFIX['reddit_auth']}/api/v1/access_token", token, JSON,
                 method="POST")
