"""Generated XenForo 2 and XenForo 1 forums for crawl tests."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from scrapers.loopback import LoopbackServer
from tests.scrapers.fake_threads import NOW, FakePost, FakeThread


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


def _page_of(thread: FakeThread, page: int, per_page: int,
             ) -> tuple[int, str, list[FakePost]]:
    """(how many pages the thread fills, its path without the leading slash, `page`'s posts)."""
    return (_page_count(thread, per_page), f"threads/{thread.slug}.{thread.thread_id}/",
            thread.posts[(page - 1) * per_page: page * per_page])


def _page_count(thread: FakeThread, per_page: int) -> int:
    return max(1, -(-len(thread.posts) // per_page))


def _forum_chunks(threads: list[FakeThread], per_page: int) -> list[list[FakeThread]]:
    """The forum's pages of threads, latest activity first (one empty page at least)."""
    ordered = sorted(threads, key=lambda t: t.last_activity, reverse=True)
    return [ordered[i:i + per_page] for i in range(0, len(ordered), per_page)] or [[]]


def _thread_paths(thread: FakeThread, per_page: int) -> list[tuple[int, str]]:
    """(page number, URL path) of each page of `thread`."""
    return [(n, f"/threads/{thread.slug}.{thread.thread_id}/" + ("" if n == 1 else f"page-{n}"))
            for n in range(1, _page_count(thread, per_page) + 1)]


def xenforo_thread_page(thread: FakeThread, page: int = 1, per_page: int = 20,
                        forum: str = "finasteride.4") -> str:
    """A XenForo 2 `thread_view` page in the real template's shape."""
    pages, path, posts = _page_of(thread, page, per_page)
    base = "/" + path
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
    chunks = _forum_chunks(threads, per_page)
    for number, chunk in enumerate(chunks, start=1):
        body = xenforo_forum_page(chunk, forum, number, len(chunks), "Hair loss")
        server.add(f"/forums/{forum}/" + ("" if number == 1 else f"page-{number}"), body)
    for thread in threads:
        for number, path in _thread_paths(thread, posts_per_page):
            server.add(path, xenforo_thread_page(thread, number, posts_per_page, forum))


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
    pages, base, posts = _page_of(thread, page, per_page)
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

    chunks = _forum_chunks(threads, per_page)
    for number, chunk in enumerate(chunks, start=1):
        body = xenforo1_forum_page(chunk, forum, number, len(chunks), "Hair loss")
        server.add(f"/forums/{forum}/" + ("" if number == 1 else f"page-{number}"), page(body))
    for thread in threads:
        for number, path in _thread_paths(thread, posts_per_page):
            server.add(path, page(xenforo1_thread_page(thread, number, posts_per_page, forum)))
