"""Generated phpBB 3 (prosilver) forums for crawl tests."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from scrapers.loopback import LoopbackServer
from tests.scrapers.fake_threads import FakeThread


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
