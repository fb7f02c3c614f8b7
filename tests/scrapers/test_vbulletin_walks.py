"""vBulletin parser walks: the one-walk readings of post fields, quote rewrites, list rows
and checked body text find what the plain queries and the plain rewrite find."""

from __future__ import annotations

import random
from typing import Any

from scrapers.parsers import vbulletin_bodies
from scrapers.parsers import vbulletin_vb34_posts as vb34


def test_post_fields_walk_finds_what_the_queries_find() -> None:
    """`PostFields` (walks over a post's links, spans and divs) gives the date element,
    author text, post counter text, thanks boxes (when the page has some) and message div
    the XPath queries give, on random posts
    dense in the classes and ids those queries test (nested links, text-less links,
    comments, two counters)."""
    import random

    from lxml import etree

    from scrapers.parsers.tree import css, html_root, xpath
    from scrapers.parsers.vbulletin_post_fields import (
        AUTHOR_TEXTS,
        COUNT_TEXTS,
        PostFields,
        first_of,
    )
    from scrapers.parsers.vbulletin_scores import _THANKS_BOXES

    rng = random.Random(11)
    opens = ['<a class="username">', '<a class="bigusername x">', '<a class="postcounter">',
             '<a id="postcount7">', '<a id="postcount8" class="username">', '<a>',
             '<div class="username_container">', '<div id="post_thanks_box_3">', "<div>",
             '<span class="date">', '<span class="date x">', "<strong>", "<b>", "<span>",
             '<div id="post_message_1">', '<span id="post_message_1">', '<div id="post_1">']
    bits = ["t", " ", "#5", "<!-- c -->", "<br>", "Bob"]

    def html(depth: int) -> str:
        return _random_html(rng, opens, bits, depth, max_depth=4, nest=0.5)

    date_query, texts = xpath(".//span[@class='date']"), xpath(".//text()")
    message_query = xpath(".//div[@id='post_message_1']")
    for _ in range(4000):
        block = html_root(f'<html><body><li id="post_1">{html(0)}</li></body></html>'
                          ).find(".//li")
        thanks = rng.random() < 0.7
        fields = PostFields(block, thanks, "post_message_1")
        messages = message_query(block)
        assert fields.message is (messages[0] if messages else None), etree.tostring(block)
        dates = date_query(block)
        assert fields.date is (dates[0] if dates else None), etree.tostring(block)
        if dates:
            assert " ".join(fields.date.itertext()) == " ".join(texts(dates[0]))
        assert fields.author() == " ".join(AUTHOR_TEXTS(block)[:1]), etree.tostring(block)
        assert fields.count() == first_of(COUNT_TEXTS(block)), etree.tostring(block)
        assert fields.thanks == (_THANKS_BOXES(block) if thanks else [])
        for box in fields.thanks:  # (`post_score` reads a box's texts with `itertext`)
            assert list(box.itertext()) == css("::text")(box)


def test_rewrite_steps_skipped_only_where_they_find_nothing() -> None:
    """`finish_body` runs only the quote-rewrite steps `rewrite_stages` flags: on random
    bodies dense in quote boxes, labels, headers and signatures (nested, retagged by an
    earlier step) the rewritten tree is the one all four steps give, and the "label child"
    test gives what it gives without the flag."""
    import copy
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root
    from scrapers.parsers.vbulletin_bodies import (
        _rewrite_quotes,
        _rewrites_itself,
        rewrite_stages,
    )

    rng = random.Random(3)
    opens = ['<blockquote class="postcontent">',
             '<blockquote class="postcontent x bbcode_container">',
             '<div class="bbcode_container">', '<div class="bbcode_quote">',
             '<div class="message">', '<div class="bbcode_postedby">',
             '<span class="post-signature">', "<div>", "<table>", "<tr>", "<td>", "<b>"]
    bits = ["Quote:", " Quote: ", "Originally Posted by", "x", "<!-- c -->", "<br>"]

    def html(depth: int) -> str:
        return _random_html(rng, opens, bits, depth, max_depth=5, nest=0.55)

    skipped = 0
    for _ in range(4000):
        body = html_root(f"<html><body><div id='b'>{html(0)}</div></body></html>").find(
            ".//div")
        stages = rewrite_stages(body)
        skipped += not all(stages)
        for unwrapped in (True, False):
            assert _rewrites_itself(body, unwrapped, stages[2]) == \
                _rewrites_itself(body, unwrapped)
        some, every = copy.deepcopy(body), copy.deepcopy(body)
        _rewrite_quotes(some, stages)
        _rewrite_quotes(every)
        assert etree.tostring(some) == etree.tostring(every), etree.tostring(body)
    assert skipped > 1000


def test_rewrite_steps_use_what_the_stage_walk_met() -> None:
    """`_rewrite_quotes` given what `rewrite_stages` met (`Found`: step 2's containers,
    step 4's headers and signatures) rewrites a body as the plain steps with their own
    lookups do, on random bodies dense in quote boxes (nested, inside headers, in
    `postcontent` blockquotes step 1 retags), vB3 label tables, headers and signatures
    (inside boxes a step takes out, nested in each other), classes with odd spacing and
    near-miss names."""
    import copy
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root
    from scrapers.parsers.vbulletin_bodies import Found, _rewrite_quotes, rewrite_stages

    rng = random.Random(23)
    opens = ['<blockquote class="postcontent">',
             '<blockquote class="postcontent\tbbcode_container">',
             '<blockquote class="bbcode_container">', '<div class="bbcode_container">',
             '<div class=" bbcode_container\n x">', '<div class="bbcode_containers">',
             '<div class="bbcode_quote">', '<div class="message">', '<div class="messages">',
             '<div class="bbcode_postedby">', '<span class="bbcode_postedby">',
             '<div class="xbbcode_postedby">', '<span class="post-signature">',
             '<div class="a post-signaturex">', "<div>", "<table>", "<tr>", "<td>", "<b>"]
    bits = ["Quote:", " Quote: ", "Originally Posted by", "x", "<!-- c -->", "<br>"]
    rewritten = 0
    for _ in range(5000):
        html = _random_html(rng, opens, bits, 0, max_depth=6, nest=0.6)
        body = html_root(f"<html><body><div id='b'>{html}</div></body></html>").find(".//div")
        fast, plain = copy.deepcopy(body), copy.deepcopy(body)
        found = Found()
        stages = rewrite_stages(fast, found)
        _rewrite_quotes(fast, stages, found)
        _rewrite_quotes(plain, stages)
        assert etree.tostring(fast) == etree.tostring(plain), html
        rewritten += etree.tostring(plain) != etree.tostring(body)
    assert rewritten > 2000


def _random_html(rng: random.Random, opens: list[str], bits: list[str], depth: int,
                 max_depth: int, nest: float) -> str:
    """Up to four random pieces: an element from `opens` (nested until `max_depth`, with
    chance `nest`) or a text bit, for fuzzing a fast reader against its queries."""
    out = []
    for _ in range(rng.randint(0, 4)):
        if depth < max_depth and rng.random() < nest:
            tag = rng.choice(opens)
            name = tag[1:].split(None, 1)[0].rstrip(">")
            out.append(f"{tag}{_random_html(rng, opens, bits, depth + 1, max_depth, nest)}"
                       f"</{name}>")
        else:
            out.append(rng.choice(bits))
    return "".join(out)


def _plain_rewrite_stages(element: Any) -> tuple[bool, bool, bool, bool]:
    """`rewrite_stages` as it was first written (a child loop per element): the reference."""
    from lxml import etree

    boxes = containers = labels = headers = False
    for el in element.iterdescendants(etree.Element):
        classes = el.get("class")
        if classes:
            if "postcontent" in classes and el.tag == "blockquote":
                boxes = True
            if "bbcode_container" in classes:
                containers = True
            if "bbcode_postedby" in classes or "post-signature" in classes:
                headers = True
        if not labels and ("Quote:" in (el.text or "") or any(
                "Quote:" in (child.tail or "") for child in el)):
            labels = True
    return boxes, containers, labels, headers


def test_quote_rewrite_walks_find_what_the_queries_find() -> None:
    """The rewrite's class lookups (`with_class`, `first_with_class`,
    `headers_and_signatures`: one pass over a node's elements) give the elements the XPath
    class queries give, `rewrite_stages` the flags of its plain form and `_inner_body` the
    first `_INNER_BODY`, on random bodies dense in those classes (tabs and line breaks
    inside class attributes, near-miss names, comments, "Quote:" in texts and tails)."""
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root, xpath
    from scrapers.parsers.vbulletin_bodies import (
        first_with_class,
        headers_and_signatures,
        rewrite_stages,
        with_class,
    )

    rng = random.Random(19)
    names = ["postcontent", "bbcode_container", "bbcode_quote", "message", "bbcode_postedby",
             "post-signature", "xpost-signaturex", "messages", "bbcode_quotes", "x"]
    spaces = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\x0b"]
    opens = []
    for tag in ("div", "blockquote", "span"):
        opens.append(f"<{tag}>")
        for _ in range(12):
            picked = [rng.choice(names) for _ in range(rng.randint(1, 3))]
            cls = rng.choice(spaces).join(picked)
            if rng.random() < 0.3:
                cls = rng.choice(spaces) + cls + rng.choice(spaces)
            opens.append(f'<{tag} class="{cls}">')
    bits = ["Quote:", " Quote: x", "x", "<!-- Quote: -->", "<br>", "Quo"]
    # the plain forms: the class queries the walks replace
    has = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
    queries = [(xpath(f".//{tag}[{has.format(name)}]"), (tag, name))
               for tag, name in [("blockquote", "postcontent"), ("div", "bbcode_container"),
                                 ("div", "bbcode_quote"), ("div", "message")]]
    headers_query = xpath(".//*[" + has.format("bbcode_postedby")
                          + " or contains(@class, 'post-signature')]")
    found = 0
    for _ in range(3000):
        html = _random_html(rng, opens, bits, 0, max_depth=5, nest=0.55)
        body = html_root(f"<html><body><div id='b'>{html}</div></body></html>").find(".//div")
        assert rewrite_stages(body) == _plain_rewrite_stages(body), etree.tostring(body)
        for node in body.iter(etree.Element):
            for query, (tag, name) in queries:
                matches = query(node)
                assert with_class(node, tag, name) == matches, etree.tostring(node)
                assert first_with_class(node, tag, name) is (matches[0] if matches else None)
            expected = headers_query(node)
            assert headers_and_signatures(node) == expected, etree.tostring(node)
            found += len(expected)
            wrappers = vb34._INNER_BODY(node)  # (vB4's post wrapper, substring class)
            assert vb34._inner_body([node]) is (wrappers[0] if wrappers else None)
    assert found > 1000


def test_list_row_walks_find_what_the_queries_find() -> None:
    """A vB4 list row's title link, `.threadmeta .author span.label` elements and
    `.threadmeta .author a.username` texts read by walks give what the CSS queries give, on
    random rows dense in those classes (nested, repeated, on the row itself, with tabs in
    class attributes, username links inside username links)."""
    from lxml import etree

    from scrapers.parsers import vbulletin_listing as listing
    from scrapers.parsers.tree import html_root

    rng = random.Random(29)
    classes = ["threadmeta", "author", "label", "username", "title", "topic-title",
               "author\tx", "x threadmeta", "authors", "user", "username understate",
               "threadmeta author"]
    opens = ["<div>", "<span>", "<a>", '<a id="thread_title_5">', '<a id="xthread_title_">']
    for tag in ("div", "span", "a", "dl", "li"):
        opens += [f'<{tag} class="{name}">' for name in classes]
    bits = ["t", " ", "<br>", "<!-- c -->", "Bob", "\n"]
    found = [0, 0, 0]
    for _ in range(6000):
        inner = _random_html(rng, opens, bits, 0, max_depth=6, nest=0.7)
        cls = rng.choice(["threadbit", "threadbit threadmeta", "threadbit author"])
        row = html_root(f'<html><body><ol><li class="{cls}" id="thread_1">{inner}</li></ol>'
                        "</body></html>").find(".//li")
        links = listing._TITLE_LINKS(row)
        assert listing._title_link_of(row) is (links[0] if links else None), \
            etree.tostring(row)
        labels = listing._META_AUTHOR_LABELS(row)
        assert listing._meta_author_labels(row) == labels, etree.tostring(row)
        names = listing._META_AUTHOR_NAMES(row)
        assert listing._meta_author_names(row) == names, etree.tostring(row)
        for i, hit in enumerate((links, labels, names)):
            found[i] += bool(hit)
    assert min(found) > 150


def test_checked_body_text_is_the_text_where_the_rewrite_finds_nothing() -> None:
    """`checked_block_text` (the walk `finish_body` reads a body's text with before the
    rewrite) gives `block_text`'s text whenever it gives one, and then the rewrite's stage
    walk (its plain form) finds nothing; `reads_as_block` only where `element_text` is
    `block_text`. Random bodies dense in the rewrite's classes, chrome and skipped
    elements, "Quote:" in texts, tails and comments, links and images; and an image
    holding content (a tree built, not parsed: HTML's `<img>` is empty)."""
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root
    from scrapers.text import block_text, checked_block_text, element_text, reads_as_block

    rng = random.Random(23)
    opens = ["<div>", "<span>", "<b>", "<p>", "<blockquote>", "<ul>", "<li>", "<script>",
             "<cite>", "<a href='/x'>", "<a href='https://e.org/y'>", "<img src='/i.png'>",
             "<i class='bbcode_postedby'>", "<div class='bbcode_container'>",
             "<div class='xbbcode_containerx'>", "<blockquote class='postcontent'>",
             "<span class='post-signature'>", "<div class='posts'>", "<div class='pos t'>",
             "<div class='title'>", "<div class='bbCodeBlock bbCodeBlock--quote'>",
             "<span class='meta x'>", "<em class='quote-controls'>", "<div class='message'>",
             "<font class='p\tost'>", "<div class='bbcode_quote'>"]
    bits = ["Quote:", " Quote: x", "Quote", "x", "a  b", "<!-- Quote: -->", "<br>", "\n",
            "https://e.org/y", "\u00a0", "&amp;", "<img alt=':)' src='s.gif'>",
            "<a href='two words'>two  words</a>", "<a href='https://e.org/y'>https://e.org/y"
            "</a>", "<a href='/z'>Quote: z</a>"]
    read = skipped = 0
    for _ in range(5000):
        html = _random_html(rng, opens, bits, 0, max_depth=4, nest=0.5)
        outer = rng.choice(["<div>", "<blockquote class='postcontent restore'>",
                            "<div class='x'>", "<td>", "<div class='meta'>"])
        name = outer[1:].split(None, 1)[0].rstrip(">")
        root = html_root(f"<html><body><table><tr>{outer}{html}</{name}></tr></table>"
                         "</body></html>")
        body = next(el for el in root.iter(name) if el.getparent().tag in ("body", "tr"))
        for base in (None, "https://forum.example/t/1"):
            text = checked_block_text(body, base, ("post", "bbcode_container"), "Quote:")
            if text is None:
                skipped += 1
                continue
            read += 1
            assert text == block_text(body, base), etree.tostring(body)
            assert _plain_rewrite_stages(body) == (False,) * 4, etree.tostring(body)
        if reads_as_block(body):
            assert element_text(body) == block_text(body), etree.tostring(body)
    assert read > 1500 and skipped > 1500, (read, skipped)
    built = etree.fromstring("<div>a<img src='i'><div class='bbcode_container'>q</div></img>"
                             "</div>")
    assert _plain_rewrite_stages(built)[1]
    assert checked_block_text(built, None, ("post", "bbcode_container"), "Quote:") is None


def test_bodies_read_before_the_rewrite_keep_the_plain_path_outputs() -> None:
    """A page whose post bodies are read by `finish_body`'s checked walk (`text_for`) gives
    every post the text and HTML the plain path gives (walk after the rewrite), also with
    a post nested in another's quote box (its message emptied by the outer rewrite)."""
    from scrapers.parsers import vbulletin

    posts = "".join(
        f'<li class="postbitlegacy" id="post_{n}"><span class="date">12-03-2026, 01:5{n} PM'
        f'</span><a class="postcounter">#{n}</a><div class="username_container"><a '
        f'class="username">u{n}</a></div><div id="post_message_{n}"><blockquote '
        f'class="postcontent restore">{body}</blockquote></div></li>'
        for n, body in [
            (2, 'Outer<div class="bbcode_container"><div class="bbcode_quote"><div '
                'class="bbcode_postedby">Originally Posted by <b>u1</b></div><ol><li '
                'class="postbitlegacy" id="post_1"><span class="date">12-03-2026, 01:50 PM'
                '</span><div id="post_message_1" class="message">Inner <b>bold</b></div>'
                '</li></ol></div></div> after'),
            (3, 'Third <a href="/x">link</a><br>line'),
            (4, 'Fourth<div class="bbcode_container"><div class="bbcode_quote"><div '
                'class="message">quoted</div></div></div>')])
    page = (f'<html><body><ol id="posts">{posts}</ol><div id="footer_time">All times are '
            'GMT -5.</div></body></html>')

    def outputs() -> list[tuple[str, str, str]]:
        parsed = vbulletin.parse_thread_page(page, "http://f.example/showthread.php?t=9",
                                             "http://f.example")
        return [(post.external_id, post.text(parsed.url), post.body_html)
                for post in parsed.posts]


    walked: list[bool] = []
    checked = vbulletin_bodies.checked_block_text

    def counted(*args: object) -> str | None:
        text = checked(*args)  # type: ignore[arg-type]
        walked.append(text is not None)
        return text

    finish = vbulletin.finish_body
    try:
        vbulletin_bodies.checked_block_text = counted  # type: ignore[assignment]
        read = outputs()
        nested_walks = len(walked)
        page = page.replace('<ol><li class="postbitlegacy" id="post_1">', "<ol><li>")
        read_apart = outputs()
        vbulletin.finish_body = lambda post, marks, text_for=None: finish(post, marks)
        plain_apart = outputs()
        page = page.replace("<ol><li>", '<ol><li class="postbitlegacy" id="post_1">')
        plain = outputs()
    finally:
        vbulletin.finish_body = finish
        vbulletin_bodies.checked_block_text = checked  # type: ignore[assignment]
    assert read == plain and read_apart == plain_apart
    # (a post nested in another's quote: not apart, no checked walk; apart: the walk ran
    # and kept a text where it met no mark)
    assert nested_walks == 0 and any(walked)
    assert [post_id for post_id, _, _ in read] == ["2", "1", "3", "4"]
    assert read[2][1] == "Third link (http://f.example/x)\n\nline"
