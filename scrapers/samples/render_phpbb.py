"""Render the sample phpBB 3.3 board: prosilver `viewforum.php` and `viewtopic.php` HTML."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from scrapers.samples import layout
from scrapers.samples.render_forum_shared import HTML, esc, user_id

if TYPE_CHECKING:
    from scrapers.samples.generate import Thread, Writer


def _phpbb_time(when: Any) -> str:
    from scrapers.samples.generate import iso_offset

    text = when.strftime("%a %b %d, %Y %-I:%M %p").replace("AM", "am").replace("PM", "pm")
    return f'<time datetime="{iso_offset(when)}">{text}</time>'


def _phpbb_page(title: str, section: str, crumbs: list[tuple[str, str, int]],
                body: str) -> str:
    crumb_html = "".join(
        f'<span class="crumb" itemtype="https://schema.org/ListItem" '
        f'itemprop="itemListElement" itemscope data-forum-id="{fid}"><a itemprop="item" '
        f'href="{esc(href)}"><span itemprop="name">{esc(name)}</span></a>'
        f'<meta itemprop="position" content="{i + 2}" /></span>'
        for i, (name, href, fid) in enumerate(crumbs))
    return (
        '<!DOCTYPE html>\n<html dir="ltr" lang="en-gb">\n<head>\n<meta charset="utf-8" />\n'
        f'<title>{esc(title)} - Scalp Talk Board (sample)</title>\n</head>\n'
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
        uid = user_id(author)
        bg = "bg2" if index % 2 == 0 else "bg1"
        first = ' class="first"' if index == 0 else ""
        blocks.append(
            f'\t\t<div id="p{pid}" class="post has-profile {bg}">\n\t\t<div class="inner">\n'
            f'\t\t<dl class="postprofile" id="profile{pid}">\n'
            f'\t\t\t<dt class="has-profile-rank no-avatar"><a href="./memberlist.php?mode='
            f'viewprofile&amp;u={uid}" class="username">{esc(author)}</a></dt>\n'
            f'\t\t\t<dd class="profile-posts"><strong>Posts:</strong> {uid % 700 + 3}</dd>\n'
            '\t\t</dl>\n\t\t<div class="postbody">\n'
            f'\t\t\t<div id="post_content{pid}">\n'
            f'\t\t\t<h3{first}><a href="#p{pid}">{esc(subject)}</a></h3>\n'
            f'\t\t\t<p class="author"><a class="unread" href="./viewtopic.php?p={pid}#p{pid}" '
            'title="Post"><i class="icon fa-file fa-fw icon-lightgray icon-md" '
            'aria-hidden="true"></i><span class="sr-only">Post</span></a>'
            '<span class="responsive-hide">by <strong><a href="./memberlist.php?mode='
            f'viewprofile&amp;u={uid}" class="username">{esc(author)}</a></strong> &raquo; '
            f'</span>{_phpbb_time(when)} </p>\n'
            f'\t\t\t<div class="content">{html_text(text)}</div>\n'
            '\t\t\t</div>\n\t\t</div>\n\t\t</div>\n\t\t</div>\n'
            '\t\t<hr class="divider" />\n')
    base = f"./viewtopic.php?t={thread.id}"
    body = (f'<h2 class="topic-title"><a href="{base}">{esc(thread.title)}</a></h2>\n'
            '<div class="action-bar bar-top">\n'
            + _phpbb_pagination("posts" if len(posts) != 1 else "post", len(posts), base, 0,
                                25)
            + '</div>\n' + "".join(blocks))
    return _phpbb_page(thread.title, "viewtopic", [(forum, f"./viewforum.php?f={fid}", fid)],
                       body)


def _phpbb_row(thread: Thread, index: int, views: int) -> str:
    uid = user_id(thread.author)
    last_author = thread.replies[-1].author if thread.replies else thread.author
    last_id = thread.replies[-1].id if thread.replies else thread.id * 10
    bg = "bg1" if index % 2 == 0 else "bg2"
    return (
        f'\t\t<li class="row {bg}">\n\t\t\t<dl class="row-item topic_read">\n'
        '\t\t\t\t<dt title="No unread posts">\n\t\t\t\t\t<div class="list-inner">\n'
        f'\t\t\t\t\t\t<a href="./viewtopic.php?t={thread.id}" class="topictitle">'
        f'{esc(thread.title)}</a>\n'
        '\t\t\t\t\t\t<div class="topic-poster responsive-hide left-box">\n'
        f'\t\t\t\t\t\t\tby <a href="./memberlist.php?mode=viewprofile&amp;u={uid}" '
        f'class="username">{esc(thread.author)}</a> &raquo; {_phpbb_time(thread.created)}\n'
        '\t\t\t\t\t\t</div>\n\t\t\t\t\t</div>\n\t\t\t\t</dt>\n'
        f'\t\t\t\t<dd class="posts">{len(thread.replies)} <dfn>Replies</dfn></dd>\n'
        f'\t\t\t\t<dd class="views">{views} <dfn>Views</dfn></dd>\n'
        '\t\t\t\t<dd class="lastpost">\n\t\t\t\t\t<span><dfn>Last post </dfn>by '
        f'<a href="./memberlist.php?mode=viewprofile&amp;u={user_id(last_author)}" '
        f'class="username">{esc(last_author)}</a>\n'
        f'\t\t\t\t\t\t<a href="./viewtopic.php?p={last_id}#p{last_id}" title="Go to last post">'
        '<i class="icon fa-external-link-square fa-fw icon-lightgray icon-md" '
        'aria-hidden="true"></i></a>\n'
        f'\t\t\t\t\t\t<br />{_phpbb_time(thread.last_activity)}\n\t\t\t\t\t</span>\n'
        '\t\t\t\t</dd>\n\t\t\t</dl>\n\t\t</li>\n')


def write(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
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
            body = (f'<h2 class="forum-title"><a href="{base}">{esc(forum)}</a></h2>\n'
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
