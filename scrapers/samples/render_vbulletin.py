"""Render the sample vBulletin 4.2 board: `forumdisplay.php` and `showthread.php` HTML.

Like many long-running boards it is declared ISO-8859-1 (characters outside Windows-1252 as
numeric references), prints local dates under "All times are GMT -5", and runs the "Post
Thank You" add-on, whose per-post box is the score.
"""

from __future__ import annotations

import random
from datetime import timedelta, timezone
from typing import TYPE_CHECKING, Any

from scrapers.samples import layout
from scrapers.samples.render_forum_shared import esc, user_id

if TYPE_CHECKING:
    from scrapers.samples.generate import Thread, Writer

LATIN1 = "text/html; charset=ISO-8859-1"
BOARD_ZONE = timezone(timedelta(hours=-5))


def encode(page: str) -> bytes:
    """The page as a Latin-1-declared vBulletin board sends it: Windows-1252 bytes."""
    return page.encode("cp1252", errors="xmlcharrefreplace")


def _vb_date(when: Any) -> str:
    local = when.astimezone(BOARD_ZONE)
    return (f'{local.strftime("%m-%d-%Y")},&nbsp;<span class="time">'
            f'{local.strftime("%I:%M %p")}</span>')


def _thanks(post_id: int, author: str, score: int, rng: random.Random) -> str:
    if score <= 0:
        return f'<div id="post_thanks_box_{post_id}"></div>\n'
    who = ("The Following User Says Thank You" if score == 1 else
           f"The Following {score} Users Say Thank You")
    names = ", ".join(f'<a href="member.php?u={user_id(n)}" rel="nofollow">{esc(n)}</a>'
                      for n in rng.sample(["crownwatcher", "minox_mike", "grafty", "dut_dude",
                                           "nw3forever", "ketokid"], min(score, 6)))
    extra = f" and {score - 6} others" if score > 6 else ""
    return (f'<div id="post_thanks_box_{post_id}"><div class="thanks_postbit">'
            f'<div class="thanks_title"><strong>{who} to {esc(author)} For This Useful Post:'
            f'</strong></div><div class="thanks_list">{names}{extra}</div></div></div>\n')


def _page(title: str, crumbs: list[tuple[str, str]], body: str) -> str:
    crumb_html = "".join(f'\t<li class="navbit"><a href="{esc(href)}">{esc(name)}</a></li>\n'
                         for name, href in crumbs)
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="en" id="vbulletin_html">\n'
        '<head>\n\t<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />\n'
        '<meta name="generator" content="vBulletin 4.2.5" />\n'
        f'\t<title>{esc(title)} - Hairline Veterans (sample)</title>\n</head>\n'
        '<body>\n<div class="above_body">\n<div id="breadcrumb" class="breadcrumb">\n'
        '\t<ul class="floatcontainer">\n'
        '\t<li class="navbithome"><a href="index.php" accesskey="1"><img '
        'src="images/misc/navbit-home.png" alt="Home" /></a></li>\n'
        '\t<li class="navbit"><a href="forum.php">Forum</a></li>\n'
        f'{crumb_html}\t<li class="navbit lastnavbit"><span>{esc(title)}</span></li>\n'
        '\t</ul>\n\t<hr />\n</div>\n</div>\n'
        f'<div class="body_wrapper">\n{body}\n</div>\n'
        '<div id="footer" class="floatcontainer footer"></div>\n'
        '<p id="footer_time" class="shade footer_time">All times are GMT -5. The time now is '
        '<span class="time">07:00 AM</span>.</p>\n'
        '<div id="footer_copyright" class="shade footer_copyright">Powered by vBulletin&reg; '
        'Version 4.2.5 (sample data written for hairlink)</div>\n</body>\n</html>\n')


def _pagination(base: str, page: int, pages: int, size: int, total: int) -> str:
    if pages <= 1:
        return ""
    items = "".join(
        f'<span class="selected"><a href="javascript://" title="Results {(n - 1) * size + 1} '
        f'to {min(total, n * size)} of {total}">{n}</a></span>' if n == page else
        f'<span><a href="{base}{"" if n == 1 else f"&amp;page={n}"}" title="Show results '
        f'{(n - 1) * size + 1} to {min(total, n * size)} of {total}">{n}</a></span>'
        for n in range(1, pages + 1))
    nxt = (f'<span class="prev_next"><a rel="next" href="{base}&amp;page={page + 1}" '
           f'title="Next Page - Results {page * size + 1} to {min(total, (page + 1) * size)} '
           f'of {total}"><img src="images/pagination/next-right.png" alt="Next" /></a></span>'
           if page < pages else "")
    return (f'<form action="{base}" method="get" class="pagination popupmenu nohovermenu">\n'
            f'\t<span><a href="javascript://" class="popupctrl">Page {page} of {pages}</a>'
            f'</span>\n\t{items}\n\t{nxt}\n</form>\n')


def _showthread(thread: Thread, forum: str, fid: int, rng: random.Random) -> str:
    from scrapers.samples.generate import html_text

    posts = [(thread.id * 10, thread.author, thread.body, thread.score, thread.created)]
    posts += [(r.id, r.author, r.text, r.score, r.created) for r in thread.replies]
    items = []
    for number, (pid, author, text, score, when) in enumerate(posts, start=1):
        uid = user_id(author)
        items.append(
            f'<li class="postbitlegacy postbitim postcontainer old" id="post_{pid}">\n'
            '\t<div class="posthead">\n\t\t<span class="postdate old">\n'
            f'\t\t\t<span class="date">{_vb_date(when)}</span>\n\t\t</span>\n'
            '\t\t<span class="nodecontrols">\n'
            f'\t\t\t<a name="post{pid}" href="showthread.php?t={thread.id}&amp;p={pid}'
            f'&amp;viewfull=1#post{pid}" class="postcounter">#{number}</a>'
            f'<a id="postcount{pid}" name="{number}"></a>\n\t\t</span>\n\t</div>\n'
            '\t<div class="postdetails">\n\t\t<div class="userinfo">\n'
            '\t\t\t<div class="username_container">\n'
            '\t\t\t\t<div class="popupmenu memberaction">\n'
            f'\t<a class="username offline popupctrl" href="member.php?u={uid}" '
            f'title="{esc(author)} is offline"><strong>{esc(author)}</strong></a>\n'
            '\t\t\t\t</div>\n\t\t\t</div>\n'
            '\t\t\t<span class="usertitle">Senior Member</span>\n'
            f'\t\t\t<dl class="userinfo_extra"><dt>Posts</dt> <dd>{uid % 900 + 12:,}</dd></dl>\n'
            '\t\t</div>\n\t\t<div class="postbody">\n\t\t\t<div class="postrow">\n'
            '\t\t\t\t<div class="content">\n'
            f'\t\t\t\t\t<div id="post_message_{pid}">\n'
            '\t\t\t\t\t\t<blockquote class="postcontent restore ">\n'
            f'\t\t\t\t\t\t\t{html_text(text)}\n\t\t\t\t\t\t</blockquote>\n'
            '\t\t\t\t\t</div>\n\t\t\t\t</div>\n\t\t\t</div>\n\t\t</div>\n\t</div>\n'
            f'\t{_thanks(pid, author, score, rng)}'
            '\t<div class="postfoot"><div class="textcontrols floatcontainer">'
            f'<a class="newreply" href="newreply.php?do=newreply&amp;p={pid}" rel="nofollow" '
            'title="Reply With Quote">Reply With Quote</a></div></div>\n\t<hr />\n</li>\n')
    body = (
        '<div id="above_postlist" class="above_postlist">\n'
        '\t<div id="pagination_top" class="pagination_top">\n'
        f'\t\t<div id="postpagestats_above" class="postpagestats">Results 1 to {len(posts)} of '
        f'{len(posts)}</div>\n\t</div>\n</div>\n'
        '<div id="pagetitle" class="pagetitle">\n\t<h1>Thread: <span class="threadtitle">'
        f'<a href="showthread.php?t={thread.id}" title="Reload this Page">{esc(thread.title)}'
        '</a></span></h1>\n</div>\n'
        '<div id="postlist" class="postlist restrain">\n\t<ol id="posts" class="posts" '
        f'start="1">\n{"".join(items)}\t</ol>\n</div>')
    return _page(thread.title, [(forum, f"forumdisplay.php?f={fid}")], body)


def _threadbit(thread: Thread, views: int) -> str:
    last_author = thread.replies[-1].author if thread.replies else thread.author
    last_id = thread.replies[-1].id if thread.replies else thread.id * 10
    started = _vb_date(thread.created).replace(",&nbsp;", "&nbsp;", 1)
    return (
        f'<li class="threadbit hot" id="thread_{thread.id}">\n'
        '\t<div class="rating0 nonsticky">\n\t\t<div class="threadinfo" title="">\n'
        '\t\t\t<div class="inner">\n\t\t\t\t<h3 class="threadtitle">\n'
        f'\t\t\t\t\t<a class="title" href="showthread.php?t={thread.id}" '
        f'id="thread_title_{thread.id}">{esc(thread.title)}</a>\n\t\t\t\t</h3>\n'
        '\t\t\t\t<div class="threadmeta">\n\t\t\t\t\t<div class="author">\n'
        f'\t\t\t\t\t\t<span class="label">Started by&nbsp;<a href="member.php?u='
        f'{user_id(thread.author)}" class="username understate" title="Started by '
        f'{esc(thread.author)}">{esc(thread.author)}</a>,&nbsp;{started}</span>\n'
        '\t\t\t\t\t</div>\n\t\t\t\t</div>\n\t\t\t</div>\n\t\t</div>\n'
        '\t\t<ul class="threadstats td alt" title="">\n'
        f'\t\t\t<li>Replies: <a href="misc.php?do=whoposted&amp;t={thread.id}" '
        f'onclick="who({thread.id}); return false;" class="understate">{len(thread.replies)}'
        f'</a></li>\n\t\t\t<li>Views: {views:,}</li>\n\t\t</ul>\n'
        '\t\t<dl class="threadlastpost td">\n'
        '\t\t\t<dt class="lastpostby hidden">Last Post By:</dt>\n'
        f'\t\t\t<dd><div class="popupmenu memberaction"><a class="username offline popupctrl" '
        f'href="member.php?u={user_id(last_author)}"><strong>{esc(last_author)}</strong></a>'
        '</div></dd>\n'
        f'\t\t\t<dd>{_vb_date(thread.last_activity)}\n'
        f'\t\t\t<a href="showthread.php?t={thread.id}&amp;p={last_id}#post{last_id}" '
        'class="lastpostdate understate" title="Go to last post"><img '
        'src="images/buttons/lastpost-right.png" alt="Go to last post" /></a></dd>\n'
        '\t\t</dl>\n\t</div>\n</li>\n')


def write(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
    """`forumdisplay.php?f=N&page=M` pages and `showthread.php?t=N` pages."""
    prefix = layout.PREFIX["vbulletin"]
    size = layout.VBULLETIN_PAGE_SIZE
    for forum, fid in layout.VBULLETIN_FORUMS.items():
        members = sorted((t for t in threads if t.category == forum),
                         key=lambda t: t.last_activity, reverse=True)
        base = f"forumdisplay.php?f={fid}"
        last = max(1, -(-len(members) // size))
        for page in range(1, last + 1):
            chunk = members[(page - 1) * size:page * size]
            rows = "".join(_threadbit(t, rng.randint(40, 9000)) for t in chunk)
            nav = _pagination(base, page, last, size, len(members))
            body = (f'<div id="pagetitle"><h1>Forum: <span class="forumtitle">{esc(forum)}'
                    f'</span></h1></div>\n<div id="above_threadlist" class="above_threadlist">'
                    f'\n{nav}</div>\n<div id="threadlist" class="threadlist">\n'
                    f'\t<ol id="threads" class="threads">\n{rows}\t</ol>\n</div>\n'
                    f'<div id="below_threadlist" class="below_threadlist">\n{nav}</div>')
            rel = writer.file(f"vbulletin/forumdisplay.f{fid}.page{page}.html",
                              encode(_page(forum, [], body)))
            queries: list[dict[str, str | None]] = [{"f": str(fid), "page": str(page)}]
            if page == 1:
                queries.append({"f": str(fid), "page": None})
            for query in queries:
                writer.route(f"{prefix}/forumdisplay.php", rel, LATIN1, query=query)
        for thread in members:
            rel = writer.file(f"vbulletin/showthread.t{thread.id}.html",
                              encode(_showthread(thread, forum, fid, rng)))
            for query in ({"t": str(thread.id), "page": None},
                          {"t": str(thread.id), "page": "1"}):
                writer.route(f"{prefix}/showthread.php", rel, LATIN1, query=query)
