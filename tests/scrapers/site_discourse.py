"""Generated Discourse forums (JSON API) for crawl tests."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

from scrapers.loopback import LoopbackServer
from tests.scrapers.fake_threads import FakeThread


def iso_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def discourse_topic(thread: FakeThread, page: int = 1, chunk: int = 20) -> dict[str, Any]:
    posts = thread.posts[(page - 1) * chunk: page * chunk]
    return {
        "id": thread.thread_id, "title": thread.title, "fancy_title": html.escape(thread.title),
        "slug": thread.slug, "posts_count": len(thread.posts), "chunk_size": chunk,
        "created_at": iso_time(thread.created_at), "last_posted_at": iso_time(thread.last_activity),
        "like_count": sum(p.likes for p in thread.posts), "category_id": thread.category_id,
        "reply_count": len(thread.posts) - 1,
        "post_stream": {
            "posts": [{
                "id": p.post_id, "post_number": thread.posts.index(p) + 1,
                "username": p.author, "created_at": iso_time(p.created_at),
                "updated_at": iso_time(p.created_at), "version": 1, "post_type": 1,
                "cooked": f"<p>{html.escape(p.text)}</p>",
                "actions_summary": [{"id": 2, "count": p.likes}] if p.likes else [],
            } for p in posts],
            "stream": [p.post_id for p in thread.posts],
        },
    }


def serve_discourse(server: LoopbackServer, threads: list[FakeThread], per_page: int = 30,
                    chunk: int = 20) -> None:
    """/categories.json, /latest.json?page=N and /t/<id>.json(?page=N) for `threads`."""
    cats = sorted({(t.category_id, t.category) for t in threads})
    server.add("/categories.json?show_subcategory_list=true", json.dumps({"category_list": {
        "categories": [{"id": i, "slug": n.lower(), "name": n} for i, n in cats]}}))
    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    pages = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    for number, page in enumerate(pages):
        topic_list: dict[str, Any] = {"per_page": per_page, "topics": [{
            "id": t.thread_id, "title": t.title, "fancy_title": t.title, "slug": t.slug,
            "posts_count": len(t.posts), "reply_count": len(t.posts) - 1,
            "created_at": iso_time(t.created_at), "last_posted_at": iso_time(t.last_activity),
            "bumped_at": iso_time(t.last_activity), "like_count": sum(p.likes for p in t.posts),
            "category_id": t.category_id} for t in page]}
        if number + 1 < len(pages):
            topic_list["more_topics_url"] = f"/latest?no_definitions=true&page={number + 1}"
        server.add(f"/latest.json?page={number}", json.dumps({"topic_list": topic_list}))
        if number:
            server.add(f"/latest.json?no_definitions=true&page={number}",
                       json.dumps({"topic_list": topic_list}))
    for thread in threads:
        last = max(1, -(-len(thread.posts) // chunk))
        for page_no in range(1, last + 1):
            body = json.dumps(discourse_topic(thread, page_no, chunk))
            server.add(f"/t/{thread.thread_id}.json" + (f"?page={page_no}" if page_no > 1
                                                         else ""), body)
