"""Discourse JSON: `/latest.json` and `/c/<slug>/<id>.json` topic lists, `/t/<id>.json`
topics, `/categories.json` names. Likes (`actions_summary` id 2, else `like_count`) are
the score."""

from __future__ import annotations

import html
import math
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapers.parsers.common import (
    ListEntry,
    ListPage,
    ParseError,
    Post,
    ThreadPage,
    from_iso,
    squash,
)

LIKE_ACTION = 2
REGULAR_POST = 1


def json_url(base_url: str, relative: str) -> str:
    """`/latest?page=1` -> `<base>/latest.json?page=1` (Discourse's JSON twin of a page).

    A forum in a subfolder (`base_url` `https://x.example/forum`) writes its links with the
    subfolder (`/forum/latest?page=1`): it is not added twice."""
    parts = urlsplit(relative)
    path = parts.path if parts.path.endswith(".json") else parts.path.rstrip("/") + ".json"
    if parts.netloc:
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    base = base_url.rstrip("/")
    folder = urlsplit(base).path
    if folder and path.startswith(folder + "/"):
        path = path[len(folder):]
    return base + urlunsplit(("", "", path, parts.query, ""))


def topic_url(base_url: str, topic_id: int | str, slug: str | None = None) -> str:
    """The public URL of a topic."""
    return f"{base_url.rstrip('/')}/t/{slug or 'topic'}/{topic_id}"


def plain_title(topic: dict[str, Any]) -> str:
    """The topic title as text (`fancy_title` is HTML-escaped)."""
    return squash(html.unescape(topic.get("title") or topic.get("fancy_title") or ""))


def parse_categories(data: Any) -> dict[int, str]:
    """Category id -> name from `/categories.json` (with any embedded subcategory lists)."""
    if not isinstance(data, dict) or "category_list" not in data:
        raise ParseError("not a /categories.json document")
    names: dict[int, str] = {}
    for cat in data["category_list"].get("categories") or []:
        names[int(cat["id"])] = squash(cat.get("name") or cat.get("slug"))
        for sub in cat.get("subcategory_list") or []:
            names[int(sub["id"])] = squash(sub.get("name") or sub.get("slug"))
    return names


def subcategory_parents(data: Any) -> list[int]:
    """Ids of categories whose subcategories `/categories.json` lists only by id."""
    parents = []
    for cat in data.get("category_list", {}).get("categories") or []:
        if cat.get("subcategory_ids") and not cat.get("subcategory_list"):
            parents.append(int(cat["id"]))
    return parents


def parse_topic_list(data: Any, base_url: str,
                     categories: dict[int, str] | None = None) -> ListPage:
    """A `topic_list` page: its topics and the JSON URL of the next page."""
    if not isinstance(data, dict) or not isinstance(data.get("topic_list"), dict):
        raise ParseError("no topic_list in the document")
    topic_list = data["topic_list"]
    topics = topic_list.get("topics")
    if not isinstance(topics, list):
        raise ParseError("topic_list.topics is not a list")
    entries = []
    for topic in topics:
        topic_id = topic["id"]
        posts = topic.get("posts_count")
        entries.append(ListEntry(
            external_id=str(int(topic_id)),
            url=topic_url(base_url, topic_id, topic.get("slug")),
            title=plain_title(topic),
            created_at=from_iso(topic.get("created_at")),
            last_activity_at=from_iso(topic.get("last_posted_at") or topic.get("bumped_at")),
            num_comments=max(0, int(posts) - 1) if posts is not None else None,
            category=_category(topic, categories),
        ))
    more = topic_list.get("more_topics_url")
    return ListPage(entries, json_url(base_url, more) if more else None)


def post_likes(post: dict[str, Any]) -> int:
    """A post's likes: `actions_summary` id 2, else `like_count`, else 0."""
    for action in post.get("actions_summary") or []:
        if action.get("id") == LIKE_ACTION:
            return int(action.get("count") or 0)
    return int(post.get("like_count") or 0)


def _post(raw: dict[str, Any]) -> Post:
    """A regular post of the stream."""
    created = from_iso(raw.get("created_at"))
    updated = from_iso(raw.get("updated_at"))
    edited = updated if (raw.get("version") or 1) > 1 and updated != created else None
    return Post(
        external_id=str(raw["id"]), body_html=raw.get("cooked") or "",
        created_at=created, edited_at=edited, author=raw.get("username"),
        score=post_likes(raw), position=int(raw.get("post_number") or 0))


def _category(data: dict[str, Any], categories: dict[int, str] | None) -> str | None:
    category_id = data.get("category_id")
    return (categories or {}).get(category_id) if category_id is not None else None


def parse_topic(data: Any, base_url: str, page: int = 1,
                categories: dict[int, str] | None = None) -> ThreadPage:
    """One page of `/t/<id>.json` (page 1 holds the opening post)."""
    if not isinstance(data, dict) or "post_stream" not in data or "id" not in data:
        raise ParseError("not a /t/<id>.json document")
    raw_posts = data["post_stream"].get("posts")
    if not isinstance(raw_posts, list):
        raise ParseError("post_stream.posts is not a list")
    posts = [_post(raw) for raw in raw_posts
             if raw.get("post_type", REGULAR_POST) == REGULAR_POST and not raw.get("deleted_at")]
    posts_count = int(data.get("posts_count") or len(posts))
    chunk = int(data.get("chunk_size") or 20)
    last_page = max(1, math.ceil(posts_count / chunk))
    topic_id = data["id"]
    url = topic_url(base_url, topic_id, data.get("slug"))
    opening = next((p for p in posts if p.position == 1), None)
    return ThreadPage(
        external_id=str(int(topic_id)), url=url,
        title=plain_title(data), posts=posts,
        category=_category(data, categories),
        num_comments=max(0, posts_count - 1),
        score=opening.score if opening else int(data.get("like_count") or 0),
        page=page, last_page=last_page,
        next_url=(f"{base_url.rstrip('/')}/t/{topic_id}.json?page={page + 1}"
                  if page < last_page else None),
        last_activity_at=from_iso(data.get("last_posted_at")),
    )
