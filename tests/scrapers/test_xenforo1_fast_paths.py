"""XenForo 1's fast readers against the queries they stand in for, on random markup dense in
the classes and ids those queries test."""

from __future__ import annotations

import random

from lxml import etree

from scrapers.parsers import xenforo_shared as shared
from scrapers.parsers.tree import css, drop_tree, html_root
from scrapers.parsers.xenforo_v1_post_fields import (
    BODY,
    EDIT_TIME,
    END_MARKERS,
    LIKE_TEXT,
    META_TIME,
    POST_NUMBER,
    USERNAMES,
    PostFields,
    first_of,
)

OPENS = ['<blockquote class="messageText ugc">', '<blockquote class="quote">',
         '<div class="messageTextEndMarker">', '<div class="messageTextEndMarker x">',
         '<div class="messageMeta">', '<div class="editDate">', '<div class="messageMeta y">',
         "<div>", '<abbr class="DateTime" data-time="1400000000">',
         '<span class="DateTime" title="Oct 30, 2014 at 10:48 PM">', '<span class="LikeText">',
         '<span class="DateTime LikeText">', '<a class="username">', '<a class="postNumber">',
         '<a class="item postNumber x">', "<a>", "<span>", "<b>", "<p>", "<abbr>"]
BITS = ["t", " ", "#5", "<!-- c -->", "<br>", "Bob", "x like this.", "and 3 others"]


def _random_html(rng: random.Random, depth: int = 0, max_depth: int = 4,
                 nest: float = 0.55) -> str:
    """Up to four random pieces: an element from `OPENS` (nested until `max_depth`, with
    chance `nest`) or a text bit."""
    out = []
    for _ in range(rng.randint(0, 4)):
        if depth < max_depth and rng.random() < nest:
            tag = rng.choice(OPENS)
            name = tag[1:].split(None, 1)[0].rstrip(">")
            out.append(f"{tag}{_random_html(rng, depth + 1, max_depth, nest)}</{name}>")
        else:
            out.append(rng.choice(BITS))
    return "".join(out)


def _path(element: etree._Element | None) -> str | None:
    return element.getroottree().getpath(element) if element is not None else None


def _post(html: str) -> etree._Element:
    return html_root(f'<html><body><ol><li id="post-1" class="message">{html}</li></ol>'
                     "</body></html>").find(".//li")


def test_post_fields_walk_finds_what_the_queries_find() -> None:
    """`PostFields` (one walk over an XF1 post) and `drop_markers` leave the tree the
    queries' way leaves (body found, its end markers dropped) and give what the queries,
    run after the drop, give: body, post number text, meta and edit dates, like text and
    its username count (`like_names`, counted in the walk); markers holding elements,
    nested links and comments included."""
    rng = random.Random(18)
    compared = 0
    for _ in range(5000):
        html = _random_html(rng)
        old, new = _post(html), _post(html)
        body = first_of(BODY(old))
        if body is not None:
            for marker in END_MARKERS(body):
                drop_tree(marker)
        for edits in (True, False):
            fields = PostFields(new, edits) if edits else None
            if fields is None:  # (the same tree, walked again: the markers are gone)
                fields = PostFields(new, False)
            elif fields.body is not None:
                fields.drop_markers(drop_tree)
            assert etree.tostring(new) == etree.tostring(old), html
            assert _path(fields.body) == _path(body), html
            assert fields.number() == first_of(POST_NUMBER(old)), html
            assert _path(fields.meta_time) == _path(first_of(META_TIME(old))), html
            expected_edit = first_of(EDIT_TIME(old)) if edits else None
            assert _path(fields.edit_time) == _path(expected_edit), html
            like = first_of(LIKE_TEXT(old))
            assert _path(fields.like_text) == _path(like), html
            if like is not None:
                assert PostFields.usernames(fields.like_text) == len(USERNAMES(like)), html
                assert fields.like_names == len(USERNAMES(like)), html
                assert list(fields.like_text.itertext()) == css("::text")(like), html
                compared += 1
    assert compared > 500  # (the markup is dense enough to exercise every field)


def test_others_match_is_the_search() -> None:
    """`xenforo_shared.others_match` (the pattern tried at the last "and" only) gives the
    match `_OTHERS.search` gives, on random like texts dense in "and", numbers and
    "other(s)", with the word boundary before "and" both there and not."""
    rng = random.Random(11)
    pieces = ["and", "and ", " and ", "band ", "And ", "3", "1,2", "4.5", " ", "\t", "\n",
              "K", "m", " others", " other", "others", "s", ",", "A", "B", "\u00a0", "."]
    found = 0
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.6:  # (an ending that matches, or nearly)
            text += "".join(rng.choice(options) for options in (
                ("and", "band", " and", "nd"), (" ", "  ", "\t", ""), ("3", "1,2", "4.5", "", "x"),
                ("", " ", "K", " m"), (" others", " other", "others", " others ", " others.")))
        expected = shared._OTHERS.search(text)
        got = shared.others_match(text)
        assert (got and (got.span(), got.groups())) == \
            (expected and (expected.span(), expected.groups())), repr(text)
        found += expected is not None
    assert found > 500
    assert shared.reaction_count("A, B and 3 others") == 5


def test_post_fields_queries_answer_when_a_marker_holds_elements() -> None:
    """An end marker holding a date: dropped with the marker, so not the post's date."""
    post = _post('<blockquote class="messageText"><div class="messageTextEndMarker"><div '
                 'class="messageMeta"><abbr class="DateTime" data-time="1">x</abbr></div>'
                 '</div></blockquote><div class="messageMeta"><abbr class="DateTime" '
                 'data-time="2">y</abbr></div>')
    fields = PostFields(post, True)
    assert fields.meta_time.get("data-time") == "1"  # (what the walk saw, before the drop)
    fields.drop_markers(drop_tree)
    assert not fields.walked
    assert fields.meta_time.get("data-time") == "2"


def test_like_names_are_counted_again_when_a_marker_held_a_like_box() -> None:
    """A like box inside an end marker goes with the marker: the names counted are those
    of the post's own like box (three), not the dropped one's (one)."""
    post = _post('<blockquote class="messageText">body<div class="messageTextEndMarker">'
                 '<span class="LikeText"><a class="username">Q</a></span></div></blockquote>'
                 '<span class="LikeText"><a class="username">U</a>, <a class="username">V'
                 '</a> and <a class="username">W</a> like this.</span>')
    fields = PostFields(post, True)
    fields.drop_markers(drop_tree)
    assert fields.like_names == 3


PAGE_OPENS = ['<div class="titleBar">', '<div class="x\ttitleBar\n">', '<div class="titleBarX">',
              '<div class="titleBar\u00a0y">', '<h1>', '<h1 class="t">', "<div>", "<span>",
              '<article class="message message--post">', '<article class="message-body">',
              '<li id="post-3" class="message">', '<li id="post-4">', '<li class="message">',
              '<li id="xpost-5" class="message">', "<ol>", '<base href="/b/">', "<base>",
              '<link rel="canonical" href="/c/">', '<link rel="next" href="/n/">',
              '<link rel="canonical">']


def test_page_lookups_by_tag_filter_find_what_the_queries_find() -> None:
    """The thread page's lookups by lxml's tag filter (posts, articles, base and canonical
    hrefs, the title's h1s and texts) give what the queries give, on random pages, also
    when a stray `</html>` puts the rest of the page in a second top-level element (which
    `root.iter` alone would miss)."""
    from scrapers.parsers import xenforo, xenforo_v1
    from scrapers.parsers.xenforo_shared import first_href, first_string

    rng = random.Random(19)
    titled = split = 0
    for _ in range(4000):
        pieces = []
        for _ in range(rng.randint(1, 5)):
            tag = rng.choice(PAGE_OPENS)
            name = tag[1:].split(None, 1)[0].rstrip(">")
            inner = "".join(rng.choice([*BITS, *PAGE_OPENS[:6], "</h1>", "</div>"])
                            for _ in range(rng.randint(0, 4)))
            pieces.append(f"{tag}{inner}</{name}>")
        if rng.random() < 0.3:
            pieces.insert(rng.randint(0, len(pieces)),
                          rng.choice(["</body></html>", "</html>", "</html>t<p>x</p>"]))
        html = "".join(pieces)
        head = '<link rel="canonical" href="/h/">' if rng.random() < 0.3 else ""
        before = rng.choice(["", "", "<!-- c -->"])
        root = html_root(f"{before}<html><head>{head}</head><body>{html}</body></html>")
        split += next(root.itersiblings(), None) is not None
        assert xenforo.xf2_articles(root) == xenforo.ARTICLES(root), html
        assert xenforo.xf1_posts(root) == xenforo.XF1_POSTS(root), html
        assert first_href(root, "base") == first_string(root, "base::attr(href)"), html
        assert first_href(root, "link", "canonical") == \
            first_string(root, "link[rel=canonical]::attr(href)"), html
        heads = xenforo_v1.title_heads(root)
        assert heads == xenforo_v1.TITLE_HEADS(root), html
        if len(heads) == 1:
            assert list(heads[0].itertext()) == xenforo_v1.TITLE_TEXTS(root), html
            titled += 1
    assert titled > 500
    assert split > 300


ROW_OPENS = ['<h3 class="title">', '<h3 class="x\ttitle">', '<h3 class="titles">', "<h3>",
             '<div class="title">', '<a href="threads/t.5/">', '<a href="/forums/x/">', "<a>",
             '<div class="listBlock stats">', '<div class="stats\ny" title="liked: 3">',
             '<span class="stats" title="t">', '<div class="statsX">', "<dl>", "<dt>", "<dd>",
             '<div class="posterDate">', '<span class="startDate">', '<div class="lastPost">',
             '<abbr class="DateTime" data-time="1400000000">', '<span class="DateTime x">',
             '<span class="DateTimeX">', "<div>", "<span>"]
ROW_BITS = ["t", " ", "Replies:", "9", "<!-- c -->", "<br>", "x\ny"]


def _random_row(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(0, 4)):
        if depth < 4 and rng.random() < 0.6:
            tag = rng.choice(ROW_OPENS)
            name = tag[1:].split(None, 1)[0].rstrip(">")
            out.append(f"{tag}{_random_row(rng, depth + 1)}</{name}>")
        else:
            out.append(rng.choice(ROW_BITS))
    return "".join(out)


def test_row_fields_walk_finds_what_the_queries_find() -> None:
    """`RowFields` (one walk over an XF1 forum page's thread row) gives the title links,
    stats pairs and their texts, stats title and dates the CSS queries give, on random
    rows (nested containers, classes split by tabs and newlines, the row's own class)."""
    from scrapers.parsers.tree import text_of
    from scrapers.parsers.xenforo_v1_post_fields import (
        ANY_TITLE_LINKS,
        LAST_POST,
        STARTED,
        STATS_PAIRS,
        STATS_TITLE,
        TITLE_LINKS,
        RowFields,
    )

    rng = random.Random(20)
    found = {"links": 0, "pairs": 0, "started": 0, "last": 0}
    for _ in range(5000):
        own = rng.choice(["", ' class="stats"', ' class="posterDate"', ' class="x"'])
        row = html_root(f'<html><body><ol><li id="thread-1"{own}>{_random_row(rng)}</li>'
                        "</ol></body></html>").find(".//li")
        fields = RowFields(row)
        html = etree.tostring(row)
        assert fields.links == ANY_TITLE_LINKS(row), html
        assert fields.thread_links == TITLE_LINKS(row), html
        assert fields.pairs == STATS_PAIRS(row), html
        assert fields.stats_title == first_of(STATS_TITLE(row)), html
        assert fields.started is first_of(STARTED(row)), html
        assert fields.last_post is first_of(LAST_POST(row)), html
        for pair in fields.pairs:
            for name in ("dt", "dd"):
                assert fields.texts(pair, name) == text_of(pair, f"{name} ::text"), html
        for link in fields.links:
            assert " ".join(link.itertext()) == text_of(link), html
        found["links"] += bool(fields.links)
        found["pairs"] += bool(fields.pairs)
        found["started"] += fields.started is not None
        found["last"] += fields.last_post is not None
    assert min(found.values()) > 100, found
