"""vBulletin thread-page fast paths against their plain forms, on many random cases: the
"page" URL gate, the canonical-link gate, the page's ids from one `id()` call, texts read off
elements, crumb links and title texts by lxml's tag filter, the crumb marks' order and the
class test."""

from __future__ import annotations

import random

from lxml import etree
from w3lib.url import url_query_parameter

from scrapers.parsers import vbulletin, vbulletin_dates, vbulletin_urls
from scrapers.parsers import vbulletin_thread_fields as thread_fields
from scrapers.parsers.tree import PageIds, by_id, html_root, xpath


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
