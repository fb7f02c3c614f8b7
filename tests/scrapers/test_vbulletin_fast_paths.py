"""vBulletin parser fast paths against their plain forms, on many random cases: post ids and
counters by str tests, the page's message lookups from one `id()` call and the header walk,
thanks counts remembered by text, the lazy like-class marks, the "page" URL gate, the post
blocks by lxml's tag filter, the page's ids from one `id()` call and texts read off
elements."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timezone

from lxml import etree
from w3lib.url import url_query_parameter

from scrapers.parsers import vbulletin, vbulletin_dates, vbulletin_scores, vbulletin_urls
from scrapers.parsers import vbulletin_thread_fields as thread_fields
from scrapers.parsers import vbulletin_vb34_posts as vb34
from scrapers.parsers.common import squash
from scrapers.parsers.tree import BY_ID, PageIds, by_id, html_root, iter_document, xpath
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


def test_urls_without_page_have_no_page_parameter() -> None:
    """`page_numbers`' gate: a URL it passes over has no `page` query parameter, by
    `url_query_parameter` itself, on random URLs dense in near misses (escapes, and tabs
    and line breaks, which `urlsplit` deletes)."""
    rng = random.Random(47)
    pieces = ["page", "pag", "e", "=", "2", "&", "?", "#", "p%61ge", "%", "+", "Page", "t=3",
              "/page3", ";", "pa", "ge", "\t", "\n", "\r"]
    root = html_root("<html><body><p>x</p></body></html>")
    urls = ["http://x/s.php?p%61ge=2", "http://x/s.php?t=1&pa%67e=3", "http://x/s.php?page=4",
            "http://x/s.php?t=1&page=5#page", "http://x/s/page6?t=1",
            "http://x/s.php?t=1&pa\tge=3", "http://x/s.php?pa\nge=4", "http://x/s.php?p\rage=5"]
    urls += ["http://x/showthread.php" + "".join(rng.choice(pieces)
                                                 for _ in range(rng.randint(0, 6)))
             for _ in range(20_000)]
    for url in urls:
        if not vbulletin_urls._may_name_page(url):
            assert url_query_parameter(url, "page") is None, url
        match = vbulletin_urls._PATH_PAGE.search(url)
        value = url_query_parameter(url, "page")
        if match is None and not (value or "1").isdigit():
            continue  # (int() of a non-number: a ValueError either way)
        plain = int(match.group(1)) if match else int(value or 1)
        assert vbulletin_urls.page_numbers(root, url, "") == (plain, plain), url


def test_canonical_gate_by_tag_is_the_plain_lookup() -> None:
    """`_canonical`'s "no <link> element" gate gives what the text gate and the queries
    give, on random pages with links in and out of <head>, after a stray </html>, other
    `rel`s, and "canonical" only in text."""
    rng = random.Random(53)
    pieces = ['<link rel="canonical" href="/c">', '<link rel="stylesheet" href="/s">',
              "<link>", "canonical", "<p>x</p>", "</html>", "<!-- link -->", "<div>d</div>"]
    for _ in range(4000):
        head = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 2)))
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
        text = f"<html><head>{head}</head><body>{body}</body></html>" + \
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 2)))
        root = html_root(text)
        for given in (text, None):
            if given is not None and "canonical" not in given:
                plain = None
            else:
                head_el = root.find("head")
                found = thread_fields._CANONICAL_IN(head_el) if head_el is not None else []
                found = found or thread_fields._CANONICAL(root)
                plain = found[0] if found else None
            assert thread_fields._canonical(root, given) == plain, text


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


def test_page_ids_from_one_id_call_are_by_id() -> None:
    """`PageIds.get` (the page's five ids from one `id()` call) gives what `by_id` gives
    for each, on random pages dense in those ids: duplicated, with spaces or tabs around
    them, differently cased, nested, on several tags, after a stray `</html>`, missing; and
    an id outside the set is asked by `by_id`."""
    rng = random.Random(47)
    names = list(vbulletin.PAGE_IDS)
    variants = [*names, *(f" {n}" for n in names), *(f"{n} " for n in names),
                *(f"\t{n}" for n in names), *(n.upper() for n in names), "post_1", "",
                "posts breadcrumb", "other"]
    for _ in range(3_000):
        parts = []
        for _ in range(rng.randint(0, 12)):
            tag = rng.choice(["div", "span", "ol", "li", "table", "a"])
            ident = rng.choice(variants)
            parts.append(f'<{tag} id="{ident}">x' if rng.random() < 0.5 else
                         f'<{tag} id="{ident}">x</{tag}>')
            if rng.random() < 0.05:
                parts.append("</html>")
        root = html_root("<html><body>" + "".join(parts) + "</body></html>")
        ids = PageIds(root, vbulletin.PAGE_IDS)
        asked = rng.sample([*names, "other", "post_1"], k=rng.randint(1, 7))
        for ident in asked:
            assert ids.get(ident) is by_id(root, ident), (parts, ident)


def test_texts_read_off_elements_are_the_text_queries() -> None:
    """A crumb's `itertext()`, the footer's texts holding "All times are" and
    `child_texts` give what `.//text()`, `.//text()[contains(., 'All times are')]` and
    `./text()` give, on random elements of nested tags, comments, processing
    instructions, scripts, styles, entities and empty tails."""
    rng = random.Random(53)
    pieces = ["All times are GMT -5", "All times", " are", "x", "", " ", "&amp;", "&#65;",
              "<!-- All times are -->", "<?pi All times are?>", "<b>", "</b>", "<i>y</i>",
              "<script>All times are</script>", "<style>a{}</style>", "<br>", "<span>",
              "</span>", "<a href='#'>Home</a>", "\n", "\u00a0"]
    footer_query = vbulletin_dates._FOOTER_TEXTS_IN
    for _ in range(4_000):
        inner = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        root = html_root(f"<html><body><div id='e'>{inner}</div>tail</body></html>")
        element = by_id(root, "e")
        assert element is not None
        assert list(element.itertext()) == thread_fields._TEXTS(element), inner
        assert vbulletin_dates.footer_texts(element) == footer_query(element), inner
        assert thread_fields.child_texts(element) == xpath("./text()")(element), inner


def test_crumb_links_and_title_texts_by_tag_filter_are_the_queries() -> None:
    """`crumb_links` gives what `_CRUMBS_IN` gives and `title_texts` what `.//span[contains(
    @class, 'threadtitle')]//text()` gives, on random holders dense in the elements and
    classes the queries test (nested spans and lists, near-miss names, links straight
    under the holder, comments, entities, a `ul#breadcrumbs` that is the holder's own
    child or the holder itself)."""
    rng = random.Random(61)
    opens = ["<span class='navbar'>", "<span class='navbar x'>", "<span class='navbit'>",
             "<li class='navbit'>", "<li class='navbit first'>", "<li class='crumb'>",
             "<li class='x crumbs'>", "<li>", "<ul id='breadcrumbs'>", "<ul id='breadcrumb'>",
             "<ul>", "<div>", "<span class='threadtitle'>", "<span class='xthreadtitlex'>",
             "<span class='threadtitles y'>", "<span>", "<h1>", "<b>", "<p class='crumb'>"]
    closes = {"<span": "</span>", "<li": "</li>", "<ul": "</ul>", "<div": "</div>",
              "<h1": "</h1>", "<b": "</b>", "<p": "</p>"}
    bits = ["<a href='#'>Home</a>", "<a>Hair <b>loss</b></a>", "<a></a>", "x", " ", "&amp;",
            "<!-- c -->", "Thread: ", "<a><span class='threadtitle'>t</span></a>"]

    def fragment(depth: int) -> str:
        out = []
        for _ in range(rng.randint(0, 4)):
            if depth < 4 and rng.random() < 0.5:
                opening = rng.choice(opens)
                out.append(opening + fragment(depth + 1)
                           + closes[opening.split(" ")[0].rstrip(">")])
            else:
                out.append(rng.choice(bits))
        return "".join(out)

    crumbs = titles = 0
    title_query = xpath("." + thread_fields._THREAD_TITLE)
    for _ in range(4_000):
        holder_tag = rng.choice(["div", "ul id='breadcrumbs'", "span class='navbar'"])
        root = html_root(f"<html><body><{holder_tag} class='h'>{fragment(0)}</"
                         f"{holder_tag.split(' ')[0]}></body></html>")
        holder = root.find("body")[0]
        expected = thread_fields._CRUMBS_IN(holder)
        assert thread_fields.crumb_links(holder) == expected, etree.tostring(holder)
        texts = title_query(holder)
        assert thread_fields.title_texts(holder) == texts, etree.tostring(holder)
        crumbs += bool(expected)
        titles += bool(texts)
    assert crumbs > 500 and titles > 1_000, (crumbs, titles)


def test_crumb_marks_in_either_order_are_the_same_gate() -> None:
    """A vB3/vB4 thread page tests its crumb marks "navbit" first (`VB34_CRUMB_MARKS`):
    the same marks as `CRUMB_MARKS`, so a page holding any one of them alone, or none,
    gets the same crumb either way."""
    assert sorted(vbulletin.VB34_CRUMB_MARKS) == sorted(vbulletin.CRUMB_MARKS)
    assert len(set(vbulletin.VB34_CRUMB_MARKS)) == len(vbulletin.CRUMB_MARKS)
    pages = {
        "navbar": '<span class="navbar"><a href="f.php?f=2">Hair Loss</a></span>',
        "navbit": '<ul><li class="navbit"><a href="f.php?f=2">Hair Loss</a></li></ul>',
        "breadcrumbs": '<ul class="breadcrumbs"><li class="crumb"><a href="f">Hair Loss</a>'
                       '</li></ul>',
        "": '<span class="nav"><a href="f.php?f=2">Hair Loss</a></span>',
    }
    for mark, body in pages.items():
        html = f"<html><body>{body}</body></html>"
        root = html_root(html)
        plain = vbulletin.breadcrumb_category(root, html)
        assert plain == vbulletin.breadcrumb_category(root, html, None,
                                                      vbulletin.VB34_CRUMB_MARKS)
        assert plain == vbulletin.breadcrumb_category(root)  # (no gate)
        assert plain == ("Hair Loss" if mark in ("navbar", "navbit") else None)


def test_default_dates_made_aware_at_once_in_a_fixed_offset_are_the_plain_conversion() -> None:
    """`local_time`'s fast path in a fixed-offset zone (`datetime(..., tzinfo=UTC)` less
    the offset) gives what the plain `naive.replace(tzinfo=tz).astimezone(UTC)` gives
    (value, zone object, fold, overflow at the calendar's ends), and days that do not exist
    still go to the slow path (its answer or its error); other zones keep the conversion."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from scrapers.parsers.common import ParseError

    def plain(text: str, tz: object) -> object:
        fast = vbulletin_dates._DEFAULT_TEXT.fullmatch(text)
        if fast is not None:
            naive = vbulletin_dates._default_fields(*fast.groups())
            if naive is not None:
                try:
                    return naive.replace(tzinfo=tz).astimezone(UTC)
                except OverflowError:  # (year 9999 west of UTC, year 1 east)
                    return "overflow"
        try:  # the slow path alone: a leading space, which `fullmatch` refuses
            return vbulletin_dates.local_time(" " + text, tz, NOW_FAST)
        except ParseError as exc:
            return ("error", exc.reason)

    rng = random.Random(41)
    zones = [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30)),
             timezone(timedelta(0), "GMT"), timezone(timedelta(hours=-23, minutes=-59)),
             ZoneInfo("UTC"), ZoneInfo("America/New_York")]
    for _ in range(6_000):
        month = rng.choice(["1", "02", "12", "13", "0", "7"])
        day = rng.choice(["1", "09", "28", "29", "30", "31", " 5", "32"])
        year = rng.choice(["2016", "2024", "2023", "0000", "0001", "9999"])
        comma, space = rng.choice([",", ""]), rng.choice([" ", "\u00a0 ", "  "])
        clock = f"{rng.choice(['12', '1', '09', '11'])}:{rng.choice(['00', '5', '59'])}"
        text = f"{month}-{day}-{year}{comma}{space}{clock} {rng.choice(['AM', 'pm', 'Pm'])}"
        for tz in zones:
            try:
                got = vbulletin_dates.local_time(text, tz, NOW_FAST)
            except ParseError as exc:
                got = ("error", exc.reason)
            except OverflowError:
                got = "overflow"
            expected = plain(text, tz)
            assert got == expected, (text, tz)
            if isinstance(got, datetime):
                assert got.tzinfo is expected.tzinfo and got.fold == expected.fold


NOW_FAST = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)


def test_has_class_is_the_css_class_test() -> None:
    """`has_class` (a whole-attribute match, a printable attribute split by spaces, else
    split after XPath's whitespace becomes spaces) is the test CSS `.name` compiles to, on
    random class attributes dense in the name, its parts and every kind of blank."""
    from scrapers.parsers.tree import has_class

    rng = random.Random(23)
    bits = ["post", "postbit", "x", "post-x", " ", " ", "\t", "\n", "\r", "\x85", "\u2028",
            "\u00a0", "\u3000", "é"]
    names = ("post", "postbit", "x")
    queries = {name: xpath(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')")
               for name in names}
    for _ in range(3000):
        attribute = "".join(rng.choice(bits) for _ in range(rng.randint(0, 6)))
        el = html_root("<html><body><div>x</div></body></html>").find(".//div")
        if attribute or rng.random() < 0.5:
            el.set("class", attribute)
        for name in names:
            assert has_class(el, name) == queries[name](el), (attribute, name)
