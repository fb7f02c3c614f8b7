"""Thread pages are parsed without their navigation menu (`tree.without_element`): the rest
of the page gives the tree the whole page gives less that element, and the parsers give
the same thread, posts and texts as from the whole page."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from scrapers.parsers import tree, vbulletin, xenforo
from scrapers.parsers.tree import drop_tree, html_root, without_element
from tests.scrapers.test_body_text import PAGES, parse

# the opening each parser skips -> the query for that element in the whole page's tree
ELEMENTS = {'<nav class="p-nav"': "//nav[@class='p-nav']",
            '<div id="navigation"': "//div[@id='navigation']",
            '<div id="navbar"': "//div[@id='navbar']"}


def serialised(root: Any) -> str:
    return etree.tostring(root, method="html", encoding="unicode")


def test_the_parsers_skip_what_the_pages_hold() -> None:
    assert set(xenforo.NAVIGATION) | set(vbulletin.NAVIGATION) == set(ELEMENTS)
    skipped = {opening for _, _, text in PAGES for opening in ELEMENTS
               if without_element(text, opening) != text}
    assert skipped == set(ELEMENTS)  # every opening is cut somewhere (generated pages)


@pytest.mark.parametrize(("engine", "name", "text"), PAGES, ids=[n for _, n, _ in PAGES])
def test_the_tree_is_the_whole_pages_less_the_element(engine: str, name: str,
                                                      text: str) -> None:
    for opening, query in ELEMENTS.items():
        cut = without_element(text, opening)
        if cut == text:
            continue
        whole = html_root(text)
        drop_tree(whole.xpath(query)[0])
        assert serialised(html_root(cut)) == serialised(whole)


@pytest.mark.parametrize(("engine", "name", "text"), PAGES, ids=[n for _, n, _ in PAGES])
def test_parsers_read_the_same_without_the_menu(engine: str, name: str, text: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def fields(page: Any) -> tuple[Any, ...]:
        posts = [(p.external_id, p.author, p.created_at, p.score, p.position, p.text(page.url),
                  p.body_html) for p in page.posts]
        return (page.external_id, page.url, page.title, page.category, page.num_comments,
                page.score, page.page, page.last_page, page.next_url, posts)

    skipped = fields(parse(engine, text))
    monkeypatch.setattr(xenforo, "NAVIGATION", ())
    monkeypatch.setattr(vbulletin, "NAVIGATION", ())
    assert fields(parse(engine, text)) == skipped


@pytest.mark.parametrize("page", [
    '<body><div id="navbar"><div>x</div><DIV>y</Div></div>b<div id="z">c</div></body>',
    '<body><div id="navbar" class="n"><div><div></div></div>menu</div >tail<div>k</div></body>',
])
def test_nested_and_any_case_tags_are_counted(page: str) -> None:
    cut = without_element(page, '<div id="navbar"')
    assert "navbar" not in cut and "menu" not in cut and "x</div>" not in cut
    whole = html_root(page)
    drop_tree(whole.xpath("//div[@id='navbar']")[0])
    assert serialised(html_root(cut)) == serialised(whole)


@pytest.mark.parametrize("page", [
    '<body><div id="navbar"><!-- <div> --></div><p>post</p></body>',
    '<body><div id="navbar"><script>x = "</div>";</script></div><p>post</p></body>',
    '<body><div id="navbar"><STYLE>a{}</STYLE></div><p>post</p></body>',
    '<body><div id="navbar"><div>never closed</div><p>post</p></body>',
    '<body><div id="navbarx">not the menu</div></body>',
    '<body><p>\u0130stanbul</p><div id="navbar">menu</div></body>',  # lower() is longer
])
def test_what_cannot_be_counted_is_kept(page: str) -> None:
    assert without_element(page, '<div id="navbar"') == page


def test_a_menu_count_running_past_the_content_keeps_the_menu() -> None:
    """A menu holding a `<div>` it never closes: counting tags runs past the menu over the
    thread list, so the content marks keep the whole page (the review's example)."""
    page = ('<body><div id="navbar"><div>x</li></ul></div><ol id="threads">'
            '<li class="threadbit" id="thread_1">t</li></ol></div></body>')
    assert without_element(page, '<div id="navbar"') == "<body></body>"  # ran past
    assert without_element(page, '<div id="navbar"', vbulletin.CONTENT) == page


def test_the_parsers_keep_a_menu_holding_their_content(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parse that cuts a menu passes its engine's content marks (`keep`)."""
    from scrapers.parsers import vbulletin_listing

    seen: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    real = tree.parsed_page

    def recording(text: str, skip: tuple[str, ...] = (),
                  keep: tuple[str, ...] = ()) -> Any:
        seen.append((skip, keep))
        return real(text, skip, keep)

    for module in (vbulletin, vbulletin_listing, xenforo):
        monkeypatch.setattr(module, "parsed_page", recording, raising=False)
    monkeypatch.setattr(tree, "parsed_page", recording)
    page = "<html><body><p>nothing here</p></body></html>"
    for parse_page in (
            lambda: vbulletin.parse_thread_page(page, "https://vb.example/showthread.php?t=1",
                                                "https://vb.example"),
            lambda: vbulletin_listing.parse_forum_page(
                page, "https://vb.example/forumdisplay.php?f=1", "https://vb.example"),
            lambda: xenforo.parse_thread_page(page, "https://xf.example/threads/x.1/"),
            lambda: xenforo.parse_forum_page(page, "https://xf.example/forums/hair.1/")):
        with pytest.raises(Exception):  # noqa: B017 (no posts: each parser refuses the page)
            parse_page()
    cuts = {skip: keep for skip, keep in seen if skip}
    assert cuts == {vbulletin.NAVIGATION: vbulletin.CONTENT,
                    xenforo.NAVIGATION: xenforo.CONTENT}
    assert len([1 for skip, _ in seen if skip]) == 4


def test_the_whole_page_is_read_for_a_login_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    page = ('<html><body><div id="navbar">You are not logged in</div><p>Hello</p>'
            '</body></html>')
    with pytest.raises(vbulletin.ParseError) as raised:
        vbulletin.parse_thread_page(page, "https://vb.example/showthread.php?t=1",
                                    "https://vb.example")
    assert raised.value.reason == "login_required"
    calls: list[tuple[str, ...]] = []
    real, real_parsed = tree.html_page, tree.parsed_page
    monkeypatch.setattr(vbulletin, "html_page",
                        lambda text, skip=(), keep=(): calls.append(skip) or real(text, skip))
    monkeypatch.setattr(vbulletin, "parsed_page", lambda text, skip=(), keep=():
                        calls.append(skip) or real_parsed(text, skip, keep))
    with pytest.raises(vbulletin.ParseError):
        vbulletin.parse_thread_page(page, "https://vb.example/showthread.php?t=1",
                                    "https://vb.example")
    assert calls == [vbulletin.NAVIGATION, ()]


def test_forum_pages_read_the_whole_page_for_a_login_notice() -> None:
    """Forum pages are parsed without the menu too; a page without a thread list is still
    checked for a login notice on the whole page (the notice may sit in the menu)."""
    from scrapers.parsers import vbulletin_listing

    vb = ('<html><body><div id="navbar">You are not logged in</div><p>Hello</p>'
          '</body></html>')
    with pytest.raises(vbulletin.ParseError) as raised:
        vbulletin_listing.parse_forum_page(vb, "https://vb.example/forumdisplay.php?f=1",
                                           "https://vb.example")
    assert raised.value.reason == "login_required"
    xf = ('<html><body><nav class="p-nav"><div class="blockMessage">You must be logged-in to '
          'do that.</div></nav><p>Hello</p></body></html>')
    with pytest.raises(xenforo.ParseError) as raised:
        xenforo.parse_forum_page(xf, "https://xf.example/forums/hair.1/")
    assert raised.value.reason == "login_required"


def _plain_without_element(text: str, opening: str, keep: tuple[str, ...] = ()) -> str:
    """`without_element` as it was before it remembered the last extent: the reference."""
    start = text.find(opening)
    if start < 0:
        return text
    low = text.lower()
    if len(low) != len(text):
        return text
    name = opening[1:].split(None, 1)[0].lower()
    start_tag, end_tag = "<" + name, "</" + name
    depth, at = 0, start
    next_start = low.find(start_tag, at)
    while True:
        next_end = low.find(end_tag, at)
        if next_end < 0:
            return text
        if 0 <= next_start < next_end:
            at = next_start + len(start_tag)
            depth += low[at:at + 1] in tree._AFTER_NAME
            next_start = low.find(start_tag, at)
            continue
        at = next_end + len(end_tag)
        if low[at:at + 1] not in tree._AFTER_NAME:
            continue
        depth -= 1
        if depth == 0:
            end = low.find(">", at) + 1
            if end == 0 or tree._UNCOUNTABLE.search(low, start, end) or any(
                    low.find(mark, start, end) >= 0 for mark in keep):
                return text
            return text[:start] + text[end:]


def test_a_remembered_extent_cuts_what_the_count_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page holding the last page's menu text at its opening is cut as the last one was
    (`tree._LAST_EXTENT`): on random sequences of pages whose menus repeat, change, grow,
    shrink, lose their end tag, hold marks, comments, odd-case tags or an "İ", every cut is
    the one the count alone gives (the pages themselves, then the recorded and generated
    ones in a row)."""
    import random

    monkeypatch.setattr(tree, "_LAST_EXTENT", {})
    rng = random.Random(18)
    opening, keep = '<div id="navbar"', ('id="post_', "threadbit")
    pieces = ["<div>", "</div>", "<DIV class='m'>", "</Div >", "<divx>", "</divx>", "<ul><li>",
              "</li></ul>", "<a href='/x'>x</a>", "<!-- c -->", "<script>s</script>",
              'id="post_1"', "text", "<div/>", "</div", "İ", "\u00e9"]
    menus = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(40)]
    menus += ["<div><div>a</div></div>", "<div>a</div>"]
    remembered = 0
    menu, tail = menus[-1], "</div>"
    for _ in range(6000):
        if rng.random() < 0.5:  # (else the last page's menu again, the rest of it new)
            menu = rng.choice(menus)
            tail = rng.choice(["</div>", "</div></div>", "", "</DIV>", "</div >"])
        after = rng.choice(["<ol id=\"posts\"><li id=\"post_1\">p</li></ol>", "<p>x</p>",
                            "</div><p>y</p>", "İ"])
        text = f"<html><body>{rng.choice(['', opening + '>'])}<p>a</p>{opening}>{menu}{tail}" \
            f"{after}</body></html>"
        hit = tree._LAST_EXTENT.get((opening, keep))
        remembered += hit is not None and text.startswith(hit[0], text.find(opening))
        assert without_element(text, opening, keep) == \
            _plain_without_element(text, opening, keep), text
    assert remembered > 300
    for _, _, text in PAGES:
        for opening in ELEMENTS:
            for marks in ((), keep):
                assert without_element(text, opening, marks) == \
                    _plain_without_element(text, opening, marks)


def test_only_one_letter_lengthens_in_lower_case() -> None:
    """`without_element` tests the page for "İ" instead of lower-casing it first: it is the
    only character whose lower case is longer."""
    import sys

    assert [c for c in map(chr, range(sys.maxunicode + 1)) if len(c.lower()) != 1] == ["İ"]


def test_html_root_parses_what_parsel_parses() -> None:
    """`html_root` (NUL bytes removed only when the page has one) gives parsel's tree:
    pages with and without NULs, blanks around them, empty and comment-only pages."""
    import random

    from parsel import Selector

    rng = random.Random(3)
    bits = ["<p>", "</p>", "a", " ", "\x00", "\n", "<b>x</b>", "<!-- c -->", "é", "<br>"]
    pages = ["", " ", "\x00", "<!-- only -->", " \x00<p>a</p>\x00 "]
    pages += ["".join(rng.choice(bits) for _ in range(rng.randint(0, 15))) for _ in range(2000)]
    for page in pages:
        expected = Selector(text=page, type="html").root
        assert serialised(html_root(page)) == serialised(expected), repr(page)
