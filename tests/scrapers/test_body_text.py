"""One HTML-to-text walk: a post body cleaned on the page tree the parser holds
(`Post.text`, what the forum spiders store) gives exactly the text of its serialised HTML
(`html_to_text(body_html)`, what the clean pipeline gives any other item), on our fixtures,
the recorded real pages and the generated benchmark boards; and the walk's rules hold on
malformed HTML."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scrapers.items import ReplyItem, ThreadItem
from scrapers.parsers import phpbb, vbulletin, xenforo
from scrapers.parsers.common import Post, ThreadPage
from scrapers.pipelines.clean import CleanPipeline
from scrapers.text import html_to_text
from tests.conftest import REALDATA

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
MESSY = [
    ("<p>fin 1mg <b>and <i>minox</b> 5%</i> unclosed", "fin 1mg and minox 5% unclosed"),
    ("<blockquote><p>quoted <blockquote>nested</blockquote></p>reply</blockquote>after",
     "> quoted\n>\n> > nested\n> reply\nafter"),
    ('<p>see <a href="https://doi.org/10.1111/jdv.1">the study</a>, and <a href="/t/5">'
     "relative</a> &amp; <a>no href</a></p>",
     "see the study (https://doi.org/10.1111/jdv.1), and relative "
     "(https://forum.example/t/5) & no href"),
    ("<div><script>alert(1)</script><style>p{}</style>text&nbsp;&hellip; &#x1F600;</div>",
     "text \u2026 \U0001F600"),
    ("<ul><li>one<li>two</ul><table><tr><td>a<td>b</table><br><br/>end",
     "one\n\ntwo\n\nab\n\nend"),
    ('<a href="javascript:alert(1)">x</a> <img src="x.png" alt="pic"> <pre>  code\n  kept</pre>',
     "x pic\ncode kept"),
    ("plain text with no tags at all", "plain text with no tags at all"),
    ("", ""),
    (" \n ", ""),
    ("<!-- only a comment -->", ""),
    ("<?xml version='1.0' encoding='utf-8'?><p>x</p>", "x"),
]


def _generated() -> Iterator[tuple[str, str, str]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import crawl  # benchmarks/crawl.py: the generated boards
    finally:
        sys.path.pop(0)
    for engine, pages in (("xenforo", crawl.xenforo_pages(4)),
                          ("xenforo", crawl.xenforo1_pages(4)),
                          ("vbulletin", crawl.vbulletin_pages(4))):
        for target, body in pages.items():
            if "/threads/" in target or "showthread" in target:
                yield engine, f"generated{target}", vbulletin.decode_page(body)


def thread_pages() -> Iterator[tuple[str, str, str]]:
    """(engine, name, page text) of every thread page we hold."""
    files = [("xenforo", p) for p in sorted((FIXTURES / "xenforo").glob("thread_*.html"))]
    files += [("vbulletin", p) for p in sorted((FIXTURES / "vbulletin").glob("showthread_*"))]
    files += [("phpbb", p) for p in sorted((FIXTURES / "phpbb").glob("viewtopic_*.html"))]
    if REALDATA.exists():
        for engine in ("xenforo", "vbulletin", "phpbb"):
            files += [(engine, p) for p in sorted((REALDATA / engine).glob("*.html"))]
    for engine, path in files:
        yield engine, path.name, vbulletin.decode_page(path.read_bytes())
    yield from _generated()


def parse(engine: str, text: str) -> ThreadPage:
    if engine == "xenforo":
        return xenforo.parse_thread_page(text, "https://xf.example/threads/x.1/")
    if engine == "vbulletin":
        return vbulletin.parse_thread_page(text, "https://vb.example/showthread.php?t=1",
                                           "https://vb.example", now=NOW)
    return phpbb.parse_viewtopic(text, "https://bb.example/viewtopic.php?t=1",
                                 "https://bb.example", UTC)


PAGES = list(thread_pages())


def test_there_is_something_to_compare() -> None:
    assert len(PAGES) >= 15
    assert sum(len(parse(engine, text).posts) for engine, _, text in PAGES) > 100


@pytest.mark.parametrize(("engine", "name", "text"), PAGES, ids=[n for _, n, _ in PAGES])
def test_text_on_the_tree_is_the_text_of_the_html(engine: str, name: str, text: str) -> None:
    page = parse(engine, text)
    assert page.posts
    for post in page.posts:
        assert post.body_node is not None  # the parser kept the tree: no second parse
        assert post.text(page.url) == html_to_text(post.body_html, page.url), post.external_id


def test_a_post_without_its_tree_is_cleaned_from_its_html() -> None:
    post = Post(external_id="1", body_html='<p>see <a href="/t/5">this</a></p>')
    assert post.text("https://f.example/t/1") == "see this (https://f.example/t/5)"


@pytest.mark.parametrize(("html", "text"), MESSY)
def test_walk_rules_on_malformed_html(html: str, text: str) -> None:
    assert html_to_text(html, "https://forum.example/threads/x.1/") == text


def test_pipeline_cleans_html_and_tidies_text() -> None:
    item = ThreadItem(source="s", external_id="1", url="https://f.example/t/1",
                      title="  a   title ", created_at=NOW,
                      body_html="<p>x  <a href='/u'>y</a></p>",
                      replies=[ReplyItem(external_id="2", body="  already\n\n\n\ntext  ")])
    CleanPipeline().process_item(item)
    assert (item.title, item.body, item.body_html) == ("a title", "x y (https://f.example/u)",
                                                         None)
    assert item.replies[0].body == "already\n\ntext"


def test_tidy_collapses_every_run_of_spaces_and_keeps_lone_ones() -> None:
    """`tidy` leaves single spaces alone and turns any other run (two spaces, a tab, a
    no-break space, a mix) into one space, as `[ \\t\\r\\f\\v\\u00a0]+` -> " " would; and
    turns every run of three or more line breaks into two as `\\n{3,}` would (its `_BLANKS` is
    spelt `\\n\\n\\n+`, which `re` scans for faster)."""
    import random
    import re

    from scrapers.text import tidy

    every_run = re.compile(r"[ \t\r\f\v\u00a0]+")
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice("ab  \t\r\f\v\u00a0\n.") for _ in range(rng.randint(0, 25)))
        expected = "\n".join(line.strip() for line in every_run.sub(" ", text).split("\n"))
        expected = re.sub(r"\n{3,}", "\n\n", expected).strip()
        assert tidy(text) == expected, repr(text)
    assert tidy("a b\u00a0c \t d") == "a b c d"


def test_tidy_is_the_plain_tidy_on_any_blanks() -> None:
    """`tidy` (odd spaces by `replace`, runs by a literal pattern, every line trimmed)
    gives what the plain form gives: every run of `[ \\t\\r\\f\\v
    \\u00a0]` that is not a lone space -> " ", every line `str.strip`ped (which also takes
    \\x1c-\\x1f, \\x85, \\u3000... ), runs of 3+ line breaks -> 2, the whole stripped; on
    random texts of those blanks, ASCII and not, and on texts tidied already."""
    import random
    import re

    from scrapers.text import tidy

    runs = re.compile(r" [ \t\r\f\v\u00a0]+|[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*")

    def plain(text: str) -> str:
        text = runs.sub(" ", text)
        text = "\n".join(line.strip() for line in text.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    rng = random.Random(8)
    alphabet = ["a", "b", " ", " ", "\n", "\n", "\t", "\r", "\u00a0", "\x1c", "\x1f", "\x85",
                "\u3000", "\u2028", "é", ".", "\v", "\f"]
    for _ in range(40_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        expected = plain(text)
        assert tidy(text) == expected, repr(text)
        assert tidy(expected) == expected, repr(expected)  # (tidy twice: the clean pipeline)


def test_a_body_the_item_says_is_tidy_is_not_tidied_again() -> None:
    """`body_tidy` (a forum spider's `Post.text`, `tidy`'s output): the clean pipeline
    leaves that body as it is; any other plain body is tidied as before."""
    item = ThreadItem(source="s", external_id="1", url="https://f.example/t/1", title="t",
                      created_at=NOW, body="kept  as\n\n\n\ngiven ", body_tidy=True,
                      replies=[ReplyItem(external_id="2", body="kept  too ", body_tidy=True),
                               ReplyItem(external_id="3", body="tidied  here ")])
    CleanPipeline().process_item(item)
    assert item.body == "kept  as\n\n\n\ngiven "
    assert [reply.body for reply in item.replies] == ["kept  too ", "tidied here"]


def test_forum_items_say_their_bodies_are_tidy_and_they_are() -> None:
    """The forum spider's thread and reply items carry `body_tidy`, and that holds: every
    post text of every thread page we hold is its own `tidy`, so skipping the clean
    pipeline's `tidy` changes no stored body."""
    from types import SimpleNamespace

    from scrapers.forum_spider import ForumSpider
    from scrapers.text import tidy

    spider = SimpleNamespace(source_name="f", replies_limit=1000)
    for engine, name, text in PAGES:
        page = parse(engine, text)
        item = ForumSpider.thread_item(spider, page, page.posts[0], 0,  # type: ignore[arg-type]
                                       None)
        ForumSpider.add_replies(spider, item, page.posts[1:])  # type: ignore[arg-type]
        assert item.body_tidy and all(reply.body_tidy for reply in item.replies), name
        for body in [item.body, *(reply.body for reply in item.replies)]:
            assert body is not None and tidy(body) == body, name
