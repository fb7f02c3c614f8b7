"""The generated boards `benchmarks/crawl.py` serves: forum pages of 20 threads, one thread
page per thread with 10 posts (quotes, links), padded with navigation chrome like a real page,
for XenForo 2, XenForo 1 and vBulletin 4.2."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

CHROME = "".join(
    f'<li class="p-navEl"><a href="/forums/section-{i}.{i}/" class="p-navEl-link" '
    f'data-nav-id="n{i}">Section {i} about hair</a><div class="menu"><ul>'
    + "".join(f'<li><a href="/whats-new/{i}-{k}/">What is new {k}</a></li>' for k in range(6))
    + "</ul></div></li>" for i in range(60))
# Each engine's navigation menu around the chrome, as its templates write it (XenForo 2's
# `nav.p-nav`, XenForo 1's `div#navigation`, vBulletin 4's `div#navbar`).
XF2_NAV = f'<nav class="p-nav"><ul class="p-nav-list">{CHROME}</ul></nav>'
XF1_NAV = f'<div id="navigation" class="withSearch"><ul id="navTabs">{CHROME}</ul></div>'
VB4_NAV = f'<div id="navbar" class="navbar"><ul id="navtabs">{CHROME}</ul></div>'
PARAGRAPH = ("Month {m} on finasteride 1mg and minoxidil 5%. Shedding slowed, hairline "
             "looks the same. See <a href=\"https://pubmed.ncbi.nlm.nih.gov/{p}/\" "
             "class=\"link link--external\" rel=\"nofollow\">this trial</a> and "
             "<b>ketoconazole</b> twice a week.<br />\n")


PER_PAGE = 20  # threads a generated forum page lists


def _forum_pages(threads: int) -> Iterator[tuple[int, int, range]]:
    """Each generated forum page: its number (from 1), the page count, its thread indexes."""
    n_pages = -(-threads // PER_PAGE)
    for number in range(1, n_pages + 1):
        yield number, n_pages, range((number - 1) * PER_PAGE, min(threads, number * PER_PAGE))


def xenforo_pages(threads: int) -> dict[str, bytes]:
    """Every target of the generated XenForo 2 forum -> its HTML."""
    now = datetime.now(UTC)
    pages: dict[str, bytes] = {}
    for number, n_pages, tids in _forum_pages(threads):
        rows = []
        for tid in tids:
            created = now - timedelta(hours=tid + 1)
            stamp = int(created.timestamp())
            rows.append(
                f'<div class="structItem structItem--thread js-threadListItem-{tid}" '
                f'data-author="user{tid % 50}"><div class="structItem-cell '
                f'structItem-cell--main"><div class="structItem-title"><a href="/threads/'
                f'thread-{tid}.{tid + 1}/" data-tp-primary="on">Thread {tid}: minoxidil '
                f'progress</a></div><div class="structItem-minor"><ul class="structItem-parts">'
                f'<li class="structItem-startDate"><a href="#"><time class="u-dt" '
                f'data-time="{stamp}" datetime="{created.isoformat()}">x</time></a></li></ul>'
                f'</div></div><div class="structItem-cell structItem-cell--meta" '
                f'title="First message reaction score: {tid % 30}"><dl class="pairs"><dt>'
                f'Replies</dt><dd>9</dd></dl><dl class="pairs"><dt>Views</dt><dd>1.{tid % 9}K'
                f'</dd></dl></div><div class="structItem-cell structItem-cell--latest"><a '
                f'href="#"><time class="u-dt" data-time="{stamp + 3600}">x</time></a></div>'
                f"</div>")
        nav = (f'<a class="pageNav-jump pageNav-jump--next" href="/forums/hair.1/page-'
               f'{number + 1}">Next</a>' if number < n_pages else "")
        body = (f'<html data-template="forum_view"><body>{XF2_NAV}'
                f'<h1 class="p-title-value">Hair loss</h1><div class="pageNav"><ul '
                f'class="pageNav-main"><li class="pageNav-page pageNav-page--current"><a>'
                f'{number}</a></li></ul>{nav}</div><div class="structItemContainer">'
                f'{"".join(rows)}</div></body></html>')
        target = "/forums/hair.1/" + ("" if number == 1 else f"page-{number}")
        pages[target] = body.encode()
    for tid in range(threads):
        created = now - timedelta(hours=tid + 1)
        articles = []
        for k in range(10):
            stamp = int((created + timedelta(minutes=k)).timestamp())
            quote = ('<blockquote class="bbCodeBlock bbCodeBlock--quote"><div '
                     'class="bbCodeBlock-content">Earlier post text here</div></blockquote>'
                     if k % 3 == 1 else "")
            text = quote + "".join(PARAGRAPH.format(m=k + j, p=30000 + tid) for j in range(3))
            articles.append(
                f'<article class="message message--post" data-author="user{(tid + k) % 50}" '
                f'data-content="post-{tid * 10 + k}"><div class="message-attribution-main">'
                f'<time class="u-dt" data-time="{stamp}">x</time></div><article '
                f'class="message-body"><div class="bbWrapper">{text}</div></article><footer>'
                f'<a class="reactionsBar-link"><bdi>A</bdi>, <bdi>B</bdi> and {k} others</a>'
                f"</footer></article>")
        body = (f'<html data-template="thread_view" data-content-key="thread-{tid + 1}"><head>'
                f'<link rel="canonical" href="/threads/thread-{tid}.{tid + 1}/"></head><body>'
                f'{XF2_NAV}<ul class="p-breadcrumbs"><li><a><span '
                f'itemprop="name">Forums</span></a></li><li><a><span itemprop="name">Hair '
                f'loss</span></a></li></ul><h1 class="p-title-value">Thread {tid}: minoxidil '
                f'progress</h1>{"".join(articles)}</body></html>')
        pages[f"/threads/thread-{tid}.{tid + 1}/"] = body.encode()
    return pages


def _gmt5(moment: datetime) -> str:
    local = moment.astimezone(timezone(timedelta(hours=-5)))
    return (f'{local.strftime("%m-%d-%Y")},&nbsp;<span class="time">'
            f'{local.strftime("%I:%M %p")}</span>')


def vbulletin_pages(threads: int) -> dict[str, bytes]:
    """Every target of a generated vBulletin 4.2 board (ISO-8859-1, GMT -5) -> its HTML.

    The thread page carries the ids of vBulletin 4.2's own templates (and of the test boards:
    `tests/scrapers/site_vbulletin.py`, `scrapers/samples/render_vbulletin.py`): breadcrumb,
    postpagestats_above, pagetitle, posts, footer_time."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    footer = '<div id="footer_time">All times are GMT -5. The time now is 09:00 AM.</div>'
    pages: dict[str, bytes] = {}
    for number, n_pages, tids in _forum_pages(threads):
        rows = []
        for tid in tids:
            created = now - timedelta(hours=tid + 1)
            rows.append(
                f'<li class="threadbit" id="thread_{tid + 1}"><div class="threadinfo"><h3 '
                f'class="threadtitle"><a class="title" href="showthread.php?t={tid + 1}" '
                f'id="thread_title_{tid + 1}">Thread {tid}: minoxidil progress</a></h3><div '
                f'class="threadmeta"><div class="author"><span class="label">Started by&nbsp;'
                f'<a href="member.php?u=1" class="username understate">user{tid % 50}</a>,'
                f'&nbsp;{_gmt5(created).replace(",&nbsp;", "&nbsp;")}</span></div></div></div>'
                f'<ul class="threadstats"><li>Replies: <a href="misc.php?do=whoposted&amp;t='
                f'{tid + 1}">9</a></li><li>Views: 1,{tid % 900:03d}</li></ul><dl '
                f'class="threadlastpost"><dd><a class="username">x</a></dd><dd>'
                f'{_gmt5(created + timedelta(minutes=9))}</dd></dl></li>')
        nav = (f'<form class="pagination"><span><a class="popupctrl">Page {number} of '
               f'{n_pages}</a></span><span class="prev_next"><a rel="next" href="'
               f'forumdisplay.php?f=1&amp;page={number + 1}">Next</a></span></form>'
               if number < n_pages else
               f'<form class="pagination"><span><a class="popupctrl">Page {number} of '
               f'{n_pages}</a></span></form>')
        body = (f'<html><head><meta http-equiv="Content-Type" content="text/html; '
                f'charset=ISO-8859-1" /></head><body>{VB4_NAV}<div '
                f'id="breadcrumb"><ul><li class="navbit"><a href="forum.php">Forum</a></li>'
                f'</ul></div><h1><span class="forumtitle">Hair loss</span></h1>{nav}'
                f'<ol id="threads">{"".join(rows)}</ol>{footer}</body></html>')
        target = "/forumdisplay.php?f=1" + ("" if number == 1 else f"&page={number}")
        pages[target] = body.encode("cp1252")
    for tid in range(threads):
        created = now - timedelta(hours=tid + 1)
        posts = []
        for k in range(10):
            quote = ('<div class="bbcode_container"><div class="bbcode_quote"><div '
                     'class="quote_container"><div class="bbcode_postedby">Originally Posted '
                     'by <strong>user7</strong></div><div class="message">Earlier post text '
                     'here</div></div></div></div>' if k % 3 == 1 else "")
            text = quote + "".join(PARAGRAPH.format(m=k + j, p=30000 + tid) for j in range(3))
            pid = tid * 10 + k + 1
            posts.append(
                f'<li class="postbitlegacy postcontainer" id="post_{pid}"><div '
                f'class="posthead"><span class="date">'
                f'{_gmt5(created + timedelta(minutes=k))}</span><a class="postcounter">#{k + 1}'
                f'</a></div><div class="username_container"><a class="username"><strong>'
                f'user{(tid + k) % 50}</strong></a></div><div id="post_message_{pid}">'
                f'<blockquote class="postcontent restore">{text}</blockquote></div><div '
                f'id="post_thanks_box_{pid}">The Following {k + 2} Users Say Thank You</div>'
                f'</li>')
        body = (f'<html><head><meta http-equiv="Content-Type" content="text/html; '
                f'charset=ISO-8859-1" /></head><body>{VB4_NAV}<div '
                f'id="breadcrumb"><ul><li class="navbit"><a href="forumdisplay.php?f=1">Hair '
                f'loss</a></li></ul></div><div id="postpagestats_above" class="postpagestats">'
                f'Results 1 to 10 of 10</div><div id="pagetitle" class="pagetitle"><h1>Thread: '
                f'<span class="threadtitle"><a>Thread {tid}: minoxidil progress</a></span></h1>'
                f'</div><ol id="posts" class="posts">{"".join(posts)}</ol>{footer}</body></html>')
        pages[f"/showthread.php?t={tid + 1}"] = body.encode("cp1252")
    return pages


def xenforo1_pages(threads: int) -> dict[str, bytes]:
    """Every target of a generated XenForo 1 forum -> its HTML."""
    now = datetime.now(UTC)
    pages: dict[str, bytes] = {}
    for number, n_pages, tids in _forum_pages(threads):
        rows = []
        for tid in tids:
            created = now - timedelta(hours=tid + 1)
            stamp = int(created.timestamp())
            rows.append(
                f'<li id="thread-{tid + 1}" class="discussionListItem" data-author="user'
                f'{tid % 50}"><div class="titleText"><h3 class="title"><a href="threads/'
                f'thread-{tid}.{tid + 1}/">Thread {tid}: minoxidil progress</a></h3><div '
                f'class="posterDate"><a class="username">user{tid % 50}</a><span '
                f'class="startDate">, <abbr class="DateTime" data-time="{stamp}">x</abbr>'
                f'</span></div></div><div class="listBlock stats" title="Members who liked '
                f'the first message: {tid % 30}"><dl class="major"><dt>Replies:</dt> <dd>9</dd>'
                f'</dl><dl class="minor"><dt>Views:</dt> <dd>1,234</dd></dl></div><div '
                f'class="listBlock lastPost"><abbr class="DateTime" data-time="{stamp + 3600}">'
                f'x</abbr></div></li>')
        nav = (f'<a href="forums/hair.1/page-{number + 1}" class="text">Next &gt;</a>'
               if number < n_pages else "")
        body = (f'<html id="XenForo"><head><base href="/"/></head><body>{XF1_NAV}'
                f'<div class="titleBar"><h1>Hair loss</h1></div><div '
                f'class="PageNav" data-page="{number}" data-last="{n_pages}"><nav>{nav}</nav>'
                f'</div><ol class="discussionListItems">{"".join(rows)}</ol></body></html>')
        target = "/forums/hair.1/" + ("" if number == 1 else f"page-{number}")
        pages[target] = body.encode()
    for tid in range(threads):
        created = now - timedelta(hours=tid + 1)
        posts = []
        for k in range(10):
            stamp = int((created + timedelta(minutes=k)).timestamp())
            quote = ('<div class="bbCodeBlock bbCodeQuote" data-author="user7"><aside><div '
                     'class="attribution type">user7 said:</div><blockquote '
                     'class="quoteContainer"><div class="quote">Earlier post text here</div>'
                     '<div class="quoteExpand">Click to expand...</div></blockquote></aside>'
                     '</div>' if k % 3 == 1 else "")
            text = quote + "".join(PARAGRAPH.format(m=k + j, p=30000 + tid) for j in range(3))
            posts.append(
                f'<li id="post-{tid * 10 + k}" class="message" data-author="user'
                f'{(tid + k) % 50}"><div class="messageContent"><article><blockquote '
                f'class="messageText ugc">{text}<div class="messageTextEndMarker">&nbsp;</div>'
                f'</blockquote></article></div><div class="messageMeta"><abbr class="DateTime" '
                f'data-time="{stamp}">x</abbr><a class="postNumber">#{k + 1}</a></div><div '
                f'class="likesSummary"><span class="LikeText"><a class="username">A</a>, <a '
                f'class="username">B</a> and {k} others like this.</span></div></li>')
        body = (f'<html id="XenForo"><head><base href="/"/><link rel="canonical" '
                f'href="/threads/thread-{tid}.{tid + 1}/"></head><body>{XF1_NAV}'
                f'<div class="titleBar"><h1>Thread {tid}: minoxidil progress</h1>'
                f'</div><ol class="messageList">{"".join(posts)}</ol></body></html>')
        pages[f"/threads/thread-{tid}.{tid + 1}/"] = body.encode()
    return pages
