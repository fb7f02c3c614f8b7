"""Control characters in a page's text (a form feed or a stray C0 control in a real post):
libxml2 keeps them, lxml refuses to set them, and a parser that moves text (dropped like
boxes, vBulletin's quote rewrite) must not lose the whole page to that."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scrapers.parsers import phpbb, vbulletin, xenforo
from scrapers.parsers.common import ThreadPage
from scrapers.parsers.tree import html_root, set_tail, set_text
from tests.conftest import REALDATA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
CONTROLS = ["\x0b", "\x0c", "\x01", "\x1f", "\ufffe"]

Parse = Callable[[str], ThreadPage]
PAGES: list[tuple[str, Path, Parse]] = [
    ("xf2 fixture", FIXTURES / "xenforo" / "thread_view_412_page1.html",
     lambda t: xenforo.parse_thread_page(t, "https://xf.example/threads/x.412/")),
    ("vb3 fixture", FIXTURES / "vbulletin" / "showthread_t345_vb3_page1.html",
     lambda t: vbulletin.parse_thread_page(t, "https://sb.example/showthread.php?t=345",
                                           "https://sb.example", now=NOW)),
    ("phpbb fixture", FIXTURES / "phpbb" / "viewtopic_t77_page1.html",
     lambda t: phpbb.parse_viewtopic(t, "https://bb.example/viewtopic.php?t=77",
                                     "https://bb.example", UTC)),
    ("xf1 real",
     REALDATA / "xenforo" / "xf1_thread_view_sufficientvelocity_10402_page-54_2014.html",
     lambda t: xenforo.parse_thread_page(
         t, "https://forums.sufficientvelocity.com/threads/renascence-a-homura-quest.10402/"
         "page-54")),
    ("vb3.8 real", REALDATA / "vbulletin" / "vb3.8.11_showthread_animesuki_page152.html",
     lambda t: vbulletin.parse_thread_page(t, "https://forums.animesuki.com/showthread.php?t=1",
                                           "https://forums.animesuki.com", now=NOW)),
    ("vb4.2 real", REALDATA / "vbulletin" / "vb4.2.3_showthread_militarytimes_9687.html",
     lambda t: vbulletin.parse_thread_page(t, "https://forums.militarytimes.com/showthread.php"
                                              "?t=9687", "https://forums.militarytimes.com",
                                           now=NOW)),
]


def _read(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return vbulletin.decode_page(path.read_bytes()) if "vb" in path.name else \
        path.read_text(encoding="utf-8")


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize(("name", "path", "parse"), PAGES, ids=[p[0] for p in PAGES])
def test_control_characters_in_moved_text_lose_no_post(
        name: str, path: Path, parse: Parse, control: str) -> None:
    """The character before every " the " and after every `</blockquote>` (in post text and
    the tails the parsers move) and, when it is blank to `str.split` (as a form feed), after
    every `</div>` and `</span>` too: the same posts in the same order, the same page."""
    text = _read(path)
    plain = parse(text)
    closings = ["</blockquote>"] + (["</div>", "</span>"] if not control.strip() else [])
    dirty = text.replace(" the ", f" {control}the ")
    for closing in closings:
        dirty = dirty.replace(closing, closing + control)
    page = parse(dirty)
    assert len(plain.posts) > 1
    assert [p.external_id for p in page.posts] == [p.external_id for p in plain.posts]
    assert [p.created_at for p in page.posts] == [p.created_at for p in plain.posts]
    assert (page.external_id, page.page, page.last_page) == \
        (plain.external_id, plain.page, plain.last_page)


def test_set_text_and_tail_replace_what_lxml_refuses() -> None:
    root = html_root("<div><p>a</p>b</div>")
    p = root.find(".//p")
    set_text(p, "x\x0by\x01z\x0cw\ufffe")
    set_tail(p, "\x1ftail")
    assert (p.text, p.tail) == ("x y z w ", " tail")
    set_text(p, "plain\ttext\n")  # allowed characters set as they are
    set_tail(p, None)
    assert (p.text, p.tail) == ("plain\ttext\n", None)
