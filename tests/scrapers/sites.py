"""Generated forums for crawl tests: one thread model, rendered per engine onto a
LoopbackServer in each engine's real format (see docs/crawling.md)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from scrapers.loopback import LoopbackServer

NOW = datetime.now(UTC).replace(second=0, microsecond=0)  # forums print minutes


@dataclass
class FakePost:
    post_id: int
    author: str
    text: str
    created_at: datetime
    likes: int = 0


@dataclass
class FakeThread:
    thread_id: int
    title: str
    category: str
    category_id: int
    created_at: datetime
    posts: list[FakePost] = field(default_factory=list)

    @property
    def likes(self) -> int:
        return self.posts[0].likes

    @property
    def last_activity(self) -> datetime:
        return max(p.created_at for p in self.posts)

    @property
    def slug(self) -> str:
        return "-".join(self.title.lower().split())[:40] or "thread"


def make_threads(count: int, posts_per_thread: int = 3, age_step: timedelta = timedelta(hours=5),
                 first_id: int = 100, categories: tuple[tuple[int, str], ...] = (
                     (4, "Finasteride"), (7, "Minoxidil"))) -> list[FakeThread]:
    """`count` threads, newest first, each with `posts_per_thread` posts (opening post first)."""
    threads = []
    post_id = 1000
    for n in range(count):
        created = NOW - age_step * (n + 1)
        cat_id, cat = categories[n % len(categories)]
        thread = FakeThread(first_id + n, f"Thread {n} about minoxidil and fin", cat, cat_id,
                            created)
        for k in range(posts_per_thread):
            post_id += 1
            thread.posts.append(FakePost(
                post_id, f"user{(n + k) % 7}",
                f"Post {k} of thread {n}. See https://pubmed.ncbi.nlm.nih.gov/{30000 + n}/",
                created + timedelta(minutes=10 * k), likes=(n * 3 + k) % 11))
        threads.append(thread)
    return threads


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# -- Discourse ----------------------------------------------------------------------------
def discourse_topic(thread: FakeThread, page: int = 1, chunk: int = 20) -> dict[str, Any]:
    posts = thread.posts[(page - 1) * chunk: page * chunk]
    return {
        "id": thread.thread_id, "title": thread.title, "fancy_title": html.escape(thread.title),
        "slug": thread.slug, "posts_count": len(thread.posts), "chunk_size": chunk,
        "created_at": _iso(thread.created_at), "last_posted_at": _iso(thread.last_activity),
        "like_count": sum(p.likes for p in thread.posts), "category_id": thread.category_id,
        "reply_count": len(thread.posts) - 1,
        "post_stream": {
            "posts": [{
                "id": p.post_id, "post_number": thread.posts.index(p) + 1,
                "username": p.author, "created_at": _iso(p.created_at),
                "updated_at": _iso(p.created_at), "version": 1, "post_type": 1,
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
            "created_at": _iso(t.created_at), "last_posted_at": _iso(t.last_activity),
            "bumped_at": _iso(t.last_activity), "like_count": sum(p.likes for p in t.posts),
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


# -- XenForo 2 ----------------------------------------------------------------------------
def _xf_time(value: datetime, css: str = "u-dt") -> str:
    stamp = int(value.timestamp())
    iso = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
    date = value.strftime("%b %d, %Y")
    clock = value.strftime("%I:%M %p").lstrip("0")
    return (f'<time  class="{css}" dir="auto" datetime="{iso}" data-time="{stamp}" '
            f'data-date-string="{date}" data-time-string="{clock}" '
            f'title="{date} at {clock}">{date}</time>')


def _xf_page_nav(base: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    items = "".join(
        f'<li class="pageNav-page {"pageNav-page--current" if n == page else ""}">'
        f'<a href="{base}{"" if n == 1 else f"page-{n}"}">{n}</a></li>'
        for n in range(1, pages + 1))
    nxt = (f'<a href="{base}page-{page + 1}" class="pageNav-jump pageNav-jump--next">Next</a>'
           if page < pages else "")
    return (f'<div class="pageNav  "><ul class="pageNav-main">{items}</ul>{nxt}</div>')


def _reactions(likes: int) -> str:
    if not likes:
        return '<div class="reactionsBar js-reactionsList "></div>'
    names = [f"<bdi>fan{i}</bdi>" for i in range(min(likes, 3))]
    rest = likes - len(names)
    if rest:
        text = ", ".join(names) + f" and {rest} other{'s' if rest > 1 else ''}"
    else:
        text = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return ('<div class="reactionsBar js-reactionsList is-active">'
            '<span class="u-srOnly">Reactions:</span>'
            f'<a class="reactionsBar-link" href="/posts/1/reactions">{text}</a></div>')


def xenforo_thread_page(thread: FakeThread, page: int = 1, per_page: int = 20,
                        forum: str = "finasteride.4") -> str:
    """A XenForo 2 `thread_view` page in the real template's shape."""
    pages = max(1, -(-len(thread.posts) // per_page))
    base = f"/threads/{thread.slug}.{thread.thread_id}/"
    posts = thread.posts[(page - 1) * per_page: page * per_page]
    articles = "".join(f"""
	<article class="message message--post js-post js-inlineModContainer  "
		data-author="{html.escape(p.author)}" data-content="post-{p.post_id}"
		id="js-post-{p.post_id}">
		<div class="message-inner"><div class="message-cell message-cell--main">
		<header class="message-attribution message-attribution--split">
			<div class="message-attribution-main"><a href="{base}post-{p.post_id}"
				class="u-concealed" rel="nofollow">{_xf_time(p.created_at)}</a></div>
		</header>
		<div class="message-content js-messageContent"><div class="message-userContent">
			<article class="message-body js-selectToQuote">
				<div class="bbWrapper">{html.escape(p.text)}</div>
			</article></div></div>
		<footer class="message-footer">{_reactions(p.likes)}</footer>
		</div></div>
	</article>""" for p in posts)
    return f"""<!DOCTYPE html>
<html id="XF" lang="en-US" dir="LTR" data-app="public" data-template="thread_view"
	data-container-key="node-4" data-content-key="thread-{thread.thread_id}">
<head><title>{html.escape(thread.title)}</title>
<link rel="canonical" href="{base}{"" if page == 1 else f"page-{page}"}" /></head>
<body data-template="thread_view">
<ul class="p-breadcrumbs " itemscope itemtype="https://schema.org/BreadcrumbList">
	<li itemprop="itemListElement" itemscope><a href="/" itemprop="item"><span
		itemprop="name">Forums</span></a></li>
	<li itemprop="itemListElement" itemscope><a href="/forums/{forum}/" itemprop="item">
		<span itemprop="name">{html.escape(thread.category)}</span></a></li>
</ul>
<div class="p-title "><h1 class="p-title-value">{html.escape(thread.title)}</h1></div>
{_xf_page_nav(base, page, pages)}
<div class="block-body js-replyNewMessageContainer">{articles}</div>
{_xf_page_nav(base, page, pages)}
</body></html>"""


def xenforo_forum_page(threads: list[FakeThread], forum: str, page: int, pages: int,
                       forum_title: str) -> str:
    """A XenForo 2 `forum_view` page (`structItem--thread` rows)."""
    rows = "".join(f"""
<div class="structItem structItem--thread js-inlineModContainer js-threadListItem-{t.thread_id}"
	data-author="{html.escape(t.posts[0].author)}">
	<div class="structItem-cell structItem-cell--main" data-xf-init="touch-proxy">
		<div class="structItem-title">
			<a href="/threads/{t.slug}.{t.thread_id}/" class="" data-tp-primary="on"
				data-xf-init="preview-tooltip">{html.escape(t.title)}</a>
		</div>
		<div class="structItem-minor"><ul class="structItem-parts">
			<li><a href="/members/{t.posts[0].author}.1/"
				class="username">{t.posts[0].author}</a></li>
			<li class="structItem-startDate"><a href="/threads/{t.slug}.{t.thread_id}/"
				rel="nofollow">{_xf_time(t.created_at)}</a></li>
		</ul></div>
	</div>
	<div class="structItem-cell structItem-cell--meta"
		title="First message reaction score: {t.likes}">
		<dl class="pairs pairs--justified"><dt>Replies</dt> <dd>{len(t.posts) - 1}</dd></dl>
		<dl class="pairs pairs--justified structItem-minor"><dt>Views</dt> <dd>1.2K</dd></dl>
	</div>
	<div class="structItem-cell structItem-cell--latest">
		<a href="/threads/{t.slug}.{t.thread_id}/latest" rel="nofollow">{
            _xf_time(t.last_activity, "structItem-latestDate u-dt")}</a>
		<div class="structItem-minor"><a href="/members/x.2/" class="username">x</a></div>
	</div>
</div>""" for t in threads)
    return f"""<!DOCTYPE html>
<html id="XF" lang="en-US" dir="LTR" data-app="public" data-template="forum_view"
	data-container-key="node-4" data-content-key="forum-4">
<head><title>{html.escape(forum_title)}</title></head>
<body data-template="forum_view">
<div class="p-title "><h1 class="p-title-value">{html.escape(forum_title)}</h1></div>
{_xf_page_nav(f"/forums/{forum}/", page, pages)}
<div class="block-container"><div class="block-body">
<div class="structItemContainer"><div class="structItemContainer-group js-threadList">
{rows}
</div></div></div></div>
</body></html>"""


def serve_xenforo(server: LoopbackServer, threads: list[FakeThread], forum: str = "hair.4",
                  per_page: int = 20, posts_per_page: int = 20) -> None:
    """Forum pages and thread pages of one XenForo forum."""
    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    chunks = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        body = xenforo_forum_page(chunk, forum, number, len(chunks), "Hair loss")
        server.add(f"/forums/{forum}/" + ("" if number == 1 else f"page-{number}"), body)
    for thread in threads:
        pages = max(1, -(-len(thread.posts) // posts_per_page))
        for page in range(1, pages + 1):
            server.add(f"/threads/{thread.slug}.{thread.thread_id}/" +
                       ("" if page == 1 else f"page-{page}"),
                       xenforo_thread_page(thread, page, posts_per_page, forum))


# -- phpBB 3 prosilver --------------------------------------------------------------------
def _php_time(value: datetime, with_time_tag: bool) -> str:
    text = value.astimezone(UTC).strftime("%a %b %d, %Y %I:%M %p").replace(" 0", " ")
    text = text[:-2] + text[-2:].lower()
    if not with_time_tag:
        return text
    return f'<time datetime="{value.astimezone(UTC).isoformat()}">{text}</time>'


def _php_pagination(base: str, page: int, pages: int, per_page: int, total_label: str) -> str:
    items = "".join(
        f'<li class="active"><span>{n}</span></li>' if n == page else
        f'<li><a class="button" href="{base}&amp;start={(n - 1) * per_page}" role="button">'
        f"{n}</a></li>" for n in range(1, pages + 1))
    nxt = (f'<li class="arrow next"><a class="button button-icon-only" href="{base}&amp;start='
           f'{page * per_page}" rel="next" role="button">Next</a></li>' if page < pages else "")
    return (f'<div class="pagination">{total_label} &bull; Page <strong>{page}</strong> of '
            f'<strong>{pages}</strong><ul>{items}{nxt}</ul></div>')


def phpbb_viewtopic(thread: FakeThread, page: int, per_page: int = 25, forum_id: int = 2,
                    time_tags: bool = True) -> str:
    """A prosilver `viewtopic.php` page (3.3 shape; `time_tags=False` gives 3.0 dates)."""
    pages = max(1, -(-len(thread.posts) // per_page))
    posts = thread.posts[(page - 1) * per_page: page * per_page]
    blocks = "".join(f"""
	<div id="p{p.post_id}" class="post has-profile bg2">
		<div class="inner">
		<div class="postbody"><div id="post_content{p.post_id}">
		<h3 class="first"><a href="#p{p.post_id}">Re: {html.escape(thread.title)}</a></h3>
		<p class="author"><a class="unread" href="./viewtopic.php?p={p.post_id}#p{p.post_id}"
			title="Post"><i class="icon fa-file fa-fw"></i></a><span class="responsive-hide">by
			<strong><a href="./memberlist.php?mode=viewprofile&amp;u=2"
			class="username">{html.escape(p.author)}</a></strong> &raquo; </span>{
            _php_time(p.created_at, time_tags)}</p>
		<div class="content">{html.escape(p.text)}</div>
		</div></div></div>
	</div>""" for p in posts)
    base = f"./viewtopic.php?t={thread.thread_id}"
    return f"""<!DOCTYPE html><html dir="ltr" lang="en-gb"><head><meta charset="utf-8" />
<title>{html.escape(thread.title)} - Board</title></head><body id="phpbb" class="section-viewtopic">
<ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks" role="menubar">
	<li class="breadcrumbs" itemscope itemtype="https://schema.org/BreadcrumbList">
	<span class="crumb"><a href="./index.php" itemprop="item"><span
		itemprop="name">Board index</span></a></span>
	<span class="crumb" data-forum-id="{forum_id}"><a href="./viewforum.php?f={forum_id}"
		itemprop="item"><span itemprop="name">{html.escape(thread.category)}</span></a></span>
	</li></ul>
<div id="page-body" class="page-body" role="main">
<h2 class="topic-title"><a href="./viewtopic.php?t={thread.thread_id}">{
        html.escape(thread.title)}</a></h2>
<div class="action-bar bar-top">{_php_pagination(base, page, pages, per_page,
                                                   f"{len(thread.posts)} posts")}</div>
{blocks}
</div></body></html>"""


def phpbb_viewforum(threads: list[FakeThread], forum_id: int, page: int, pages: int,
                    per_page: int, forum_title: str, time_tags: bool = True) -> str:
    """A prosilver `viewforum.php` page (`ul.topiclist.topics li.row`)."""
    rows = "".join(f"""
	<li class="row bg1">
		<dl class="row-item topic_read">
			<dt title="No unread posts"><div class="list-inner">
				<a href="./viewtopic.php?t={t.thread_id}" class="topictitle">{
                    html.escape(t.title)}</a><br />
				<div class="topic-poster responsive-hide left-box">
					by <a href="./memberlist.php?mode=viewprofile&amp;u=2" class="username">{
                    html.escape(t.posts[0].author)}</a> &raquo; {_php_time(t.created_at, time_tags)}
				</div>
			</div></dt>
			<dd class="posts">{len(t.posts) - 1} <dfn>Replies</dfn></dd>
			<dd class="views">{100 + t.thread_id} <dfn>Views</dfn></dd>
			<dd class="lastpost"><span><dfn>Last post </dfn>by
				<a href="./memberlist.php?mode=viewprofile&amp;u=3" class="username">x</a>
				<a href="./viewtopic.php?p={t.posts[-1].post_id}#p{t.posts[-1].post_id}"
					title="Go to last post"><i class="icon fa-external-link-square"></i></a>
				<br />{_php_time(t.last_activity, time_tags)}</span></dd>
		</dl>
	</li>""" for t in threads)
    base = f"./viewforum.php?f={forum_id}"
    return f"""<!DOCTYPE html><html dir="ltr" lang="en-gb"><head><meta charset="utf-8" />
<title>{html.escape(forum_title)} - Board</title></head><body id="phpbb" class="section-viewforum">
<ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks" role="menubar">
	<li class="breadcrumbs">
	<span class="crumb"><a href="./index.php"><span>Board index</span></a></span>
	<span class="crumb" data-forum-id="{forum_id}"><a href="./viewforum.php?f={forum_id}"><span>{
        html.escape(forum_title)}</span></a></span>
	</li></ul>
<div id="page-body" class="page-body" role="main">
<h2 class="forum-title"><a href="./viewforum.php?f={forum_id}">{html.escape(forum_title)}</a></h2>
<div class="action-bar bar-top">{_php_pagination(base, page, pages, per_page,
                                                   f"{len(threads)} topics")}</div>
<div class="forumbg"><div class="inner">
<ul class="topiclist"><li class="header"><dl class="row-item">
<dt><div class="list-inner">Topics</div></dt><dd class="posts">Replies</dd>
<dd class="views">Views</dd><dd class="lastpost"><span>Last post</span></dd></dl></li></ul>
<ul class="topiclist topics">{rows}
</ul></div></div>
</div></body></html>"""


def serve_phpbb(server: LoopbackServer, threads: list[FakeThread], forum_id: int = 2,
                per_page: int = 25, posts_per_page: int = 25, time_tags: bool = True) -> None:
    """viewforum.php and viewtopic.php pages of one phpBB forum."""
    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    chunks = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        body = phpbb_viewforum(chunk, forum_id, number, len(chunks), per_page, "Hair loss",
                               time_tags)
        start = "" if number == 1 else f"&start={(number - 1) * per_page}"
        server.add(f"/viewforum.php?f={forum_id}{start}", body)
    for thread in threads:
        pages = max(1, -(-len(thread.posts) // posts_per_page))
        for page in range(1, pages + 1):
            start = "" if page == 1 else f"&start={(page - 1) * posts_per_page}"
            server.add(f"/viewtopic.php?t={thread.thread_id}{start}",
                       phpbb_viewtopic(thread, page, posts_per_page, forum_id, time_tags))


def serve(kind: str, server: LoopbackServer, threads: list[FakeThread]) -> None:
    """Serve `threads` as a forum of `kind` (small pages so paging is exercised)."""
    if kind == "discourse":
        serve_discourse(server, threads, per_page=30, chunk=20)
    elif kind == "xenforo":
        serve_xenforo(server, threads, per_page=20, posts_per_page=20)
    elif kind == "phpbb":
        serve_phpbb(server, threads, per_page=25, posts_per_page=10)
    elif kind == "vbulletin":
        serve_vbulletin(server, threads, per_page=20, posts_per_page=10)
    elif kind == "xenforo1":
        serve_xenforo1(server, threads, per_page=20, posts_per_page=20)
    else:
        raise ValueError(kind)


# The third list page of each engine as `serve` lays it out (for paging assertions).
THIRD_LIST_PAGE = {"discourse": "/latest.json?no_definitions=true&page=2",
                   "xenforo": "/forums/hair.4/page-3",
                   "phpbb": "/viewforum.php?f=2&start=50",
                   "vbulletin": "/forumdisplay.php?f=2&page=3",
                   "xenforo1": "/forums/hair.4/page-3"}


# -- vBulletin 4.2 ------------------------------------------------------------------------
VB_ZONE = timezone(timedelta(hours=-5))  # the board's "All times are GMT -5"


def _vb_date(value: datetime, relative: bool = False) -> str:
    """`06-15-2016, <span class="time">03:03 PM</span>` in the board's zone ("Today" and
    "Yesterday" on list pages, as vBulletin prints them)."""
    local = value.astimezone(VB_ZONE)
    day = local.strftime("%m-%d-%Y")
    if relative:
        today = datetime.now(VB_ZONE).date()
        if local.date() == today:
            day = "Today"
        elif local.date() == today - timedelta(days=1):
            day = "Yesterday"
    return f'{day},&nbsp;<span class="time">{local.strftime("%I:%M %p")}</span>'


def _vb_thanks(post: FakePost) -> str:
    if not post.likes:
        return f'<div id="post_thanks_box_{post.post_id}"></div>'
    who = ("The Following User Says Thank You" if post.likes == 1 else
           f"The Following {post.likes} Users Say Thank You")
    names = ", ".join(f'<a href="member.php?u={n}">fan{n}</a>' for n in range(post.likes))
    return (f'<div id="post_thanks_box_{post.post_id}"><div class="thanks_postbit">'
            f'<strong>{who} to {html.escape(post.author)} For This Useful Post:</strong>'
            f'<div>{names}</div></div></div>')


def _vb_footer() -> str:
    return ('<div id="footer_time" class="shade footer_time">All times are GMT -5. The time '
            'now is <span class="time">03:03 PM</span>.</div>')


def _vb_pagination(base: str, page: int, pages: int, per_page: int, total: int) -> str:
    if pages <= 1:
        return ""
    items = "".join(
        f'<span class="selected"><a href="javascript://">{n}</a></span>' if n == page else
        f'<span><a href="{base}{"" if n == 1 else f"&amp;page={n}"}" '
        f'title="Show results {(n - 1) * per_page + 1} to {min(total, n * per_page)} of '
        f'{total}">{n}</a></span>' for n in range(1, pages + 1))
    nxt = (f'<span class="prev_next"><a rel="next" href="{base}&amp;page={page + 1}" '
           f'title="Next Page">Next</a></span>' if page < pages else "")
    return (f'<form action="{base}" method="get" class="pagination popupmenu nohovermenu">'
            f'<span><a href="javascript://" class="popupctrl">Page {page} of {pages}</a></span>'
            f'{items}{nxt}</form>')


def vbulletin_showthread(thread: FakeThread, page: int, per_page: int = 10,
                         forum_id: int = 2) -> str:
    """A vBulletin 4.2 `showthread.php` page (`li.postbitlegacy`, thanks boxes)."""
    pages = max(1, -(-len(thread.posts) // per_page))
    posts = thread.posts[(page - 1) * per_page: page * per_page]
    start = (page - 1) * per_page
    items = "".join(f"""
<li class="postbitlegacy postbitim postcontainer old" id="post_{p.post_id}">
	<div class="posthead"><span class="postdate old"><span class="date">{
        _vb_date(p.created_at)}</span></span>
		<span class="nodecontrols"><a name="post{p.post_id}" href="showthread.php?t={
            thread.thread_id}&amp;p={p.post_id}#post{p.post_id}" class="postcounter">#{
            start + i + 1}</a></span></div>
	<div class="postdetails"><div class="userinfo"><div class="username_container">
		<div class="popupmenu memberaction"><a class="username offline popupctrl"
			href="member.php?u=7"><strong>{html.escape(p.author)}</strong></a></div></div></div>
	<div class="postbody"><div class="postrow"><div class="content">
		<div id="post_message_{p.post_id}"><blockquote class="postcontent restore ">{
            html.escape(p.text)}</blockquote></div></div></div></div></div>
	{_vb_thanks(p)}
</li>""" for i, p in enumerate(posts))
    base = f"showthread.php?t={thread.thread_id}"
    total = len(thread.posts)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="en" id="vbulletin_html"><head>
<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />
<meta name="generator" content="vBulletin 4.2.5" />
<title> {html.escape(thread.title)}</title></head><body>
<div id="breadcrumb" class="breadcrumb"><ul class="floatcontainer">
	<li class="navbithome"><a href="index.php" accesskey="1">Home</a></li>
	<li class="navbit"><a href="forum.php">Forum</a></li>
	<li class="navbit"><a href="forumdisplay.php?f={forum_id}">{
        html.escape(thread.category)}</a></li>
	<li class="navbit lastnavbit"><span> {html.escape(thread.title)}</span></li></ul></div>
<div id="pagination_top" class="pagination_top">{_vb_pagination(base, page, pages, per_page,
                                                                   total)}
	<div id="postpagestats_above" class="postpagestats">Results {start + 1} to {
        start + len(posts)} of {total}</div></div>
<div id="pagetitle" class="pagetitle"><h1>Thread: <span class="threadtitle"><a href="{base}"
	title="Reload this Page">{html.escape(thread.title)}</a></span></h1></div>
<div id="postlist" class="postlist restrain"><ol id="posts" class="posts" start="1">{items}
</ol></div>
{_vb_footer()}
</body></html>"""


def vbulletin_forumdisplay(threads: list[FakeThread], forum_id: int, page: int, pages: int,
                           per_page: int, forum_title: str) -> str:
    """A vBulletin 4.2 `forumdisplay.php` page (`li.threadbit` rows)."""
    rows = "".join(f"""
<li class="threadbit hot" id="thread_{t.thread_id}">
	<div class="rating0 nonsticky"><div class="threadinfo" title=""><div class="inner">
		<h3 class="threadtitle"><a class="title" href="showthread.php?t={t.thread_id}"
			id="thread_title_{t.thread_id}">{html.escape(t.title)}</a></h3>
		<div class="threadmeta"><div class="author"><span class="label">Started by&nbsp;<a
			href="member.php?u=7" class="username understate" title="Started by {
            html.escape(t.posts[0].author)}">{html.escape(t.posts[0].author)}</a>,&nbsp;{
            _vb_date(t.created_at).replace(",&nbsp;", "&nbsp;")}</span></div></div>
	</div></div>
	<ul class="threadstats td alt" title="">
		<li>Replies: <a href="misc.php?do=whoposted&amp;t={t.thread_id}" onclick="who({
            t.thread_id}); return false;" class="understate">{len(t.posts) - 1}</a></li>
		<li>Views: 1,{t.thread_id % 1000:03d}</li></ul>
	<dl class="threadlastpost td"><dt class="lastpostby hidden">Last Post By:</dt>
		<dd><div class="popupmenu memberaction"><a class="username offline popupctrl"
			href="member.php?u=8"><strong>{html.escape(t.posts[-1].author)}</strong></a>
			</div></dd>
		<dd>{_vb_date(t.last_activity, relative=True)} <a href="showthread.php?t={
            t.thread_id}&amp;p={t.posts[-1].post_id}#post{t.posts[-1].post_id}"
			class="lastpostdate understate" title="Go to last post"><img
			src="images/buttons/lastpost-right.png" alt="Go to last post" /></a></dd></dl>
	</div>
</li>""" for t in threads)
    base = f"forumdisplay.php?f={forum_id}"
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="en" id="vbulletin_html"><head>
<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />
<meta name="generator" content="vBulletin 4.2.5" />
<title>{html.escape(forum_title)}</title></head><body>
<div id="breadcrumb" class="breadcrumb"><ul class="floatcontainer">
	<li class="navbithome"><a href="index.php">Home</a></li>
	<li class="navbit"><a href="forum.php">Forum</a></li>
	<li class="navbit lastnavbit"><span>{html.escape(forum_title)}</span></li></ul></div>
<div id="pagetitle"><h1>Forum: <span class="forumtitle">{html.escape(forum_title)}</span></h1>
</div>
<div id="above_threadlist" class="above_threadlist">{_vb_pagination(base, page, pages, per_page,
                                                                      len(threads))}</div>
<div id="threadlist" class="threadlist"><ol id="threads" class="threads">{rows}
</ol></div>
{_vb_footer()}
</body></html>"""


def serve_vbulletin(server: LoopbackServer, threads: list[FakeThread], forum_id: int = 2,
                    per_page: int = 20, posts_per_page: int = 10) -> None:
    """forumdisplay.php and showthread.php pages of one vBulletin 4.2 forum (ISO-8859-1)."""
    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    chunks = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    ctype = "text/html; charset=ISO-8859-1"
    for number, chunk in enumerate(chunks, start=1):
        body = vbulletin_forumdisplay(chunk, forum_id, number, len(chunks), per_page,
                                      "Hair loss")
        page = "" if number == 1 else f"&page={number}"
        server.add(f"/forumdisplay.php?f={forum_id}{page}", body.encode("cp1252"),
                   content_type=ctype)
    for thread in threads:
        pages = max(1, -(-len(thread.posts) // posts_per_page))
        for number in range(1, pages + 1):
            page = "" if number == 1 else f"&page={number}"
            server.add(f"/showthread.php?t={thread.thread_id}{page}",
                       vbulletin_showthread(thread, number, posts_per_page, forum_id)
                       .encode("cp1252"), content_type=ctype)


# -- XenForo 1 ----------------------------------------------------------------------------
XF1_ZONE = "America/New_York"  # the board's zone, for dates older than a week


def _xf1_time(value: datetime) -> str:
    """Recent: `abbr.DateTime[data-time]`; older than a week: `span.DateTime[title]` in the
    board's zone, as XenForo 1 prints them."""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo(XF1_ZONE))
    date = f"{local.strftime('%b')} {local.day}, {local.year}"
    clock = local.strftime("%I:%M %p").lstrip("0")
    if NOW - value < timedelta(days=7):
        return (f'<abbr class="DateTime" data-time="{int(value.timestamp())}" '
                f'data-diff="60" data-datestring="{date}" data-timestring="{clock}">'
                f'{date} at {clock}</abbr>')
    return f'<span class="DateTime" title="{date} at {clock}">{date}</span>'


def _xf1_page_nav(base: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    links = "".join(f'<a href="{base}{"" if n == 1 else f"page-{n}"}" '
                    f'class="{"currentPage " if n == page else ""}">{n}</a>'
                    for n in range(1, pages + 1))
    nxt = f'<a href="{base}page-{page + 1}" class="text">Next &gt;</a>' if page < pages else ""
    return (f'<div class="PageNav" data-page="{page}" data-range="2" data-start="2" '
            f'data-end="{pages}" data-last="{pages}" data-sentinel="{{{{sentinel}}}}" '
            f'data-baseurl="{base}page-{{{{sentinel}}}}"><span class="pageNavHeader">Page '
            f'{page} of {pages}</span><nav>{links}{nxt}</nav></div>')


def _xf1_likes(post: FakePost) -> str:
    if not post.likes:
        return f'<div id="likes-post-{post.post_id}"></div>'
    names = [f'<a href="members/fan{i}.{i}/" class="username">fan{i}</a>'
             for i in range(min(post.likes, 3))]
    rest = post.likes - len(names)
    if rest:
        text = ", ".join(names) + (f' and <a href="posts/{post.post_id}/likes" '
                                   f'class="OverlayTrigger">{rest} other'
                                   f'{"s" if rest > 1 else ""}</a>')
    else:
        text = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return (f'<div id="likes-post-{post.post_id}"><div class="likesSummary secondaryContent">'
            f'<span class="LikeText">{text} like this.</span></div></div>')


def xenforo1_thread_page(thread: FakeThread, page: int = 1, per_page: int = 20,
                         forum: str = "hair.4") -> str:
    """A XenForo 1.x `thread_view` page (`li.message`, `blockquote.messageText`)."""
    pages = max(1, -(-len(thread.posts) // per_page))
    base = f"threads/{thread.slug}.{thread.thread_id}/"
    posts = thread.posts[(page - 1) * per_page: page * per_page]
    start = (page - 1) * per_page
    items = "".join(f"""
<li id="post-{p.post_id}" class="message   " data-author="{html.escape(p.author)}">
<div class="messageUserInfo"><h3 class="userText"><a href="members/{p.author}.7/"
	class="username" dir="auto">{html.escape(p.author)}</a></h3></div>
<div class="messageInfo primaryContent"><div class="messageContent"><article>
<blockquote class="messageText SelectQuoteContainer ugc baseHtml">{html.escape(p.text)}
<div class="messageTextEndMarker">&nbsp;</div></blockquote></article></div>
<div class="messageMeta ToggleTriggerAnchor"><div class="privateControls"><span class="item muted">
<span class="authorEnd"><a href="members/{p.author}.7/" class="username author">{
        html.escape(p.author)}</a>,</span>
<a href="posts/{p.post_id}/" title="Permalink" class="datePermalink">{_xf1_time(p.created_at)}</a>
</span></div><div class="publicControls"><a href="posts/{p.post_id}/" title="Permalink"
	class="item muted postNumber hashPermalink OverlayTrigger">#{start + i + 1}</a></div></div>
{_xf1_likes(p)}
</div></li>""" for i, p in enumerate(posts))
    nav = _xf1_page_nav(base, page, pages)
    nxt = f'<link rel="next" href="{base}page-{page + 1}"/>' if page < pages else ""
    return f"""<!DOCTYPE html>
<html id="XenForo" lang="en-US" dir="LTR" class="Public NoJs GalleryLazyLoader NoSidebar">
<head><meta charset="utf-8"/><base href="{{root}}/"/>
<title>{html.escape(thread.title)} | Board</title>{nxt}
<link rel="canonical" href="{{root}}/{base}{"" if page == 1 else f"page-{page}"}"/></head>
<body><nav><fieldset class="breadcrumb"><span class="crumbs">
<span class="crust homeCrumb"><a href="{{root}}/" class="crumb"><span>Home</span></a></span>
<span class="crust"><a href="{{root}}/forums/{forum}/" class="crumb" rel="up"
	itemprop="url"><span itemprop="title">{html.escape(thread.category)}</span></a></span>
</span></fieldset></nav>
<div class="titleBar"><h1>{html.escape(thread.title)}</h1></div>
<div class="pageNavLinkGroup">{nav}</div>
<ol class="messageList" id="messageList">{items}
</ol>
<div class="pageNavLinkGroup">{nav}</div>
</body></html>"""


def xenforo1_forum_page(threads: list[FakeThread], forum: str, page: int, pages: int,
                        forum_title: str) -> str:
    """A XenForo 1.x `forum_view` page (`li.discussionListItem`)."""
    rows = "".join(f"""
<li id="thread-{t.thread_id}" class="discussionListItem visible "
	data-author="{html.escape(t.posts[0].author)}">
<div class="listBlock main"><div class="titleText">
	<h3 class="title"><a href="threads/{t.slug}.{t.thread_id}/" title=""
		class="PreviewTooltip">{html.escape(t.title)}</a></h3>
	<div class="secondRow"><div class="posterDate muted"><a href="members/x.7/"
		class="username" dir="auto" title="Thread starter">{html.escape(t.posts[0].author)}</a><span
		class="startDate">, <a href="threads/{t.slug}.{t.thread_id}/" class="faint">{
            _xf1_time(t.created_at)}</a></span></div></div>
</div></div>
<div class="listBlock stats pairsJustified" title="Members who liked the first message: {
            t.likes}">
	<dl class="major"><dt>Replies:</dt> <dd>{len(t.posts) - 1:,}</dd></dl>
	<dl class="minor"><dt>Views:</dt> <dd>1,234</dd></dl></div>
<div class="listBlock lastPost"><dl class="lastPostInfo"><dt><a href="members/y.8/"
	class="username" dir="auto">{html.escape(t.posts[-1].author)}</a></dt>
	<dd class="muted"><a href="posts/{t.posts[-1].post_id}/" title="Go to last message"
		class="dateTime">{_xf1_time(t.last_activity)}</a></dd></dl></div>
</li>""" for t in threads)
    base = f"forums/{forum}/"
    nxt = f'<link rel="next" href="{base}page-{page + 1}"/>' if page < pages else ""
    return f"""<!DOCTYPE html>
<html id="XenForo" lang="en-US" dir="LTR" class="Public NoJs NoSidebar">
<head><meta charset="utf-8"/><base href="{{root}}/"/><title>{html.escape(forum_title)}</title>
{nxt}</head><body>
<div class="titleBar"><h1>{html.escape(forum_title)}</h1></div>
<div class="pageNavLinkGroup">{_xf1_page_nav(base, page, pages)}</div>
<div class="discussionList section sectionMain"><form action="inline-mod/thread/switch"
	method="post" class="DiscussionList InlineModForm">
<ol class="discussionListItems">{rows}
</ol></form></div>
</body></html>"""


def serve_xenforo1(server: LoopbackServer, threads: list[FakeThread], forum: str = "hair.4",
                   per_page: int = 20, posts_per_page: int = 20) -> None:
    """Forum pages and thread pages of one XenForo 1.x forum (links relative to `<base>`)."""
    root = server.base_url

    def page(body: str) -> str:
        return body.replace("{root}", root)

    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    chunks = [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        body = xenforo1_forum_page(chunk, forum, number, len(chunks), "Hair loss")
        server.add(f"/forums/{forum}/" + ("" if number == 1 else f"page-{number}"), page(body))
    for thread in threads:
        pages = max(1, -(-len(thread.posts) // posts_per_page))
        for number in range(1, pages + 1):
            server.add(f"/threads/{thread.slug}.{thread.thread_id}/" +
                       ("" if number == 1 else f"page-{number}"),
                       page(xenforo1_thread_page(thread, number, posts_per_page, forum)))
