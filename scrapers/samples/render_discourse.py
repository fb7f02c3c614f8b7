"""Render the sample Discourse forum as its JSON API answers it."""

from __future__ import annotations

import html
import random
from typing import TYPE_CHECKING, Any

from scrapers.samples import layout
from scrapers.samples.render_forum_shared import JSON, esc, user_id

if TYPE_CHECKING:
    from scrapers.samples.generate import Thread, Writer


def _discourse_post(thread: Thread, number: int, rng: random.Random) -> dict[str, Any]:
    from scrapers.samples.generate import html_text, iso_z

    if number == 1:
        author, text, likes, created = thread.author, thread.body, thread.score, thread.created
        post_id = thread.id * 10
    else:
        reply = thread.replies[number - 2]
        author, text, likes, created = reply.author, reply.text, reply.score, reply.created
        post_id = reply.id
    cooked = "\n".join(f"<p>{html_text(p)}</p>" for p in text.split("\n\n"))
    summary = [{"id": 2, "count": likes}] if likes else []
    return {
        "id": post_id, "name": author.replace("_", " ").title(), "username": author,
        "avatar_template": f"/letter_avatar_proxy/v4/letter/{author[0]}/b19c9b/{{size}}.png",
        "created_at": iso_z(created), "cooked": cooked, "post_number": number,
        "post_type": 1, "updated_at": iso_z(created), "reply_count": 0,
        "reply_to_post_number": None, "quote_count": 0, "incoming_link_count": 0,
        "reads": rng.randint(5, 400), "readers_count": rng.randint(4, 300),
        "score": round(likes * 15 + rng.uniform(0, 40), 1), "yours": False,
        "topic_id": thread.id, "topic_slug": thread.slug, "display_username": author,
        "primary_group_name": None, "flair_name": None, "version": 1, "can_edit": False,
        "can_delete": False, "can_recover": False, "can_wiki": False, "read": True,
        "user_title": None, "bookmarked": False, "actions_summary": summary,
        "moderator": False, "admin": False, "staff": False, "user_id": user_id(author),
        "hidden": False, "trust_level": 1, "deleted_at": None, "user_deleted": False,
        "edit_reason": None, "can_view_edit_history": True, "wiki": False,
    }


def _discourse_topic_row(thread: Thread, category_id: int, views: int) -> dict[str, Any]:
    from scrapers.samples.generate import iso_z, plain_text

    likes = thread.score + sum(r.score for r in thread.replies)
    excerpt = html.escape(plain_text(thread.body)[:180], quote=False) + "&hellip;"
    posters = [{"extras": "latest" if not thread.replies else None,
                "description": "Original Poster", "user_id": user_id(thread.author),
                "primary_group_id": None, "flair_group_id": None}]
    posters += [{"extras": None, "description": "Frequent Poster",
                 "user_id": user_id(r.author), "primary_group_id": None,
                 "flair_group_id": None} for r in thread.replies[:4]]
    return {
        "id": thread.id, "title": thread.title, "fancy_title": esc(thread.title),
        "slug": thread.slug, "posts_count": 1 + len(thread.replies),
        "reply_count": len(thread.replies), "highest_post_number": 1 + len(thread.replies),
        "image_url": None, "created_at": iso_z(thread.created),
        "last_posted_at": iso_z(thread.last_activity), "bumped": True,
        "bumped_at": iso_z(thread.last_activity), "archetype": "regular", "unseen": False,
        "pinned": False, "unpinned": None, "excerpt": excerpt, "visible": True,
        "closed": False, "archived": False, "bookmarked": None, "liked": None, "tags": [],
        "tags_descriptions": {}, "views": views, "like_count": likes,
        "has_summary": False, "last_poster_username":
        (thread.replies[-1].author if thread.replies else thread.author),
        "category_id": category_id, "pinned_globally": False, "featured_link": None,
        "has_accepted_answer": False, "posters": posters,
    }


def write(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
    """/latest.json pages, /t/<id>.json topics, /categories.json and /site.json."""
    users = sorted({t.author for t in threads} | {r.author for t in threads
                                                  for r in t.replies})
    user_rows = [{"id": user_id(u), "username": u, "name": u.replace("_", " ").title(),
                  "avatar_template": f"/letter_avatar_proxy/v4/letter/{u[0]}/b19c9b/{{size}}"
                                     ".png", "trust_level": 1} for u in users]
    views = {t.id: rng.randint(40, 4000) for t in threads}
    _write_latest(writer, threads, user_rows, views)
    for thread in threads:
        _write_topic(writer, thread, views[thread.id], rng)
    _write_categories(writer, threads)


def _write_latest(writer: Writer, threads: list[Thread], user_rows: list[dict[str, Any]],
                  views: dict[int, int]) -> None:
    """The /latest.json pages, most recently active first (page 0 also as no `page`)."""
    prefix = layout.PREFIX["discourse"]
    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    size = layout.DISCOURSE_PAGE_SIZE
    pages = list(range(0, len(ordered), size))
    for page, start in enumerate(pages):
        chunk = ordered[start:start + size]
        topic_list: dict[str, Any] = {"can_create_topic": False, "per_page": size,
                                      "top_tags": []}
        if page + 1 < len(pages):
            topic_list["more_topics_url"] = f"/latest?no_definitions=true&page={page + 1}"
        topic_list["topics"] = [_discourse_topic_row(
            t, layout.DISCOURSE_CATEGORIES[t.category][0], views[t.id]) for t in chunk]
        rel = writer.json(f"discourse/latest.page{page}.json", {
            "users": user_rows, "primary_groups": [], "flair_groups": [],
            "topic_list": topic_list})
        queries: list[dict[str, str | None]] = [{"page": str(page)}]
        if page == 0:
            queries.append({"page": None})
        for query in queries:
            writer.route(f"{prefix}/latest.json", rel, JSON, query=query)


def _write_topic(writer: Writer, thread: Thread, views: int, rng: random.Random) -> None:
    """One /t/<id>.json topic, routed with and without its slug."""
    from scrapers.samples.generate import iso_z

    prefix = layout.PREFIX["discourse"]
    posts = [_discourse_post(thread, n, rng) for n in range(1, 2 + len(thread.replies))]
    category_id = layout.DISCOURSE_CATEGORIES[thread.category][0]
    topic = {
        "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]},
        "timeline_lookup": [[1, 0]], "suggested_topics": [], "tags": [],
        "tags_descriptions": {}, "id": thread.id, "title": thread.title,
        "fancy_title": esc(thread.title), "posts_count": len(posts),
        "created_at": iso_z(thread.created), "views": views,
        "reply_count": len(thread.replies),
        "like_count": thread.score + sum(r.score for r in thread.replies),
        "last_posted_at": iso_z(thread.last_activity), "visible": True,
        "closed": False, "archived": False, "has_summary": False,
        "archetype": "regular", "slug": thread.slug, "category_id": category_id,
        "word_count": sum(len(p["cooked"].split()) for p in posts), "deleted_at": None,
        "user_id": user_id(thread.author), "featured_link": None,
        "pinned_globally": False, "pinned_at": None, "pinned_until": None,
        "image_url": None, "slow_mode_seconds": 0, "draft": None,
        "draft_key": f"topic_{thread.id}", "draft_sequence": None, "unpinned": None,
        "pinned": False, "current_post_number": 1, "highest_post_number": len(posts),
        "deleted_by": None, "actions_summary": [], "chunk_size": 20,
        "bookmarked": False, "bookmarks": [], "topic_timer": None,
        "message_bus_last_id": 0, "participant_count": len({p["username"]
                                                            for p in posts}),
        "show_read_indicator": False, "thumbnails": None,
        "details": {"can_edit": False, "notification_level": 1,
                    "participants": [], "created_by": {
                        "id": user_id(thread.author), "username": thread.author,
                        "name": thread.author, "avatar_template": ""},
                    "last_poster": {"id": user_id(posts[-1]["username"]),
                                    "username": posts[-1]["username"],
                                    "name": posts[-1]["username"],
                                    "avatar_template": ""}},
    }
    rel = writer.json(f"discourse/t/{thread.id}.json", topic)
    for path in (f"{prefix}/t/{thread.id}.json", f"{prefix}/t/{thread.slug}/{thread.id}.json"):
        writer.route(path, rel, JSON)


def _write_categories(writer: Writer, threads: list[Thread]) -> None:
    """/categories.json and /site.json."""
    prefix = layout.PREFIX["discourse"]
    categories = [{"id": cid, "name": name, "color": "0088CC", "text_color": "FFFFFF",
                   "slug": slug, "topic_count": sum(1 for t in threads if t.category == name),
                   "post_count": sum(1 + len(t.replies) for t in threads
                                     if t.category == name),
                   "position": cid, "description": f"{name} on the sample forum",
                   "read_restricted": False, "parent_category_id": None,
                   "subcategory_ids": []}
                  for name, (cid, slug) in layout.DISCOURSE_CATEGORIES.items()]
    rel = writer.json("discourse/categories.json", {"category_list": {
        "can_create_category": False, "can_create_topic": False, "categories": categories}})
    writer.route(f"{prefix}/categories.json", rel, JSON)
    rel = writer.json("discourse/site.json", {"categories": categories,
                                              "default_archetype": "regular"})
    writer.route(f"{prefix}/site.json", rel, JSON)
