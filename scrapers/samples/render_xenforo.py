"""Render the sample XenForo 2 forum: `forum_view` and `thread_view` HTML pages."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from scrapers.samples import layout
from scrapers.samples.render_forum_shared import HTML, esc, user_id

if TYPE_CHECKING:
    from scrapers.samples.generate import Thread, Writer


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
    bdi = [f"<bdi>{esc(n)}</bdi>" for n in names]
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
        f'\t\t<a href="{esc(href)}" itemprop="item">\n'
        f'\t\t\t<span itemprop="name">{esc(name)}</span>\n\t\t</a>\n'
        f'\t\t<meta itemprop="position" content="{i + 1}" />\n\t</li>\n'
        for i, (name, href) in enumerate(crumbs))
    return (
        '<!DOCTYPE html>\n<html id="XF" lang="en-US" dir="LTR"\n\tdata-app="public"\n'
        f'\tdata-template="{template}"\n\tdata-container-key="node-1"\n'
        f'\tdata-content-key="{content_key}"\n\tdata-logged-in="false"\n'
        '\tdata-cookie-prefix="xf_"\n\tclass="has-no-js template-' + template + '"\n\t>\n'
        '<head>\n\t<meta charset="utf-8" />\n'
        f'\t<title>{esc(title)} | Follicle Forum (sample)</title>\n'
        f'\t<link rel="canonical" href="{canonical}" />\n{head_extra}</head>\n'
        f'<body data-template="{template}">\n<div class="p-pageWrapper" id="top">\n'
        '<div class="p-body">\n<div class="p-body-inner">\n'
        '\t\t<ul class="p-breadcrumbs "\n\t\t\titemscope itemtype="https://schema.org/'
        f'BreadcrumbList">\n{crumb_html}\t\t</ul>\n'
        '\t\t\t<div class="p-body-header">\n\t\t\t\t\t<div class="p-title ">\n'
        f'\t\t\t\t\t\t\t<h1 class="p-title-value">{esc(title)}</h1>\n'
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
        uid = user_id(author)
        articles.append(
            '\t<article class="message message--post js-post js-inlineModContainer  "\n'
            f'\t\tdata-author="{esc(author)}"\n\t\tdata-content="post-{post_id}"\n'
            f'\t\tid="js-post-{post_id}">\n'
            f'\t\t<span class="u-anchorTarget" id="post-{post_id}"></span>\n'
            '\t\t<div class="message-inner">\n\t\t\t<div class="message-cell '
            'message-cell--user">\n\t<section itemscope itemtype="https://schema.org/Person" '
            'class="message-user">\n\t\t<div class="message-userDetails">\n'
            f'\t\t\t<h4 class="message-name"><a href="{prefix}/members/{esc(author)}.{uid}/" '
            f'class="username " dir="auto" data-user-id="{uid}" itemprop="name">'
            f'{esc(author)}</a></h4>\n\t\t\t<h5 class="userTitle message-userTitle" '
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
    uid = user_id(thread.author)
    last_author = thread.replies[-1].author if thread.replies else thread.author
    views_text = f"{views / 1000:.1f}K" if views >= 1000 else str(views)
    return (
        '<div class="structItem structItem--thread js-inlineModContainer '
        f'js-threadListItem-{thread.id}" data-author="{esc(thread.author)}">\n'
        '\t<div class="structItem-cell structItem-cell--main" data-xf-init="touch-proxy">\n'
        '\t\t<div class="structItem-title">\n'
        f'\t\t\t<a href="{url}" class="" data-tp-primary="on" '
        f'data-xf-init="preview-tooltip" data-preview-url="{url}preview">'
        f'{esc(thread.title)}</a>\n\t\t</div>\n'
        '\t\t<div class="structItem-minor">\n\t\t\t<ul class="structItem-parts">\n'
        f'\t\t\t\t<li><a href="{prefix}/members/{esc(thread.author)}.{uid}/" '
        f'class="username " dir="auto" data-user-id="{uid}">{esc(thread.author)}</a></li>\n'
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
        f'\t\t<div class="structItem-minor"><a href="{prefix}/members/{esc(last_author)}.'
        f'{user_id(last_author)}/" class="username " dir="auto">{esc(last_author)}</a>'
        '</div>\n\t</div>\n</div>\n')


def write(writer: Writer, threads: list[Thread], rng: random.Random) -> None:
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
