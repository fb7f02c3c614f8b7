"""vBulletin post fast paths against their plain forms, on many random cases: post ids and
counters by str tests, the page's message lookups from one `id()` call and the header walk,
the post blocks by lxml's tag filter, the `postcontent` test, thanks counts remembered by
text and the lazy like-class marks."""

from __future__ import annotations

import random
import re

from lxml import etree

from scrapers.parsers import vbulletin_scores
from scrapers.parsers import vbulletin_vb34_posts as vb34
from scrapers.parsers.common import squash
from scrapers.parsers.tree import BY_ID, by_id, html_root, iter_document, xpath
from scrapers.parsers.vbulletin_post_fields import PostFields

# The posts query `vb34.vb34_blocks` replaced, kept as its plain form.
_VB34_POSTS = ("//li[starts-with(@id, 'post_')]|//table[starts-with(@id, 'post')]"
               "[.//div[starts-with(@id, 'post_message_')]]")
_VB34_POSTS_IN = xpath(_VB34_POSTS.replace("//li", ".//li").replace("|//table", "|.//table"))

_NON_DIGITS = re.compile(r"\D")
_PIECES = ["post", "post_", "_", "1", "12", "0", "٣", "²", "x", " ", "#", "-", "postcount"]


def test_post_ids_and_counters_read_as_the_regex_reads_them() -> None:
    """`_post_id` and `_position` give what stripping every non-digit gives, for ids and
    counter texts dense in prefixes, ASCII and other decimal digits and non-decimal
    digits ("²")."""
    rng = random.Random(31)
    texts = ["post_12", "post12", "post", "", "#3", "#", "#٣", "#²", "#1#2"]
    texts += ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 5)))
              for _ in range(20_000)]
    for text in texts:
        block = etree.Element("li", id=text) if text else etree.Element("li")
        assert vb34._post_id(block) == _NON_DIGITS.sub("", text), repr(text)
        digits = _NON_DIGITS.sub("", text)
        assert vb34._position(text) == (int(digits) - 1 if digits else None), repr(text)
    assert vb34._position(None) is None


def _plain_message(block: object, root: object, post_id: str) -> list[object]:
    """`vb34._message` as it was: the id table asked per post, then a walk up."""
    ident = f"post_message_{post_id}"
    held = BY_ID(root, id=ident)
    if not held:
        return []
    if held[0].get("id") == ident and any(a is block for a in held[0].iterancestors()) \
            and held[0] is not block:
        return [held[0]]
    return xpath(".//*[@id=$id]")(block, id=ident)


def test_messages_from_one_id_call_and_the_walk_are_the_plain_lookups() -> None:
    """The message elements `_vb34_post` uses (`_messages_held` for the page, the header
    walk's `PostFields.message`) are the ones the per-post id-table lookup and walk up
    give, on random pages with duplicate ids, messages outside their post, non-div
    elements holding the id, nested posts and missing messages."""
    rng = random.Random(37)
    found = 0
    for _ in range(3000):
        ids = [str(rng.randint(1, 4)) for _ in range(rng.randint(1, 4))]

        def piece(depth: int, ids: list[str] = ids) -> str:
            out = []
            for _ in range(rng.randint(0, 3)):
                kind = rng.random()
                ident = rng.choice(ids)
                tag = rng.choice(["div", "div", "span", "blockquote"])
                if kind < 0.4:
                    out.append(f'<{tag} id="post_message_{ident}">m{piece(depth + 1)}</{tag}>')
                elif kind < 0.55 and depth < 2:
                    out.append(f'<li id="post_{ident}">{piece(depth + 1)}</li>')
                elif kind < 0.7:
                    out.append(f'<div id="post_thanks_box_{ident}">t</div>')
                else:
                    out.append(rng.choice(["x", "<a class='username'>u</a>", "<div>d</div>"]))
            return "".join(out)

        blocks_html = "".join(f'<li id="post_{i}">{piece(0)}</li>' for i in ids)
        root = html_root(f"<html><body>{piece(1)}<ol id='posts'>{blocks_html}</ol>"
                         f"{piece(1)}</body></html>")
        blocks = _VB34_POSTS_IN(by_id(root, "posts"))
        post_ids = [vb34._post_id(block) for block in blocks]
        held = vb34._messages_held(root, post_ids)
        for block, post_id in zip(blocks, post_ids, strict=True):
            walk = PostFields(block, rng.random() < 0.5, f"post_message_{post_id}")
            got = vb34._message(block, root, post_id, walk.message, held)
            assert got == _plain_message(block, root, post_id), blocks_html
            assert vb34._message(block, root, post_id) == got
            found += bool(got)
    assert found > 3000


def test_thanks_counts_remembered_by_text_are_the_counts() -> None:
    """`post_score` (one box joined directly, counts remembered by text, the memo cleared
    when full) gives `_score_count` of the boxes' squashed texts."""
    rng = random.Random(41)
    words = ["The", "Following", "2", "1,204", "User", "Users", "Says", "Say", "Thank",
             "Thanks", "Likes", "Like:", "3", " ", "\u00a0", "\t", "You", "x"]
    saved = vbulletin_scores._COUNTS_KEPT
    vbulletin_scores._COUNTS_KEPT = 50
    # texts alike but for their count, one after the other (a key that kept less than the
    # whole text would answer the first one's count)
    alike = ["The Following 2 Users Say Thank You to A", "The Following 2 User Says Thank You",
             "The Following 1,204 Users Say Thank You to A", "The Following 3 Users Say Thank"]
    vbulletin_scores._COUNTS.clear()
    try:
        for text in alike + alike[::-1]:
            box = etree.fromstring(f"<div>{text}</div>")
            expected = vbulletin_scores._score_count(squash(text))
            assert vbulletin_scores.post_score(None, boxes=[box]) == expected, text
        for _ in range(6000):
            texts = ["".join(rng.choice(words) + rng.choice(" \n")
                             for _ in range(rng.randint(0, 7)))
                     for _ in range(rng.randint(1, 3))]
            boxes = [etree.fromstring(f"<div>{text}<b>{rng.choice(words)}</b></div>")
                     for text in texts]
            expected = vbulletin_scores._score_count(squash(
                " ".join(t for box in boxes for t in box.itertext())))
            assert vbulletin_scores.post_score(None, boxes=boxes) == expected, texts
        assert len(vbulletin_scores._COUNTS) <= 50
    finally:
        vbulletin_scores._COUNTS_KEPT = saved
        vbulletin_scores._COUNTS.clear()


def test_lazy_score_marks_are_the_score_marks() -> None:
    """`ScoreMarks(text)` reads as the pair the plain test of every like class gives."""
    rng = random.Random(43)
    names = ["postthanks", "vbseo_liked", "b-post__likes", "js-votecount", "votecount",
             "post_thanks_box_", "b-post", "vote", "count", "js-", "x", " "]
    for _ in range(10_000):
        text = "".join(rng.choice(names) for _ in range(rng.randint(0, 3)))
        plain = ("post_thanks_box_" in text,
                 any(name in text for name in vbulletin_scores._LIKE_CLASSES))
        marks = vbulletin_scores.ScoreMarks(text)
        assert (marks[1], marks[0]) == (plain[1], plain[0]), text



def test_post_blocks_by_tag_filter_are_the_query() -> None:
    """`vb34_blocks_among` over `li`/`table` elements in document order gives what the posts query
    gives, under `#posts` and over the whole document (a stray `</html>` puts content beside
    the root; `vb34_blocks`, the page's choice of the two), on random pages dense in
    `post`-like ids: `li` and `table` with ids that start with "post", "post_" or neither,
    tables with and without a `post_message_` div
    (nested, or only in a non-div), nested posts, XML pages with and without a namespace."""
    rng = random.Random(59)
    ids = ["post_1", "post1", "post", "post_", "postx", "xpost_1", "", None, "post_message_2",
           "POST_1", " post_1"]
    div_ids = [*ids, "post_message_", "post_message_7"]

    def attr(ident: str | None) -> str:
        return "" if ident is None else f' id="{ident}"'

    def piece(depth: int) -> str:
        out = []
        for _ in range(rng.randint(0, 3)):
            kind = rng.random()
            inner = piece(depth + 1) if depth < 3 else "x"
            if kind < 0.3:
                out.append(f"<li{attr(rng.choice(ids))}>{inner}</li>")
            elif kind < 0.55:
                out.append(f"<table{attr(rng.choice(ids))}><tr><td>{inner}</td></tr></table>")
            elif kind < 0.8:
                tag = rng.choice(["div", "div", "span"])
                out.append(f"<{tag}{attr(rng.choice(div_ids))}>{inner}</{tag}>")
            else:
                out.append(rng.choice(["t", "<!-- li -->", "<ol>", "</li>", "</table>", "</html>"]))
        return "".join(out)

    plain_all = xpath(_VB34_POSTS)
    found = 0
    for n in range(4000):
        body = piece(0)
        if n % 50 == 0:
            namespace = ' xmlns="http://www.w3.org/1999/xhtml"' if n % 100 else ""
            text = (f'<?xml version="1.0"?><html{namespace}><body><ol id="posts">'
                    f'<li id="post_1"><div id="post_message_1">m</div></li></ol></body></html>')
            root = etree.fromstring(text.encode())
        else:
            text = f"<html><body>{piece(0)}<ol id='posts'>{body}</ol>{piece(0)}</body></html>"
            root = html_root(text)
        holder = by_id(root, "posts")
        if holder is not None:
            got = vb34.vb34_blocks_among(holder.iterdescendants("li", "table"))
            assert got == _VB34_POSTS_IN(holder), text
            found += len(got)
        anywhere = vb34.vb34_blocks_among(iter_document(root, "li", "table"))
        assert anywhere == plain_all(root), text
        plain = (_VB34_POSTS_IN(holder) if holder is not None else []) or \
            plain_all(root)
        assert vb34.vb34_blocks(root) == plain, text
    assert found > 1500


def test_postcontent_test_is_the_regex_over_every_attribute() -> None:
    """`is_postcontent` gives the plain form (a `blockquote` with the word "postcontent" in
    any attribute name or value, by the regex) on random elements dense in near misses."""
    from scrapers.parsers import vbulletin_bodies

    rng = random.Random(67)
    words = ["postcontent", "postcontents", "xpostcontent", "post-content", "restore", " ",
             "\t", "_", "-", "é", "postcontent_", "Postcontent"]
    plain = re.compile(r"\bpostcontent\b")
    hits = 0
    for _ in range(20_000):
        element = etree.Element(rng.choice(["blockquote", "blockquote", "div"]))
        for _ in range(rng.randint(0, 3)):
            name = rng.choice(["class", "id", "data-postcontent", "postcontent", "title"])
            element.set(name, "".join(rng.choice(words) for _ in range(rng.randint(0, 3))))
        expected = element.tag == "blockquote" and any(
            plain.search(name) or plain.search(value) for name, value in element.items())
        assert vbulletin_bodies.is_postcontent(element) == expected, element.items()
        hits += expected
    assert hits > 3000

