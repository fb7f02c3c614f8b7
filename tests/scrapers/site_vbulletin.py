"""Generated vBulletin 4.2 forums for crawl tests."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

from scrapers.loopback import LoopbackServer
from tests.scrapers.fake_threads import FakePost, FakeThread

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
