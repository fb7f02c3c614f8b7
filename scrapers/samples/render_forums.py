"""Render the sample forums: Discourse JSON, XenForo 2 HTML and phpBB 3.3 prosilver HTML."""

from __future__ import annotations

import html
import random
import zlib
from typing import TYPE_CHECKING, Any

from scrapers.samples import layout

if TYPE_CHECKING:
    from scrapers.samples.generate import Thread, Writer

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"


def _user_id(name: str) -> int:
    return 100 + zlib.crc32(name.encode()) % 9000


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


# -- Discourse -----------------------------------------------------------------------------

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
        "moderator": False, "admin": False, "staff": False, "user_id": _user_id(author),
        "hidden": False, "trust_level": 1, "deleted_at": None, "user_deleted": False,
        "edit_reason": None, "can_view_edit_history": True, "wiki": False,
    }


def _discourse_topic_row(thread: Thread, category_id: int, views: int) -> dict[str, Any]:
    from scrapers.samples.generate import iso_z, plain_text

    likes = thread.score + sum(r.score for r in thread.replies)
    excerpt = html.escape(plain_text(thread.body)[:180], quote=False) + "&hellip;"
    posters = [{"extras": "latest" if not thread.replies else None,
                "description": "Original Poster", "user_id": _user_id(thread.author),
                "primary_group_id": None, "flair_group_id": None}]
    posters += [{"extras": None, "description": "Frequent Poster",
                 "user_id": _user_id(r.author), "primary_group_id": None,
                 "flair_group_id": None} for r in thread.replies[:4]]
    return {
        "id": thread.id, "title": thread.title, "fancy_title": _esc(thread.title),
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


def write_discourse(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
    """/latest.json pages, /t/<id>.json topics, /categories.json and /site.json."""
    from scrapers.samples.generate import iso_z

    prefix = layout.PREFIX["discourse"]
    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    size = layout.DISCOURSE_PAGE_SIZE
    users = sorted({t.author for t in threads} | {r.author for t in threads
                                                  for r in t.replies})
    user_rows = [{"id": _user_id(u), "username": u, "name": u.replace("_", " ").title(),
                  "avatar_template": f"/letter_avatar_proxy/v4/letter/{u[0]}/b19c9b/{{size}}"
                                     ".png", "trust_level": 1} for u in users]
    views = {t.id: rng.randint(40, 4000) for t in threads}
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
    for thread in threads:
        posts = [_discourse_post(thread, n, rng) for n in range(1, 2 + len(thread.replies))]
        category_id = layout.DISCOURSE_CATEGORIES[thread.category][0]
        topic = {
            "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]},
            "timeline_lookup": [[1, 0]], "suggested_topics": [], "tags": [],
            "tags_descriptions": {}, "id": thread.id, "title": thread.title,
            "fancy_title": _esc(thread.title), "posts_count": len(posts),
            "created_at": iso_z(thread.created), "views": views[thread.id],
            "reply_count": len(thread.replies),
            "like_count": thread.score + sum(r.score for r in thread.replies),
            "last_posted_at": iso_z(thread.last_activity), "visible": True,
            "closed": False, "archived": False, "has_summary": False,
            "archetype": "regular", "slug": thread.slug, "category_id": category_id,
            "word_count": sum(len(p["cooked"].split()) for p in posts), "deleted_at": None,
            "user_id": _user_id(thread.author), "featured_link": None,
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
                            "id": _user_id(thread.author), "username": thread.author,
                            "name": thread.author, "avatar_template": ""},
                        "last_poster": {"id": _user_id(posts[-1]["username"]),
                                        "username": posts[-1]["username"],
                                        "name": posts[-1]["username"],
                                        "avatar_template": ""}},
        }
        rel = writer.json(f"discourse/t/{thread.id}.json", topic)
        for path in (f"{prefix}/t/{thread.id}.json", f"{prefix}/t/{thread.slug}/{thread.id}.json"):
            writer.route(path, rel, JSON)
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
    _ = iso_z


# -- XenForo 2 -----------------------------------------------------------------------------

def _xf_time(when: Any, css: str = "u-dt") -> str:
    from scrapers.samples.generate import iso_offset

    stamp = int(when.timestamp())
    date = when.strftime("%b %-d, %Y")
    clock = when.strftime("%-I:%M %p")
    stamp_iso = iso_offset(when).replace("+00:00", "+0000")
    return (f'<time class="{css}" dir="auto" datetime="{stamp_iso}" '
            f'data-time="{stamp}" data-date-string="{date}" data-time-string="{clock}" '
            f'title="{date} at {clock}">{date}</time>')


def _xf_reactions(post_id: int, score: int, rng: random.Random) -> str:
    if score <= 0:
        return ""
    names = rng.sample(["crownwatcher", "Temple Tom", "minox_mike", "follicle_fan",
                        "NW3forever", "dut_dude", "Grafty"], 3)
    bdi = [f"<bdi>{_esc(n)}</bdi>" for n in names]
    if score == 1:
        text = bdi[0]
    elif score == 2:
        text = f"{bdi[0]} and {bdi[1]}"
    elif score == 3:
        text = f"{bdi[0]}, {bdi[1]} and {bdi[2]}"
    else:
        others = score - 3
        text = f"{bdi[0]}, {bdi[1]}, {bdi[2]} and {others} other{'s' if others > 1 else ''}"
    prefix = layout.PREFIX["xenforo"]
    return (
        '\t\t\t\t\t\t<div class="reactionsBar js-reactionsList is-active">\n'
        '\t\t<ul class="reactionSummary"><li><span class="reaction reaction--small '
        'reaction--1" data-reaction-id="1"><i aria-hidden="true"></i><img src="data:image/'
        'gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" '
        'class="reaction-sprite js-reaction" alt="Like" title="Like" /></span></li></ul>\n'
        '<span class="u-srOnly">Reactions:</span>\n'
        f'<a class="reactionsBar-link" href="{prefix}/posts/{post_id}/reactions" '
        f'data-xf-click="overlay" data-cache="false">{text}</a>\n\t\t\t\t\t\t</div>\n')


def _xf_page(title: str, template: str, content_key: str, crumbs: list[tuple[str, str]],
             body: str, head_extra: str = "", canonical: str = "/") -> str:
    crumb_html = "".join(
        f'\t<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">\n'
        f'\t\t<a href="{_esc(href)}" itemprop="item">\n'
        f'\t\t\t<span itemprop="name">{_esc(name)}</span>\n\t\t</a>\n'
        f'\t\t<meta itemprop="position" content="{i + 1}" />\n\t</li>\n'
        for i, (name, href) in enumerate(crumbs))
    return (
        '<!DOCTYPE html>\n<html id="XF" lang="en-US" dir="LTR"\n\tdata-app="public"\n'
        f'\tdata-template="{template}"\n\tdata-container-key="node-1"\n'
        f'\tdata-content-key="{content_key}"\n\tdata-logged-in="false"\n'
        '\tdata-cookie-prefix="xf_"\n\tclass="has-no-js template-' + template + '"\n\t>\n'
        '<head>\n\t<meta charset="utf-8" />\n'
        f'\t<title>{_esc(title)} | Follicle Forum (sample)</title>\n'
        f'\t<link rel="canonical" href="{canonical}" />\n{head_extra}</head>\n'
        f'<body data-template="{template}">\n<div class="p-pageWrapper" id="top">\n'
        '<div class="p-body">\n<div class="p-body-inner">\n'
        '\t\t<ul class="p-breadcrumbs "\n\t\t\titemscope itemtype="https://schema.org/'
        f'BreadcrumbList">\n{crumb_html}\t\t</ul>\n'
        '\t\t\t<div class="p-body-header">\n\t\t\t\t\t<div class="p-title ">\n'
        f'\t\t\t\t\t\t\t<h1 class="p-title-value">{_esc(title)}</h1>\n'
        '\t\t\t\t\t</div>\n\t\t\t</div>\n'
        f'<div class="p-body-main">\n<div class="p-body-content">\n{body}\n</div>\n</div>\n'
        '</div>\n</div>\n<footer class="p-footer" id="footer">Community platform by '
        'XenForo&reg; (sample data written for hairlink)</footer>\n</div>\n</body>\n</html>\n')


def _xf_page_nav(base: str, page: int, last: int) -> str:
    if last <= 1:
        return ""
    items = []
    for n in range(1, last + 1):
        href = base if n == 1 else f"{base}page-{n}"
        current = " pageNav-page--current" if n == page else ""
        items.append(f'<li class="pageNav-page{current} "><a href="{href}">{n}</a></li>')
    nav = '<div class="pageNav  ">\n'
    if page > 1:
        prev = base if page == 2 else f"{base}page-{page - 1}"
        nav += f'<a href="{prev}" class="pageNav-jump pageNav-jump--prev">Prev</a>\n'
    nav += '<ul class="pageNav-main">' + "".join(items) + "</ul>\n"
    if page < last:
        nav += (f'<a href="{base}page-{page + 1}" class="pageNav-jump pageNav-jump--next">'
                'Next</a>\n')
    return nav + "</div>\n"


def _xf_thread(thread: Thread, forum: str, rng: random.Random) -> str:
    from scrapers.samples.generate import html_text

    prefix = layout.PREFIX["xenforo"]
    slug, node = layout.XENFORO_FORUMS[forum]
    url = f"{prefix}/threads/{thread.slug}.{thread.id}/"
    posts = [(thread.id * 10, thread.author, thread.body, thread.score, thread.created)]
    posts += [(r.id, r.author, r.text, r.score, r.created) for r in thread.replies]
    articles = []
    for number, (post_id, author, text, score, when) in enumerate(posts, start=1):
        uid = _user_id(author)
        articles.append(
            '\t<article class="message message--post js-post js-inlineModContainer  "\n'
            f'\t\tdata-author="{_esc(author)}"\n\t\tdata-content="post-{post_id}"\n'
            f'\t\tid="js-post-{post_id}">\n'
            f'\t\t<span class="u-anchorTarget" id="post-{post_id}"></span>\n'
            '\t\t<div class="message-inner">\n\t\t\t<div class="message-cell '
            'message-cell--user">\n\t<section itemscope itemtype="https://schema.org/Person" '
            'class="message-user">\n\t\t<div class="message-userDetails">\n'
            f'\t\t\t<h4 class="message-name"><a href="{prefix}/members/{_esc(author)}.{uid}/" '
            f'class="username " dir="auto" data-user-id="{uid}" itemprop="name">'
            f'{_esc(author)}</a></h4>\n\t\t\t<h5 class="userTitle message-userTitle" '
            'dir="auto" itemprop="jobTitle">Member</h5>\n\t\t</div>\n\t</section>\n'
            '\t\t\t</div>\n\t\t\t<div class="message-cell message-cell--main">\n'
            '\t\t\t\t<div class="message-main js-quickEditTarget">\n'
            '\t\t\t\t\t<header class="message-attribution message-attribution--split">\n'
            '\t\t\t\t\t\t<div class="message-attribution-main">\n'
            f'\t\t\t\t\t\t\t<a href="{url}post-{post_id}" class="u-concealed" rel="nofollow">\n'
            f'\t\t\t\t\t\t\t\t{_xf_time(when)}\n\t\t\t\t\t\t\t</a>\n\t\t\t\t\t\t</div>\n'
            '\t\t\t\t\t\t<ul class="message-attribution-opposite '
            'message-attribution-opposite--list">\n'
            f'\t\t\t\t\t\t\t<li><a href="{url}post-{post_id}" rel="nofollow">#{number}</a>'
            '</li>\n\t\t\t\t\t\t</ul>\n\t\t\t\t\t</header>\n'
            '\t\t\t\t\t<div class="message-content js-messageContent">\n'
            '\t\t\t\t\t\t<div class="message-userContent lbContainer js-lbContainer "\n'
            f'\t\t\t\t\t\t\tdata-lb-id="post-{post_id}">\n'
            '\t\t\t\t\t\t\t<article class="message-body js-selectToQuote">\n'
            f'\t\t\t\t\t\t\t\t<div class="bbWrapper">{html_text(text)}</div>\n'
            '\t\t\t\t\t\t\t\t<div class="js-selectToQuoteEnd">&nbsp;</div>\n'
            '\t\t\t\t\t\t\t</article>\n\t\t\t\t\t\t</div>\n\t\t\t\t\t</div>\n'
            '\t\t\t\t\t<footer class="message-footer">\n'
            f'{_xf_reactions(post_id, score, rng)}'
            '\t\t\t\t\t</footer>\n\t\t\t\t</div>\n\t\t\t</div>\n\t\t</div>\n\t</article>\n')
    body = ('<div class="block block--messages" data-xf-init="" data-type="post" '
            f'data-href="{prefix}/inline-mod/">\n\t<div class="block-container lbContainer">\n'
            '\t\t<div class="block-body js-replyNewMessageContainer">\n'
            + "".join(articles) + "\t\t</div>\n\t</div>\n</div>")
    crumbs = [("Home", f"{prefix}/"), ("Forums", f"{prefix}/"),
              (forum, f"{prefix}/forums/{slug}.{node}/")]
    return _xf_page(thread.title, "thread_view", f"thread-{thread.id}", crumbs, body,
                    canonical=url)


def _xf_list_item(thread: Thread, views: int) -> str:
    prefix = layout.PREFIX["xenforo"]
    url = f"{prefix}/threads/{thread.slug}.{thread.id}/"
    uid = _user_id(thread.author)
    last_author = thread.replies[-1].author if thread.replies else thread.author
    views_text = f"{views / 1000:.1f}K" if views >= 1000 else str(views)
    return (
        '<div class="structItem structItem--thread js-inlineModContainer '
        f'js-threadListItem-{thread.id}" data-author="{_esc(thread.author)}">\n'
        '\t<div class="structItem-cell structItem-cell--main" data-xf-init="touch-proxy">\n'
        '\t\t<div class="structItem-title">\n'
        f'\t\t\t<a href="{url}" class="" data-tp-primary="on" '
        f'data-xf-init="preview-tooltip" data-preview-url="{url}preview">'
        f'{_esc(thread.title)}</a>\n\t\t</div>\n'
        '\t\t<div class="structItem-minor">\n\t\t\t<ul class="structItem-parts">\n'
        f'\t\t\t\t<li><a href="{prefix}/members/{_esc(thread.author)}.{uid}/" '
        f'class="username " dir="auto" data-user-id="{uid}">{_esc(thread.author)}</a></li>\n'
        f'\t\t\t\t<li class="structItem-startDate"><a href="{url}" rel="nofollow">'
        f'{_xf_time(thread.created)}</a></li>\n\t\t\t</ul>\n\t\t</div>\n\t</div>\n'
        '\t<div class="structItem-cell structItem-cell--meta" '
        f'title="First message reaction score: {thread.score}">\n'
        '\t\t<dl class="pairs pairs--justified"><dt>Replies</dt>'
        f'<dd>{len(thread.replies)}</dd></dl>\n'
        '\t\t<dl class="pairs pairs--justified structItem-minor"><dt>Views</dt>'
        f'<dd>{views_text}</dd></dl>\n\t</div>\n'
        '\t<div class="structItem-cell structItem-cell--latest">\n'
        f'\t\t<a href="{url}latest" rel="nofollow">'
        f'{_xf_time(thread.last_activity, "structItem-latestDate u-dt")}</a>\n'
        f'\t\t<div class="structItem-minor"><a href="{prefix}/members/{_esc(last_author)}.'
        f'{_user_id(last_author)}/" class="username " dir="auto">{_esc(last_author)}</a>'
        '</div>\n\t</div>\n</div>\n')


def write_xenforo(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
    """Forum list pages `/forums/<slug>.<id>/page-N` and thread pages."""
    prefix = layout.PREFIX["xenforo"]
    size = layout.XENFORO_PAGE_SIZE
    for forum, (slug, node) in layout.XENFORO_FORUMS.items():
        members = sorted((t for t in threads if t.category == forum),
                         key=lambda t: t.last_activity, reverse=True)
        base = f"{prefix}/forums/{slug}.{node}/"
        last = max(1, -(-len(members) // size))
        for page in range(1, last + 1):
            chunk = members[(page - 1) * size:page * size]
            items = "".join(_xf_list_item(t, rng.randint(30, 6000)) for t in chunk)
            nav = _xf_page_nav(base, page, last)
            body = (f'{nav}<div class="block" data-type="thread">\n<div class="block-container">'
                    '\n<div class="block-body">\n<div class="structItemContainer">\n'
                    '<div class="structItemContainer-group js-threadList">\n'
                    f'{items}</div>\n</div>\n</div>\n</div>\n</div>\n{nav}')
            head = ""
            if page < last:
                head += f'\t<link rel="next" href="{base}page-{page + 1}" />\n'
            crumbs = [("Home", f"{prefix}/"), ("Forums", f"{prefix}/")]
            canonical = base if page == 1 else f"{base}page-{page}"
            page_html = _xf_page(forum, "forum_view", f"node-{node}", crumbs, body, head,
                                 canonical=canonical)
            # (no dots in directory names: they would not be package data)
            rel = writer.file(f"xenforo/forums/{slug}-{node}.page-{page}.html", page_html)
            paths = [f"{base}page-{page}"]
            if page == 1:
                paths += [base, base.rstrip("/")]
            for path in paths:
                writer.route(path, rel, HTML)
        for thread in members:
            rel = writer.file(f"xenforo/threads/{thread.id}.html",
                              _xf_thread(thread, forum, rng))
            url = f"{prefix}/threads/{thread.slug}.{thread.id}/"
            for path in (url, url.rstrip("/"), f"{url}page-1"):
                writer.route(path, rel, HTML)


# -- phpBB 3.3 prosilver -------------------------------------------------------------------

def _phpbb_time(when: Any) -> str:
    from scrapers.samples.generate import iso_offset

    text = when.strftime("%a %b %d, %Y %-I:%M %p").replace("AM", "am").replace("PM", "pm")
    return f'<time datetime="{iso_offset(when)}">{text}</time>'


def _phpbb_page(title: str, section: str, crumbs: list[tuple[str, str, int]],
                body: str) -> str:
    crumb_html = "".join(
        f'<span class="crumb" itemtype="https://schema.org/ListItem" '
        f'itemprop="itemListElement" itemscope data-forum-id="{fid}"><a itemprop="item" '
        f'href="{_esc(href)}"><span itemprop="name">{_esc(name)}</span></a>'
        f'<meta itemprop="position" content="{i + 2}" /></span>'
        for i, (name, href, fid) in enumerate(crumbs))
    return (
        '<!DOCTYPE html>\n<html dir="ltr" lang="en-gb">\n<head>\n<meta charset="utf-8" />\n'
        f'<title>{_esc(title)} - Scalp Talk Board (sample)</title>\n</head>\n'
        f'<body id="phpbb" class="nojs notouch section-{section} ltr ">\n'
        '<div id="wrap" class="wrap">\n\t<div id="page-header">\n'
        '\t\t<div class="navbar" role="navigation">\n'
        '\t\t<ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks" '
        'role="menubar">\n\t\t\t<li class="breadcrumbs" itemscope '
        'itemtype="https://schema.org/BreadcrumbList">\n'
        '\t\t\t\t<span class="crumb" itemtype="https://schema.org/ListItem" '
        'itemprop="itemListElement" itemscope><a itemprop="item" href="./index.php" '
        'accesskey="h" data-navbar-reference="index"><span itemprop="name">Board index'
        '</span></a><meta itemprop="position" content="1" /></span>\n'
        f'\t\t\t\t{crumb_html}\n\t\t\t</li>\n\t\t</ul>\n\t\t</div>\n\t</div>\n'
        f'\t<div id="page-body" class="page-body" role="main">\n{body}\n\t</div>\n'
        '\t<div id="page-footer" class="page-footer" role="contentinfo">\n'
        '\t\t<div class="navbar" role="navigation"><ul class="linklist"><li class="rightside">'
        'All times are <span title="UTC">UTC</span></li></ul></div>\n'
        '\t\t<div class="copyright">Powered by phpBB&reg; Forum Software &copy; phpBB Limited'
        ' (sample data written for hairlink)</div>\n\t</div>\n</div>\n</body>\n</html>\n')


def _phpbb_pagination(what: str, total: int, base: str, start: int, size: int) -> str:
    label = f"{total} {what}"
    pages = max(1, -(-total // size))
    if pages <= 1:
        return f'<div class="pagination">\n\t{label} &bull; Page <strong>1</strong> of ' \
               '<strong>1</strong>\n</div>\n'
    current = start // size + 1
    items = []
    for n in range(1, pages + 1):
        if n == current:
            items.append(f'<li class="active"><span>{n}</span></li>')
        else:
            href = base if n == 1 else f"{base}&amp;start={(n - 1) * size}"
            items.append(f'<li><a class="button" href="{href}" role="button">{n}</a></li>')
    if current < pages:
        items.append(f'<li class="arrow next"><a class="button button-icon-only" '
                     f'href="{base}&amp;start={current * size}" rel="next" role="button">'
                     '<i class="icon fa-chevron-right fa-fw" aria-hidden="true"></i>'
                     '<span class="sr-only">Next</span></a></li>')
    return (f'<div class="pagination">\n\t{label}\n\t<ul>\n\t\t' + "\n\t\t".join(items)
            + "\n\t</ul>\n</div>\n")


def _phpbb_topic(thread: Thread, forum: str, fid: int) -> str:
    from scrapers.samples.generate import html_text

    posts = [(thread.id * 10, thread.author, thread.body, thread.created, thread.title)]
    posts += [(r.id, r.author, r.text, r.created, f"Re: {thread.title}")
              for r in thread.replies]
    blocks = []
    for index, (pid, author, text, when, subject) in enumerate(posts):
        uid = _user_id(author)
        bg = "bg2" if index % 2 == 0 else "bg1"
        first = ' class="first"' if index == 0 else ""
        blocks.append(
            f'\t\t<div id="p{pid}" class="post has-profile {bg}">\n\t\t<div class="inner">\n'
            f'\t\t<dl class="postprofile" id="profile{pid}">\n'
            f'\t\t\t<dt class="has-profile-rank no-avatar"><a href="./memberlist.php?mode='
            f'viewprofile&amp;u={uid}" class="username">{_esc(author)}</a></dt>\n'
            f'\t\t\t<dd class="profile-posts"><strong>Posts:</strong> {uid % 700 + 3}</dd>\n'
            '\t\t</dl>\n\t\t<div class="postbody">\n'
            f'\t\t\t<div id="post_content{pid}">\n'
            f'\t\t\t<h3{first}><a href="#p{pid}">{_esc(subject)}</a></h3>\n'
            f'\t\t\t<p class="author"><a class="unread" href="./viewtopic.php?p={pid}#p{pid}" '
            'title="Post"><i class="icon fa-file fa-fw icon-lightgray icon-md" '
            'aria-hidden="true"></i><span class="sr-only">Post</span></a>'
            '<span class="responsive-hide">by <strong><a href="./memberlist.php?mode='
            f'viewprofile&amp;u={uid}" class="username">{_esc(author)}</a></strong> &raquo; '
            f'</span>{_phpbb_time(when)} </p>\n'
            f'\t\t\t<div class="content">{html_text(text)}</div>\n'
            '\t\t\t</div>\n\t\t</div>\n\t\t</div>\n\t\t</div>\n'
            '\t\t<hr class="divider" />\n')
    base = f"./viewtopic.php?t={thread.id}"
    body = (f'<h2 class="topic-title"><a href="{base}">{_esc(thread.title)}</a></h2>\n'
            '<div class="action-bar bar-top">\n'
            + _phpbb_pagination("posts" if len(posts) != 1 else "post", len(posts), base, 0,
                                25)
            + '</div>\n' + "".join(blocks))
    return _phpbb_page(thread.title, "viewtopic", [(forum, f"./viewforum.php?f={fid}", fid)],
                       body)


def _phpbb_row(thread: Thread, index: int, views: int) -> str:
    uid = _user_id(thread.author)
    last_author = thread.replies[-1].author if thread.replies else thread.author
    last_id = thread.replies[-1].id if thread.replies else thread.id * 10
    bg = "bg1" if index % 2 == 0 else "bg2"
    return (
        f'\t\t<li class="row {bg}">\n\t\t\t<dl class="row-item topic_read">\n'
        '\t\t\t\t<dt title="No unread posts">\n\t\t\t\t\t<div class="list-inner">\n'
        f'\t\t\t\t\t\t<a href="./viewtopic.php?t={thread.id}" class="topictitle">'
        f'{_esc(thread.title)}</a>\n'
        '\t\t\t\t\t\t<div class="topic-poster responsive-hide left-box">\n'
        f'\t\t\t\t\t\t\tby <a href="./memberlist.php?mode=viewprofile&amp;u={uid}" '
        f'class="username">{_esc(thread.author)}</a> &raquo; {_phpbb_time(thread.created)}\n'
        '\t\t\t\t\t\t</div>\n\t\t\t\t\t</div>\n\t\t\t\t</dt>\n'
        f'\t\t\t\t<dd class="posts">{len(thread.replies)} <dfn>Replies</dfn></dd>\n'
        f'\t\t\t\t<dd class="views">{views} <dfn>Views</dfn></dd>\n'
        '\t\t\t\t<dd class="lastpost">\n\t\t\t\t\t<span><dfn>Last post </dfn>by '
        f'<a href="./memberlist.php?mode=viewprofile&amp;u={_user_id(last_author)}" '
        f'class="username">{_esc(last_author)}</a>\n'
        f'\t\t\t\t\t\t<a href="./viewtopic.php?p={last_id}#p{last_id}" title="Go to last post">'
        '<i class="icon fa-external-link-square fa-fw icon-lightgray icon-md" '
        'aria-hidden="true"></i></a>\n'
        f'\t\t\t\t\t\t<br />{_phpbb_time(thread.last_activity)}\n\t\t\t\t\t</span>\n'
        '\t\t\t\t</dd>\n\t\t\t</dl>\n\t\t</li>\n')


def write_phpbb(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
    """`viewforum.php?f=N&start=M` pages and `viewtopic.php?t=N` pages."""
    prefix = layout.PREFIX["phpbb"]
    size = layout.PHPBB_PAGE_SIZE
    for forum, fid in layout.PHPBB_FORUMS.items():
        members = sorted((t for t in threads if t.category == forum),
                         key=lambda t: t.last_activity, reverse=True)
        base = f"./viewforum.php?f={fid}"
        for start in range(0, max(1, len(members)), size):
            chunk = members[start:start + size]
            rows = "".join(_phpbb_row(t, i, rng.randint(20, 3000)) for i, t in enumerate(chunk))
            pagination = _phpbb_pagination("topics", len(members), base, start, size)
            body = (f'<h2 class="forum-title"><a href="{base}">{_esc(forum)}</a></h2>\n'
                    f'<div class="action-bar bar-top">\n{pagination}</div>\n'
                    '<div class="forumbg">\n<div class="inner">\n'
                    '\t<ul class="topiclist">\n\t\t<li class="header">\n'
                    '\t\t\t<dl class="row-item"><dt><div class="list-inner">Topics</div></dt>'
                    '<dd class="posts">Replies</dd><dd class="views">Views</dd>'
                    '<dd class="lastpost"><span>Last post</span></dd></dl>\n\t\t</li>\n'
                    '\t</ul>\n\t<ul class="topiclist topics">\n'
                    f'{rows}\t</ul>\n</div>\n</div>\n'
                    f'<div class="action-bar bar-bottom">\n{pagination}</div>\n')
            page_html = _phpbb_page(forum, "viewforum", [(forum, base, fid)], body)
            rel = writer.file(f"phpbb/viewforum.f{fid}.start{start}.html", page_html)
            queries: list[dict[str, str | None]] = [{"f": str(fid), "start": str(start)}]
            if start == 0:
                queries.append({"f": str(fid), "start": None})
            for query in queries:
                writer.route(f"{prefix}/viewforum.php", rel, HTML, query=query)
        for thread in members:
            rel = writer.file(f"phpbb/viewtopic.t{thread.id}.html",
                              _phpbb_topic(thread, forum, fid))
            for query in ({"t": str(thread.id), "start": None},
                          {"t": str(thread.id), "start": "0"}):
                writer.route(f"{prefix}/viewtopic.php", rel, HTML, query=query)
