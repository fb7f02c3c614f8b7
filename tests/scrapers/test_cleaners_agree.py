"""The lxml cleaner (the default, for speed) and the BeautifulSoup cleaner give the same
text on every post body we have: our fixtures, the recorded real pages, and malformed HTML."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from parsel import Selector

from scrapers.parsers import vbulletin
from scrapers.pipelines.clean import CleanPipeline
from scrapers.text import html_to_text, html_to_text_lxml
from tests.conftest import REALDATA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MESSY = [
    "<p>fin 1mg <b>and <i>minox</b> 5%</i> unclosed",
    "<blockquote><p>quoted <blockquote>nested</blockquote></p>reply</blockquote>after",
    '<p>see <a href="https://doi.org/10.1111/jdv.1">the study</a>, and <a href="/t/5">'
    "relative</a> &amp; <a>no href</a></p>",
    "<div><script>alert(1)</script><style>p{}</style>text&nbsp;&hellip; &#x1F600;</div>",
    "<ul><li>one<li>two</ul><table><tr><td>a<td>b</table><br><br/>end",
    '<a href="javascript:alert(1)">x</a> <img src="x.png" alt="pic"> <pre>  code\n  kept</pre>',
    "plain text with no tags at all",
    "",
]


def bodies() -> Iterator[tuple[str, str]]:
    for path in sorted((FIXTURES / "discourse").glob("t_*.json")):
        for post in json.loads(path.read_text())["post_stream"]["posts"]:
            yield f"{path.name}#{post['id']}", post["cooked"]
    html_pages = [*sorted((FIXTURES / "xenforo").glob("thread_*.html")),
                  *sorted((FIXTURES / "phpbb").glob("viewtopic_*.html"))]
    if REALDATA.exists():
        for path in sorted((REALDATA / "discourse").glob("t_*.json")):
            for post in json.loads(path.read_text())["post_stream"]["posts"]:
                yield f"real/{path.name}#{post['id']}", post["cooked"]
        html_pages += [*sorted((REALDATA / "xenforo").glob("*.html")),
                       *sorted((REALDATA / "phpbb").glob("*.html"))]
    for path in html_pages:
        page = Selector(text=path.read_text(encoding="utf-8", errors="replace"))
        for index, body in enumerate(page.css(".bbWrapper, div.content, blockquote.messageText")
                                     .getall()):
            yield f"{path.name}#{index}", body
    vb_pages = sorted((FIXTURES / "vbulletin").glob("showthread_*.html"))
    if REALDATA.exists():
        vb_pages += sorted((REALDATA / "vbulletin").glob("*.html"))
    for path in vb_pages:
        page = vbulletin.parse_thread_page(vbulletin.decode_page(path.read_bytes()),
                                           "https://vb.example/showthread.php?t=1",
                                           "https://vb.example", now=datetime.now(UTC))
        for post in page.posts:
            yield f"{path.name}#{post.external_id}", post.body_html
    for index, body in enumerate(MESSY):
        yield f"messy#{index}", body


CASES = list(bodies())


def test_there_is_something_to_compare() -> None:
    assert len(CASES) > 60


@pytest.mark.parametrize(("name", "html"), CASES, ids=[name for name, _ in CASES])
def test_same_text(name: str, html: str) -> None:
    base = "https://forum.example/threads/x.1/"
    assert html_to_text_lxml(html, base) == html_to_text(html, base)


def test_pipeline_default_is_lxml_and_bs4_selectable() -> None:
    assert CleanPipeline().to_text is html_to_text_lxml
    assert CleanPipeline("bs4").to_text is html_to_text
    with pytest.raises(ValueError, match="HAIRLINK_CLEANER"):
        CleanPipeline("regex")
