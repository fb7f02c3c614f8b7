"""Generated forums for crawl tests: threads from `fake_threads`, served by engine kind
onto a LoopbackServer in each engine's real format (the `site_*` modules; see
docs/crawling.md)."""

from __future__ import annotations

from scrapers.loopback import LoopbackServer
from tests.scrapers.fake_threads import FakeThread
from tests.scrapers.site_discourse import serve_discourse
from tests.scrapers.site_phpbb import serve_phpbb
from tests.scrapers.site_vbulletin import serve_vbulletin
from tests.scrapers.site_xenforo import serve_xenforo, serve_xenforo1


def serve(kind: str, server: LoopbackServer, threads: list[FakeThread]) -> None:
    """Serve `threads` as a forum of `kind` (small pages so paging is exercised)."""
    if kind == "discourse":
        serve_discourse(server, threads, per_page=30, chunk=20)
    elif kind == "xenforo":
        serve_xenforo(server, threads, per_page=20, posts_per_page=20)
    elif kind == "phpbb":
        serve_phpbb(server, threads, per_page=25, posts_per_page=10)
    elif kind == "vbulletin":
        serve_vbulletin(server, threads, per_page=20, posts_per_page=10)
    elif kind == "xenforo1":
        serve_xenforo1(server, threads, per_page=20, posts_per_page=20)
    else:
        raise ValueError(kind)


# The third list page of each engine as `serve` lays it out (for paging assertions).
THIRD_LIST_PAGE = {"discourse": "/latest.json?no_definitions=true&page=2",
                   "xenforo": "/forums/hair.4/page-3",
                   "phpbb": "/viewforum.php?f=2&start=50",
                   "vbulletin": "/forumdisplay.php?f=2&page=3",
                   "xenforo1": "/forums/hair.4/page-3"}
